"""No path reaches a file outside `/static`, through a real server that sees raw paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.server import Client, Server

SECRETS = (b"class Settings", b"root:x:0:0", b"sqlalchemy", b"SQLite format 3")
TRAVERSALS = [
    "/static/../config.py",
    "/static/../../app/config.py",
    "/static/%2e%2e/%2e%2e/app/config.py",
    "/static/%2e%2e%2f%2e%2e%2fapp%2fconfig.py",  # encoded slashes too
    "/static/..%2f..%2fapp%2fconfig.py",
    "/static/%252e%252e/%252e%252e/app/config.py",  # double encoding
    "/static/..\\..\\app\\config.py",  # Windows separators
    "/static/....//....//app/config.py",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/app/config.py",  # overlong UTF-8 dots
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/../../../../../../../../etc/passwd",
    "/static/style.css%00.py",
    "/static/../../data/archive.db",
    "/static/../web/routes.py",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("static") / "data")
    running.start()
    yield running
    running.stop()


def test_static_files_are_served(server: Server) -> None:
    # The control: the folder is reachable, so a refusal below is not an outage.
    with Client(server.port) as client:
        assert client.request("GET", "/static/style.css").status == 200


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_escapes_the_static_folder(server: Server, path: str) -> None:
    with Client(server.port) as client:
        reply = client.request("GET", path)
    assert reply.status in (400, 404, 405), (reply.status, reply.body[:200])
    assert not any(secret in reply.body for secret in SECRETS)


def test_the_secrets_exist_where_a_traversal_would_look(server: Server) -> None:
    # Guards the test: the files the traversals aim at are really there.
    assert SECRETS[0] in (Path(__file__).parents[2] / "app" / "config.py").read_bytes()
    assert (server.data_dir / "archive.db").read_bytes().startswith(SECRETS[3])
