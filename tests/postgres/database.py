"""A throwaway database on the real PostgreSQL server, for one test session."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app.db.session import create_db_engine, upgrade_database

#: The server (and a database on it to connect to) that tests create their database on.
SERVER_URL = os.environ.get(
    "NEWSARCHIVE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def create_test_database() -> str:
    """Create and migrate `newsarchive_test_<random>`; returns its URL.

    Raises `OperationalError` when the server cannot be reached.
    """
    server = make_url(SERVER_URL)
    name = f"newsarchive_test_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A throwaway database need not wait for the disk at every commit.
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    return url


def drop_test_database(url: str) -> None:
    """Drop the database `create_test_database` made, closing whatever still uses it."""
    admin = create_engine(make_url(SERVER_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def empty_database(url: str) -> None:
    """Truncate every archive table (not the migration version), restarting the ids."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = conn.scalars(
                text(
                    "SELECT quote_ident(tablename) FROM pg_tables "
                    "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            ).all()
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def server_unreachable_reason() -> str | None:
    """Why the test server cannot be used, or None when it answers."""
    engine = create_engine(make_url(SERVER_URL))
    try:
        with engine.connect():
            return None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return f"PostgreSQL unreachable at {make_url(SERVER_URL)!r}: {reason}"
    finally:
        engine.dispose()
