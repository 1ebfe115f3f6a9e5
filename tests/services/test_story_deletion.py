"""Deleting an article of a story: the story outlives its first article, in database and index."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from app.db.models import Article, RecentStoryBand, StoryBand, StorySignature
from app.ingest.near_duplicates import BANDS
from app.search.types import SearchRequest
from app.services.archive import Archive
from app.services.articles import delete_article
from app.services.indexing import pending_count
from app.services.ingest import save_record
from app.services.stories import merge_recent_bands, reassign_story
from tests.conftest import BACKENDS
from tests.contract.corpus import A380, A380_AFP, A380_REUTERS, BOEING, corpus

pytestmark = pytest.mark.parametrize("backend_name", BACKENDS, indirect=True)

RECORDS = {record.title: record for record in corpus()}
#: The Wikinews original, its Reuters and AFP republications, and another story.
ORIGINAL, REUTERS, AFP, OTHER = 1, 2, 3, 4


@pytest.fixture
def stories(archive: Archive) -> Archive:
    """The A380 story (the original and two republications) and the Boeing story, stored."""
    for title in (A380, A380_REUTERS, A380_AFP, BOEING):
        save_record(archive, RECORDS[title])
    assert story_ids(archive) == {ORIGINAL: None, REUTERS: ORIGINAL, AFP: ORIGINAL, OTHER: None}
    return archive


def story_ids(archive: Archive) -> dict[int, int | None]:
    with archive.sessions() as session:
        return {
            row.id: row.story_id for row in session.execute(select(Article.id, Article.story_id))
        }


def stories_found(archive: Archive, q: str) -> int:
    return archive.backend.search(SearchRequest(q=q, collapse=True)).total


def test_the_oldest_remaining_member_starts_the_story_when_the_first_is_deleted(
    stories: Archive,
) -> None:
    assert delete_article(stories, ORIGINAL)
    assert story_ids(stories) == {REUTERS: None, AFP: REUTERS, OTHER: None}
    assert pending_count(stories) == 0  # indexed again after the commit


def test_the_index_learns_the_new_story(stories: Archive) -> None:
    delete_article(stories, ORIGINAL)
    # Stored again, the original joins the story that is now Reuters': one story in the
    # index only if the republications' documents were given their new story too.
    again = save_record(stories, RECORDS[A380])
    assert story_ids(stories)[again.article_id] == REUTERS
    assert stories_found(stories, "lufthansa") == 1
    assert stories.backend.search(SearchRequest(q="lufthansa")).total == 3


def test_deleting_another_member_leaves_the_story_as_it_was(stories: Archive) -> None:
    assert delete_article(stories, REUTERS)
    assert story_ids(stories) == {ORIGINAL: None, AFP: ORIGINAL, OTHER: None}
    assert stories_found(stories, "lufthansa") == 1


@pytest.mark.parametrize("merged", [False, True], ids=["recent bands", "merged bands"])
def test_the_deleted_article_takes_its_signature_and_bands_along(
    stories: Archive, merged: bool
) -> None:
    if merged:
        assert merge_recent_bands(stories)
    delete_article(stories, ORIGINAL)
    with stories.sessions() as session:
        signed = set(session.scalars(select(StorySignature.article_id)))
        banded = {
            table.__tablename__: list(session.scalars(select(table.article_id)))
            for table in (StoryBand, RecentStoryBand)
        }
    left = {REUTERS: BANDS, AFP: BANDS, OTHER: BANDS}
    assert signed == set(left)
    assert Counter(banded["story_bands"]) == (left if merged else {})
    assert Counter(banded["story_bands_recent"]) == ({} if merged else left)


def test_reassigning_returns_the_members_it_marked_for_indexing(stories: Archive) -> None:
    with stories.sessions() as session:
        assert reassign_story(session, OTHER) == []  # a story of one: nobody to move
        assert reassign_story(session, ORIGINAL) == [REUTERS, AFP]
        marked = session.scalars(select(Article.id).where(Article.needs_indexing))
        assert sorted(marked) == [REUTERS, AFP]
        session.rollback()
