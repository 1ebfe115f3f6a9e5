"""Grouping near-duplicate articles (one wire story, republished) under one story id.

An article's story id is the id of the first article of its story; an
article that starts a story keeps `story_id` NULL and is its own story.
Band keys are stored per article, so a later run finds earlier stories.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.db.models import Article, StoryBand, StorySignature
from app.ingest.near_duplicates import SAME_STORY, Signature, similarity

#: Band keys per query (well under every engine's bound-parameter limit).
LOOKUP_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article already filed under a story, with its signature."""

    id: int
    story_id: int
    values: bytes


def story_of(article: Article) -> int:
    """The article's story id: its own id when it starts the story."""
    return article.story_id or article.id


def _stored_members(session: Session, keys: Iterable[int]) -> dict[int, list[StoryMember]]:
    """Articles in the database by the band keys their signatures share."""
    wanted = sorted(set(keys))
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        statement = select(StoryBand.band_key, StoryBand.article_id).where(
            StoryBand.band_key.in_(chunk)
        )
        pairs += [(row.band_key, row.article_id) for row in session.execute(statement)]
    ids = {article_id for _, article_id in pairs}
    members: dict[int, StoryMember] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk_ids = ordered[start : start + LOOKUP_CHUNK]
        members_statement = (
            select(Article.id, Article.story_id, StorySignature.signature)
            .join(StorySignature, StorySignature.article_id == Article.id)
            .where(Article.id.in_(chunk_ids))
        )
        for row in session.execute(members_statement):
            members[row.id] = StoryMember(row.id, row.story_id or row.id, row.signature)
    by_key: dict[int, list[StoryMember]] = {}
    for key, article_id in pairs:
        if article_id in members:
            by_key.setdefault(key, []).append(members[article_id])
    return by_key


def _best(candidates: Iterable[StoryMember], values: bytes) -> StoryMember | None:
    scored = [(similarity(values, c.values), -c.id, c) for c in candidates]
    scored = [s for s in scored if s[0] >= SAME_STORY]
    return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None


def file_stories(session: Session, articles: Sequence[tuple[Article, Signature | None]]) -> None:
    """Set each new (flushed) article's story and store its signature and bands, in order.

    An article joins the story of the most similar earlier article (stored or
    earlier in `articles`) whose signature shares a band and is similar enough.
    """
    by_key = _stored_members(session, (k for _, s in articles if s for k in s.bands))
    rows: list[dict[str, int]] = []
    signatures: list[dict[str, object]] = []
    for article, signature in articles:
        if signature is None:
            continue
        candidates = {c.id: c for key in signature.bands for c in by_key.get(key, [])}
        match = _best(candidates.values(), signature.values)
        if match is not None:
            article.story_id = match.story_id
        member = StoryMember(article.id, story_of(article), signature.values)
        signatures.append({"article_id": article.id, "signature": signature.values})
        for key in signature.bands:
            by_key.setdefault(key, []).append(member)
            rows.append({"band_key": key, "article_id": article.id})
    if signatures:
        session.execute(insert(StorySignature), signatures)
        session.execute(insert(StoryBand), rows)


def reassign_story(session: Session, deleted_id: int) -> list[int]:
    """Pass the story that the deleted article `deleted_id` started to its oldest member left.

    That member (the lowest id: the first filed) now starts the story, with
    `story_id` NULL; the others point at it. All are marked for indexing, as
    the index stores each document's story. Returns their ids, oldest first
    (none when `deleted_id` started no story with others).
    """
    members = list(
        session.scalars(
            select(Article.id).where(Article.story_id == deleted_id).order_by(Article.id)
        )
    )
    if members:
        first = members[0]
        session.execute(
            update(Article)
            .where(Article.story_id == deleted_id)
            .values(story_id=first, needs_indexing=True)
        )
        session.execute(update(Article).where(Article.id == first).values(story_id=None))
    return members
