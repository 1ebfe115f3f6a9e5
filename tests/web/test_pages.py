"""The server-rendered pages over a real archive, parsed as HTML: no JavaScript needed."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.bulk.wire_text import wire_story
from tests.web.demo import HOSTILE_TITLE


class Page(HTMLParser):
    """Tags with their attributes and visible text of one page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def links(self) -> list[str]:
        return [a.get("href") or "" for a in self.all("a")]

    def links_to(self, prefix: str) -> list[str]:
        return [link for link in self.links() if link.startswith(prefix)]

    def alternate(self) -> str:
        (link,) = self.all("link", rel="alternate", type="application/json")
        return link["href"] or ""

    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def get_page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.text
    return Page(response.text)


def hit_ids(page: Page) -> list[str]:
    return [link.removeprefix("/articles/") for link in page.links_to("/articles/")]


def test_search_page_agrees_with_its_json_twin(demo: TestClient) -> None:
    page = get_page(demo, "/?q=airbus+a380&sort=newest")
    assert page.all("input", name="q")[0]["value"] == "airbus a380"
    assert [o["value"] for o in page.all("option") if "selected" in o] == ["newest"]
    assert len(page.all("mark")) >= 5
    api = demo.get(page.alternate()).json()
    assert page.alternate() == "/api/search?q=airbus+a380&sort=newest&page=1"
    assert hit_ids(page) == [str(hit["id"]) for hit in api["hits"]]
    assert f"{api['total']} articles matching “airbus” and “a380”" in page.plain()


def test_a_facet_link_filters_and_its_chip_removes_the_filter(demo: TestClient) -> None:
    page = get_page(demo, "/?q=apple")
    total = demo.get(page.alternate()).json()["total"]
    person = next(a for a in page.all("a") if (a.get("href") or "").startswith("/?q=apple&person="))
    filtered = get_page(demo, person["href"] or "")
    narrowed = demo.get(filtered.alternate()).json()
    assert 0 < narrowed["total"] < total
    (chip,) = filtered.all("a", **{"class": "chip"})
    assert filtered.all("a", **{"class": "selected", "aria-current": "true"})
    assert chip["href"] == "/?q=apple"
    assert filtered.all("input", type="hidden", name="person")


def test_pagination_links_keep_every_parameter(demo: TestClient) -> None:
    page = get_page(demo, "/?q=apple&language=en&sort=oldest&per_page=5")
    (next_link,) = page.all("a", rel="next")
    assert parse_qsl(urlsplit(next_link["href"] or "").query) == [
        ("q", "apple"), ("language", "en"), ("sort", "oldest"), ("per_page", "5"), ("page", "2"),
    ]  # fmt: skip
    second = get_page(demo, next_link["href"] or "")
    assert second.all("ol", **{"class": "hits", "start": "6"})
    assert set(hit_ids(second)).isdisjoint(hit_ids(page))
    assert second.all("a", rel="prev")[0]["href"] == "/?q=apple&language=en&sort=oldest&per_page=5"


def test_a_page_past_the_last_links_back_to_the_last(demo: TestClient) -> None:
    page = get_page(demo, "/?q=apple&per_page=10&page=9")
    assert "Page 9 is past the last page." in page.plain()
    last = page.all("a", rel="prev")[0]["href"]
    assert last in page.links()
    assert get_page(demo, last or "").all("a", **{"aria-current": "page", "href": last or ""})


def test_a_form_submitted_with_empty_fields_is_redirected_to_a_clean_url(
    demo: TestClient,
) -> None:
    response = demo.get("/?q=boeing&date_from=&date_to=&sort=relevance", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?q=boeing&sort=relevance"


def test_the_timeline_links_each_month_to_its_date_range(demo: TestClient) -> None:
    page = get_page(demo, "/?q=iphone")
    months = [link for link in page.links() if "date_from=" in link]
    assert months
    narrowed = get_page(demo, months[0])
    assert demo.get(narrowed.alternate()).json()["total"] >= 1
    assert {"from", "to"} <= {text.strip() for text in narrowed.text}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/?q=xyzzyplugh", "No article matches “xyzzyplugh”."),
        # Every word exists, never together: the OR search is offered.
        ("/?q=iphone+dreamliner", "articles match any of the words, but none matches them all"),
    ],
)
def test_an_empty_result_says_why(demo: TestClient, url: str, expected: str) -> None:
    assert expected in get_page(demo, url).plain()


def test_an_empty_result_offers_the_search_without_the_filter_to_blame(demo: TestClient) -> None:
    page = get_page(demo, "/?q=boeing&agency=Reuters")
    reason = "articles without agency “Reuters”"
    assert reason in page.plain()
    assert "/?q=boeing" in page.links()


def test_did_you_mean_links_the_corrected_query(demo: TestClient) -> None:
    page = get_page(demo, "/?q=boieng")
    assert "/?q=boeing" in page.links()
    assert "Did you mean boeing ?" in page.plain()


def test_a_bad_query_is_shown_with_the_query_kept(demo: TestClient) -> None:
    page = get_page(demo, '/?q="unterminated', status=400)
    assert page.all("input", name="q")[0]["value"] == '"unterminated'
    assert "Bad query" in page.plain()


def test_story_collapsing_is_a_labelled_checkbox_in_the_search_form(demo: TestClient) -> None:
    page = get_page(demo, "/?q=apple&collapse=story")
    (box,) = page.all("input", name="collapse")
    assert (box["type"], box["value"], "checked" in box) == ("checkbox", "story", True)
    assert page.all("label", **{"for": box["id"] or ""})
    # One form holds it with the dates and the sort order: submitting either keeps it.
    names = [a.get("name") for tag, a in page.tags if tag in {"input", "select"}]
    assert names[: names.index("collapse") + 1] == ["q", "date_from", "date_to", "sort", "collapse"]
    assert len(page.all("form")) == 1
    assert ("collapse", "story") in parse_qsl(urlsplit(page.alternate()).query)
    assert "checked" not in get_page(demo, "/?q=apple").all("input", name="collapse")[0]


@pytest.mark.parametrize(
    "url",
    [
        "/?q=apple&language=en&sort=oldest&per_page=5&collapse=story",  # pages, facets, people
        "/?q=iphone&collapse=story",  # timeline months
        "/?q=boieng&collapse=story",  # did you mean
        "/?q=boeing&agency=Reuters&collapse=story",  # the search without the filter to blame
    ],
)
def test_every_search_link_keeps_story_collapsing(demo: TestClient, url: str) -> None:
    links = get_page(demo, url).links_to("/?")
    assert links
    assert [link for link in links if ("collapse", "story") not in parse_qsl(link[2:])] == []


def test_collapsing_shows_one_article_of_each_story(client: TestClient) -> None:
    story = wire_story(7)
    head, _, body = story.partition("\n\n")
    republished = f"{head}, updated\n\n" + "\n\n".join(body.split("\n\n")[:-2])  # tail cut
    for text in (story, wire_story(8), republished):
        assert client.post("/api/articles", json={"text": text}).status_code == 201
    everything = get_page(client, "/")
    collapsed = get_page(client, "/?collapse=story")
    assert (len(hit_ids(everything)), len(hit_ids(collapsed))) == (3, 2)
    assert set(hit_ids(collapsed)) < set(hit_ids(everything))
    assert "3 articles" in everything.plain()
    assert "2 stories" in collapsed.plain()


def test_article_page_links_people_places_and_the_raw_input(demo: TestClient) -> None:
    page = get_page(demo, "/articles/1")
    assert page.alternate() == "/api/articles/1"
    assert page.links_to("/people/")
    assert "/?section=World" in page.links()
    assert "/articles/1/raw" in page.links()
    assert len(page.all("h2", **{"class": "subheading"})) == 1
    assert "Mourad Belhaj from English" in page.plain()
    raw = demo.get("/articles/1/raw")
    assert raw.headers["content-type"].startswith("text/plain")
    assert "Most Viewed" in raw.text


def test_every_search_link_on_an_article_finds_that_article(demo: TestClient) -> None:
    html = demo.get("/articles/1").text
    own_links = Page(html.split('<section class="related"')[0]).links_to("/?")
    assert len(own_links) >= 10  # agency, dateline, author, translator, people, places, …
    for link in own_links:
        hits = demo.get(f"/api/search{link[1:]}", params={"per_page": 100}).json()["hits"]
        assert 1 in [hit["id"] for hit in hits], link


def test_person_page_shows_timeline_co_mentions_and_articles(demo: TestClient) -> None:
    people = get_page(demo, "/people?q=massoud")
    person_url = people.links_to("/people/")[0]
    page = get_page(demo, person_url)
    api = demo.get(page.alternate()).json()
    assert page.alternate() == f"/api/people/{api['id']}"
    assert api["name"] in page.plain()
    assert hit_ids(page) == sorted(hit_ids(page), key=int, reverse=True)
    assert {f"/articles/{hit['id']}" for hit in api["articles"]} == set(page.links_to("/articles/"))
    assert {f"/people/{other['id']}" for other in api["co_mentioned"]} <= set(page.links())
    assert page.all("svg")
    assert [link for link in page.links() if "person=" in link and "date_from=" in link]


def test_people_index_is_searchable_and_has_a_json_twin(demo: TestClient) -> None:
    everyone = get_page(demo, "/people")
    assert everyone.alternate() == "/api/people?page=1&per_page=30"
    assert len(everyone.links_to("/people/")) == 30
    found = get_page(demo, "/people?q=massoud")
    api = demo.get(found.alternate()).json()
    assert [f"/people/{p['id']}" for p in api["items"]] == found.links_to("/people/")
    assert found.all("input", name="q", value="massoud")


@pytest.mark.parametrize("url", ["/articles/9999", "/people/9999", "/articles/9999/raw"])
def test_unknown_pages_are_html_404s(demo: TestClient, url: str) -> None:
    response = demo.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in Page(response.text).plain()


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/?page=1001", 400, "page"),
        ("/?date_from=2021-02-30", 400, "date_from"),
        ("/?q=" + "Massoud+" * 130, 400, "at most 1000 characters"),
        ("/articles/kabul", 400, "article_id"),
        ("/people?page=0", 400, "page"),
        ("/no/such/page", 404, "Not Found"),
    ],
)
def test_a_page_asked_for_wrongly_is_an_html_page_saying_why(
    demo: TestClient, url: str, status: int, detail: str
) -> None:
    response = demo.get(url, headers={"Accept": "application/json"})  # a page answers HTML
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert len(page.all("h1")) == 1 and page.links_to("/")
    assert detail in page.plain()
    # The API keeps its problems, whatever the client accepts.
    api = demo.get("/api/search?page=1001", headers={"Accept": "text/html"})
    assert (api.status_code, api.headers["content-type"]) == (400, "application/problem+json")


def test_article_text_is_escaped_on_every_page(demo: TestClient) -> None:
    hostile = demo.get("/api/search", params={"q": "title:stall"}).json()["hits"][0]["id"]
    people = [f"/people/{p['id']}" for p in demo.get(f"/api/articles/{hostile}").json()["people"]]
    # The seed article, on the same talks in Kabul, lists the hostile one as related.
    for url in ("/?q=kabul", "/?q=stalled", f"/articles/{hostile}", "/articles/1", *people):
        html = demo.get(url).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        page = Page(html)
        assert [a for a in page.all("script") if a.get("src") != "/static/enhance.js"] == []
        assert HOSTILE_TITLE in page.plain(), url


@pytest.mark.parametrize("url", ["/?q=apple", "/articles/1", "/people", "/people/1", "/?q=nothing"])
def test_every_page_has_landmarks_one_h1_and_labelled_controls(demo: TestClient, url: str) -> None:
    page = get_page(demo, url)
    assert len(page.all("main")) == len(page.all("h1")) == 1
    assert page.all("header") and page.all("nav") and page.all("footer")
    labelled = {a["for"] for a in page.all("label")}
    controls = [*page.all("input"), *page.all("select")]
    assert all(c["id"] in labelled for c in controls if c.get("type") != "hidden")


def test_an_empty_archive_says_so(client: TestClient) -> None:
    page = get_page(client, "/?q=massoud")
    assert "The archive holds no articles yet." in page.plain()
    assert "No person is known yet." in get_page(client, "/people").plain()
