"""The API's response and request shapes (the contract's JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.search.types import Cursor


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AgencyOut(_Out):
    code: str
    name: str


class DatelineOut(_Out):
    place: str
    country: str | None
    country_code: str | None
    lat: float | None
    lon: float | None


class TranslatorOut(_Out):
    name: str
    from_language: str | None


class PersonInArticleOut(_Out):
    id: int | None
    name: str
    aliases: list[str]
    mentions: int
    role: str | None


class EntityOut(_Out):
    name: str
    mentions: int


class ArticlePublic(_Out):
    """One article with its metadata, as stored."""

    id: int | None
    url: str | None
    title: str
    section: str | None
    language: str | None
    published_at: datetime | None
    ingested_at: datetime | None
    agency: AgencyOut | None
    dateline: DatelineOut | None
    authors: list[str]
    editors: list[str]
    translator: TranslatorOut | None
    people: list[PersonInArticleOut]
    places: list[EntityOut]
    organizations: list[EntityOut]
    subheadings: list[str]
    body: str
    source: str | None
    content_hash: str
    story_id: int | None = None


class SearchHitOut(_Out):
    id: int
    title: str
    snippet: str = Field(description="HTML-escaped text; only <mark> tags are markup")
    score: float
    agency: str | None
    dateline: str | None
    published_at: datetime | None
    people: list[str]


class FacetCountOut(_Out):
    value: str
    count: int


class SearchResponse(_Out):
    """One page of search results with facets over the whole result set."""

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    suggestion: str | None
    hits: list[SearchHitOut]
    facets: dict[str, list[FacetCountOut]]
    next_cursor: str | None = Field(
        default=None,
        description="with sort=newest|oldest, pass as `cursor` for the next page; null at the end",
    )

    @field_validator("next_cursor", mode="before")
    @classmethod
    def _encode_cursor(cls, value: object) -> object:
        return value.encode() if isinstance(value, Cursor) else value


class RelatedResponse(_Out):
    hits: list[SearchHitOut]


class PersonSummaryOut(_Out):
    id: int
    name: str
    aliases: list[str]
    article_count: int


class PeopleResponse(_Out):
    total: int
    items: list[PersonSummaryOut]


class CoMentionOut(_Out):
    id: int
    name: str
    count: int


class PersonDetailOut(PersonSummaryOut):
    roles: list[str]
    articles: list[SearchHitOut]
    co_mentioned: list[CoMentionOut]


class PersonRename(BaseModel):
    """A new canonical name for a person."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)


class PeopleMerge(BaseModel):
    """The ids of the people to fold into this one."""

    model_config = ConfigDict(extra="forbid")
    people: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=100)


class PersonSplit(BaseModel):
    """The spellings that name someone else."""

    model_config = ConfigDict(extra="forbid")
    aliases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=100
    )


class BulkFailure(BaseModel):
    line: int
    error: str


class BulkResult(BaseModel):
    added: int
    duplicates: int
    failed: list[BulkFailure]


class HealthOut(BaseModel):
    status: str
    articles: int
    backend: str
    indexed: int
    pending_index: int


class Problem(BaseModel):
    """An RFC 9457 problem body; every error the API returns has this shape."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
