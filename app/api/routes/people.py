"""`/api/people`: who the archive mentions, most first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from app.api.schemas import (
    PeopleMerge,
    PeopleResponse,
    PersonDetailOut,
    PersonRename,
    PersonSplit,
    Problem,
)
from app.deps import ArchiveDep, PersonId, WriteAccess
from app.services.archive import Archive
from app.services.articles import article_hits
from app.services.people import get_person, list_people
from app.services.people_edits import (
    PersonEditError,
    UnknownPersonError,
    merge_people,
    rename_person,
    split_person,
)

router = APIRouter(prefix="/api/people", tags=["people"])
EDIT_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 404, 422)
}


@router.get("", response_model=PeopleResponse, responses={400: {"model": Problem}})
def people(
    archive: ArchiveDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> PeopleResponse:
    """People, most mentioned first; `q` filters by any spelling."""
    with archive.sessions() as session:
        found = list_people(session, q=q, page=page, per_page=per_page)
    return PeopleResponse.model_validate(found)


def person_out(archive: Archive, person_id: int, limit: int = 20) -> PersonDetailOut:
    """A person's detail as the API shows it; 404 when the id is unknown."""
    with archive.sessions() as session:
        detail = get_person(session, person_id)
    if detail is None:
        raise HTTPException(404, f"no person {person_id}")
    summary = detail.summary
    return PersonDetailOut(
        id=summary.id,
        name=summary.name,
        aliases=list(summary.aliases),
        article_count=summary.article_count,
        roles=list(detail.roles),
        articles=article_hits(archive, detail.article_ids[:limit]),
        co_mentioned=detail.co_mentioned,
    )


@router.get("/{person_id}", response_model=PersonDetailOut, responses={404: {"model": Problem}})
def person(
    person_id: PersonId, archive: ArchiveDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> PersonDetailOut:
    """One person: spellings, roles, latest articles, co-mentioned people."""
    return person_out(archive, person_id, limit)


def _edited(archive: Archive, edit: Callable[[], int]) -> PersonDetailOut:
    """Run an edit and show the person it leaves (404 unknown id, 422 impossible edit)."""
    try:
        person_id = edit()
    except UnknownPersonError as error:
        raise HTTPException(404, str(error)) from None
    except PersonEditError as error:
        raise HTTPException(422, str(error)) from None
    return person_out(archive, person_id)


@router.patch(
    "/{person_id}",
    response_model=PersonDetailOut,
    responses=EDIT_ERRORS,
    dependencies=[WriteAccess],
)
def rename(person_id: PersonId, body: PersonRename, archive: ArchiveDep) -> PersonDetailOut:
    """Give a person another canonical name (the old one stays a known spelling)."""
    return _edited(archive, lambda: rename_person(archive, person_id, body.name))


@router.post(
    "/{person_id}/merge",
    response_model=PersonDetailOut,
    responses=EDIT_ERRORS,
    dependencies=[WriteAccess],
)
def merge(person_id: PersonId, body: PeopleMerge, archive: ArchiveDep) -> PersonDetailOut:
    """Fold other people into this one: their spellings and articles become this person's."""
    return _edited(archive, lambda: merge_people(archive, person_id, body.people))


@router.post(
    "/{person_id}/split",
    response_model=PersonDetailOut,
    status_code=201,
    responses=EDIT_ERRORS,
    dependencies=[WriteAccess],
)
def split(person_id: PersonId, body: PersonSplit, archive: ArchiveDep) -> PersonDetailOut:
    """Move some spellings (and the articles that used only them) to a new person."""
    return _edited(archive, lambda: split_person(archive, person_id, body.aliases))
