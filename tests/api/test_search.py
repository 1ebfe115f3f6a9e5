"""`/api/search` through HTTP: the contract's response shape and its errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.test_articles import assert_problem


@pytest.fixture
def seeded(client: TestClient, seed_bytes: bytes) -> TestClient:
    response = client.post(
        "/api/articles", content=seed_bytes, headers={"content-type": "text/plain"}
    )
    assert response.status_code == 201
    return client


def test_search_response_has_the_contract_shape(seeded: TestClient) -> None:
    page = seeded.get("/api/search", params={"q": "massoud"}).json()
    assert set(page) == {
        "query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets"
    }  # fmt: skip
    assert (page["query"], page["total"], page["page"], page["per_page"]) == ("massoud", 1, 1, 20)
    hit = page["hits"][0]
    assert set(hit) == {
        "id", "title", "snippet", "score", "agency", "dateline", "published_at", "people"
    }  # fmt: skip
    assert "<mark>Massoud</mark>" in hit["snippet"]
    assert hit["agency"] == "Anadolu Agency"
    assert {"agency", "person", "place", "section", "language", "translator", "month"} <= set(
        page["facets"]
    )


@pytest.mark.parametrize(
    "query",
    ['"unterminated', "(taliban", "taliban)", "AND", "massoud OR", "x" * 5000],
)
def test_unparseable_queries_are_400_problems(seeded: TestClient, query: str) -> None:
    body = assert_problem(seeded.get("/api/search", params={"q": query}), 400)
    assert body["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": "0"},
        {"per_page": "101"},
        {"page": "0"},
        {"sort": "random"},
        {"date_from": "May"},
    ],
)
def test_bad_parameters_are_400_problems(seeded: TestClient, params: dict[str, str]) -> None:
    assert_problem(seeded.get("/api/search", params=params), 400)


def test_health_reports_backend_and_index_state(seeded: TestClient, backend_name: str) -> None:
    assert seeded.get("/api/health").json() == {
        "status": "ok", "articles": 1, "backend": backend_name, "indexed": 1, "pending_index": 0,
        "database": "ok", "index": "ok",
    }  # fmt: skip
