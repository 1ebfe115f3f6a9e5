"""`/api/articles`: the ingest round trip, duplicates, deletion and every bad input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"
WIKINEWS = (
    "Apple unveils iPhone 4\n\n"
    "Apple chief executive Steve Jobs unveiled the iPhone 4 on Monday at the company's "
    "Worldwide Developers Conference in San Francisco, California.\n\n"
    "Jobs said the new phone is the thinnest smartphone on the market."
)


def assert_problem(response: object, status: int) -> dict[str, object]:
    """The response is a problem body with `status`."""
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body


def test_plain_text_round_trip(client: TestClient, seed_bytes: bytes) -> None:
    created = client.post(
        "/api/articles", content=seed_bytes, headers={"content-type": "text/plain"}
    )
    assert created.status_code == 201, created.text
    article = created.json()
    fetched = client.get(f"/api/articles/{article['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == article
    assert article["title"].startswith("Afghanistan: Ahmed Massoud proposes talks")


def test_same_content_twice_returns_the_stored_article_with_200(
    client: TestClient, seed_bytes: bytes
) -> None:
    first = client.post("/api/articles", content=seed_bytes, headers={"content-type": "text/plain"})
    second = client.post(
        "/api/articles", content=seed_bytes, headers={"content-type": "text/plain"}
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert client.get("/api/health").json()["articles"] == 1


def test_json_record_keeps_url_date_and_source(client: TestClient) -> None:
    record = {
        "text": WIKINEWS,
        "url": "https://en.wikinews.org/wiki/Apple_unveils_iPhone_4",
        "published_at": "2010-06-07T18:00:00Z",
        "source": "Wikinews",
    }
    created = client.post("/api/articles", json=record)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["url"] == record["url"]
    assert article["published_at"].startswith("2010-06-07T18:00:00")
    assert article["source"] == "Wikinews"
    assert article["title"] == "Apple unveils iPhone 4"


def test_every_contract_key_is_present(client: TestClient) -> None:
    article = client.post("/api/articles", json={"text": WIKINEWS}).json()
    contract_keys = {
        "id", "url", "title", "section", "language", "published_at", "ingested_at", "agency",
        "dateline", "authors", "translator", "people", "places", "organizations", "subheadings",
        "body", "content_hash",
    }  # fmt: skip
    assert contract_keys <= set(article)


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"", "text/plain", 422),  # empty body
        (b"   \n\n  ", "text/plain", 422),  # only whitespace
        (bytes(range(256)) * 40, "text/plain", 422),  # binary bytes
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain", 422),  # an image
        (b"{not json", "application/json", 422),  # malformed JSON
        (b"[1, 2, 3]", "application/json", 422),  # JSON, but not an article object
        (b'{"text": "a", "html": "<p>b</p>"}', "application/json", 422),  # both bodies
        (b'{"url": "https://example.org"}', "application/json", 422),  # no body at all
        (b'{"text": "x", "published_at": "yesterday"}', "application/json", 422),  # bad date
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 422),  # deeply nested JSON
        (b"Kabul", "application/pdf", 415),  # unknown content type
        (b"Kabul", "", 415),  # no content type
    ],
)
def test_bad_input_is_a_problem_and_stores_nothing(
    client: TestClient, content: bytes, content_type: str, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/articles", content=content, headers=headers)
    assert_problem(response, status)
    assert client.get("/api/health").json()["articles"] == 0


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    response = client.post(
        "/api/articles",
        content=b"Kabul " * (limit // 6 + 10),
        headers={"content-type": "text/plain"},
    )
    assert_problem(response, 413)


def test_unknown_article_is_404(client: TestClient) -> None:
    assert_problem(client.get("/api/articles/999"), 404)
    assert_problem(client.delete("/api/articles/999"), 404)
    assert_problem(client.get("/api/articles/999/related"), 404)
    assert_problem(client.get("/api/articles/not-a-number"), 400)


def test_delete_removes_from_database_and_index(client: TestClient, seed_bytes: bytes) -> None:
    article_id = client.post(
        "/api/articles", content=seed_bytes, headers={"content-type": "text/plain"}
    ).json()["id"]
    assert client.get("/api/search", params={"q": "massoud"}).json()["total"] == 1
    assert client.delete(f"/api/articles/{article_id}").status_code == 204
    assert client.get("/api/search", params={"q": "massoud"}).json()["total"] == 0
    assert_problem(client.get(f"/api/articles/{article_id}"), 404)


def test_bulk_ndjson_counts_added_duplicates_and_failed_lines(
    client: TestClient, seed_bytes: bytes
) -> None:
    lines = [
        json.dumps({"text": seed_bytes.decode()}),
        json.dumps({"text": WIKINEWS}),
        json.dumps({"text": seed_bytes.decode()}),
        "{broken",
        "",
        json.dumps({"text": ""}),
    ]
    response = client.post(
        "/api/articles/bulk",
        content="\n".join(lines).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["added"], result["duplicates"]) == (2, 1)
    assert [failure["line"] for failure in result["failed"]] == [4, 6]
    assert "JSON" in result["failed"][0]["error"]


def test_write_endpoints_need_a_key_when_keys_are_configured(
    client: TestClient, seed_bytes: bytes
) -> None:
    client.app.state.settings.api_keys = ("s3cret",)  # type: ignore[attr-defined]
    headers = {"content-type": "text/plain"}
    assert_problem(client.post("/api/articles", content=seed_bytes, headers=headers), 401)
    wrong = {**headers, "authorization": "Bearer nope"}
    assert_problem(client.post("/api/articles", content=seed_bytes, headers=wrong), 401)
    right = {**headers, "authorization": "Bearer s3cret"}
    assert client.post("/api/articles", content=seed_bytes, headers=right).status_code == 201
    assert client.get("/api/search", params={"q": "massoud"}).status_code == 200
