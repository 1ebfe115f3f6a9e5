"""Storing articles: pipeline and signature, then one transaction per batch, then the index."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.base import table_of
from app.db.locks import begin_write, lock_names
from app.db.lookups import in_chunks
from app.db.models import Article, ArticleEntity, ArticlePerson
from app.ingest.names import blocking_key, is_same_place, place_key
from app.ingest.near_duplicates import Signature, sign_body
from app.ingest.pipeline import extract_article
from app.ingest.record import ArticleRecord
from app.ingest.sources import SourceItem
from app.pickling import pickled_by_fields
from app.services.archive import Archive
from app.services.indexing import (
    index_pending,
    indexed_body,
    load_place_spellings,
    mark_for_indexing,
)
from app.services.people import name_key, resolve_people
from app.services.stories import NewMember, file_stories


def _nothing(_session: Session) -> None:
    """No further writes in the batch's transaction."""


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """The stored article's id and whether this call added it (False: a duplicate)."""

    article_id: int
    created: bool


def article_row(record: ArticleRecord, ingested_at: datetime) -> dict[str, Any]:
    """The `articles` row for a finished record, marked as needing indexing."""
    dateline, translator = record.dateline, record.translator
    return {
        "content_hash": record.content_hash,
        "url": record.url,
        "source": record.source,
        "title": record.title or "",
        "section": record.section,
        "language": record.language,
        "published_at": record.published_at,
        "ingested_at": ingested_at,
        "agency_code": record.agency.code if record.agency else None,
        "agency_name": record.agency.name if record.agency else None,
        "dateline_place": dateline.place if dateline else None,
        "dateline_country": dateline.country if dateline else None,
        "dateline_country_code": dateline.country_code if dateline else None,
        "dateline_lat": dateline.lat if dateline else None,
        "dateline_lon": dateline.lon if dateline else None,
        "authors": list(record.authors),
        "editors": list(record.editors),
        "translator_name": translator.name if translator else None,
        "translator_from_language": translator.from_language if translator else None,
        "subheadings": list(record.subheadings),
        "body": record.body,
        "raw": record.raw,
        "raw_format": record.format,
        "issues": [asdict(issue) for issue in record.issues],
        "story_id": None,
        "needs_indexing": True,
    }


@dataclass(frozen=True, slots=True)
class Stored:
    """Ids of the articles a write inserted, and of stored articles it marked for indexing
    again (they learned a new spelling of a person or place)."""

    ids: list[int]
    remarked: set[int]


def store_records(
    session: Session,
    records: Sequence[ArticleRecord],
    rows: Sequence[dict[str, Any]] | None = None,
) -> Stored:
    """Insert new articles (not committed) with their people and entities.

    `rows` are the `articles` rows to insert, one per record (default: `article_row`).
    Set-based: one statement per table, whatever the number of records.
    """
    if not records:
        return Stored([], set())
    now = datetime.now(UTC)
    rows = rows if rows is not None else [article_row(record, now) for record in records]
    # An executemany inserts the rows in order, so their ids ascend with `rows`; SQLite
    # has no ordered RETURNING but row by row, so the ids come back by content hash.
    session.execute(insert(table_of(Article)), rows)
    by_hash = _stored_ids(session, [row["content_hash"] for row in rows])
    ids = [by_hash[row["content_hash"]] for row in rows]
    people, remarked = resolve_people(session, [m for r in records for m in r.people])
    person_ids = iter(people)
    links: list[dict[str, Any]] = []
    for article_id, record in zip(ids, records, strict=True):
        linked: set[int] = set()
        for position, mention in enumerate(record.people):
            person_id = next(person_ids)
            if person_id not in linked:
                linked.add(person_id)
                links.append(
                    {
                        "article_id": article_id,
                        "person_id": person_id,
                        "position": position,
                        "mentions": mention.mentions,
                        "role": mention.role,
                        "spellings": [mention.name, *mention.aliases],
                    }
                )
    remarked |= mark_place_variants(session, {p.name for record in records for p in record.places})
    entities = [
        {
            "article_id": article_id,
            "kind": kind,
            "position": position,
            "name": entity.name,
            "key": blocking_key(place_key(entity.name)),
            "mentions": entity.mentions,
        }
        for article_id, record in zip(ids, records, strict=True)
        for kind, mentions in (("place", record.places), ("organization", record.organizations))
        for position, entity in enumerate(mentions)
    ]
    for model, values in ((ArticlePerson, links), (ArticleEntity, entities)):
        if values:
            session.execute(insert(table_of(model)), values)
    return Stored(ids, remarked - set(ids))


def person_lock_names(record: ArticleRecord) -> set[str]:
    """Lock names for the people a record names, so two writers never create one person twice."""
    return {
        f"person:{name_key(spelling)}"
        for mention in record.people
        for spelling in (mention.name, *mention.aliases)
    }


def mark_place_variants(session: Session, names: set[str]) -> set[int]:
    """Re-mark for indexing the stored articles that spell a place differently from a
    spelling in `names` the archive has not seen yet; their ids.

    Their index documents then learn the new spelling (`Panshir` finds `Panjshir`).
    """
    by_key: dict[str, set[str]] = {}
    for name in names:
        by_key.setdefault(blocking_key(place_key(name)), set()).add(name)
    known = load_place_spellings(session, by_key)
    variants = {
        old
        for key, spellings in known.items()
        for new in by_key[key] - spellings
        for old in spellings
        if is_same_place(old, new)
    }
    remarked: set[int] = set()
    for chunk in in_chunks(variants):
        spelling = select(ArticleEntity.article_id).where(
            ArticleEntity.kind == "place", ArticleEntity.name.in_(chunk)
        )
        remarked |= mark_for_indexing(session, spelling)
    return remarked


def find_by_hash(session: Session, content_hash: str) -> int | None:
    """The id of the article with this content hash, if stored."""
    return session.scalar(select(Article.id).where(Article.content_hash == content_hash))


#: A search backend's `analyse_text`: pure work on (title, body) done ahead of indexing.
Analyse = Callable[[str, str], object]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A finished record with its near-duplicate signature (and, when the search backend
    prepares text ahead, its analysed title and body), ready to store."""

    record: ArticleRecord
    signature: Signature | None
    analysed: object = None


def prepare_record(record: ArticleRecord, analyse: Analyse | None = None) -> PreparedArticle:
    """Sign a finished record's body and run `analyse` over its indexed text (pure; runs
    wherever the pipeline ran)."""
    text = (record.title or "", indexed_body(record.subheadings, record.body))
    return PreparedArticle(record, sign_body(record.body), analyse(*text) if analyse else None)


def prepare_item(item: SourceItem, analyse: Analyse | None = None) -> PreparedArticle:
    """Run the pipeline over one raw input and sign it; `IngestError` if unusable."""
    record = extract_article(
        item.data,
        format=item.format,
        url=item.url,
        published_at=item.published_at,
        source=item.source,
    )
    return prepare_record(record, analyse)


def _stored_ids(session: Session, hashes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in in_chunks(hashes):
        statement = select(Article.content_hash, Article.id).where(Article.content_hash.in_(chunk))
        found.update({row.content_hash: row.id for row in session.execute(statement)})
    return found


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """One outcome per article of a batch, in order, and the stored articles it re-marked."""

    outcomes: list[IngestOutcome]
    remarked: set[int]


def store_batch(session: Session, batch: Sequence[PreparedArticle]) -> StoredBatch:
    """Add a batch of articles (not committed), once each by content hash, filed by story.

    A repeat within the batch is a duplicate.
    """
    begin_write(session)
    hashes = [p.record.content_hash for p in batch]
    # Lock what this batch checks before checking it: content hashes and people.
    people = {name for p in batch for name in person_lock_names(p.record)}
    lock_names(session, {f"article:{content_hash}" for content_hash in hashes} | people)
    known = _stored_ids(session, hashes)
    fresh = list(
        {p.record.content_hash: p for p in batch if p.record.content_hash not in known}.values()
    )
    stored = store_records(session, [p.record for p in fresh])
    ids = stored.ids
    file_stories(
        session, [NewMember(i, None, p.signature) for i, p in zip(ids, fresh, strict=True)]
    )
    new = {p.record.content_hash: i for i, p in zip(ids, fresh, strict=True)}
    outcomes: list[IngestOutcome] = []
    for content_hash in hashes:
        if content_hash in new:
            outcomes.append(IngestOutcome(new.pop(content_hash), created=True))
            known[content_hash] = outcomes[-1].article_id
        else:
            outcomes.append(IngestOutcome(known[content_hash], created=False))
    return StoredBatch(outcomes, stored.remarked)


def commit_batch(
    archive: Archive, batch: Sequence[PreparedArticle], also: Callable[[Session], None] = _nothing
) -> StoredBatch:
    """Store a batch in one transaction (plus `also`'s writes), retrying once on a race.

    Another writer may commit the same content meanwhile; the retry then sees it
    as a duplicate.
    """
    for attempt in range(2):
        with archive.sessions() as session:
            try:
                # `store_batch` flushes, so a concurrent twin can fail there as well as at commit.
                stored = store_batch(session, batch)
                also(session)
                session.commit()
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
                continue
            return stored
    raise AssertionError("unreachable")


def save_record(archive: Archive, record: ArticleRecord) -> IngestOutcome:
    """Store a finished record once (by content hash) and index it.

    The article and its needs-indexing marker commit in one transaction; the
    index follows. A crash in between leaves the marker set, and the next
    start-up indexes it.
    """
    outcome = commit_batch(archive, [prepare_record(record)]).outcomes[0]
    if outcome.created:
        index_pending(archive)
    return outcome


def ingest_item(archive: Archive, item: SourceItem) -> IngestOutcome:
    """Run the pipeline over one raw input and store the result; `IngestError` if unusable."""
    return save_record(archive, prepare_item(item).record)
