"""The typed, frozen record that flows through the ingest pipeline.

Every pipeline step takes an `ArticleRecord` and returns an updated copy
(`dataclasses.replace`). Steps never raise for messy data: they append an
`IngestIssue` instead. Only unusable input raises `IngestError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from app.pickling import pickled_by_fields

InputFormat = Literal["text", "html", "json"]


class IngestError(ValueError):
    """Raised for input that cannot become an article (empty, binary, not text)."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class IngestIssue:
    """Something a step noticed but could work around (kept with the article)."""

    step: str
    message: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Agency:
    """A news agency, e.g. `Agency("AA", "Anadolu Agency")`."""

    code: str
    name: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Dateline:
    """Where a story was filed, geocoded when the gazetteer knows the place."""

    place: str
    country: str | None = None
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Translator:
    """Who translated the article and from which language (ISO 639-1 code)."""

    name: str
    from_language: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named in an article: the canonical spelling, other spellings seen, role."""

    name: str
    aliases: tuple[str, ...] = ()
    mentions: int = 1
    role: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class EntityMention:
    """A place or organisation named in an article with its mention count."""

    name: str
    mentions: int = 1


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article on its way through the pipeline.

    `raw` is the input exactly as received; `lines` is the working text the
    wire steps consume (each step removes the lines it recognised); `body` is
    set once the remaining lines are assembled. `published_at` is always a
    timezone-aware UTC datetime (a source that gives only a day yields midnight
    UTC), or None: a year is never guessed. `subheadings` are listed apart and
    also stay in `body` as paragraphs of their own, so the story reads in order.
    `dateline_date` is the dateline's date (ISO) when known: written in full, or
    completed by the one year the text's own dates use.
    """

    raw: str
    format: InputFormat = "text"
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    site_name: str | None = None
    lines: tuple[str, ...] = ()
    title: str | None = None
    section: str | None = None
    agency: Agency | None = None
    dateline: Dateline | None = None
    dateline_date: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    translator: Translator | None = None
    subheadings: tuple[str, ...] = ()
    body: str = ""
    language: str | None = None
    people: tuple[PersonMention, ...] = ()
    places: tuple[EntityMention, ...] = ()
    organizations: tuple[EntityMention, ...] = ()
    issues: tuple[IngestIssue, ...] = field(default=())
    content_hash: str = ""

    def with_issue(self, step: str, message: str) -> ArticleRecord:
        """Return a copy with one more issue recorded."""
        return replace(self, issues=(*self.issues, IngestIssue(step, message)))
