"""Related articles on PostgreSQL at scale: which words are looked up, and what is counted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.config import Settings
from app.search import postgres_backend
from app.search.pg_schema import search_documents, search_terms
from app.search.postgres_backend import PostgresBackend
from app.services.archive import Archive, open_archive
from app.services.ingest import save_record
from tests.contract.corpus import SEED, corpus

pytestmark = pytest.mark.postgres


@pytest.fixture
def archive(tmp_path: Path, emptied_postgres: Callable[[], str]) -> Iterator[Archive]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        search_backend="postgres",
        database_url=emptied_postgres(),
    )
    archive = open_archive(settings)
    for record in corpus():
        save_record(archive, record)
    yield archive
    archive.close()


def _seed_key_terms(archive: Archive) -> dict[str, int]:
    """The seed article's key terms, each with how many documents hold it."""
    backend = archive.backend
    assert isinstance(backend, PostgresBackend)
    seed = next(record for record in corpus() if record.title == SEED)
    with backend._snapshot() as conn:
        words = postgres_backend._key_terms(conn, f"{seed.title}\n{seed.body}")
        docs = {row.word: row.docs for row in conn.execute(select(search_terms))}
    return {word: docs.get(word, 0) for word in words}


def test_a_word_most_of_the_archive_holds_is_no_key_term(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert max(_seed_key_terms(archive).values()) > 2  # the corpus is small: all words count
    monkeypatch.setattr(postgres_backend, "RELATED_COMMON_DOCS", 2)
    monkeypatch.setattr(postgres_backend, "RELATED_COMMON_SHARE", 0.0)
    capped = _seed_key_terms(archive)
    assert capped and max(capped.values()) <= 2


def test_the_archive_size_comes_from_the_statistics_once_there_are_some(
    archive: Archive,
) -> None:
    backend = archive.backend
    assert isinstance(backend, PostgresBackend)
    with backend._snapshot() as conn:
        stored = conn.scalar(select(func.count()).select_from(search_documents))
        assert postgres_backend._document_count(conn) == stored  # counted: no estimate yet
    with backend._engine.begin() as conn:
        conn.execute(
            text("UPDATE pg_class SET reltuples = 200000 WHERE oid = 'search_documents'::regclass")
        )
    try:
        with backend._snapshot() as conn:
            assert postgres_backend._document_count(conn) == 200_000
    finally:
        with backend._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE search_documents"))
