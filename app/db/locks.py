"""Advisory locks that make concurrent writers on PostgreSQL take turns on one name."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session


def lock_id(name: str) -> int:
    """A stable signed 64-bit lock number for `name` (the same in every process)."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_names(target: Session | Connection, names: Iterable[str]) -> None:
    """Hold a transaction-level advisory lock on each name until commit or rollback.

    Locks are taken in one global order, so two writers never wait on each
    other in a cycle. SQLite already serialises writers: there it does nothing.
    """
    dialect = target.dialect if isinstance(target, Connection) else target.get_bind().dialect
    if dialect.name != "postgresql":
        return
    for number in sorted({lock_id(name) for name in names}):
        target.execute(select(func.pg_advisory_xact_lock(number)))
