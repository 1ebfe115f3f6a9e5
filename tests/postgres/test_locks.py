"""Advisory locks: a writer holds every name it locked until its transaction ends."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.db.locks import lock_names
from app.db.session import create_db_engine

pytestmark = pytest.mark.postgres
#: What a batch of two wire stories naming one person locks.
BATCH = {"article:sha256:1f0e", "article:sha256:9c2d", "person:amrala salah"}


def test_every_name_of_a_batch_stays_locked_until_commit(empty_postgres_url: str) -> None:
    writer = create_db_engine(empty_postgres_url)
    # The other writer gives up on a lock after 200 ms instead of waiting.
    other = create_engine(empty_postgres_url, connect_args={"options": "-c lock_timeout=200"})
    try:
        with Session(writer) as first, Session(other) as second:
            lock_names(first, BATCH)
            for name in sorted(BATCH):
                with pytest.raises(OperationalError, match="lock timeout"):
                    lock_names(second, {name})
                second.rollback()
            first.commit()
            lock_names(second, BATCH)  # free once the first writer committed
    finally:
        writer.dispose()
        other.dispose()
