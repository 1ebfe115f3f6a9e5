"""Typed records that cross the search interface, shared by every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

SortOrder = Literal["relevance", "newest", "oldest"]
FILTER_FIELDS: tuple[str, ...] = ("agency", "person", "place", "section", "language", "translator")
FACET_FIELDS: tuple[str, ...] = (*FILTER_FIELDS, "month")


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

    @property
    def date(self) -> datetime:
        """The date used for filtering and sorting: publication, else ingestion."""
        return self.published_at or self.ingested_at


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
