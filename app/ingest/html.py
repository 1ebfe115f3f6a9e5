"""HTML page → main text and page metadata, with trafilatura."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura

from app.ingest.dates import parse_date

# trafilatura logs every page it cannot parse; malformed pages are normal input here.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page holds: its main text (paragraphs on lines) and metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    published: date | None = None
    site_name: str | None = None
    url: str | None = None


def extract_page(html: str) -> Page | None:
    """The main text and metadata of an HTML page; None when there is no main text.

    Scripts, styles and navigation never reach the text.
    """
    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, TypeError, AttributeError, LookupError):
        return None
    if document is None:
        return None
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = fields.get("text") or ""
    if not text.strip():
        return None
    published = fields.get("date")
    return Page(
        text=text,
        title=fields.get("title") or None,
        author=fields.get("author") or None,
        published=parse_date(published) if published else None,
        site_name=fields.get("sitename") or None,
        url=fields.get("url") or None,
    )
