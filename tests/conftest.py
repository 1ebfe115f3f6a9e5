"""Shared fixtures: a real archive (SQLite file + Whoosh index) in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.archive import Archive, open_archive
from tests.postgres.database import (
    create_test_database,
    drop_test_database,
    empty_database,
    server_unreachable_reason,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED_DIR", REPO.parent / "shared"))
DEMO_DIR = REPO / "app" / "demo" / "articles"
SEED_PATH = DEMO_DIR / "seed-article.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    """The sample Anadolu Agency article, page junk included, as scraped."""
    return SEED_PATH.read_bytes()


#: Test folders whose `settings` run once per search backend.
BOTH_BACKENDS_UNDER = (REPO / "tests" / "api",)
BACKENDS = ("whoosh", pytest.param("postgres", marks=pytest.mark.postgres))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests under `BOTH_BACKENDS_UNDER` on Whoosh and on PostgreSQL."""
    path = Path(str(metafunc.definition.fspath))
    if "backend_name" in metafunc.fixturenames and any(
        path.is_relative_to(folder) for folder in BOTH_BACKENDS_UNDER
    ):
        metafunc.parametrize("backend_name", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated `newsarchive_test_<random>` database, dropped after the session."""
    reason = server_unreachable_reason()
    if reason is not None:
        pytest.skip(reason)
    url = create_test_database()
    yield url
    drop_test_database(url)


@pytest.fixture(scope="session")
def emptied_postgres(postgres_url: str) -> Callable[[], str]:
    """Empties the session's database and returns its URL, for fixtures of any scope."""

    def empty() -> str:
        empty_database(postgres_url)
        return postgres_url

    return empty


@pytest.fixture
def empty_postgres_url(emptied_postgres: Callable[[], str]) -> str:
    """The session's PostgreSQL database with every table emptied for this test."""
    return emptied_postgres()


@pytest.fixture
def backend_name(request: pytest.FixtureRequest) -> str:
    """The search backend `settings` use: Whoosh, unless the test is parametrised."""
    return str(getattr(request, "param", "whoosh"))


@pytest.fixture
def settings(tmp_path: Path, backend_name: str, request: pytest.FixtureRequest) -> Settings:
    """Settings for an empty archive under `tmp_path` (no environment, no .env).

    SQLite + Whoosh by default; with `backend_name` "postgres", an emptied
    PostgreSQL database searched by PostgreSQL.
    """
    if backend_name == "postgres":
        url = request.getfixturevalue("empty_postgres_url")
        return Settings(_env_file=None, data_dir=tmp_path / "data", database_url=url)  # type: ignore[call-arg]
    return Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture
def archive(settings: Settings) -> Iterator[Archive]:
    """An opened, migrated, empty archive."""
    opened = open_archive(settings)
    yield opened
    opened.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The whole app over a fresh archive, started and stopped like a server."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
