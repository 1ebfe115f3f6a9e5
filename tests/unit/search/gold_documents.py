"""Index documents made of the gold articles, numbered so that every copy is its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.search.types import IndexDocument

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TEXTS = sorted(p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt"))
START = datetime(2021, 8, 15, 9, tzinfo=UTC)


def article(number: int) -> IndexDocument:
    """Gold article `number % len(TEXTS)`, numbered so every copy is a document of its own."""
    title, _, body = TEXTS[number % len(TEXTS)].partition("\n")
    return IndexDocument(
        id=number,
        title=title,
        body=f"{body}\n\nArchive copy {number}.",
        section="World",
        language="en",
        agency="Anadolu Agency",
        dateline="Kabul, Afghanistan",
        translator=None,
        authors=(),
        people=("Ahmad Massoud",) if number % 2 else (),
        person_aliases=(),
        places=("Kabul",),
        organizations=(),
        published_at=START + timedelta(minutes=number),
        ingested_at=START,
    )
