"""The contract corpus ingested through the real services into each backend under test.

A backend joins the suite by adding its name to `BACKENDS` (PostgreSQL needs
its database URL in the settings as well); the tests never change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.search.backend import SearchBackend
from app.search.types import SearchPage, SearchRequest
from app.services.archive import Archive, open_archive
from app.services.ingest import save_record
from tests.contract.corpus import corpus

BACKENDS = ["whoosh", pytest.param("postgres", marks=pytest.mark.postgres)]


def _open(name: str, folder: Path, request: pytest.FixtureRequest) -> Archive:
    database_url = request.getfixturevalue("emptied_postgres")() if name == "postgres" else None
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=folder, search_backend=name, database_url=database_url
    )
    archive = open_archive(settings)
    for record in corpus():
        save_record(archive, record)
    return archive


@pytest.fixture(scope="module", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """A backend holding the contract corpus, shared by the read-only tests of a module."""
    archive = _open(request.param, tmp_path_factory.mktemp(request.param), request)
    yield archive.backend
    archive.close()


@pytest.fixture(params=BACKENDS)
def fresh_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    """An archive of its own for tests that write: delete, clear, re-index."""
    archive = _open(request.param, tmp_path / "data", request)
    yield archive
    archive.close()


@pytest.fixture
def search(backend: SearchBackend) -> Callable[..., SearchPage]:
    """`search("q", sort="newest", ...)` → SearchPage."""

    def run(q: str = "", **fields: object) -> SearchPage:
        return backend.search(SearchRequest(q=q, **fields))  # type: ignore[arg-type]

    return run


def titles(page: SearchPage) -> list[str]:
    """The titles of a page's hits, in order."""
    return [hit.title for hit in page.hits]
