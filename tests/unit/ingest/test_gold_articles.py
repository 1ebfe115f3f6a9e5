"""The hand-written gold set: every agency and dateline form, each with its expected fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.ingest.pipeline import extract_article
from app.ingest.record import ArticleRecord

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
SOURCES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".html"))


def extracted_fields(record: ArticleRecord) -> dict[str, Any]:
    """The record's fields in the shape of an `.expected.json` file."""
    return {
        "title": record.title,
        "section": record.section,
        "agency": record.agency.code if record.agency else None,
        "dateline": (
            {"place": record.dateline.place, "country_code": record.dateline.country_code}
            if record.dateline
            else None
        ),
        "authors": list(record.authors),
        "editors": list(record.editors),
        "translator": (
            {"name": record.translator.name, "from_language": record.translator.from_language}
            if record.translator
            else None
        ),
        "published_at": record.published_at.date().isoformat() if record.published_at else None,
        "language": record.language,
        "subheadings": list(record.subheadings),
    }


def test_the_gold_set_is_large_enough() -> None:
    assert len(SOURCES) >= 40


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_gold_article(source: Path) -> None:
    expected = json.loads(source.with_suffix(".expected.json").read_text("utf-8"))
    record = extract_article(
        source.read_bytes(), format="html" if source.suffix == ".html" else "text"
    )
    body_starts_with = expected.pop("body_starts_with")
    body_excludes = expected.pop("body_excludes")
    assert extracted_fields(record) == expected
    assert record.body.startswith(body_starts_with)
    for junk in body_excludes:
        assert junk not in record.body
    assert record.dateline is None or record.dateline.lat is not None
