"""Alembic environment: runs migrations on a given connection or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from app.db import models  # noqa: F401  (registers the tables on the metadata)
from app.db.base import Base
from app.db.locks import lock_names

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Migrate over the connection the app passed in, else over sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own_connection:
        _migrate(own_connection)


def _migrate(connection: Connection) -> None:
    # Several workers starting on one PostgreSQL database migrate it one at a time.
    lock_names(connection, ["newsarchive:migrations"])
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
