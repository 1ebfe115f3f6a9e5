"""Keeping the search index in step with the database (the truth)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.models import Article, ArticlePerson, Person
from app.search.types import IndexDocument
from app.services.archive import Archive

INDEX_BATCH = 500


def to_index_document(article: Article) -> IndexDocument:
    """What the index holds for one stored article."""
    people = tuple(link.person.name for link in article.people)
    aliases = tuple(
        alias.alias
        for link in article.people
        for alias in link.person.aliases
        if alias.alias != link.person.name
    )
    dateline = ", ".join(p for p in (article.dateline_place, article.dateline_country) if p)
    return IndexDocument(
        id=article.id,
        title=article.title,
        body="\n\n".join((*article.subheadings, article.body)),
        section=article.section,
        language=article.language,
        agency=article.agency_name,
        dateline=dateline or None,
        translator=article.translator_name,
        authors=tuple(article.authors),
        people=people,
        person_aliases=aliases,
        places=tuple(e.name for e in article.entities if e.kind == "place"),
        organizations=tuple(e.name for e in article.entities if e.kind == "organization"),
        published_at=article.published_at,
        ingested_at=article.ingested_at,
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


def index_articles(archive: Archive, ids: Sequence[int]) -> None:
    """(Re)index the given articles, then clear their needs-indexing marker."""
    for start in range(0, len(ids), INDEX_BATCH):
        batch = ids[start : start + INDEX_BATCH]
        with archive.sessions() as session:
            archive.backend.index([to_index_document(a) for a in load_articles(session, batch)])
            session.execute(
                update(Article).where(Article.id.in_(batch)).values(needs_indexing=False)
            )
            session.commit()


def index_pending(archive: Archive) -> int:
    """Index every article still marked as needing it; returns how many."""
    with archive.sessions() as session:
        ids = list(session.scalars(select(Article.id).where(Article.needs_indexing)))
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
