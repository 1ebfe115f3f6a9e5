"""Grouping near-duplicate articles (one wire story, republished) under one story id.

An article's story id is the id of the first article of its story; an
article that starts a story keeps `story_id` NULL and is its own story.
Band keys are stored per article, so a later run finds earlier stories: new
ones in a small table of recent bands, which a bulk ingest merges into the
large one once it holds a fair share of all (`merge_recent_bands`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text, union_all, update
from sqlalchemy.orm import Session

from app.db.arrays import among, insert_integers, select_among
from app.db.base import table_of
from app.db.locks import begin_write
from app.db.models import Article, RecentStoryBand, StoryBand, StorySignature
from app.ingest.near_duplicates import BANDS, SAME_STORY, Signature, band_keys, similarity
from app.services.archive import Archive

#: The recent bands are merged into the others once they are this share of all bands
#: (taken as `BANDS` per article id): each merge rewrites the large table's pages once,
#: and between merges a batch rewrites the pages of the small one.
RECENT_SHARE = 0.25
_BAND_TABLES = (StoryBand, RecentStoryBand)


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article already filed under a story, with its signature."""

    id: int
    story_id: int
    values: bytes


def _stored_members(session: Session, keys: Collection[int]) -> dict[int, list[StoryMember]]:
    """Articles in the database by the band keys their signatures share."""
    if not keys:
        return {}
    dialect = session.get_bind().dialect
    statement = union_all(
        *(
            select_among(table.band_key, keys, dialect, table.band_key, table.article_id)
            for table in _BAND_TABLES
        )
    )
    pairs = session.execute(statement).all()
    ids = {article_id for _, article_id in pairs}
    members: dict[int, StoryMember] = {}
    if ids:
        members_statement = (
            select(Article.id, Article.story_id, StorySignature.signature)
            .join(StorySignature, StorySignature.article_id == Article.id)
            .where(among(Article.id, ids, dialect))
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


@dataclass(frozen=True, slots=True)
class NewMember:
    """A stored article to file: its id, the story it already has (if any), its signature."""

    id: int
    story_id: int | None
    signature: Signature | None


def file_stories(session: Session, articles: Sequence[NewMember]) -> None:
    """File each new (stored) article under its story and store its signature and bands.

    In order, an article joins the story of the most similar earlier article
    (stored or earlier in `articles`) whose signature shares a band and is
    similar enough; its `story_id` is updated in the database.
    """
    by_key = _stored_members(
        session, {k for a in articles if a.signature for k in a.signature.bands}
    )
    bands: list[tuple[int, int]] = []
    signatures: list[dict[str, object]] = []
    joined: list[dict[str, int]] = []
    for article in articles:
        signature = article.signature
        if signature is None:
            continue
        candidates = {c.id: c for key in signature.bands for c in by_key.get(key, [])}
        match = _best(candidates.values(), signature.values)
        story = article.story_id or article.id
        if match is not None:
            story = match.story_id
            joined.append({"id": article.id, "story_id": story})
        member = StoryMember(article.id, story, signature.values)
        signatures.append({"article_id": article.id, "signature": signature.values})
        for key in signature.bands:
            by_key.setdefault(key, []).append(member)
        bands += ((key, article.id) for key in signature.bands)
    if joined:
        session.execute(update(Article), joined)
    if signatures:
        session.execute(insert(table_of(StorySignature)), signatures)
        # In key order, the batch's random band keys fill the index a page at a time.
        bands.sort()
        names = ("band_key", "article_id")
        insert_integers(session.connection(), table_of(RecentStoryBand), names, bands)


def merge_recent_bands(archive: Archive) -> bool:
    """Move the recent bands into the large table, in key order and in a transaction of
    their own, if they are `RECENT_SHARE` of all by now; True when they were moved.

    Bulk ingest and import call it after each batch. On PostgreSQL the move locks the
    recent table against other writers' inserts until it commits, holding nothing else
    they may wait for.
    """
    with archive.sessions() as session:
        begin_write(session)
        recent = session.scalar(select(func.count()).select_from(RecentStoryBand)) or 0
        articles = session.scalar(select(func.max(Article.id))) or 0
        if recent <= RECENT_SHARE * BANDS * articles:
            return False
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("LOCK TABLE story_bands_recent IN SHARE ROW EXCLUSIVE MODE"))
        moved = select(RecentStoryBand.band_key, RecentStoryBand.article_id).order_by(
            RecentStoryBand.band_key, RecentStoryBand.article_id
        )
        session.execute(insert(StoryBand).from_select(["band_key", "article_id"], moved))
        session.execute(delete(RecentStoryBand))
        session.commit()
    return True


def forget_bands(session: Session, article_id: int) -> None:
    """Delete an article's bands (before the article): the keys its signature gives."""
    values = session.scalar(
        select(StorySignature.signature).where(StorySignature.article_id == article_id)
    )
    if values is None:
        return
    keys = band_keys(values)
    for table in _BAND_TABLES:
        session.execute(
            delete(table).where(table.article_id == article_id, table.band_key.in_(keys))
        )


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
