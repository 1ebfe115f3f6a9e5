"""Every SQLite connection of the archive is set up for one writer and many readers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.db.session import SQLITE_CACHE_KIB, create_db_engine


def test_each_connection_has_wal_foreign_keys_and_a_larger_page_cache(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'archive.db'}")
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert connection.scalar(text("PRAGMA synchronous")) == 1  # NORMAL
            assert connection.scalar(text("PRAGMA cache_size")) == -SQLITE_CACHE_KIB
    engine.dispose()
