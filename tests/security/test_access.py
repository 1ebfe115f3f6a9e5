"""Who may write and read: every write route, enumerated from the app, needs a key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.main import create_app
from tests.conftest import SEED_PATH
from tests.security.conftest import AUTH, KEY, OTHER_KEY, keyed_settings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
APP_ROUTES = create_app(Settings(_env_file=None)).routes  # type: ignore[call-arg]


def concrete(path: str) -> str:
    """A route path with every `{parameter}` replaced by 1."""
    return re.sub(r"\{[^}]+\}", "1", path)


def routes_with(methods: frozenset[str]) -> list[tuple[str, str]]:
    """(method, path) for every application route answering one of `methods`.

    Included routers are walked too (FastAPI keeps them as one entry each in `app.routes`).
    """
    return sorted(
        (method, concrete(context.path or ""))
        for context in iter_route_contexts(APP_ROUTES)
        if isinstance(context.original_route, APIRoute)
        for method in (context.methods or set()) & methods
    )


WRITE_ROUTES = routes_with(WRITE_METHODS)
READ_ROUTES = [r for r in routes_with(frozenset({"GET"})) if r[1] != "/api/health"]
BAD_CREDENTIALS = [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer wrong-key"},
    {"Authorization": f"Bearer {KEY[:-1]}"},  # a prefix of a real key
    {"Authorization": f"Bearer {KEY}x"},  # a real key with a suffix
    {"Authorization": f"Basic {KEY}"},  # the right secret under the wrong scheme
    {"Authorization": KEY},  # no scheme at all
    {"Authorization": f"Bearer {KEY},{OTHER_KEY}"},  # the configured list itself
]


def assert_unauthorized(response: Response) -> None:
    """A 401 asking for a bearer key: a problem from the API, a page from a web page."""
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    if response.request.url.path.startswith("/api/"):
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 401
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Unauthorized</h1>" in response.text


def send(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Response:
    body = SEED_PATH.read_bytes()
    return client.request(
        method, path, content=body, headers={"Content-Type": "text/plain", **headers}
    )


def test_the_known_write_routes_are_enumerated() -> None:
    # Guards the enumeration itself: an empty list would make the tests below vacuous.
    assert {
        ("POST", "/api/articles"),
        ("POST", "/api/articles/bulk"),
        ("DELETE", "/api/articles/1"),
    } <= set(WRITE_ROUTES)


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize("headers", BAD_CREDENTIALS)
def test_every_write_route_refuses_missing_or_wrong_keys(
    keyed_client: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    assert_unauthorized(send(keyed_client, method, path, headers))
    assert keyed_client.get("/api/health").json()["articles"] == 0


@pytest.mark.parametrize(("method", "path"), WRITE_ROUTES)
@pytest.mark.parametrize(
    "headers",
    [AUTH, {"Authorization": f"bearer {KEY}"}, {"Authorization": f"Bearer {OTHER_KEY}"}],
)
def test_every_write_route_accepts_any_configured_key(
    keyed_client: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    assert send(keyed_client, method, path, headers).status_code != 401


def test_a_keyed_write_is_stored_and_an_unkeyed_delete_leaves_it(keyed_client: TestClient) -> None:
    created = send(keyed_client, "POST", "/api/articles", AUTH)
    assert created.status_code == 201
    article_id = created.json()["id"]
    assert_unauthorized(keyed_client.delete(f"/api/articles/{article_id}"))
    assert keyed_client.get(f"/api/articles/{article_id}").status_code == 200


@pytest.mark.parametrize(("method", "path"), READ_ROUTES)
def test_reads_stay_open_by_default(keyed_client: TestClient, method: str, path: str) -> None:
    assert keyed_client.request(method, path).status_code != 401


@pytest.mark.parametrize(("method", "path"), READ_ROUTES)
def test_reads_need_a_key_when_configured(tmp_path: Path, method: str, path: str) -> None:
    settings = keyed_settings(tmp_path, read_requires_key=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert_unauthorized(client.request(method, path))
        assert client.request(method, path, headers=AUTH).status_code != 401
        # Health stays open for probes.
        assert client.get("/api/health").status_code == 200


def test_without_keys_writes_are_open(client: TestClient) -> None:
    assert send(client, "POST", "/api/articles", {}).status_code == 201
