"""Reading and deleting stored articles."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from app.db.models import Article
from app.ingest.record import Agency, ArticleRecord, Dateline, EntityMention, Translator
from app.search.types import SearchHit
from app.services.archive import Archive
from app.services.indexing import index_articles, load_articles
from app.services.stories import forget_bands, reassign_story


@dataclass(frozen=True, slots=True)
class PersonInArticle:
    """A person as an article names them (the archive's id and canonical name)."""

    id: int | None
    name: str
    aliases: tuple[str, ...]
    mentions: int
    role: str | None


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """Everything the archive knows about one article (the contract's Article).

    `id` and `ingested_at` are None for a record previewed but not stored.
    """

    id: int | None
    url: str | None
    title: str
    section: str | None
    language: str | None
    published_at: datetime | None
    ingested_at: datetime | None
    agency: Agency | None
    dateline: Dateline | None
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    translator: Translator | None
    people: tuple[PersonInArticle, ...]
    places: tuple[EntityMention, ...]
    organizations: tuple[EntityMention, ...]
    subheadings: tuple[str, ...]
    body: str
    source: str | None
    content_hash: str
    story_id: int | None = None


def to_detail(article: Article) -> ArticleDetail:
    """The detail view of a loaded article row."""
    dateline = None
    if article.dateline_place:
        dateline = Dateline(
            article.dateline_place,
            article.dateline_country,
            article.dateline_country_code,
            article.dateline_lat,
            article.dateline_lon,
        )
    translator = None
    if article.translator_name:
        translator = Translator(article.translator_name, article.translator_from_language)
    return ArticleDetail(
        id=article.id,
        url=article.url,
        title=article.title,
        section=article.section,
        language=article.language,
        published_at=article.published_at,
        ingested_at=article.ingested_at,
        agency=Agency(article.agency_code or "", article.agency_name or "")
        if article.agency_name
        else None,
        dateline=dateline,
        authors=tuple(article.authors),
        editors=tuple(article.editors),
        translator=translator,
        people=tuple(
            PersonInArticle(
                link.person.id,
                link.person.name,
                tuple(a.alias for a in link.person.aliases if a.alias != link.person.name),
                link.mentions,
                link.role,
            )
            for link in article.people
        ),
        places=_entities(article, "place"),
        organizations=_entities(article, "organization"),
        subheadings=tuple(article.subheadings),
        body=article.body,
        source=article.source,
        content_hash=article.content_hash,
        story_id=article.story_id or article.id,
    )


def _entities(article: Article, kind: str) -> tuple[EntityMention, ...]:
    return tuple(EntityMention(e.name, e.mentions) for e in article.entities if e.kind == kind)


def get_article(archive: Archive, article_id: int) -> ArticleDetail | None:
    """One article, or None when the id is unknown."""
    with archive.sessions() as session:
        found = load_articles(session, [article_id])
        return to_detail(found[0]) if found else None


def get_raw(archive: Archive, article_id: int) -> tuple[str, str] | None:
    """The raw input exactly as received and its format, or None when unknown."""
    with archive.sessions() as session:
        row = session.execute(
            select(Article.raw, Article.raw_format).where(Article.id == article_id)
        ).first()
        return (row[0], row[1]) if row else None


def delete_article(archive: Archive, article_id: int) -> bool:
    """Remove an article from the database and the index; False when it was not there.

    A story the article started passes to its oldest remaining member in the same
    transaction (`reassign_story`); the members are indexed again after the commit.
    """
    with archive.sessions() as session:
        forget_bands(session, article_id)
        deleted = session.execute(delete(Article).where(Article.id == article_id))
        members = reassign_story(session, article_id)
        session.commit()
    archive.backend.delete([article_id])
    index_articles(archive, members)
    return bool(getattr(deleted, "rowcount", 0))


def related_articles(archive: Archive, article_id: int, limit: int) -> tuple[SearchHit, ...] | None:
    """Articles most like this one, or None when the id is unknown."""
    with archive.sessions() as session:
        if session.get(Article, article_id) is None:
            return None
    return archive.backend.related(article_id, limit)


def count_articles(archive: Archive) -> int:
    """How many articles the database holds."""
    with archive.sessions() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def article_hits(
    archive: Archive, ids: tuple[int, ...], snippet_chars: int = 240
) -> tuple[SearchHit, ...]:
    """Search hits for known article ids in the given order, the body's start as snippet."""
    with archive.sessions() as session:
        by_id = {article.id: to_detail(article) for article in load_articles(session, ids)}
    return tuple(_hit(i, by_id[i], snippet_chars) for i in ids if i in by_id)


def opening(text: str, limit: int) -> str:
    """The start of `text`, cut at a word boundary with an ellipsis when shortened.

    >>> opening("The leader of an Afghan group", 16)
    'The leader of …'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:") + " …"


def _hit(article_id: int, detail: ArticleDetail, snippet_chars: int) -> SearchHit:
    place = detail.dateline
    return SearchHit(
        id=article_id,
        title=detail.title,
        snippet=html.escape(opening(detail.body, snippet_chars)),
        score=0.0,
        agency=detail.agency.name if detail.agency else None,
        dateline=", ".join(p for p in (place.place, place.country) if p) if place else None,
        published_at=detail.published_at,
        people=tuple(p.name for p in detail.people),
    )


def preview_record(record: ArticleRecord) -> ArticleDetail:
    """What storing `record` would give, without storing it (for `newsarchive extract`)."""
    return ArticleDetail(
        id=None,
        url=record.url,
        title=record.title or "",
        section=record.section,
        language=record.language,
        published_at=record.published_at,
        ingested_at=None,
        agency=record.agency,
        dateline=record.dateline,
        authors=record.authors,
        editors=record.editors,
        translator=record.translator,
        people=tuple(
            PersonInArticle(None, p.name, p.aliases, p.mentions, p.role) for p in record.people
        ),
        places=record.places,
        organizations=record.organizations,
        subheadings=record.subheadings,
        body=record.body,
        source=record.source,
        content_hash=record.content_hash,
    )
