"""Editors' corrections to people: rename, merge two into one, split spellings off.

Each edit runs in one transaction that also re-marks the person's articles for
indexing, so the index learns the change (and a crash before indexing loses nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.db.locks import begin_write
from app.db.models import Article, ArticlePerson, Person, PersonAlias
from app.services.archive import Archive
from app.services.indexing import index_pending
from app.services.people import name_key


class PersonEditError(ValueError):
    """An edit that cannot be made as asked; the message says why."""


class UnknownPersonError(LookupError):
    """The edit names a person id the archive does not have."""


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UnknownPersonError(f"no person {person_id}")
    return person


def _mark_articles(session: Session, person_ids: Sequence[int]) -> None:
    linked = select(ArticlePerson.article_id).where(ArticlePerson.person_id.in_(person_ids))
    session.execute(update(Article).where(Article.id.in_(linked)).values(needs_indexing=True))


def _add_alias(session: Session, person: Person, spelling: str) -> None:
    if spelling not in {alias.alias for alias in person.aliases}:
        session.add(PersonAlias(person_id=person.id, alias=spelling, key=name_key(spelling)))


def rename_person(archive: Archive, person_id: int, name: str) -> int:
    """Make `name` the person's canonical name (kept among the spellings); returns the id."""
    name = " ".join(name.split())
    if not name:
        raise PersonEditError("a name cannot be empty")
    with archive.sessions() as session:
        begin_write(session)
        person = _person(session, person_id)
        person.name, person.key = name, name_key(name)
        _add_alias(session, person, name)
        _mark_articles(session, [person_id])
        session.commit()
    index_pending(archive)
    return person_id


def merge_people(archive: Archive, person_id: int, others: Sequence[int]) -> int:
    """Fold `others` into `person_id`: their spellings and articles become its; returns the id."""
    others = sorted(set(others))
    if not others:
        raise PersonEditError("name at least one other person to merge")
    if person_id in others:
        raise PersonEditError("a person cannot be merged into itself")
    with archive.sessions() as session:
        begin_write(session)
        person = _person(session, person_id)
        for other in others:
            _person(session, other)
        kept = {
            link.article_id: link
            for link in session.scalars(
                select(ArticlePerson).where(ArticlePerson.person_id == person_id)
            )
        }
        known = {alias.alias for alias in person.aliases}
        for other_id in others:
            for link in session.scalars(
                select(ArticlePerson).where(ArticlePerson.person_id == other_id)
            ).all():
                same = kept.get(link.article_id)
                if same is None:
                    session.execute(
                        update(ArticlePerson)
                        .where(
                            ArticlePerson.article_id == link.article_id,
                            ArticlePerson.person_id == other_id,
                        )
                        .values(person_id=person_id)
                    )
                    continue
                same.mentions += link.mentions
                same.spellings = sorted({*same.spellings, *link.spellings})
                same.role = same.role or link.role
            session.execute(delete(ArticlePerson).where(ArticlePerson.person_id == other_id))
            moved = select(PersonAlias).where(PersonAlias.person_id == other_id)
            for alias in session.scalars(moved).all():
                if alias.alias not in known:
                    session.add(PersonAlias(person_id=person_id, alias=alias.alias, key=alias.key))
                    known.add(alias.alias)
            session.execute(delete(PersonAlias).where(PersonAlias.person_id == other_id))
            session.execute(delete(Person).where(Person.id == other_id))
        _mark_articles(session, [person_id])
        session.commit()
    index_pending(archive)
    return person_id


def split_person(archive: Archive, person_id: int, spellings: Sequence[str]) -> int:
    """Move `spellings` to a new person, with the articles that used only those spellings.

    Returns the new person's id. At least one spelling stays with the old person.
    """
    moving = set(spellings)
    with archive.sessions() as session:
        begin_write(session)
        person = _person(session, person_id)
        own = {alias.alias for alias in person.aliases}
        if not moving or not moving <= own:
            raise PersonEditError(f"split off some of this person's spellings: {sorted(own)}")
        if moving == own:
            raise PersonEditError("at least one spelling must stay with the person")
        name = next(s for s in spellings if s in moving)
        new = Person(name=name, key=name_key(name))
        session.add(new)
        session.flush()
        session.execute(
            update(PersonAlias)
            .where(PersonAlias.person_id == person_id, PersonAlias.alias.in_(moving))
            .values(person_id=new.id)
        )
        if person.name in moving:
            remaining = sorted(own - moving)[0]
            person.name, person.key = remaining, name_key(remaining)
        links = session.scalars(select(ArticlePerson).where(ArticlePerson.person_id == person_id))
        leaving = [link.article_id for link in links if set(link.spellings) <= moving]
        session.execute(
            update(ArticlePerson)
            .where(ArticlePerson.person_id == person_id, ArticlePerson.article_id.in_(leaving))
            .values(person_id=new.id)
        )
        _mark_articles(session, [person_id, new.id])
        session.commit()
        new_id = new.id
    index_pending(archive)
    return new_id
