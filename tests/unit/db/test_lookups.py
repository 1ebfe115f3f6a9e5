"""Looking rows up by more values than an engine can bind one by one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.lookups import among
from app.db.models import StoryBand
from app.services.archive import Archive
from app.services.ingest import commit_batch, prepare_record
from tests.conftest import BACKENDS
from tests.contract.corpus import SEED, corpus

pytestmark = pytest.mark.parametrize("backend_name", BACKENDS, indirect=True)


def test_one_lookup_takes_more_keys_than_any_engine_binds(archive: Archive) -> None:
    seed = prepare_record(next(record for record in corpus() if record.title == SEED))
    assert seed.signature is not None
    commit_batch(archive, [seed])
    # 70,000 keys: past SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
    keys = [*range(1, 70_000 - len(seed.signature.bands) + 1), *seed.signature.bands]
    with archive.sessions() as session:
        dialect = session.get_bind().dialect
        found = session.scalars(
            select(StoryBand.band_key).where(among(StoryBand.band_key, keys, dialect))
        )
        assert sorted(found) == sorted(seed.signature.bands)
