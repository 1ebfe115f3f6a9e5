"""Score wire-metadata extraction on the research corpora and print a table.

    python -m bench.extraction            # every document
    python -m bench.extraction --sample 5 # every 5th document of the big corpora

The floors in bench/extraction_floors.json are what the corpus gate
(tests/unit/ingest/test_extraction_gate.py) enforces. They sit just under the measured
figures and never under the issue's minimums (98% Reuters datelines, 97% AG News and
TempEval-3 silver datelines and agencies, 95% bylines and creation dates); raise them
when extraction improves, never lower them silently.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from app.ingest.pipeline import METADATA_STEPS, STEPS, Step, extract_article
from app.ingest.record import ArticleRecord, IngestError
from bench.corpora import (
    WireItem,
    read_ag_news_datelines,
    read_conll_datelines,
    read_polnear_bylines,
    read_reuters21578,
    read_tempeval_silver,
    read_timebank,
)

FLOORS_PATH = Path(__file__).with_name("extraction_floors.json")


def load_floors() -> dict[str, float]:
    """The pinned minimum accuracy of every metric."""
    floors: dict[str, float] = json.loads(FLOORS_PATH.read_text("utf-8"))
    return floors


@dataclass(frozen=True, slots=True)
class Score:
    """One metric over one corpus: how many items were right, and the first misses."""

    metric: str
    correct: int
    total: int
    seconds: float
    misses: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


Check = Callable[[WireItem, ArticleRecord], bool | None]


def _same(left: str | None, right: str | None) -> bool:
    return left is not None and right is not None and left.casefold() == right.casefold()


def place_is_right(item: WireItem, record: ArticleRecord) -> bool | None:
    """Whether the dateline place matches the gold place (None: no gold)."""
    if item.place is None:
        return None
    return _same(record.dateline.place if record.dateline else None, item.place)


def agency_is_right(item: WireItem, record: ArticleRecord) -> bool | None:
    """Whether the agency code matches the gold agency (None: no gold)."""
    if item.agency is None:
        return None
    code = record.agency.code if record.agency else None
    return _same(code, "Xinhua" if item.agency == "XIN" else item.agency)


def author_is_right(item: WireItem, record: ArticleRecord) -> bool | None:
    """Whether the gold byline is among the authors, or is the agency for wire copy."""
    if item.author is not None:
        names = re.split(r"\s+and\s+", item.author, flags=re.IGNORECASE)
        return all(any(_same(author, name) for author in record.authors) for name in names)
    return agency_is_right(item, record) if item.agency else None


def date_is_right(item: WireItem, record: ArticleRecord) -> bool | None:
    """Whether the publication date matches the gold creation date."""
    if item.published is None:
        return None
    return record.published_at is not None and record.published_at.date() == item.published


def _describe(item: WireItem, record: ArticleRecord | None) -> str:
    if record is None:
        return f"{item.key}: rejected"
    found = (
        record.dateline.place if record.dateline else None,
        record.agency.code if record.agency else None,
        record.authors,
        record.published_at.date().isoformat() if record.published_at else None,
    )
    gold = (item.place, item.agency, item.author, item.published)
    return f"{item.key}: got {found}, gold {gold}"


def score(
    metric: str, items: Iterable[WireItem], check: Check, steps: tuple[Step, ...] = METADATA_STEPS
) -> Score:
    """Run the metadata steps on every item and count those `check` accepts."""
    correct = total = 0
    misses: list[str] = []
    seconds = 0.0
    for item in items:
        started = time.perf_counter()
        try:
            record: ArticleRecord | None = extract_article(item.text, steps=steps)
        except IngestError:
            record = None
        seconds += time.perf_counter() - started
        verdict = check(item, record) if record is not None else False
        if verdict is None:
            continue
        total += 1
        correct += verdict
        if not verdict and len(misses) < 10:
            misses.append(_describe(item, record))
    return Score(metric, correct, total, seconds, tuple(misses))


def _every(items: Iterator[WireItem], step: int) -> Iterator[WireItem]:
    return islice(items, 0, None, step)


def score_all(sample: int = 1) -> list[Score]:
    """Every metric with a floor; `sample` takes every n-th item of the large corpora."""
    reuters_authors = (item for item in read_reuters21578() if item.author)
    return [
        score("reuters21578 dateline place", _every(read_reuters21578(), sample), place_is_right),
        score("ag-news dateline place", read_ag_news_datelines(), place_is_right),
        score("ag-news agency", read_ag_news_datelines(), agency_is_right),
        score(
            "tempeval3-silver dateline place",
            _every(read_tempeval_silver(), sample),
            place_is_right,
        ),
        score("tempeval3-silver agency", _every(read_tempeval_silver(), sample), agency_is_right),
        score("reuters21578 byline author", reuters_authors, author_is_right),
        score("polnear byline author", read_polnear_bylines(), author_is_right),
        score("timebank creation date", read_timebank(), date_is_right),
        score("conll2003 dateline place", read_conll_datelines(), place_is_right),
        score("conll2003 dateline date", read_conll_datelines(), date_is_right),
    ]


def main() -> None:
    """Print the table of scores against their floors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1, help="score every n-th item")
    parser.add_argument("--misses", action="store_true", help="list the first misses")
    args = parser.parse_args()
    floors = load_floors()
    results = score_all(args.sample)
    print(f"{'metric':34} {'accuracy':>9} {'floor':>6} {'items':>6} {'docs/s':>8}")
    for result in results:
        floor = floors.get(result.metric, 0.0)
        flag = "" if result.accuracy >= floor else "  BELOW FLOOR"
        rate = result.total / result.seconds if result.seconds else 0.0
        print(
            f"{result.metric:34} {result.accuracy:9.2%} {floor:6.0%} {result.total:6d}"
            f" {rate:8.0f}{flag}"
        )
        if args.misses:
            for miss in result.misses:
                print(f"    {miss}")
    items = sum(result.total for result in results)
    seconds = sum(result.seconds for result in results)
    print(f"metadata steps: {items / seconds:.0f} articles/s over {items} articles")
    whole = score("", _every(read_reuters21578(), 20), place_is_right, STEPS)
    print(f"whole pipeline (entities too): {whole.total / whole.seconds:.0f} articles/s on Reuters")


if __name__ == "__main__":
    main()
