"""Request ids in and out, JSON log lines, health states, the request time limit."""

from __future__ import annotations

import json
import logging
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi import Request, Response
from fastapi.testclient import TestClient

from app.api.errors import failure_response
from app.cli import is_loopback
from app.config import Settings
from app.logs import JsonFormatter, choose_request_id, reset_request_id, set_request_id
from app.main import create_app
from bench.server import Server

HEX_ID = re.compile(r"[0-9a-f]{32}")


class Collected(logging.Handler):
    """Formats records as the server does, at the moment they are logged."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_log() -> Iterator[Collected]:
    handler = Collected()
    logger = logging.getLogger("newsarchive.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123", True),
        ("2f1c6a0e-7b1d-4c3e-9a57-0d8c5e1f2a3b", True),  # a UUID, as proxies send
        ("req.7:edge_3", True),
        ("", False),
        ("<script>alert(1)</script>", False),  # would be echoed into logs and headers
        ("a" * 129, False),  # too long to be an id
        ("id with spaces", False),
    ],
)
def test_a_safe_client_request_id_is_kept_and_anything_else_replaced(
    incoming: str, kept: bool
) -> None:
    chosen = choose_request_id(incoming)
    assert (chosen == incoming) == kept
    assert kept or HEX_ID.fullmatch(chosen)


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    assert HEX_ID.fullmatch(client.get("/api/health").headers["x-request-id"])
    echoed = client.get("/api/search?q=%22", headers={"X-Request-ID": "trace-42"})
    assert (echoed.status_code, echoed.headers["x-request-id"]) == (400, "trace-42")


def test_each_request_is_logged_as_one_json_line_with_its_id(
    client: TestClient, access_log: Collected
) -> None:
    client.get("/api/search?q=Panshir", headers={"X-Request-ID": "trace-43"})
    line = access_log.lines[-1]
    assert {k: line[k] for k in ("message", "request_id", "method", "path", "status")} == {
        "message": "request",
        "request_id": "trace-43",
        "method": "GET",
        "path": "/api/search",
        "status": 200,
    }
    assert isinstance(line["duration_ms"], float)


@pytest.fixture
def failing(tmp_path: Path) -> Iterator[TestClient]:
    """The app with an API route and a page that fail as a bug or a broken disk would."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", request_timeout_seconds=0.5
    )
    app = create_app(settings)

    def fail() -> None:
        raise OSError("Input/output error: /srv/archive/index/MAIN_1.seg")

    async def stall() -> None:
        await anyio.sleep(30)

    app.add_api_route("/api/failing", fail)
    app.add_api_route("/failing", fail)
    app.add_api_route("/api/stalling", stall)
    app.add_api_route("/stalling", stall)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/failing", "application/problem+json"), ("/failing", "text/html; charset=utf-8")],
)
def test_an_unexpected_error_is_a_500_logged_with_its_id_and_never_shown(
    failing: TestClient, access_log: Collected, path: str, content_type: str
) -> None:
    response = failing.get(path, headers={"X-Request-ID": "trace-45"})
    assert (response.status_code, response.headers["content-type"]) == (500, content_type)
    assert response.headers["x-request-id"] == "trace-45"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "internal error; the archive is unchanged" in response.text
    assert "MAIN_1.seg" not in response.text and "Traceback" not in response.text
    logged = next(line for line in access_log.lines if line["message"] == "unhandled error")
    assert logged["request_id"] == "trace-45"
    assert "OSError: Input/output error" in str(logged["exception"])
    assert access_log.lines[-1]["status"] == 500


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/stalling", "application/problem+json"), ("/stalling", "text/html; charset=utf-8")],
)
def test_a_request_past_the_time_limit_is_a_503_page_or_problem(
    failing: TestClient, path: str, content_type: str
) -> None:
    response = failing.get(path)
    assert (response.status_code, response.headers["content-type"]) == (503, content_type)
    assert response.headers["retry-after"] == "1"
    assert "longer than 0.5 s and was abandoned" in response.text


def test_an_error_page_that_fails_itself_falls_back_to_the_problem(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken_page(request: Request, status: int, detail: str) -> Response:
        raise KeyError("error.html")

    page = Request({"type": "http", "method": "GET", "path": "/people", "headers": []})
    response = failure_response(page, 500, "internal error; the archive is unchanged", broken_page)
    assert (response.status_code, response.media_type) == (500, "application/problem+json")
    assert [r.message for r in caplog.records if r.name == "newsarchive.errors"] == [
        "the error page failed"
    ]


def test_log_lines_outside_a_request_have_no_id_and_inside_have_it() -> None:
    record = logging.makeLogRecord({"msg": "rebuilt %d", "args": (3,), "levelname": "WARNING"})
    outside = json.loads(JsonFormatter().format(record))
    token = set_request_id("trace-44")
    inside = json.loads(JsonFormatter().format(record))
    reset_request_id(token)
    assert (outside["message"], outside["request_id"]) == ("rebuilt 3", None)
    assert inside["request_id"] == "trace-44"


def test_health_reports_both_stores(client: TestClient, backend_name: str) -> None:
    assert client.get("/api/health").json() == {
        "status": "ok", "articles": 0, "backend": backend_name, "indexed": 0, "pending_index": 0,
        "database": "ok", "index": "ok",
    }  # fmt: skip


def test_health_is_503_when_the_database_does_not_answer(client: TestClient) -> None:
    archive = client.app.state.archive  # type: ignore[attr-defined]
    with archive.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE articles RENAME TO articles_elsewhere")
    try:
        response = client.get("/api/health")
    finally:
        with archive.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE articles_elsewhere RENAME TO articles")
    assert response.status_code == 503
    assert {k: response.json()[k] for k in ("status", "database", "index")} == {
        "status": "degraded",
        "database": "unavailable",
        "index": "ok",
    }


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),  # all of 127/8 is loopback
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),  # every interface
        ("::", False),
        ("192.168.1.10", False),
        ("archive.example.org", False),  # a name may resolve anywhere
    ],
)
def test_serve_warns_unless_the_host_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) == loopback


@pytest.mark.slow
def test_a_client_that_stops_sending_its_body_gets_a_503(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", env={"NEWSARCHIVE_REQUEST_TIMEOUT_SECONDS": "1"})
    server.start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/articles HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 100000\r\n\r\nThe leader of an Afghan group"
            )
            started = time.monotonic()
            answer = connection.recv(65536)
            waited = time.monotonic() - started
    finally:
        server.stop()
    assert answer.startswith(b"HTTP/1.1 503")
    assert 0.9 < waited < 5
