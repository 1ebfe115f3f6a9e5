"""Band keys in two levels: new ones in a small table, merged into the large one in turn."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.models import Article, RecentStoryBand, StoryBand
from app.ingest.near_duplicates import BANDS
from app.services.archive import Archive, open_archive
from app.services.bulk import ingest_paths
from app.services.ingest import save_record
from app.services.stories import RECENT_SHARE, merge_recent_bands
from app.services.transfer import import_lines, iter_export
from tests.bulk.wire_text import write_stories
from tests.conftest import BACKENDS
from tests.contract.corpus import A380, A380_AFP, A380_REUTERS, BOEING, corpus

pytestmark = pytest.mark.parametrize("backend_name", BACKENDS, indirect=True)

RECORDS = {record.title: record for record in corpus()}


def bands(archive: Archive) -> tuple[Counter[int], Counter[int]]:
    """Bands per article: in the large table, and in the recent one."""
    with archive.sessions() as session:
        return _owners(session, StoryBand), _owners(session, RecentStoryBand)


def _owners(session: Session, table: type[StoryBand] | type[RecentStoryBand]) -> Counter[int]:
    return Counter(session.scalars(select(table.article_id)))


def story_of(archive: Archive, article_id: int) -> int | None:
    with archive.sessions() as session:
        return session.scalar(select(Article.story_id).where(Article.id == article_id))


def test_bands_are_filed_as_recent_and_merged_once_they_are_a_fair_share(
    archive: Archive,
) -> None:
    original = save_record(archive, RECORDS[A380]).article_id
    assert bands(archive) == (Counter(), Counter({original: BANDS}))
    assert merge_recent_bands(archive)
    assert bands(archive) == (Counter({original: BANDS}), Counter())
    assert not merge_recent_bands(archive)  # nothing recent
    other = save_record(archive, RECORDS[BOEING]).article_id
    # 32 recent bands of 64: past the share, so they move too.
    assert RECENT_SHARE * BANDS * other < BANDS
    assert merge_recent_bands(archive)
    assert bands(archive) == (Counter({original: BANDS, other: BANDS}), Counter())


def test_republications_find_their_story_in_either_table(archive: Archive) -> None:
    original = save_record(archive, RECORDS[A380]).article_id
    merge_recent_bands(archive)
    reuters = save_record(archive, RECORDS[A380_REUTERS]).article_id  # original merged
    afp = save_record(archive, RECORDS[A380_AFP]).article_id  # Reuters' bands still recent
    assert story_of(archive, original) is None
    assert story_of(archive, reuters) == story_of(archive, afp) == original
    assert bands(archive) == (
        Counter({original: BANDS}),
        Counter({reuters: BANDS, afp: BANDS}),
    )


def test_a_bulk_ingest_merges_as_it_stores(archive: Archive, tmp_path: Path) -> None:
    write_stories(tmp_path / "in", 12)
    summary = ingest_paths(archive, [str(tmp_path / "in")], workers=0)
    assert summary.added == 12
    merged, recent = bands(archive)
    assert recent == Counter()
    assert sorted(merged.values()) == 12 * [BANDS]


def test_an_import_merges_as_it_stores(archive: Archive, tmp_path: Path) -> None:
    for title in (A380, BOEING):
        save_record(archive, RECORDS[title])
    lines = [json.dumps(line) for line in iter_export(archive)]
    target = open_archive(Settings(_env_file=None, data_dir=tmp_path / "target"))
    try:
        assert import_lines(target, lines).added == 2
        assert bands(target) == (Counter({1: BANDS, 2: BANDS}), Counter())
    finally:
        target.close()
