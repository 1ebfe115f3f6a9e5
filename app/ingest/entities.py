"""People named in an article (a first, simple rule; see issue 4 for the full extractor)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from app.ingest.record import ArticleRecord, PersonMention

_NAME = re.compile(r"(?<![\w.] )\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,3})\b")


def person_key(name: str) -> str:
    """A matching key: lower case, accents folded. `Muttaqí` → `muttaqi`."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def is_same_person(a: str, b: str) -> bool:
    """True when two spellings name the same person."""
    return person_key(a) == person_key(b)


def extract_entities(record: ArticleRecord) -> ArticleRecord:
    """People as runs of two to four capitalised words inside sentences."""
    excluded = {person_key(name) for name in record.authors}
    counts = Counter(
        match.group(1)
        for match in _NAME.finditer(record.body)
        if person_key(match.group(1)) not in excluded
    )
    people = tuple(PersonMention(name, mentions=count) for name, count in counts.most_common())
    return replace(record, people=people)
