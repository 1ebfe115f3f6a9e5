"""Opening the archive brings the index back in line with the database, whatever broke it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from app.config import Settings
from app.db.models import Article
from app.ingest.sources import SourceItem
from app.search.types import SearchRequest
from app.services.archive import Archive, open_archive
from app.services.ingest import ingest_item
from bench.server import tagged_article

TAGS = ("zqa1", "zqb2", "zqc3")


def stored_archive(settings: Settings) -> dict[str, int]:
    """Ingest one article per tag and close the archive; tag → id."""
    archive = open_archive(settings)
    try:
        return {
            tag: ingest_item(archive, SourceItem(tag, tagged_article(tag), "text")).article_id
            for tag in TAGS
        }
    finally:
        archive.close()


def found(archive: Archive, tag: str) -> list[int]:
    return [hit.id for hit in archive.backend.search(SearchRequest(q=tag)).hits]


def delete_index(settings: Settings) -> None:
    shutil.rmtree(settings.index_dir)


def overwrite_index_files(settings: Settings) -> None:
    for path in settings.index_dir.iterdir():
        path.write_bytes(b"\x00garbage" * 100)


def truncate_index_files(settings: Settings) -> None:
    for path in settings.index_dir.iterdir():
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def delete_table_of_contents(settings: Settings) -> None:
    for path in settings.index_dir.glob("*.toc"):
        path.unlink()


@pytest.mark.parametrize(
    "damage",
    [delete_index, overwrite_index_files, truncate_index_files, delete_table_of_contents],
)
def test_a_missing_or_corrupt_index_is_rebuilt_from_the_database(
    settings: Settings, damage: Callable[[Settings], None]
) -> None:
    ids = stored_archive(settings)
    damage(settings)
    archive = open_archive(settings)
    try:
        assert archive.backend.count() == len(TAGS)
        assert {tag: found(archive, tag) for tag in TAGS} == {t: [i] for t, i in ids.items()}
        assert archive.backend.is_healthy()
    finally:
        archive.close()


def test_articles_left_marked_by_a_crash_are_indexed(settings: Settings) -> None:
    ids = stored_archive(settings)
    archive = open_archive(settings)
    # As if killed after the commit, before indexing: marked, and not in the index.
    archive.backend.delete([ids["zqb2"]])
    with archive.sessions() as session:
        session.execute(
            update(Article).where(Article.id == ids["zqb2"]).values(needs_indexing=True)
        )
        session.commit()
    archive.close()
    reopened = open_archive(settings)
    try:
        assert found(reopened, "zqb2") == [ids["zqb2"]]
    finally:
        reopened.close()


def test_a_document_whose_article_is_gone_is_dropped(settings: Settings) -> None:
    ids = stored_archive(settings)
    archive = open_archive(settings)
    # As if killed after deleting the row, before deleting its document.
    with archive.sessions() as session:
        session.execute(delete(Article).where(Article.id == ids["zqc3"]))
        session.commit()
    archive.close()
    reopened = open_archive(settings)
    try:
        assert (found(reopened, "zqc3"), reopened.backend.count()) == ([], len(TAGS) - 1)
    finally:
        reopened.close()


def test_an_untouched_archive_is_not_rebuilt(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    stored_archive(settings)
    with caplog.at_level("INFO", logger="app.services.archive"):
        open_archive(settings).close()
    assert caplog.records == []


def test_the_settings_fixture_keeps_the_index_where_the_tests_damage_it(
    settings: Settings, tmp_path: Path
) -> None:
    # Guards the damage functions: they act on the index the archive really uses.
    stored_archive(settings)
    assert settings.index_dir.is_relative_to(tmp_path)
    assert any(settings.index_dir.glob("*.toc"))
