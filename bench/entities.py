"""Entity extraction benchmark: exact-span P/R/F1 on gold corpora, speed and memory.

Run from the repository root: `python -m bench.entities` (needs ../shared/corpora).
Prints one table; `--write-floors` pins the figures (minus a small margin) in
bench/entity_floors.json, which the corpus gate reads.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from app.ingest.entities import extract_entities
from app.ingest.gazetteer import load_gazetteer
from app.ingest.record import ArticleRecord
from app.ingest.tagger import find_entity_spans
from bench.entity_corpora import (
    LABELS,
    GoldDoc,
    Score,
    Span,
    read_conll,
    read_meantime,
    score_spans,
    shared_dir,
)

FLOORS_PATH = Path(__file__).with_name("entity_floors.json")
FLOOR_MARGIN = 0.005
CORPORA = {
    "conll2003-testb": ("conll2003/eng.testb.gz", LABELS),
    "conllpp-test": ("conll2003/conllpp_test.txt.gz", LABELS),
    "meantime-en": ("meantime-en/meantime_en_airbus_apple.tar.gz", ("PER",)),
}


def load_corpus(name: str) -> list[GoldDoc]:
    """The gold documents of one corpus in CORPORA."""
    path = shared_dir() / "corpora" / CORPORA[name][0]
    return read_meantime(path) if name.startswith("meantime") else read_conll(path)


def tag(docs: Sequence[GoldDoc]) -> list[set[Span]]:
    """The tagger's spans for each document."""
    return [{(s.start, s.end, s.label) for s in find_entity_spans(d.text)} for d in docs]


def evaluate(name: str) -> dict[str, Score]:
    """Exact-span scores of the default tagger on one corpus."""
    docs = load_corpus(name)
    return score_spans(docs, tag(docs), CORPORA[name][1])


def _speed(run: Callable[[], object], count: int, rounds: int = 3) -> float:
    """Items per CPU second of `run` (which handles `count` items), best of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return count / best


def _as_articles(docs: Sequence[GoldDoc]) -> list[ArticleRecord]:
    """Documents as the pipeline hands them over: headline line, then the body."""
    records = []
    for doc in docs:
        title, _, body = doc.text.partition("\n")
        records.append(ArticleRecord(raw=doc.text, title=title, body=body, language="en"))
    return records


def _gazetteer_memory() -> tuple[float, float]:
    """MB the word lists hold once loaded, and MB at peak while loading them."""
    tracemalloc.start()
    kept = load_gazetteer.__wrapped__()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return held / 2**20, peak / 2**20


def main(argv: Sequence[str]) -> None:
    """Print the table; with `--write-floors`, pin the F1 figures as the gate's floors."""
    started = time.perf_counter()
    load_gazetteer()
    load_seconds = time.perf_counter() - started
    floors: dict[str, float] = {}
    print(f"{'corpus':<17} {'label':<5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for name in CORPORA:
        for label, score in evaluate(name).items():
            gold = score.true_pos + score.false_neg
            print(
                f"{name:<17} {label:<5} {score.precision:6.3f} {score.recall:6.3f}"
                f" {score.f1:6.3f} {gold:6d}"
            )
            floors[f"{name}/{label}"] = round(score.f1 - FLOOR_MARGIN, 3)
    docs = load_corpus("conll2003-testb")
    words = sum(len(d.text.split()) for d in docs)
    rate = _speed(lambda: tag(docs), len(docs))
    print(f"\nspeed: {rate:,.0f} docs/s ({rate * words / len(docs):,.0f} words/s) on one core,")
    print(f"       find_entity_spans on CoNLL testb, {words / len(docs):.0f} words a document")
    articles = _as_articles(load_corpus("meantime-en"))
    words = sum(len(a.raw.split()) for a in articles)
    rate = _speed(lambda: [extract_entities(a) for a in articles], len(articles))
    print(f"       {rate:,.0f} articles/s: extract_entities on MEANTIME Wikinews articles,")
    print(f"       {words / len(articles):.0f} words an article")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    held_mb, load_mb = _gazetteer_memory()
    print(
        f"word lists: loaded once in {load_seconds:.2f} s; hold {held_mb:.0f} MB"
        f" ({load_mb:.0f} MB at peak while loading)"
    )
    print(f"peak memory (whole benchmark process, corpora included): {peak_mb:.0f} MB")
    print("MEANTIME: names inside typed PER mentions; text MEANTIME left untyped is not scored")
    if "--write-floors" in argv:
        FLOORS_PATH.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        print(f"floors written to {FLOORS_PATH.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
