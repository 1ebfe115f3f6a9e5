"""Bulk ingest end to end (read, parse, extract, store, index) against a bare Whoosh writer.

All 21,578 Reuters-21578 stories (TITLE, DATELINE, BODY; DATE as `published_at`)
are ingested into a fresh archive twice: from one NDJSON file, and from one
file per story. The same run times a bare Whoosh single writer (`limitmb=1024`,
one commit) indexing the same title + body text with the backend's schema,
before the first ingest and after each: an ingest is compared with the bare
runs either side of it.
Each run happens in a fresh process, so its peak memory (PSS of that process
and its workers) is its own, not the corpus this script holds or what an
earlier run left on the heap. The pipeline's lookup tables come from the table
cache (`app/ingest/table_cache.py`), as in every run on a machine after its
first: this script fills it before timing anything.
`--size N` ingests N stories from NDJSON, cycling the corpus with varied text
so every copy has its own content hash. `--rounds N` times every input N times,
interleaved, and prints each input's median ratio: one run's ratio moves by
several hundredths with this machine's speed.

    python -m bench.ingest
    python -m bench.ingest --size 200000
    python -m bench.ingest --quick
    python -m bench.ingest --rounds 3
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import multiprocessing
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from multiprocessing.queues import Queue
from pathlib import Path

from whoosh import index as whoosh_index

from app.config import Settings
from app.ingest.pipeline import warm_up
from app.search.whoosh_schema import SCHEMA
from app.services.archive import open_archive
from app.services.bulk import ingest_paths
from app.services.indexing import pending_count
from bench.corpora import corpora_dir

QUICK_STORIES = 2000
BARE = "bare Whoosh writer"
SAMPLE_SECONDS = 1.0
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Story:
    """One Reuters story as a wire service would send it."""

    title: str
    text: str
    published_at: str | None


def _element(doc: str, name: str) -> str:
    found = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", doc, re.DOTALL)
    return html.unescape(_TAG.sub("", found.group(1))).replace("\x03", "").strip() if found else ""


def _date(value: str) -> str | None:
    try:
        moment = datetime.strptime(value.split(".")[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC).isoformat()


def read_stories() -> Iterator[Story]:
    """Every Reuters-21578 story: headline, then dateline and body (or the unparsed text)."""
    for path in sorted((corpora_dir() / "reuters21578" / "raw").glob("reut2-*.sgm.gz")):
        raw = gzip.decompress(path.read_bytes()).decode("latin-1")
        for doc in raw.split("</REUTERS>")[:-1]:
            title, body = _element(doc, "TITLE"), _element(doc, "BODY")
            lead = f"{_element(doc, 'DATELINE')} {body}".strip() if body else _element(doc, "TEXT")
            text = "\n\n".join(p for p in (title, lead) if p)
            yield Story(title, text, _date(_element(doc, "DATE")))


def varied(stories: list[Story], size: int) -> Iterator[Story]:
    """`size` stories cycling the corpus; copy k > 0 carries a line naming it, so hashes differ."""
    for number in range(size):
        copy, index = divmod(number, len(stories))
        story = stories[index]
        if copy:
            story = Story(story.title, f"{story.text}\n\nRepeated for archive copy {copy}.", None)
        yield story


def write_ndjson(stories: Iterator[Story], path: Path) -> int:
    """Write stories as NDJSON records; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for story in stories:
            record = {"text": story.text, "published_at": story.published_at, "source": "Reuters"}
            handle.write(json.dumps(record) + "\n")
            count += 1
    return count


def write_files(stories: list[Story], folder: Path) -> None:
    """Write one text file per story, a thousand to a folder."""
    for number, story in enumerate(stories):
        path = folder / f"{number // 1000:03d}" / f"{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(story.text, encoding="utf-8")


class TreeMemory:
    """The peak memory (PSS) of a process and all its descendants, sampled."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, sum(_memory(pid) for pid in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            pids += _tree(int(child))
    return pids


def _memory(pid: int) -> int:
    """Proportional set size: pages shared with forked workers are counted once in the sum."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", rollup, flags=re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


@dataclass(frozen=True, slots=True)
class Figures:
    """One measured run."""

    name: str
    articles: int
    seconds: float
    peak_bytes: int

    @property
    def rate(self) -> float:
        """Articles per second."""
        return self.articles / self.seconds


def ingest_run(source: Path, data_dir: Path, workers: int | None) -> tuple[int, str]:
    """Ingest `source` into a fresh archive; how many articles, and what happened."""
    archive = open_archive(Settings(_env_file=None, data_dir=data_dir))
    try:
        summary = ingest_paths(archive, [str(source)], workers=workers)
        assert pending_count(archive) == 0, "articles left unindexed"
    finally:
        archive.close()
    outcome = (
        f"added {summary.added}, duplicates {summary.duplicates}, failed {len(summary.failures)}"
    )
    return summary.added + summary.duplicates, outcome


def bare_whoosh_run(stories: list[Story], folder: Path) -> tuple[int, str]:
    """A bare Whoosh single writer adding title + body with the backend's schema, one commit."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    writer = ix.writer(limitmb=1024)
    for number, story in enumerate(stories, start=1):
        title, _, body = story.text.partition("\n\n")
        writer.add_document(id=number, title=title, body=body)
    writer.commit()
    return len(stories), f"indexed {len(stories)}"


def _timed(
    results: Queue[tuple[int, float, str]], run: Callable[..., tuple[int, str]], *args: object
) -> None:
    started = time.perf_counter()
    articles, outcome = run(*args)
    results.put((articles, time.perf_counter() - started, outcome))


def measure(name: str, run: Callable[..., tuple[int, str]], *args: object) -> Figures:
    """Time `run(*args)` in a fresh process, sampling that process tree's memory."""
    context = multiprocessing.get_context("spawn")
    results: Queue[tuple[int, float, str]] = context.Queue()
    process = context.Process(target=_timed, args=(results, run, *args))
    process.start()
    with TreeMemory(process.pid or 0) as memory:
        articles, seconds, outcome = results.get()
        process.join()
    if process.exitcode:
        raise SystemExit(f"{name}: the run failed (exit code {process.exitcode})")
    print(f"  {name}: {outcome}")
    return Figures(name, articles, seconds, memory.peak)


def ratios(rows: list[Figures]) -> list[float | None]:
    """Each ingest run's rate against the mean rate of the bare-writer runs just before and
    just after it (the machine's speed drifts over minutes, so a baseline from the start of
    the run alone misleads); None for a bare run."""
    found: list[float | None] = []
    for position, row in enumerate(rows):
        if row.name == BARE:
            found.append(None)
        else:
            bare = (rows[position - 1].rate + rows[position + 1].rate) / 2
            found.append(row.rate / bare)
    return found


def print_table(rows: list[Figures]) -> None:
    """The figures as a Markdown table, in the order measured, each ingest against the bare
    writer runs either side of it; with several rounds, each input's median ratio."""
    print("\n| run | articles | wall s | articles/s | vs bare writer | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    by_input: dict[str, list[float]] = {}
    for row, ratio in zip(rows, ratios(rows), strict=True):
        if ratio is not None:
            by_input.setdefault(row.name, []).append(ratio)
        shown = "" if ratio is None else f"{ratio:.2f}x"
        print(
            f"| {row.name} | {row.articles:,} | {row.seconds:,.1f} | {row.rate:,.0f} | "
            f"{shown} | {row.peak_bytes / 2**20:,.0f} |"
        )
    for name, found in by_input.items():
        if len(found) > 1:
            print(
                f"\n{name}: median {statistics.median(found):.2f}x the bare writer over "
                f"{len(found)} rounds ({min(found):.2f}x to {max(found):.2f}x)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_STORIES} stories")
    parser.add_argument("--size", type=int, help="ingest this many varied stories (NDJSON only)")
    parser.add_argument("--workers", type=int, help="pipeline processes (default: one per core)")
    parser.add_argument(
        "--inputs", default="ndjson,files", help="which inputs to time: ndjson, files or both"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="time every input this many times, interleaved"
    )
    options = parser.parse_args()
    stories = list(read_stories())
    if not stories:
        raise SystemExit(f"no Reuters-21578 files under {corpora_dir()}")
    if options.quick:
        stories = stories[:QUICK_STORIES]
    warm_up()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        runs: list[tuple[str, Path]] = []
        if options.size:
            source = workdir / "varied.ndjson"
            count = write_ndjson(islice(varied(stories, options.size), options.size), source)
            runs.append((f"NDJSON, {count:,} varied stories", source))
        else:
            if "ndjson" in options.inputs:
                write_ndjson(iter(stories), workdir / "reuters.ndjson")
                runs.append(("NDJSON file", workdir / "reuters.ndjson"))
            if "files" in options.inputs:
                write_files(stories, workdir / "files")
                runs.append(("one file per story", workdir / "files"))
        rows = [measure(BARE, bare_whoosh_run, stories, workdir / "bare-0")]
        for number, (name, source) in enumerate(runs * options.rounds, start=1):
            print(f"ingesting {name}")
            data = workdir / f"data-{number}"
            rows.append(measure(name, ingest_run, source, data, options.workers))
            rows.append(measure(BARE, bare_whoosh_run, stories, workdir / f"bare-{number}"))
        print_table(rows)


if __name__ == "__main__":
    main()
