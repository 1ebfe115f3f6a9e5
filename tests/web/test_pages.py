"""The server-rendered pages, parsed as HTML: they work without JavaScript and escape articles."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

HOSTILE = (
    "<script>alert(1)</script> Kabul talks stall\n\n"
    "KABUL (AP) — Negotiators <img src=x onerror=alert(2)> met on Sunday in Kabul, "
    "officials said, as the talks <script>alert(3)</script> stalled again."
)


class Page(HTMLParser):
    """Collects tags, link targets and visible text of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def links(self) -> list[str]:
        return [attrs.get("href") or "" for tag, attrs in self.tags if tag == "a"]

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


@pytest.fixture
def seeded(client: TestClient, seed_bytes: bytes) -> TestClient:
    client.post("/api/articles", content=seed_bytes, headers={"content-type": "text/plain"})
    return client


def test_search_page_shows_hits_with_highlights(seeded: TestClient) -> None:
    response = seeded.get("/", params={"q": "massoud"})
    assert response.status_code == 200
    page = Page(response.text)
    assert "/articles/1" in page.links()
    assert page.count("mark") >= 1
    assert page.count("form") == 1
    alternate = [a for t, a in page.tags if t == "link" and a.get("rel") == "alternate"]
    assert alternate[0]["href"] == "/api/search?q=massoud&page=1"


def test_search_page_keeps_the_query_and_reports_bad_ones(seeded: TestClient) -> None:
    response = seeded.get("/", params={"q": '"unterminated'})
    assert response.status_code == 400
    page = Page(response.text)
    inputs = [a for t, a in page.tags if t == "input" and a.get("name") == "q"]
    assert inputs[0]["value"] == '"unterminated'
    assert any("Bad query" in text for text in page.text)


def test_article_page_links_people_and_raw_input(seeded: TestClient) -> None:
    page = Page(seeded.get("/articles/1").text)
    assert any(link.startswith("/people/") for link in page.links())
    assert "/articles/1/raw" in page.links()
    raw = seeded.get("/articles/1/raw")
    assert raw.headers["content-type"].startswith("text/plain")
    assert "Most Viewed" in raw.text


def test_person_page_lists_the_person_and_articles(seeded: TestClient) -> None:
    person_link = next(
        link for link in Page(seeded.get("/articles/1").text).links() if link.startswith("/people/")
    )
    page = Page(seeded.get(person_link).text)
    assert "/articles/1" in page.links()


def test_article_text_is_escaped_on_every_page(client: TestClient) -> None:
    created = client.post(
        "/api/articles", content=HOSTILE.encode(), headers={"content-type": "text/plain"}
    )
    assert created.status_code == 201, created.text
    for url in ("/?q=kabul", "/articles/1", "/?q=negotiators"):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert Page(html).count("script") == 0


def test_unknown_pages_are_404(client: TestClient) -> None:
    assert client.get("/articles/42").status_code == 404
    assert client.get("/people/42").status_code == 404
