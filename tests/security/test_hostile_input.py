"""Strange input gets a clear 4xx problem (or a CLI error) and leaves the archive untouched."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import HTTPException, Request
from fastapi.testclient import TestClient
from starlette.types import Message
from typer.testing import CliRunner

from app.api.body import stream_body
from app.cli import cli
from app.config import Settings
from app.main import create_app
from tests.conftest import SEED_PATH

SEED = SEED_PATH.read_bytes()
LIMIT = 64 * 1024
BULK_LINES = 5
NDJSON = "application/x-ndjson"


def record(text: str) -> bytes:
    return json.dumps({"text": text}).encode()


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An empty archive with small limits, so that crossing them is cheap."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("hostile") / "data",
        max_body_bytes=LIMIT,
        max_bulk_lines=BULK_LINES,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


ARTICLE_CASES = [
    # (content type, extra headers, body, status)
    ("text/plain", {}, b"", 422),
    ("text/plain", {}, b" \n\t\n", 422),
    ("text/plain", {}, SEED.replace(b"Kabul", b"Kab\x00ul"), 422),  # a NUL byte
    ("text/plain", {}, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, 422),  # an image
    ("text/plain", {}, b"PK\x03\x04" + bytes(200), 422),  # a zip archive
    ("text/plain", {}, gzip.compress(SEED), 422),  # gzip bytes without Content-Encoding
    ("text/plain", {"Content-Encoding": "gzip"}, gzip.compress(SEED), 415),
    ("text/plain", {"Content-Encoding": "br"}, SEED, 415),
    ("text/plain", {}, b"word " * (LIMIT // 5 + 1), 413),
    ("text/plain", {}, b"x" * (LIMIT + 1), 413),  # one enormous line
    ("application/octet-stream", {}, SEED, 415),
    ("multipart/form-data; boundary=x", {}, SEED, 415),
    ("", {}, SEED, 415),
    ("text/html", {}, b"<html><script>alert(1)</script><p></p></html>", 422),
    ("application/json", {}, b"[" * 30_000 + b"]" * 30_000, 422),  # nesting past recursion
    ("application/json", {}, b'{"text": "a", "html": "b"}', 422),
    ("application/json", {}, b'"just a string"', 422),
    ("application/json", {}, b'{"text": ' + json.dumps(SEED.decode()).encode(), 422),  # cut off
    ("application/json", {}, b'{"text": "\\ud800"}', 422),  # a lone surrogate
    ("application/json", {}, b'{"body": "the wrong key"}', 422),
]


@pytest.mark.parametrize(("content_type", "headers", "body", "status"), ARTICLE_CASES)
def test_strange_articles_get_a_problem_and_store_nothing(
    limited: TestClient, content_type: str, headers: dict[str, str], body: bytes, status: int
) -> None:
    response = limited.post(
        "/api/articles", content=body, headers={"Content-Type": content_type, **headers}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert limited.get("/api/health").json()["articles"] == 0


BULK_CASES = [
    ({}, b"\n".join(record("x") for _ in range(BULK_LINES + 1)), 413),
    ({}, b"x" * (LIMIT + 1), 413),  # one enormous line
    ({"Content-Encoding": "gzip"}, gzip.compress(b"\n" * 10_000_000), 415),  # a zip bomb
]


@pytest.mark.parametrize(("headers", "body", "status"), BULK_CASES)
def test_bulk_refuses_whole_requests_past_the_limits(
    limited: TestClient, headers: dict[str, str], body: bytes, status: int
) -> None:
    response = limited.post(
        "/api/articles/bulk", content=body, headers={"Content-Type": NDJSON, **headers}
    )
    assert response.status_code == status, response.text
    assert limited.get("/api/health").json()["articles"] == 0


def test_a_body_without_a_declared_length_is_refused_once_past_the_limit() -> None:
    pulled = 0

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}  # never ends

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", NDJSON.encode())]}

    async def drain() -> None:
        async for _ in stream_body(Request(scope, receive), LIMIT):
            pass

    # Nothing here really waits, so the coroutine runs to its end (the 413) on the first
    # step, whatever event loop another test left running.
    with pytest.raises(HTTPException) as refused:
        drain().send(None)
    assert (refused.value.status_code, pulled) == (413, LIMIT // 1024 + 1)


def test_bulk_reports_each_strange_line_and_stores_none_of_them(limited: TestClient) -> None:
    lines = [b"{oops", b"[" * 50_000, record(""), b'{"text": "\\u0000\\u0001"}', b"\xff\xfe"]
    response = limited.post(
        "/api/articles/bulk", content=b"\n".join(lines), headers={"Content-Type": NDJSON}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["added"], [f["line"] for f in result["failed"]]) == (0, [1, 2, 3, 4, 5])
    assert limited.get("/api/health").json()["articles"] == 0


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": '"Ahmad Massoud'}, 400),  # an unbalanced quote
        ({"q": "(((Panshir"}, 400),
        ({"q": "(" * 30 + "Panshir" + ")" * 30}, 400),  # nested too deep
        ({"q": "AND OR NOT"}, 400),
        ({"q": "NOT " * 240 + "Panshir"}, 200),  # deep but legal negation
        ({"q": '*:* -* ** "" title:'}, 400),
        ({"q": "a* b* c* d* e* f* g* h* i* j* k*"}, 200),
        ({"q": "\x00\x01\x7f"}, 200),  # control characters are noise, not words
        ({"q": "Massoud " * 130}, 400),  # longer than 1000 characters
        ({"page": "1001"}, 400),  # deeper than max_page
        ({"per_page": "101"}, 400),
        ({"date_from": "2021-02-30"}, 400),
    ],
)
def test_hostile_searches_are_answered_or_refused_cleanly(
    limited: TestClient, params: dict[str, str], status: int
) -> None:
    response = limited.get("/api/search", params=params)
    assert response.status_code == status, response.text
    page = limited.get("/", params=params)
    assert page.status_code == status
    assert page.headers["content-type"].split(";")[0] == "text/html"


def test_the_cli_refuses_a_gzip_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(tmp_path / "data"))
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        for _ in range(51):
            handle.write(b"\n" * (1024 * 1024))
    assert bomb.stat().st_size < 100_000
    result = CliRunner().invoke(cli, ["ingest", str(bomb)])
    assert result.exit_code == 1
    assert "unpacks to more than" in result.output
    assert "added 0" in result.output


def test_scripts_in_an_html_article_are_dropped_not_stored(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in SEED.decode().split("\n") if line.strip())
    page = (
        "<html><head><title>Talks</title><script>var leak = 'head-script';</script></head>"
        f"<body><h1>Afghanistan: talks</h1>{paragraphs}<script>alert('body-script')</script>"
        "<noscript>noscript-text</noscript><iframe src=javascript:alert(1)></iframe></body></html>"
    )
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/api/articles", content=page, headers={"Content-Type": "text/html"})
    assert response.status_code == 201, response.text
    article = response.json()
    stored = json.dumps({k: v for k, v in article.items() if k != "content_hash"})
    assert "Panshir" in article["body"]
    for leftover in ("head-script", "body-script", "noscript-text", "javascript:"):
        assert leftover not in stored
