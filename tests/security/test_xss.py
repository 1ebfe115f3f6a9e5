"""Script in an article, a query or a filter is inert on every page (server-side HTML checks)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import SEED_PATH

MARK = "xss"
PAYLOADS = (
    f"<script>alert('{MARK}')</script>",
    f'"><img src=x onerror=alert("{MARK}")>',
    f"'><svg onload=alert('{MARK}')>",
    f"<a href=\"javascript:alert('{MARK}')\">link</a>",
    f"<iframe srcdoc=\"<script>alert('{MARK}')</script>\"></iframe>",
)
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcdoc", "data"})


class ActiveContent(HTMLParser):
    """Collects what a browser would execute: script bodies, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        # The pages draw their own inline <svg> timeline; an injected <svg> or <img> is
        # caught by its event handler or script, which is what a browser would run.
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and text.startswith(SCRIPT_SCHEMES):
                self.found.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"script: {data.strip()[:80]!r}")


def active_content(page: str) -> list[str]:
    """Everything executable in an HTML page."""
    parser = ActiveContent()
    parser.feed(page)
    parser.close()
    return parser.found


def hostile_article() -> str:
    """The seed article with a payload in its title, byline, body and a person's line."""
    lines = SEED_PATH.read_text(encoding="utf-8").split("\n")
    title = next(i for i, line in enumerate(lines) if line.startswith("Afghanistan: Ahmed"))
    lines[title] += " " + PAYLOADS[0]
    lines = [
        line.replace("Shafiq Ahmad", f"Shafiq Ahmad {PAYLOADS[1]}")
        .replace("Amrullah Saleh,", f"Amrullah Saleh {PAYLOADS[2]},")
        .replace("Panshir valley", f"Panshir valley {PAYLOADS[3]} {PAYLOADS[4]}")
        for line in lines
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, int]]:
    """An archive holding one article full of payloads, sent as JSON with a script URL."""
    data_dir: Path = tmp_path_factory.mktemp("xss") / "data"
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        record = {
            "text": hostile_article(),
            "url": f"javascript:alert('{MARK}')",
            "source": PAYLOADS[1],
        }
        created = client.post("/api/articles", content=json.dumps(record),
                              headers={"Content-Type": "application/json"})  # fmt: skip
        assert created.status_code == 201, created.text
        yield client, created.json()["id"]


def page_paths(client: TestClient, article_id: int) -> list[str]:
    """Every HTML page that shows something of the hostile article, or of hostile input."""
    article = client.get(f"/api/articles/{article_id}").json()
    people = [f"/people/{person['id']}" for person in article["people"]]
    searches = [f"/?q={payload}" for payload in PAYLOADS]
    filters = [f"/?{name}={PAYLOADS[1]}" for name in ("agency", "person", "place", "section")]
    return [
        "/", "/?q=Panshir", "/?q=Saleh", "/?q=alert", f"/articles/{article_id}", *people,
        *searches, *filters, f'/?q="{PAYLOADS[0]}', "/?q=Panshir&page=2&per_page=1",
    ]  # fmt: skip


def test_the_payloads_reached_the_archive(hostile: tuple[TestClient, int]) -> None:
    # Guards the test: the payload text must be stored and shown, only inertly.
    client, article_id = hostile
    article = client.get(f"/api/articles/{article_id}").json()
    assert MARK in article["title"] + article["body"]
    assert MARK in client.get(f"/articles/{article_id}").text


def test_no_page_carries_active_content(hostile: tuple[TestClient, int]) -> None:
    client, article_id = hostile
    paths = page_paths(client, article_id)
    assert len(paths) > 15
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 400), path
        assert response.headers["content-type"].startswith("text/html"), path
        assert active_content(response.text) == [], path


def test_snippets_only_mark_up_highlights(hostile: tuple[TestClient, int]) -> None:
    client, _ = hostile
    for query in ("Panshir", "alert", "script", "Saleh"):
        for hit in client.get("/api/search", params={"q": query}).json()["hits"]:
            without_marks = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
            assert "<" not in without_marks, hit["snippet"]


def test_raw_input_is_plain_text_that_browsers_may_not_sniff(
    hostile: tuple[TestClient, int],
) -> None:
    client, article_id = hostile
    response = client.get(f"/articles/{article_id}/raw")
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert PAYLOADS[0] in response.text


@pytest.mark.parametrize("page", ["<p>hi</p>", "<script>x()</script>", '<a href="javascript:x">'])
def test_the_checker_finds_active_content_and_passes_text(page: str) -> None:
    # The checker itself: plain markup passes, executable markup is found.
    assert bool(active_content(page)) == (page != "<p>hi</p>")


def test_pages_forbid_inline_script_and_script_urls(hostile: tuple[TestClient, int]) -> None:
    # Defence in depth: were markup to slip through escaping, the browser would not run it.
    client, article_id = hostile
    for path in ("/", f"/articles/{article_id}", "/api/search", "/static/style.css"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert (headers["x-content-type-options"], headers["x-frame-options"]) == (
            "nosniff",
            "DENY",
        )


def test_the_api_docs_page_keeps_working(hostile: tuple[TestClient, int]) -> None:
    # Swagger UI loads its script from a CDN, so it is left without the strict policy.
    client, _ = hostile
    response = client.get("/docs")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
