"""Processes ingest the same stories into one PostgreSQL at once: no loss, no twin."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.models import Article, Person, RecentStoryBand, StoryBand, StorySignature
from app.ingest.near_duplicates import BANDS
from app.ingest.pipeline import extract_article
from app.search.types import SearchRequest
from app.services.archive import open_archive
from app.services.bulk import ingest_paths
from app.services.ingest import save_record
from tests.postgres.wire_stories import wire_story

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
STORIES = 500
WRITERS = 4
#: Stories and batch size of the two bulk writers: enough batches for several merges each.
BULK_STORIES = 240
BULK_BATCH = 20


def _settings(url: str, folder: Path) -> Settings:
    return Settings(_env_file=None, data_dir=folder, database_url=url)  # type: ignore[call-arg]


def ingest_stories(url: str, folder: Path, backwards: bool, start: Barrier, out: object) -> None:
    """One writer: every story, forwards or backwards, counting those it created."""
    archive = open_archive(_settings(url, folder))
    order = range(STORIES - 1, -1, -1) if backwards else range(STORIES)
    records = [extract_article(wire_story(n).encode(), format="text") for n in order]
    start.wait(timeout=60)
    try:
        created = sum(save_record(archive, record).created for record in records)
    finally:
        archive.close()
    out.put(created)  # type: ignore[attr-defined]


def test_four_writers_store_each_story_once_and_all_are_searchable(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(WRITERS)
    results = context.Queue()
    writers = [
        context.Process(
            target=ingest_stories,
            args=(empty_postgres_url, tmp_path / str(n), n % 2 == 1, start, results),
        )
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0] * WRITERS
    created = [results.get(timeout=5) for _ in writers]
    assert sum(created) == STORIES

    archive = open_archive(_settings(empty_postgres_url, tmp_path / "check"))
    try:
        with archive.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Article)) == STORIES
            assert not session.scalar(select(func.count()).where(Article.needs_indexing))
            twins = session.execute(
                select(Person.name).group_by(Person.name).having(func.count() > 1)
            ).all()
            assert twins == []
            ids = set(session.scalars(select(Article.id)))
        assert archive.backend.count() == STORIES
        found = {
            hit.id
            for page in range(1, STORIES // 100 + 1)
            for hit in archive.backend.search(
                SearchRequest(q="negotiators", per_page=100, page=page)
            ).hits
        }
        assert found == ids
        assert archive.backend.search(SearchRequest(q='"round 250"')).total == 1
    finally:
        archive.close()


def bulk_ingest(url: str, folder: Path, stories: Path, start: Barrier, out: object) -> None:
    """One bulk writer over the story files, in small batches: it merges the recent bands
    often, while the other stores its own."""
    archive = open_archive(_settings(url, folder))
    start.wait(timeout=60)
    try:
        summary = ingest_paths(archive, [str(stories)], workers=0, batch_size=BULK_BATCH)
    finally:
        archive.close()
    out.put(summary.added)  # type: ignore[attr-defined]


def test_two_bulk_writers_merging_recent_bands_keep_each_band_once(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    for number in range(BULK_STORIES):
        (stories / f"{number:03d}.txt").write_text(wire_story(number), encoding="utf-8")
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    writers = [
        context.Process(
            target=bulk_ingest,
            args=(empty_postgres_url, tmp_path / str(n), stories, start, results),
        )
        for n in range(2)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert sum(results.get(timeout=5) for _ in writers) == BULK_STORIES

    engine = create_engine(empty_postgres_url)
    try:
        with Session(engine) as session:
            signed = set(session.scalars(select(StorySignature.article_id)))
            merged, recent = (
                Counter(session.execute(select(table.band_key, table.article_id)).all())
                for table in (StoryBand, RecentStoryBand)
            )
    finally:
        engine.dispose()
    assert len(signed) == BULK_STORIES
    assert merged and not merged.keys() & recent.keys()  # merged at least once, never twice
    bands = merged + recent
    assert set(bands.values()) == {1}
    assert Counter(article for _, article in bands) == dict.fromkeys(signed, BANDS)
