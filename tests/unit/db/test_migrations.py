"""The Alembic history builds exactly the schema the ORM models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from app.db.base import Base
from app.db.session import (
    alembic_config,
    create_db_engine,
    is_database_current,
    upgrade_database,
)
from app.ingest.near_duplicates import BANDS
from app.ingest.sources import SourceItem
from app.services.archive import Archive
from app.services.ingest import ingest_item
from tests.conftest import SEED_PATH


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'archive.db'}")
    assert not is_database_current(engine)
    upgrade_database(engine)
    upgrade_database(engine)  # a second upgrade is a no-op
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert is_database_current(engine)


def story_bands(engine: Engine) -> tuple[str, list[tuple[int, int]]]:
    """How SQLite declares the story bands table, and the rows of every band table."""
    with engine.connect() as connection:
        declared = connection.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'story_bands'")
        )
        tables = [
            name
            for name in ("story_bands", "story_bands_recent")
            if inspect(engine).has_table(name)
        ]
        rows = [
            (key, article)
            for table in tables
            for key, article in connection.execute(
                text(f"SELECT band_key, article_id FROM {table}")
            )
        ]
        return str(declared), sorted(rows)


def downgrade(archive: Archive, revision: str) -> None:
    config = alembic_config(archive.engine.url.render_as_string(hide_password=False))
    with archive.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_story_bands_keep_every_band_through_each_layout_and_back(archive: Archive) -> None:
    ingest_item(archive, SourceItem("seed", SEED_PATH.read_bytes(), "text"))
    declared, bands = story_bands(archive.engine)
    assert "WITHOUT ROWID" in declared and "REFERENCES" not in declared and len(bands) == BANDS
    assert not inspect(archive.engine).get_indexes("story_bands")
    # One table, clustered on the key, tied to its articles by a foreign key and an index.
    downgrade(archive, "0005_story_bands_without_rowid")
    linked, bands_linked = story_bands(archive.engine)
    assert "WITHOUT ROWID" in linked and "REFERENCES articles" in linked
    assert not inspect(archive.engine).has_table("story_bands_recent")
    assert bands_linked == bands
    assert "ix_story_bands_article_id" in {
        index["name"] for index in inspect(archive.engine).get_indexes("story_bands")
    }
    # One table with a rowid.
    downgrade(archive, "0004_search_document_stories")
    declared_before, bands_before = story_bands(archive.engine)
    assert "WITHOUT ROWID" not in declared_before and bands_before == bands
    upgrade_database(archive.engine)
    assert story_bands(archive.engine) == (declared, bands)
