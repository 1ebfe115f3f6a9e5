"""Many integers in one bound parameter: lookups and inserts past any engine's limit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.arrays import among, insert_integers, select_among
from app.db.base import table_of
from app.db.models import RecentStoryBand, StoryBand
from app.services.archive import Archive
from app.services.ingest import PreparedArticle, commit_batch, prepare_record
from tests.conftest import BACKENDS
from tests.contract.corpus import A380, SEED, corpus

pytestmark = pytest.mark.parametrize("backend_name", BACKENDS, indirect=True)

RECORDS = {record.title: record for record in corpus()}
#: Past SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
MANY = 70_000


def _stored(archive: Archive, title: str) -> PreparedArticle:
    prepared = prepare_record(RECORDS[title])
    assert prepared.signature is not None
    commit_batch(archive, [prepared])
    return prepared


def test_one_lookup_takes_more_keys_than_any_engine_binds(archive: Archive) -> None:
    seed = _stored(archive, SEED)
    assert seed.signature is not None
    keys = [*range(1, MANY + 1), *seed.signature.bands]
    with archive.sessions() as session:
        dialect = session.get_bind().dialect
        bands = RecentStoryBand  # where an article's bands go when it is filed
        found = session.scalars(select(bands.band_key).where(among(bands.band_key, keys, dialect)))
        assert sorted(found) == sorted(seed.signature.bands)


def test_a_select_among_keys_finds_each_stored_row_once_whatever_the_keys_order(
    archive: Archive,
) -> None:
    seed, a380 = _stored(archive, SEED), _stored(archive, A380)
    assert seed.signature is not None and a380.signature is not None
    keys = [*range(MANY, 0, -1), *seed.signature.bands, *seed.signature.bands]
    bands = RecentStoryBand
    with archive.sessions() as session:
        dialect = session.get_bind().dialect
        statement = select_among(bands.band_key, keys, dialect, bands.band_key, bands.article_id)
        rows = session.execute(statement).all()
    assert sorted(rows) == sorted((key, 1) for key in seed.signature.bands)


def test_one_insert_takes_more_rows_than_any_engine_binds_and_keeps_63_bit_keys(
    archive: Archive,
) -> None:
    _stored(archive, SEED)
    _stored(archive, A380)
    seed_id, a380_id = 1, 2
    # Band keys are 63-bit: the largest must survive SQLite's driver and PostgreSQL's arrays.
    keys = [2**63 - n for n in range(1, MANY + 1)]  # no article's own band key is this high
    owners = [seed_id if n % 3 else a380_id for n in range(MANY)]
    rows = list(zip(keys, owners, strict=True))
    with archive.sessions() as session:
        bands = table_of(StoryBand)
        insert_integers(session.connection(), bands, ("band_key", "article_id"), rows)
        insert_integers(session.connection(), bands, ("band_key", "article_id"), [])
        stored = session.execute(
            select(StoryBand.band_key, StoryBand.article_id).where(StoryBand.band_key >= min(keys))
        )
        assert sorted(stored) == sorted(rows)
