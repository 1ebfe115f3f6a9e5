"""Typed records that cross the search interface, shared by every backend."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from app.pickling import pickled_by_fields

SortOrder = Literal["relevance", "newest", "oldest"]
FILTER_FIELDS: tuple[str, ...] = ("agency", "person", "place", "section", "language", "translator")
FACET_FIELDS: tuple[str, ...] = (*FILTER_FIELDS, "month")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class IndexDocument:
    """What the search index holds for one article (built from the database row)."""

    id: int
    title: str
    body: str
    section: str | None
    language: str | None
    agency: str | None
    dateline: str | None
    translator: str | None
    authors: tuple[str, ...]
    people: tuple[str, ...]
    person_aliases: tuple[str, ...]
    places: tuple[str, ...]
    organizations: tuple[str, ...]
    published_at: datetime | None
    ingested_at: datetime
    agency_code: str | None = None
    place_aliases: tuple[str, ...] = ()
    #: The id of the first article of this article's story (near duplicates share it).
    story_id: int | None = None
    #: Title and body as the backend's `analyse_text` prepared them ahead of time, in
    #: another process (opaque here; None: the backend analyses them when indexing).
    analysed: object = None

    @property
    def date(self) -> datetime:
        """The date used for filtering and sorting: publication, else ingestion."""
        return self.published_at or self.ingested_at


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a date-sorted result list stopped: the last hit's date and id.

    Paging by cursor (keyset paging) costs the same at any depth, where page
    numbers cost more the deeper they go.
    """

    date: datetime
    id: int

    def encode(self) -> str:
        """An opaque, URL-safe token for the API.

        >>> Cursor(datetime(2021, 9, 5, tzinfo=UTC), 7).encode()
        'MjAyMS0wOS0wNVQwMDowMDowMCswMDowMHw3'
        """
        return base64.urlsafe_b64encode(f"{self.date.isoformat()}|{self.id}".encode()).decode()

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor a token names; `ValueError` when it is not one of ours."""
        try:
            moment, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition("|")
            when = datetime.fromisoformat(moment)
            cursor = cls(when if when.tzinfo else when.replace(tzinfo=UTC), int(number))
        except (ValueError, UnicodeError, binascii.Error):
            raise ValueError("not a cursor returned by this API") from None
        return cursor


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search as asked through the API, the page or the CLI."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: SortOrder = "relevance"
    page: int = 1
    per_page: int = 20
    after: Cursor | None = None
    #: One hit per story: the best-placed of each group of near duplicates.
    collapse: bool = False


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article in a result list."""

    id: int
    title: str
    snippet: str
    score: float
    agency: str | None
    dateline: str | None
    published_at: datetime | None
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FacetCount:
    """How many matching articles carry one facet value."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results with facet counts over the whole result set."""

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    next_cursor: Cursor | None = None
