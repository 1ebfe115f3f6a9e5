"""Dependencies shared by the API and the web pages."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Query, Request

from app.config import Settings
from app.search.query import MAX_QUERY_LENGTH
from app.search.types import Cursor, SearchRequest, SortOrder
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


def has_valid_key(request: Request, keys: tuple[str, ...]) -> bool:
    """True when the request carries `Authorization: Bearer <one of keys>`.

    Digests of the token and of every key are compared in constant time, so timing
    reveals neither which key matched, nor how much of one, nor a key's length.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    digest = hashlib.sha256(token.encode()).digest()
    matches = [hmac.compare_digest(digest, hashlib.sha256(k.encode()).digest()) for k in keys]
    return scheme.lower() == "bearer" and any(matches)


def _unauthorized(action: str) -> HTTPException:
    return HTTPException(
        401,
        f"a valid API key is required to {action}: Authorization: Bearer <key>",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_write_key(request: Request, settings: SettingsDep) -> None:
    """When API keys are configured, a write needs `Authorization: Bearer <key>`."""
    if settings.api_keys and not has_valid_key(request, settings.api_keys):
        raise _unauthorized("write")


def require_read_key(request: Request, settings: SettingsDep) -> None:
    """With `read_requires_key` and keys configured, a read needs a key too."""
    if (
        settings.read_requires_key
        and settings.api_keys
        and not has_valid_key(request, settings.api_keys)
    ):
        raise _unauthorized("read")


WriteAccess = Depends(require_write_key)
ReadAccess = Depends(require_read_key)


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
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page (sort by date)"),
    ] = None,
    collapse: Annotated[
        Literal["story"] | None, Query(description="story: one hit per story")
    ] = None,
) -> SearchRequest:
    """The contract's search parameters, shared by `/api/search` and the search page.

    The configured limits apply here: too long a query or too deep a page is a 400.
    Past `max_page`, date-sorted results page on with `cursor` instead.
    """
    if len(q) > settings.max_query_length:
        raise HTTPException(400, f"the query is longer than {settings.max_query_length} characters")
    if page > settings.max_page:
        raise HTTPException(
            400,
            f"page {page} is deeper than {settings.max_page}: narrow the search, or sort by "
            "newest or oldest and follow next_cursor",
        )
    after = None
    if cursor:
        if sort == "relevance":
            raise HTTPException(400, "cursor paging needs sort=newest or sort=oldest")
        try:
            after = Cursor.decode(cursor)
        except ValueError as error:
            raise HTTPException(400, f"bad cursor: {error}") from None
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
        page=1 if after else page,
        per_page=min(per_page, settings.max_per_page),
        after=after,
        collapse=collapse == "story",
    )


SearchRequestDep = Annotated[SearchRequest, Depends(search_request)]


# Ids are 64-bit database integers: larger ones are bad requests, not database errors.
MAX_ID = 2**63 - 1
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="article id")]
PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="person id")]
