"""Storing articles: pipeline and signature, then one transaction per batch, then the index."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.locks import begin_write, lock_names
from app.db.models import Article, ArticleEntity, ArticlePerson
from app.ingest.names import blocking_key, is_same_place, place_key
from app.ingest.near_duplicates import Signature, sign_body
from app.ingest.pipeline import extract_article
from app.ingest.record import ArticleRecord
from app.ingest.sources import SourceItem
from app.services.archive import Archive
from app.services.indexing import index_pending
from app.services.people import name_key, resolve_person
from app.services.stories import LOOKUP_CHUNK, file_stories


def _nothing(_session: Session) -> None:
    """No further writes in the batch's transaction."""


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """The stored article's id and whether this call added it (False: a duplicate)."""

    article_id: int
    created: bool


def store_record(session: Session, record: ArticleRecord) -> Article:
    """Add the article rows for a finished record to the session (not committed)."""
    article = Article(
        content_hash=record.content_hash,
        url=record.url,
        source=record.source,
        title=record.title or "",
        section=record.section,
        language=record.language,
        published_at=record.published_at,
        ingested_at=datetime.now(UTC),
        agency_code=record.agency.code if record.agency else None,
        agency_name=record.agency.name if record.agency else None,
        dateline_place=record.dateline.place if record.dateline else None,
        dateline_country=record.dateline.country if record.dateline else None,
        dateline_country_code=record.dateline.country_code if record.dateline else None,
        dateline_lat=record.dateline.lat if record.dateline else None,
        dateline_lon=record.dateline.lon if record.dateline else None,
        authors=list(record.authors),
        editors=list(record.editors),
        translator_name=record.translator.name if record.translator else None,
        translator_from_language=record.translator.from_language if record.translator else None,
        subheadings=list(record.subheadings),
        body=record.body,
        raw=record.raw,
        raw_format=record.format,
        issues=[asdict(issue) for issue in record.issues],
        needs_indexing=True,
    )
    session.add(article)
    linked: set[int] = set()
    for position, mention in enumerate(record.people):
        person = resolve_person(session, mention)
        session.flush()
        if person.id in linked:
            continue
        linked.add(person.id)
        spellings = [mention.name, *mention.aliases]
        article.people.append(
            ArticlePerson(
                person=person,
                position=position,
                mentions=mention.mentions,
                role=mention.role,
                spellings=spellings,
            )
        )
    mark_place_variants(session, [place.name for place in record.places])
    for kind, mentions in (("place", record.places), ("organization", record.organizations)):
        for position, entity in enumerate(mentions):
            article.entities.append(
                ArticleEntity(
                    kind=kind,
                    position=position,
                    name=entity.name,
                    key=blocking_key(place_key(entity.name)),
                    mentions=entity.mentions,
                )
            )
    return article


def person_lock_names(record: ArticleRecord) -> set[str]:
    """Lock names for the people a record names, so two writers never create one person twice."""
    return {
        f"person:{name_key(spelling)}"
        for mention in record.people
        for spelling in (mention.name, *mention.aliases)
    }


def mark_place_variants(session: Session, names: list[str]) -> None:
    """Re-mark for indexing the articles that spell a place differently from `names`.

    Their index documents then learn the new spelling (`Panshir` finds `Panjshir`).
    """
    keys = {blocking_key(place_key(name)) for name in names}
    known = session.execute(
        select(ArticleEntity.name)
        .where(ArticleEntity.kind == "place", ArticleEntity.key.in_(keys))
        .distinct()
    ).scalars()
    variants = {v for v in known if v not in names and any(is_same_place(v, n) for n in names)}
    if variants:
        session.execute(
            update(Article)
            .where(
                Article.id.in_(
                    select(ArticleEntity.article_id).where(
                        ArticleEntity.kind == "place", ArticleEntity.name.in_(variants)
                    )
                )
            )
            .values(needs_indexing=True)
        )


def find_by_hash(session: Session, content_hash: str) -> int | None:
    """The id of the article with this content hash, if stored."""
    return session.scalar(select(Article.id).where(Article.content_hash == content_hash))


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A finished record with its near-duplicate signature, ready to store."""

    record: ArticleRecord
    signature: Signature | None


def prepare_record(record: ArticleRecord) -> PreparedArticle:
    """Sign a finished record's body (pure; runs wherever the pipeline ran)."""
    return PreparedArticle(record, sign_body(record.body))


def prepare_item(item: SourceItem) -> PreparedArticle:
    """Run the pipeline over one raw input and sign it; `IngestError` if unusable."""
    record = extract_article(
        item.data,
        format=item.format,
        url=item.url,
        published_at=item.published_at,
        source=item.source,
    )
    return prepare_record(record)


def _stored_ids(session: Session, hashes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        statement = select(Article.content_hash, Article.id).where(Article.content_hash.in_(chunk))
        found.update({row.content_hash: row.id for row in session.execute(statement)})
    return found


def store_batch(session: Session, batch: Sequence[PreparedArticle]) -> list[IngestOutcome]:
    """Add a batch of articles (not committed), once each by content hash, filed by story.

    Returns one outcome per input, in order; a repeat within the batch is a duplicate.
    """
    begin_write(session)
    hashes = [p.record.content_hash for p in batch]
    # Lock what this batch checks before checking it: content hashes and people.
    people = {name for p in batch for name in person_lock_names(p.record)}
    lock_names(session, {f"article:{content_hash}" for content_hash in hashes} | people)
    known = _stored_ids(session, hashes)
    pending: dict[str, Article] = {}
    order: list[Article | int] = []
    fresh: list[tuple[Article, Signature | None]] = []
    # Lookups need not see this batch's pending rows: people flush as they resolve.
    with session.no_autoflush:
        for prepared in batch:
            content_hash = prepared.record.content_hash
            if content_hash in known:
                order.append(known[content_hash])
            elif content_hash in pending:
                order.append(pending[content_hash])
            else:
                article = store_record(session, prepared.record)
                pending[content_hash] = article
                fresh.append((article, prepared.signature))
                order.append(article)
    session.flush()
    file_stories(session, fresh)
    created: set[int] = set()
    outcomes: list[IngestOutcome] = []
    for entry in order:
        if isinstance(entry, int):
            outcomes.append(IngestOutcome(entry, created=False))
        else:
            outcomes.append(IngestOutcome(entry.id, created=entry.id not in created))
            created.add(entry.id)
    return outcomes


def commit_batch(
    archive: Archive, batch: Sequence[PreparedArticle], also: Callable[[Session], None] = _nothing
) -> list[IngestOutcome]:
    """Store a batch in one transaction (plus `also`'s writes), retrying once on a race.

    Another writer may commit the same content meanwhile; the retry then sees it
    as a duplicate.
    """
    for attempt in range(2):
        with archive.sessions() as session:
            try:
                # `store_batch` flushes, so a concurrent twin can fail there as well as at commit.
                outcomes = store_batch(session, batch)
                also(session)
                session.commit()
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
                continue
            return outcomes
    raise AssertionError("unreachable")


def save_record(archive: Archive, record: ArticleRecord) -> IngestOutcome:
    """Store a finished record once (by content hash) and index it.

    The article and its needs-indexing marker commit in one transaction; the
    index follows. A crash in between leaves the marker set, and the next
    start-up indexes it.
    """
    outcome = commit_batch(archive, [prepare_record(record)])[0]
    if outcome.created:
        index_pending(archive)
    return outcome


def ingest_item(archive: Archive, item: SourceItem) -> IngestOutcome:
    """Run the pipeline over one raw input and store the result; `IngestError` if unusable."""
    return save_record(archive, prepare_item(item).record)
