"""Realistic, varied wire copy for bulk tests, built from the bundled Wikinews articles.

Each generated story takes a headline and sentences from the demo articles
(CC BY, see app/demo/ATTRIBUTION.md), with a wire dateline and sign-off, so
every story is distinct text that the pipeline treats as real news.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path

from tests.conftest import DEMO_DIR

PLACES = ("LONDON", "PARIS", "TOULOUSE", "SEATTLE", "NEW YORK", "BERLIN", "TOKYO", "CUPERTINO")
AGENCIES = ("Reuters", "AP", "AFP")
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct")


@cache
def _articles() -> tuple[tuple[str, tuple[str, ...]], ...]:
    lines = (DEMO_DIR / "wikinews.ndjson").read_text(encoding="utf-8").splitlines()
    articles = []
    for line in lines:
        title, _, body = json.loads(line)["text"].partition("\n\n")
        sentences = tuple(s for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 5)
        articles.append((title, sentences))
    return tuple(articles)


def wire_story(number: int) -> str:
    """Story `number`: the same text for the same number, different text for another."""
    rng = random.Random(number)
    articles = _articles()
    title, _ = articles[rng.randrange(len(articles))]
    pool = [s for _, sentences in rng.sample(articles, 3) for s in sentences]
    chosen = rng.sample(pool, min(len(pool), rng.randint(5, 9)))
    place, agency = rng.choice(PLACES), rng.choice(AGENCIES)
    dateline = f"{place}, {rng.choice(MONTHS)} {rng.randint(1, 28)} ({agency}) - "
    paragraphs = [" ".join(chosen[i : i + 2]) for i in range(0, len(chosen), 2)]
    return f"{title}\n\n{dateline}" + "\n\n".join(paragraphs) + f"\n\n{agency}\n"


def write_stories(folder: Path, count: int) -> list[Path]:
    """Write stories 0..count-1 as one text file each, in nested folders; returns the paths."""
    paths = []
    for number in range(count):
        path = folder / f"batch-{number // 500:02d}" / f"story-{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wire_story(number), encoding="utf-8")
        paths.append(path)
    return paths
