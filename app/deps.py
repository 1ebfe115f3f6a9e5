"""Dependencies shared by the API and the web pages."""

from __future__ import annotations

import hmac
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request

from app.config import Settings
from app.search.query import MAX_QUERY_LENGTH
from app.search.types import SearchRequest, SortOrder
from app.services.archive import Archive


def get_archive(request: Request) -> Archive:
    """The archive opened at start-up."""
    archive: Archive = request.app.state.archive
    return archive


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


ArchiveDep = Annotated[Archive, Depends(get_archive)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_write_key(request: Request, settings: SettingsDep) -> None:
    """When API keys are configured, a write needs `Authorization: Bearer <key>`."""
    if not settings.api_keys:
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    valid = scheme.lower() == "bearer" and any(
        hmac.compare_digest(token.encode(), key.encode()) for key in settings.api_keys
    )
    if not valid:
        raise HTTPException(
            401,
            "a valid API key is required: Authorization: Bearer <key>",
            headers={"WWW-Authenticate": "Bearer"},
        )


WriteAccess = Depends(require_write_key)


def search_request(
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH, description="query language")] = "",
    agency: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
    person: Annotated[list[str], Query()] = [],  # noqa: B006
    place: Annotated[list[str], Query()] = [],  # noqa: B006
    section: Annotated[list[str], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query()] = [],  # noqa: B006
    translator: Annotated[list[str], Query()] = [],  # noqa: B006
    date_from: date | None = None,
    date_to: date | None = None,
    sort: SortOrder = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    collapse: Annotated[
        Literal["story"] | None, Query(description="story: one hit per story")
    ] = None,
) -> SearchRequest:
    """The contract's search parameters, shared by `/api/search` and the search page."""
    values = {
        "agency": agency,
        "person": person,
        "place": place,
        "section": section,
        "language": language,
        "translator": translator,
    }
    filters = {name: tuple(v for v in vs if v.strip()) for name, vs in values.items()}
    return SearchRequest(
        q=q,
        filters={name: vs for name, vs in filters.items() if vs},
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        per_page=min(per_page, settings.max_per_page),
        collapse=collapse == "story",
    )


SearchRequestDep = Annotated[SearchRequest, Depends(search_request)]
