"""The ingest pipeline: the one place where the steps are ordered.

Each step is a pure function `ArticleRecord -> ArticleRecord`; see record.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from app.ingest.record import ArticleRecord, IngestError, InputFormat
from app.ingest.text import content_hash, decode_bytes, is_text_like, split_paragraphs

Step = Callable[[ArticleRecord], ArticleRecord]


def split_lines(record: ArticleRecord) -> ArticleRecord:
    """Working lines from the raw text: one paragraph per line, blanks dropped."""
    return replace(record, lines=split_paragraphs(record.raw))


def extract_title(record: ArticleRecord) -> ArticleRecord:
    """The first remaining line is the headline."""
    if record.title or not record.lines:
        return record
    return replace(record, title=record.lines[0], lines=record.lines[1:])


def assemble_body(record: ArticleRecord) -> ArticleRecord:
    """Join the remaining lines into the body, paragraphs separated by blank lines."""
    body = "\n\n".join(record.lines)
    if not body:
        record = record.with_issue("assemble_body", "no body text left after extraction")
    return replace(record, body=body)


def hash_content(record: ArticleRecord) -> ArticleRecord:
    """Identify the article by its raw content."""
    return replace(record, content_hash=content_hash(record.raw))


STEPS: tuple[Step, ...] = (split_lines, extract_title, assemble_body, hash_content)


def run_pipeline(record: ArticleRecord, steps: tuple[Step, ...] = STEPS) -> ArticleRecord:
    """Run every step in order over `record`."""
    for step in steps:
        record = step(record)
    return record


def build_record(
    data: bytes | str,
    *,
    format: InputFormat = "text",
    url: str | None = None,
    published_at: datetime | None = None,
    source: str | None = None,
) -> ArticleRecord:
    """Validate raw input and wrap it in a fresh record; raises `IngestError` if unusable."""
    text = decode_bytes(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise IngestError("the input is empty")
    if "\x00" in text or not is_text_like(text):
        raise IngestError("the input is binary or not readable text")
    return ArticleRecord(raw=text, format=format, url=url, published_at=published_at, source=source)


def extract_article(
    data: bytes | str,
    *,
    format: InputFormat = "text",
    url: str | None = None,
    published_at: datetime | None = None,
    source: str | None = None,
) -> ArticleRecord:
    """Build a record from raw input and run the whole pipeline over it."""
    record = build_record(data, format=format, url=url, published_at=published_at, source=source)
    record = run_pipeline(record)
    if not record.title and not record.body:
        raise IngestError("no article text could be extracted")
    return record
