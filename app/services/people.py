"""People across the archive: resolving spellings to one person, listing, detail."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload

from app.db.base import table_of
from app.db.lookups import in_chunks
from app.db.models import ArticlePerson, Person, PersonAlias
from app.ingest.names import blocking_key, is_same_person, person_key
from app.ingest.record import PersonMention
from app.services.indexing import mark_for_indexing


def name_key(name: str) -> str:
    """The indexed lookup key of a person's spelling (all its likely variants share it)."""
    return blocking_key(person_key(name))


@dataclass(slots=True)
class _Resolving:
    """A person while a batch of mentions resolves: stored (with id) or about to be."""

    id: int | None
    name: str
    aliases: dict[str, str]  # spelling -> its name_key
    rank: tuple[int, int]  # stored people by id first, then new ones in order


def _spellings(mention: PersonMention) -> list[str]:
    return list(dict.fromkeys((mention.name, *mention.aliases)))


def _load_people(session: Session, keys: set[str]) -> list[_Resolving]:
    """Stored people with a spelling under one of `keys`, with all their spellings."""
    ids: set[int] = set()
    for chunk in in_chunks(keys):
        ids.update(session.scalars(select(PersonAlias.person_id).where(PersonAlias.key.in_(chunk))))
    people: dict[int, _Resolving] = {}
    for chunk_ids in in_chunks(ids):
        rows = session.execute(
            select(Person.id, Person.name, PersonAlias.alias, PersonAlias.key)
            .join(PersonAlias)
            .where(Person.id.in_(chunk_ids))
            .order_by(Person.id, PersonAlias.id)
        )
        for row in rows:
            person = people.setdefault(row.id, _Resolving(row.id, row.name, {}, (0, row.id)))
            person.aliases[row.alias] = row.key
    return list(people.values())


def resolve_people(
    session: Session, mentions: Sequence[PersonMention]
) -> tuple[list[int], set[int]]:
    """The archive's person id for each mention, in order, adding people and spellings;
    and the stored articles marked for indexing again.

    Candidates share a coarse key (`name_key`); `is_same_person` confirms, so two
    people who merely share a key stay apart. A mention may match a person an
    earlier mention of the same call created. Articles already naming a person
    who gains a spelling are marked for indexing, so the index learns it.
    """
    people = _load_people(session, {name_key(s) for m in mentions for s in _spellings(m)})
    by_key: dict[str, list[_Resolving]] = {}
    for person in people:
        for key in set(person.aliases.values()):
            by_key.setdefault(key, []).append(person)
    chosen: list[_Resolving] = []
    created: list[_Resolving] = []
    added: list[tuple[_Resolving, str, str]] = []
    grown: set[int] = set()
    for mention in mentions:
        spellings = _spellings(mention)
        keys = {name_key(spelling) for spelling in spellings}
        candidates = {id(p): p for key in keys for p in by_key.get(key, ())}.values()
        match = next(
            (
                candidate
                for candidate in sorted(candidates, key=lambda p: p.rank)
                if any(is_same_person(a, s) for a in candidate.aliases for s in spellings)
            ),
            None,
        )
        person = match or _Resolving(None, mention.name, {}, (1, len(created)))
        if match is None:
            created.append(person)
        for spelling in spellings:
            if spelling not in person.aliases:
                key = name_key(spelling)
                person.aliases[spelling] = key
                by_key.setdefault(key, []).append(person)
                added.append((person, spelling, key))
                if person.id is not None:
                    grown.add(person.id)
        chosen.append(person)
    if created:
        table = table_of(Person)
        ids = session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [{"name": p.name, "key": name_key(p.name)} for p in created],
        )
        for person, person_id in zip(created, ids, strict=True):
            person.id = person_id
    if added:
        session.execute(
            insert(table_of(PersonAlias)),
            [{"person_id": p.id, "alias": alias, "key": key} for p, alias, key in added],
        )
    remarked: set[int] = set()
    for chunk in in_chunks(grown):
        linked = select(ArticlePerson.article_id).where(ArticlePerson.person_id.in_(chunk))
        remarked |= mark_for_indexing(session, linked)
    return [person.id for person in chosen if person.id is not None], remarked


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
