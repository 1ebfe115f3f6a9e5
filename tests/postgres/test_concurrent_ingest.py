"""Four processes ingest the same 500 stories into one PostgreSQL at once: no loss, no twin."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.db.models import Article, Person
from app.ingest.pipeline import extract_article
from app.search.types import SearchRequest
from app.services.archive import open_archive
from app.services.ingest import save_record
from tests.postgres.wire_stories import wire_story

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
STORIES = 500
WRITERS = 4


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
