"""Keeping the search index in step with the database (the truth)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.lookups import in_chunks
from app.db.models import Article, ArticleEntity, ArticlePerson, Person, PersonAlias
from app.ingest.names import is_same_place
from app.search.types import IndexDocument
from app.services.archive import Archive

INDEX_BATCH = 1000


def indexed_body(subheadings: Sequence[str], body: str) -> str:
    """The body text as the index holds it: the subheadings, then the body."""
    return "\n\n".join((*subheadings, body))


def load_articles(session: Session, ids: Iterable[int]) -> list[Article]:
    """Articles by id as ORM objects with their people and entities (display, export)."""
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


#: The article columns an index document is built from.
_DOCUMENT_COLUMNS = (
    Article.id,
    Article.title,
    Article.subheadings,
    Article.body,
    Article.section,
    Article.language,
    Article.agency_name,
    Article.agency_code,
    Article.dateline_place,
    Article.dateline_country,
    Article.translator_name,
    Article.authors,
    Article.published_at,
    Article.ingested_at,
    Article.story_id,
)


@dataclass(slots=True)
class _Names:
    """What an article names, as the index needs it: people with their spellings, places."""

    people: list[int] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)


def _load_names(session: Session, ids: list[int]) -> dict[int, _Names]:
    """People (in article order) and entities (in stored order) of the articles, by id."""
    names = {article_id: _Names() for article_id in ids}
    people = select(ArticlePerson.article_id, ArticlePerson.person_id).order_by(
        ArticlePerson.article_id, ArticlePerson.position
    )
    entities = select(
        ArticleEntity.article_id, ArticleEntity.kind, ArticleEntity.name, ArticleEntity.key
    ).order_by(ArticleEntity.id)
    for chunk in in_chunks(ids):
        for article_id, person_id in session.execute(
            people.where(ArticlePerson.article_id.in_(chunk))
        ):
            names[article_id].people.append(person_id)
        for article_id, kind, name, key in session.execute(
            entities.where(ArticleEntity.article_id.in_(chunk))
        ):
            if kind == "place":
                names[article_id].places.append((name, key))
            elif kind == "organization":
                names[article_id].organizations.append(name)
    return names


def _load_spellings(session: Session, person_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Each person's canonical name, then its other spellings in the order they were seen."""
    spellings: dict[int, tuple[str, ...]] = {}
    for chunk in in_chunks(person_ids):
        for person_id, name in session.execute(
            select(Person.id, Person.name).where(Person.id.in_(chunk))
        ):
            spellings[person_id] = (name,)
        aliases = (
            select(PersonAlias.person_id, PersonAlias.alias)
            .where(PersonAlias.person_id.in_(chunk))
            .order_by(PersonAlias.id)
        )
        for person_id, alias in session.execute(aliases):
            if alias != spellings[person_id][0]:
                spellings[person_id] += (alias,)
    return spellings


def load_place_spellings(session: Session, keys: Iterable[str]) -> dict[str, set[str]]:
    """The spellings the archive holds of places, by the places' blocking keys."""
    spellings: dict[str, set[str]] = {}
    for chunk in in_chunks(keys):
        rows = session.execute(
            select(ArticleEntity.key, ArticleEntity.name)
            .where(ArticleEntity.kind == "place", ArticleEntity.key.in_(chunk))
            .distinct()
        )
        for key, name in rows:
            spellings.setdefault(key, set()).add(name)
    return spellings


def load_place_variants(
    session: Session, places: Iterable[tuple[str, str]]
) -> dict[str, tuple[str, ...]]:
    """For each place (name, blocking key), its other spellings known to the archive."""
    wanted = set(places)
    by_key = load_place_spellings(session, {key for _, key in wanted})
    return {
        name: tuple(sorted(v for v in by_key.get(key, ()) if v != name and is_same_place(v, name)))
        for name, key in wanted
    }


def load_documents(
    session: Session, ids: Sequence[int], analysed: Mapping[int, object] | None = None
) -> list[IndexDocument]:
    """The index documents of stored articles, by id; `analysed` holds, by article id, text
    the backend's `analyse_text` prepared ahead.

    Plain column reads, a few statements per thousand articles: no ORM objects.
    """
    ahead = analysed or {}
    rows = [
        row
        for chunk in in_chunks(ids)
        for row in session.execute(select(*_DOCUMENT_COLUMNS).where(Article.id.in_(chunk)))
    ]
    rows.sort(key=lambda row: row.id)
    names = _load_names(session, [row.id for row in rows])
    spellings = _load_spellings(session, {p for n in names.values() for p in n.people})
    variants = load_place_variants(session, (p for n in names.values() for p in n.places))
    documents = []
    for row in rows:
        named = names[row.id]
        places = tuple(name for name, _ in named.places)
        dateline = ", ".join(p for p in (row.dateline_place, row.dateline_country) if p)
        documents.append(
            IndexDocument(
                id=row.id,
                title=row.title,
                body=indexed_body(row.subheadings, row.body),
                section=row.section,
                language=row.language,
                agency=row.agency_name,
                agency_code=row.agency_code,
                dateline=dateline or None,
                translator=row.translator_name,
                authors=tuple(row.authors),
                people=tuple(spellings[p][0] for p in named.people),
                person_aliases=tuple(a for p in named.people for a in spellings[p][1:]),
                places=places,
                place_aliases=tuple(v for place in places for v in variants.get(place, ())),
                organizations=tuple(named.organizations),
                published_at=row.published_at,
                ingested_at=row.ingested_at,
                story_id=row.story_id or row.id,
                analysed=ahead.get(row.id),
            )
        )
    return documents


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
