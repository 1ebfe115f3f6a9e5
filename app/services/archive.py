"""The archive: one database, one search backend, opened together."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import create_db_engine, create_session_factory, upgrade_database
from app.search.backend import SearchBackend, get_backend


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


def open_archive(settings: Settings) -> Archive:
    """Open (creating and migrating if needed) the archive the settings describe.

    Articles still marked as needing indexing (after a crash) are indexed now.
    """
    from app.services.indexing import index_pending

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(settings.resolved_database_url)
    upgrade_database(engine)
    archive = Archive(
        settings, engine, create_session_factory(engine), get_backend(settings, engine)
    )
    index_pending(archive)
    return archive
