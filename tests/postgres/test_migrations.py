"""One Alembic history for both engines; PostgreSQL alone gains its search objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from app.config import Settings
from app.db.session import alembic_config, create_db_engine, upgrade_database
from app.search.types import SearchRequest
from app.services.archive import open_archive
from app.services.ingest import save_record
from tests.contract.corpus import STORIES, corpus

SEARCH_TABLES = {"search_documents", "search_terms"}


def test_sqlite_runs_the_same_history_without_search_tables(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'archive.db'}")
    upgrade_database(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert "articles" in tables
    assert not tables & SEARCH_TABLES


@pytest.mark.postgres
def test_postgres_gains_extensions_configuration_and_indexes(postgres_url: str) -> None:
    engine = create_db_engine(postgres_url)
    with engine.connect() as conn:
        extensions = set(conn.scalars(text("SELECT extname FROM pg_extension")))
        indexes = set(
            conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'search_%'"))
        )
        # Accents fold and stop words stay searchable: "the" is a lexeme.
        vector = conn.scalar(text("SELECT to_tsvector('newsarchive', 'The Panshír talks')::text"))
    engine.dispose()
    assert {"unaccent", "pg_trgm"} <= extensions
    assert {"ix_search_documents_document", "ix_search_terms_word_trgm"} <= indexes
    assert vector == "'panshir':2 'talk':3 'the':1"


@pytest.mark.postgres
def test_postgres_downgrades_and_upgrades_again(empty_postgres_url: str) -> None:
    engine = create_db_engine(empty_postgres_url)
    config = alembic_config(empty_postgres_url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert not set(inspect(engine).get_table_names()) & SEARCH_TABLES
        upgrade_database(engine)
        assert set(inspect(engine).get_table_names()) >= SEARCH_TABLES
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_upgrading_gives_indexed_documents_their_story(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, database_url=empty_postgres_url)  # type: ignore[call-arg]
    archive = open_archive(settings)
    try:
        for record in corpus():
            if record.title in STORIES[-1]:  # the original and its two republications
                save_record(archive, record)
        config = alembic_config(empty_postgres_url)
        with archive.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003_stories")
        upgrade_database(archive.engine)
        with archive.engine.connect() as conn:
            stories = conn.execute(text("SELECT id, story FROM search_documents ORDER BY id"))
            assert [tuple(row) for row in stories] == [(1, 1), (2, 1), (3, 1)]
        assert archive.backend.search(SearchRequest(collapse=True)).total == 1
    finally:
        archive.close()
