"""People across the archive: resolving spellings to one person, listing, detail."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db.models import Article, ArticlePerson, Person, PersonAlias
from app.ingest.names import blocking_key, is_same_person, person_key
from app.ingest.record import PersonMention


def name_key(name: str) -> str:
    """The indexed lookup key of a person's spelling (all its likely variants share it)."""
    return blocking_key(person_key(name))


def resolve_person(session: Session, mention: PersonMention) -> Person:
    """The archive's person for a mention, else a new one; every spelling becomes an alias.

    Candidates share a coarse key (`name_key`); `is_same_person` confirms, so two
    people who merely share a key stay apart.
    """
    spellings = (mention.name, *mention.aliases)
    candidates = session.scalars(
        select(Person)
        .join(PersonAlias)
        .where(PersonAlias.key.in_({name_key(spelling) for spelling in spellings}))
        .options(selectinload(Person.aliases))
        .order_by(Person.id)
    ).unique()
    person = next(
        (
            candidate
            for candidate in candidates
            if any(is_same_person(a.alias, s) for a in candidate.aliases for s in spellings)
        ),
        None,
    )
    if person is None:
        person = Person(name=mention.name, key=name_key(mention.name))
        session.add(person)
    known = {alias.alias for alias in person.aliases}
    new_spellings = [spelling for spelling in dict.fromkeys(spellings) if spelling not in known]
    for spelling in new_spellings:
        person.aliases.append(PersonAlias(alias=spelling, key=name_key(spelling)))
    if new_spellings and person.id is not None:
        # Articles already indexed under this person must learn the new spelling.
        session.execute(
            update(Article)
            .where(
                Article.id.in_(
                    select(ArticlePerson.article_id).where(ArticlePerson.person_id == person.id)
                )
            )
            .values(needs_indexing=True)
        )
    return person


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """A person as listed: name, other spellings, how many articles mention them."""

    id: int
    name: str
    aliases: tuple[str, ...]
    article_count: int


@dataclass(frozen=True, slots=True)
class CoMention:
    """Another person named in the same articles, with how many articles."""

    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """One page of the people index."""

    total: int
    items: tuple[PersonSummary, ...]


def _aliases_of(person: Person) -> tuple[str, ...]:
    return tuple(a.alias for a in person.aliases if a.alias != person.name)


def list_people(session: Session, *, q: str = "", page: int = 1, per_page: int = 20) -> PeoplePage:
    """People, most mentioned first, optionally those with a spelling containing `q`."""
    counts = (
        select(ArticlePerson.person_id, func.count().label("n"))
        .group_by(ArticlePerson.person_id)
        .subquery()
    )
    statement = select(Person, counts.c.n).join(counts, counts.c.person_id == Person.id)
    if q.strip():
        # A spelling containing `q`, or a name word starting like `q` in any transliteration.
        key = name_key(q)
        matching = select(PersonAlias.person_id).where(
            PersonAlias.alias.icontains(q.strip(), autoescape=True)
            | PersonAlias.key.startswith(key, autoescape=True)
            | PersonAlias.key.contains(f" {key}", autoescape=True)
        )
        statement = statement.where(Person.id.in_(matching))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.options(selectinload(Person.aliases))
        .order_by(counts.c.n.desc(), Person.name, Person.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = tuple(PersonSummary(p.id, p.name, _aliases_of(p), n) for p, n in rows)
    return PeoplePage(total, items)


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """A person with roles seen, article ids newest first and co-mentioned people."""

    summary: PersonSummary
    roles: tuple[str, ...]
    article_ids: tuple[int, ...]
    co_mentioned: tuple[CoMention, ...]


def get_person(session: Session, person_id: int, *, co_limit: int = 20) -> PersonDetail | None:
    """One person's detail, or None when the id is unknown."""
    person = session.get(Person, person_id, options=[selectinload(Person.aliases)])
    if person is None:
        return None
    links = list(session.scalars(select(ArticlePerson).where(ArticlePerson.person_id == person_id)))
    article_ids = tuple(sorted((link.article_id for link in links), reverse=True))
    roles = Counter(link.role for link in links if link.role)
    co_rows = session.execute(
        select(Person.id, Person.name, func.count().label("n"))
        .join(ArticlePerson, ArticlePerson.person_id == Person.id)
        .where(ArticlePerson.article_id.in_(article_ids), Person.id != person_id)
        .group_by(Person.id, Person.name)
        .order_by(func.count().desc(), Person.name)
        .limit(co_limit)
    )
    return PersonDetail(
        summary=PersonSummary(person.id, person.name, _aliases_of(person), len(article_ids)),
        roles=tuple(role for role, _ in roles.most_common()),
        article_ids=article_ids,
        co_mentioned=tuple(CoMention(pid, name, n) for pid, name, n in co_rows),
    )
