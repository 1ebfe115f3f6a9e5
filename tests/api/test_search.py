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
        "query", "total", "page", "per_page", "took_ms", "suggestion", "hits", "facets",
        "next_cursor",
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
        {"collapse": "yes"},  # `story` is the only way to collapse
    ],
)
def test_bad_parameters_are_400_problems(seeded: TestClient, params: dict[str, str]) -> None:
    assert_problem(seeded.get("/api/search", params=params), 400)


def test_health_reports_backend_and_index_state(seeded: TestClient, backend_name: str) -> None:
    assert seeded.get("/api/health").json() == {
        "status": "ok", "articles": 1, "backend": backend_name, "indexed": 1, "pending_index": 0,
        "database": "ok", "index": "ok",
    }  # fmt: skip


def test_deep_results_page_on_with_cursors(client: TestClient) -> None:
    for day in range(1, 8):
        story = f"Kabul market reopens, day {day}\n\nTraders in Kabul reopened {day} stalls."
        record = {"text": story, "published_at": f"2021-09-0{day}T08:00:00Z"}
        assert client.post("/api/articles", json=record).status_code == 201
    seen: list[str] = []
    params = {"q": "kabul", "sort": "newest", "per_page": "3"}
    page = client.get("/api/search", params=params).json()
    while True:
        seen += [hit["published_at"][:10] for hit in page["hits"]]
        if page["next_cursor"] is None:
            break
        page = client.get("/api/search", params={**params, "cursor": page["next_cursor"]}).json()
        assert page["total"] == 7
    assert seen == [f"2021-09-0{day}" for day in range(7, 0, -1)]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"cursor": "bm90IG91cnM"}, "cursor paging needs sort=newest"),  # relevance has no cursor
        ({"cursor": "bm90IG91cnM", "sort": "newest"}, "bad cursor"),  # a token we never issued
        ({"page": "1001"}, "follow next_cursor"),  # past max_page
    ],
)
def test_cursor_misuse_is_a_400_that_says_why(
    client: TestClient, params: dict[str, str], detail: str
) -> None:
    body = assert_problem(client.get("/api/search", params=params), 400)
    assert detail in str(body["detail"])
