"""Keeping the search index in step with the database (the truth)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.lookups import in_chunks
from app.db.models import Article, ArticleEntity, ArticlePerson, Person
from app.ingest.names import is_same_place
from app.search.types import IndexDocument
from app.services.archive import Archive

INDEX_BATCH = 1000


def indexed_body(subheadings: Sequence[str], body: str) -> str:
    """The body text as the index holds it: the subheadings, then the body."""
    return "\n\n".join((*subheadings, body))


def to_index_document(
    article: Article,
    place_variants: Mapping[str, tuple[str, ...]] | None = None,
    analysed: object = None,
) -> IndexDocument:
    """What the index holds for one stored article; `place_variants` maps a place to its
    other spellings in the archive, `analysed` is its text as the backend prepared it."""
    variants = place_variants or {}
    people = tuple(link.person.name for link in article.people)
    aliases = tuple(
        alias.alias
        for link in article.people
        for alias in link.person.aliases
        if alias.alias != link.person.name
    )
    dateline = ", ".join(p for p in (article.dateline_place, article.dateline_country) if p)
    places = tuple(e.name for e in article.entities if e.kind == "place")
    return IndexDocument(
        id=article.id,
        title=article.title,
        body=indexed_body(article.subheadings, article.body),
        section=article.section,
        language=article.language,
        agency=article.agency_name,
        agency_code=article.agency_code,
        dateline=dateline or None,
        translator=article.translator_name,
        authors=tuple(article.authors),
        people=people,
        person_aliases=aliases,
        places=places,
        place_aliases=tuple(v for place in places for v in variants.get(place, ())),
        organizations=tuple(e.name for e in article.entities if e.kind == "organization"),
        published_at=article.published_at,
        ingested_at=article.ingested_at,
        story_id=article.story_id or article.id,
        analysed=analysed,
    )


def load_articles(session: Session, ids: Iterable[int]) -> list[Article]:
    """Articles by id with everything indexing and display need, in one round trip each."""
    statement = (
        select(Article)
        .where(Article.id.in_(list(ids)))
        .options(
            selectinload(Article.people)
            .selectinload(ArticlePerson.person)
            .selectinload(Person.aliases),
            selectinload(Article.entities),
        )
        .order_by(Article.id)
    )
    return list(session.scalars(statement))


def load_place_variants(
    session: Session, articles: Sequence[Article]
) -> dict[str, tuple[str, ...]]:
    """For each place the articles name, its other spellings known to the archive."""
    places = {(e.name, e.key) for a in articles for e in a.entities if e.kind == "place"}
    rows = session.execute(
        select(ArticleEntity.name, ArticleEntity.key)
        .where(ArticleEntity.kind == "place", ArticleEntity.key.in_({key for _, key in places}))
        .distinct()
    )
    by_key: dict[str, set[str]] = {}
    for name, key in rows:
        by_key.setdefault(key, set()).add(name)
    return {
        name: tuple(sorted(v for v in by_key.get(key, ()) if v != name and is_same_place(v, name)))
        for name, key in places
    }


def load_documents(
    session: Session, ids: Sequence[int], analysed: Mapping[int, object] | None = None
) -> list[IndexDocument]:
    """The index documents of stored articles; `analysed` holds, by article id, text
    the backend's `analyse_text` prepared ahead."""
    ahead = analysed or {}
    articles = load_articles(session, ids)
    variants = load_place_variants(session, articles)
    return [to_index_document(a, variants, ahead.get(a.id)) for a in articles]


def mark_indexed(session: Session, ids: Iterable[int]) -> None:
    """Clear the needs-indexing marker of articles the index now holds as they are."""
    for chunk in in_chunks(ids):
        session.execute(update(Article).where(Article.id.in_(chunk)).values(needs_indexing=False))


def mark_for_indexing(session: Session, articles: Select[tuple[int]] | Select[int]) -> set[int]:
    """Mark the articles `articles` selects (by id) as needing indexing; their ids."""
    statement = (
        update(Article)
        .where(Article.id.in_(articles))
        .values(needs_indexing=True)
        .returning(Article.id)
    )
    return set(session.scalars(statement))


def index_articles(
    archive: Archive, ids: Sequence[int], analysed: Mapping[int, object] | None = None
) -> None:
    """(Re)index the given articles, then clear their needs-indexing marker."""
    for start in range(0, len(ids), INDEX_BATCH):
        batch = ids[start : start + INDEX_BATCH]
        with archive.sessions() as session:
            archive.backend.index(load_documents(session, batch, analysed))
            mark_indexed(session, batch)
            session.commit()


def pending_ids(archive: Archive) -> list[int]:
    """The articles marked as needing indexing, by id."""
    with archive.sessions() as session:
        return list(session.scalars(select(Article.id).where(Article.needs_indexing)))


def index_pending(archive: Archive) -> int:
    """Index every article still marked as needing it; returns how many."""
    ids = pending_ids(archive)
    index_articles(archive, ids)
    return len(ids)


def reindex(archive: Archive) -> int:
    """Rebuild the whole search index from the database; returns the article count."""
    archive.backend.clear()
    with archive.sessions() as session:
        ids = list(session.scalars(select(Article.id).order_by(Article.id)))
    index_articles(archive, ids)
    return len(ids)


def pending_count(archive: Archive) -> int:
    """How many articles wait to be indexed."""
    with archive.sessions() as session:
        return session.scalar(select(func.count()).where(Article.needs_indexing)) or 0
