"""`/api/people`: who the archive mentions, most first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from app.api.schemas import PeopleResponse, PersonDetailOut, Problem
from app.deps import ArchiveDep, PersonId
from app.services.articles import article_hits
from app.services.people import get_person, list_people

router = APIRouter(prefix="/api/people", tags=["people"])


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


@router.get("/{person_id}", response_model=PersonDetailOut, responses={404: {"model": Problem}})
def person(
    person_id: PersonId, archive: ArchiveDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> PersonDetailOut:
    """One person: spellings, roles, latest articles, co-mentioned people."""
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
