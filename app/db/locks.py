"""Making concurrent writers take turns: SQLite's write lock, PostgreSQL's advisory locks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import ARRAY, BigInteger, Connection, bindparam, func, select
from sqlalchemy.orm import Session


def lock_id(name: str) -> int:
    """A stable signed 64-bit lock number for `name` (the same in every process)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_names(target: Session | Connection, names: Iterable[str]) -> None:
    """Hold a transaction-level advisory lock on each name until commit or rollback.

    Locks are taken in one global order, so two writers never wait on each
    other in a cycle: one statement takes them as `unnest` yields the sorted numbers.
    On SQLite it does nothing: `begin_write` serialises writers there.
    """
    dialect = target.dialect if isinstance(target, Connection) else target.get_bind().dialect
    if dialect.name != "postgresql":
        return
    numbers = sorted({lock_id(name) for name in names})
    if not numbers:
        return
    ordered = func.unnest(bindparam("numbers", numbers, type_=ARRAY(BigInteger)))
    each = ordered.table_valued("number").render_derived()
    target.execute(select(func.pg_advisory_xact_lock(each.c.number)).select_from(each))


def begin_write(session: Session) -> None:
    """On SQLite, take the database's write lock before this transaction reads anything.

    SQLite transactions start as readers: two writers could both read "no such
    person" and both insert one. `BEGIN IMMEDIATE` makes the second wait (busy
    timeout) until the first commits, then read what it wrote. Readers in WAL mode
    are never blocked. Elsewhere it does nothing (PostgreSQL uses `lock_names`).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")
