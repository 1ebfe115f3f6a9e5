"""The ingest pipeline: the one place where the steps are ordered.

Each step is a pure function `ArticleRecord -> ArticleRecord`; see record.py.
The wire steps live in steps.py; this module orders them and guards the input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.ingest.entities import extract_entities
from app.ingest.record import ArticleRecord, IngestError, InputFormat
from app.ingest.steps import (
    assemble_body,
    detect_article_language,
    drop_page_junk,
    extract_date_line,
    extract_head_credits,
    extract_section,
    extract_subheadings,
    extract_tail_credits,
    extract_title,
    extract_wire_dateline,
    hash_content,
    normalise_published_at,
    split_glued_bylines,
    split_lines,
)
from app.ingest.text import MAX_TEXT_CHARS, decode_bytes, describe_non_news, is_text_like

Step = Callable[[ArticleRecord], ArticleRecord]

# Wire-copy metadata: everything up to the assembled body (what bench/extraction.py scores).
METADATA_STEPS: tuple[Step, ...] = (
    split_lines,
    drop_page_junk,
    extract_section,
    split_glued_bylines,
    extract_date_line,
    extract_title,
    extract_head_credits,
    extract_wire_dateline,
    extract_tail_credits,
    extract_subheadings,
    normalise_published_at,
    detect_article_language,
    assemble_body,
)
STEPS: tuple[Step, ...] = (*METADATA_STEPS, extract_entities, hash_content)


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
    if len(data) > 4 * MAX_TEXT_CHARS:
        raise IngestError(
            f"the input is too large ({len(data):,} bytes; limit {4 * MAX_TEXT_CHARS:,})"
        )
    text = decode_bytes(data) if isinstance(data, bytes) else data
    if not text.strip():
        raise IngestError("the input is empty")
    if len(text) > MAX_TEXT_CHARS and format != "html":
        raise IngestError(
            f"the text is too long ({len(text):,} characters; limit {MAX_TEXT_CHARS:,})"
        )
    if "\x00" in text or (format != "html" and not is_text_like(text)):
        raise IngestError("the input is binary or not readable text")
    reason = describe_non_news(text) if format != "html" else None
    if reason:
        raise IngestError(reason)
    return ArticleRecord(raw=text, format=format, url=url, published_at=published_at, source=source)


def extract_article(
    data: bytes | str,
    *,
    format: InputFormat = "text",
    url: str | None = None,
    published_at: datetime | None = None,
    source: str | None = None,
    steps: tuple[Step, ...] = STEPS,
) -> ArticleRecord:
    """Build a record from raw input and run the pipeline (every step by default) over it."""
    record = build_record(data, format=format, url=url, published_at=published_at, source=source)
    record = run_pipeline(record, steps)
    if not record.title and not record.body:
        raise IngestError("no article text could be extracted")
    return record


#: A short wire story touching every table the steps load lazily (geocoder, names, language).
_WARM_UP = (
    "Afghan resistance leader offers talks\n\n"
    "KABUL, Afghanistan (AP) — Ahmad Massoud, the leader of the National Resistance Front, "
    "said on Monday that he was ready to meet Taliban officials in Kabul."
)


def warm_up() -> None:
    """Load the pipeline's tables now, so that processes forked afterwards share them."""
    extract_article(_WARM_UP)
