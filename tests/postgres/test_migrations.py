"""One Alembic history for both engines; PostgreSQL alone gains its search objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from app.db.session import alembic_config, create_db_engine, upgrade_database

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
