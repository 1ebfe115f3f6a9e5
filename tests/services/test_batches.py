"""Storing a batch in one transaction: ids in batch order, each article once, stories filed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db.models import Article, ArticleEntity, ArticlePerson, Person
from app.services.archive import Archive
from app.services.ingest import commit_batch, prepare_record
from tests.conftest import BACKENDS
from tests.contract.corpus import A380, A380_AFP, A380_REUTERS, BOEING, SEED, corpus

pytestmark = pytest.mark.parametrize("backend_name", BACKENDS, indirect=True)

RECORDS = {record.title: record for record in corpus()}
#: The Boeing story, the A380 original, a repeat of it, its two republications, the seed.
BATCH = (BOEING, A380, A380, A380_REUTERS, A380_AFP, SEED)


def test_a_batch_numbers_new_articles_in_its_order_and_reports_repeats(
    archive: Archive,
) -> None:
    stored = commit_batch(archive, [prepare_record(RECORDS[title]) for title in BATCH])
    outcomes = [(outcome.article_id, outcome.created) for outcome in stored.outcomes]
    # The repeat of the A380 original is a duplicate of the id it got just before.
    assert outcomes == [(1, True), (2, True), (2, False), (3, True), (4, True), (5, True)]
    with archive.sessions() as session:
        rows = session.execute(select(Article.id, Article.title, Article.story_id))
        stories = {row.id: (row.title, row.story_id) for row in rows}
    # The republications join the story of the original stored in the same batch.
    assert stories == {
        1: (BOEING, None),
        2: (A380, None),
        3: (A380_REUTERS, 2),
        4: (A380_AFP, 2),
        5: (SEED, None),
    }


def test_people_and_places_are_linked_to_their_own_article(archive: Archive) -> None:
    commit_batch(archive, [prepare_record(RECORDS[title]) for title in BATCH])
    seed = RECORDS[SEED]
    with archive.sessions() as session:
        people = session.execute(
            select(Person.name)
            .join(ArticlePerson)
            .where(ArticlePerson.article_id == 5)
            .order_by(ArticlePerson.position)
        )
        places = session.scalars(
            select(ArticleEntity.name)
            .where(ArticleEntity.article_id == 5, ArticleEntity.kind == "place")
            .order_by(ArticleEntity.position)
        )
        assert [row.name for row in people] == [mention.name for mention in seed.people]
        assert list(places) == [place.name for place in seed.places]
