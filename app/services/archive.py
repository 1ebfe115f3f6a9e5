"""The archive: one database, one search backend, opened together and checked."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import create_db_engine, create_session_factory, upgrade_database
from app.search.backend import SearchBackend, get_backend

logger = logging.getLogger(__name__)


@dataclass
class Archive:
    """What every service works on; built once per process by `open_archive`."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    backend: SearchBackend

    def close(self) -> None:
        """Release the index and the database connections."""
        self.backend.close()
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class ArchiveState:
    """What `/api/health` reports: whether each store answers, and the counts."""

    database_ok: bool
    index_ok: bool
    articles: int
    indexed: int
    pending_index: int


def open_archive(settings: Settings) -> Archive:
    """Open (creating and migrating if needed) the archive the settings describe.

    The index is then brought up to date with the database (see `catch_up_index`).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(settings.resolved_database_url)
    upgrade_database(engine)
    archive = Archive(
        settings, engine, create_session_factory(engine), get_backend(settings, engine)
    )
    catch_up_index(archive)
    return archive


def catch_up_index(archive: Archive) -> None:
    """Make the index agree with the database (the truth) after whatever happened before.

    A missing or corrupt index (the backend recreated it empty) is rebuilt from the
    database; otherwise the articles still marked as needing indexing (after a crash) are
    indexed, and if the index still holds a different number of documents than the
    database holds articles (a crash between deleting a row and its document), it is rebuilt.
    """
    from app.services.articles import count_articles
    from app.services.indexing import index_pending, reindex

    if not archive.backend.is_healthy():
        rebuilt = reindex(archive)
        if rebuilt:
            logger.warning("the search index was missing or corrupt: rebuilt %d articles", rebuilt)
        return
    pending = index_pending(archive)
    if pending:
        logger.info("indexed %d articles left pending by an interrupted run", pending)
    indexed, stored = archive.backend.count(), count_articles(archive)
    if indexed != stored:
        logger.warning("the index holds %d documents for %d articles: rebuilding", indexed, stored)
        reindex(archive)


def check_archive(archive: Archive) -> ArchiveState:
    """Ask the database and the index for their counts; a store that fails is not ok."""
    from app.services.articles import count_articles
    from app.services.indexing import pending_count

    try:
        articles, pending, database_ok = count_articles(archive), pending_count(archive), True
    except SQLAlchemyError:
        logger.exception("the database does not answer")
        articles, pending, database_ok = 0, 0, False
    try:
        indexed, index_ok = archive.backend.count(), archive.backend.is_healthy()
    except Exception:  # whatever the engine raises, the index is unavailable
        logger.exception("the search index does not answer")
        indexed, index_ok = 0, False
    return ArchiveState(database_ok, index_ok, articles, indexed, pending)
