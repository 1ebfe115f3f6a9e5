"""Bulk ingest: reading and the pipeline in worker processes, one batching writer.

The reader streams work units (files, NDJSON line chunks) to a process pool
with a bounded number in flight; results come back in input order to one
writer, which stores a batch per transaction and indexes it. Memory stays
flat whatever the input size. Files already ingested and unchanged (same
path, size and mtime) are skipped without being read.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import BinaryIO, TextIO

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.db.models import Article, SourceFile
from app.ingest.pipeline import warm_up
from app.ingest.record import IngestError
from app.ingest.sources import (
    CHUNK_LINES,
    InputFile,
    LineChunk,
    SourceFailure,
    SourceFormat,
    SourceItem,
    iter_file_chunks,
    list_inputs,
    path_text,
    read_chunk,
    read_file,
    read_stdin,
)
from app.services.archive import Archive
from app.services.indexing import INDEX_BATCH, load_documents, mark_indexed, pending_ids
from app.services.ingest import Analyse, PreparedArticle, commit_batch, prepare_item
from app.services.stories import merge_recent_bands

#: Articles (or seconds' worth) per stored batch. Each batch inserts 32 random near-duplicate
#: band keys per article, dirtying pages all over the band table: with fewer, larger batches
#: a page is written once for more articles. With one band table (before the recent bands
#: had a small table of their own), storing 215,000 Reuters stories took 125 s of CPU in
#: batches of 1,000 (0.82 s per 1,000 articles at the end), 99 s in batches of 2,000 (0.58 s)
#: and 82 s in batches of 4,000 (0.45 s), but batches of 4,000 took the 200,000-story run's
#: peak memory past 1 GB (1,017 MB; 886 MB with 2,000).
BATCH_SIZE = 2000
BATCH_SECONDS = 10.0
#: The index commits this often, or after this many articles, whichever comes first.
INDEX_COMMIT_SECONDS = 30.0
INDEX_COMMIT_ARTICLES = 20_000
#: Files per task: as many articles as a chunk of NDJSON lines. With 16, the tasks in
#: flight held about a tenth of a second of the workers' work, less than the writer takes
#: to store a batch, so the workers waited for it (21,578 Reuters stories, one file each:
#: 30.3 s and 30.7 s -> 27.5 s and 28.3 s, the cores busy 88% -> 98% of the run).
GROUP_UNITS = CHUNK_LINES
#: Tasks per worker in flight: about two seconds of their work, so that they go on while the
#: writer stores a batch (200,000 varied stories: 370 s with 4 and batches of 1,000, 350 s
#: with 16 and batches of 2,000).
IN_FLIGHT_PER_WORKER = 16
FILES_PER_WORKER = 32
BYTES_PER_WORKER = 1024 * 1024
CHECK_FILES = 500
#: Allocations between two collections of the youngest generation during a bulk run.
YOUNG_GENERATION = 50_000

WorkUnit = InputFile | LineChunk | SourceItem
Prepared = PreparedArticle | SourceFailure


@dataclass(frozen=True, slots=True)
class FileDone:
    """Every chunk of a line-by-line file has been handed on."""

    file: InputFile


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file already ingested and unchanged since, with how many articles it held."""

    file: InputFile
    articles: int


Unit = WorkUnit | SourceFailure | FileDone | Skipped


@dataclass
class BulkProgress:
    """Where a bulk ingest stands; totals are None when unknown (stdin). `indexing` is True
    once reading has ended (all read, or the run interrupted) while the last articles are
    stored and indexed, which reports nothing until it is done."""

    files_total: int | None = None
    bytes_total: int | None = None
    files_done: int = 0
    bytes_done: int = 0
    articles: int = 0
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    indexing: bool = False
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        """Seconds since the ingest started."""
        return time.monotonic() - self.started


@dataclass
class BulkSummary:
    """What a bulk ingest did: counts, and every failure with where and why."""

    added: int = 0
    duplicates: int = 0
    failures: list[SourceFailure] = field(default_factory=list)
    skipped_files: int = 0


# The worker side: pure, no database.


def prepare_source(item: SourceItem | SourceFailure, analyse: Analyse | None = None) -> Prepared:
    """A prepared article, or the failure (with its location) that stopped it."""
    if isinstance(item, SourceFailure):
        return item
    try:
        return prepare_item(item, analyse)
    except IngestError as error:
        return SourceFailure(item.origin, str(error), item.path, item.line, item.item)


def prepare_unit(unit: WorkUnit, analyse: Analyse | None = None) -> list[Prepared]:
    """Read one unit and run the pipeline (and `analyse`) over every article in it."""
    if isinstance(unit, InputFile):
        items: Iterable[SourceItem | SourceFailure] = read_file(unit)
    elif isinstance(unit, LineChunk):
        items = read_chunk(unit)
    else:
        items = [unit]
    return [prepare_source(item, analyse) for item in items]


def prepare_units(
    units: tuple[WorkUnit, ...], analyse: Analyse | None = None
) -> list[list[Prepared]]:
    """A worker's task: several units at once, to spread the cost of a round trip.

    `analyse` is the search backend's text preparation, moved off the writer.
    """
    return [prepare_unit(unit, analyse) for unit in units]


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops them in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _interrupts_between_tasks() -> Iterator[threading.Event]:
    """Ctrl-C sets the event the run checks between two tasks, where it then stops: an
    interrupt raised inside a database write could leave that connection holding the
    write lock, and the run's last commits then fail on it. A second Ctrl-C stops at once.
    Off the main thread (where no signal arrives) the event is never set."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def interrupt(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _check(stop: threading.Event) -> None:
    if stop.is_set():
        raise KeyboardInterrupt


# The writer side: one transaction per batch, then the index.


@dataclass
class _IndexWindow:
    """The articles of one index commit, going into the index on a background thread, with
    their text analysed ahead; more may join (`extend`) until the commit begins."""

    ids: list[int]
    analysed: dict[int, object]
    thread: threading.Thread | None = None
    error: BaseException | None = None
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def extend(self, waiting: dict[int, object]) -> bool:
        """Add articles to this commit, unless it has begun (False) or already holds one."""
        with self.lock:
            if self.closed or not waiting.keys().isdisjoint(self.ids):
                return False
            self.ids += waiting
            self.analysed.update(waiting)
            return True

    def next_chunk(self, start: int, last: bool = False) -> list[int]:
        """The ids from `start` on, `INDEX_BATCH` at most; none left at the `last` look
        closes the window."""
        with self.lock:
            chunk = self.ids[start : start + INDEX_BATCH]
            self.closed = last and not chunk
            return chunk


class BatchWriter:
    """Stores prepared articles a batch at a time and remembers finished files.

    A batch commits in one transaction (articles marked as needing indexing,
    with the files they came from). Its articles then wait, with their text
    analysed ahead, for the next index commit, every `index_seconds` or
    `index_articles` articles (few large segments index far faster than many
    small ones). Only then are their documents built from the database, so a
    spelling of a person or place that a later batch taught the archive is
    already in them. They go into the index on a background thread (with
    `background`) while storing goes on, and are marked indexed once that
    commit is done. A crash in between leaves them marked, and the next start
    indexes them.
    """

    def __init__(
        self,
        archive: Archive,
        batch_size: int = BATCH_SIZE,
        seconds: float = BATCH_SECONDS,
        index_seconds: float = INDEX_COMMIT_SECONDS,
        index_articles: int = INDEX_COMMIT_ARTICLES,
        background: bool = True,
    ) -> None:
        self.archive = archive
        self.batch_size = batch_size
        self.seconds = seconds
        self.index_seconds = index_seconds
        self.index_articles = index_articles
        self.background = background
        self.added = 0
        self.duplicates = 0
        self._batch: list[PreparedArticle] = []
        self._files: dict[str, dict[str, object]] = {}
        self._since = time.monotonic()
        self._index = archive.backend.batch()
        self._waiting: dict[int, object] = {}
        self._window: _IndexWindow | None = None
        self._remarked: set[int] = set()
        self._index_since = time.monotonic()

    def add(self, prepared: PreparedArticle) -> None:
        """Queue one article; the batch commits when full or old enough."""
        self._batch.append(prepared)
        if len(self._batch) >= self.batch_size or time.monotonic() - self._since > self.seconds:
            self.flush()

    def remember(self, file: InputFile, content_hash: str | None, articles: int) -> None:
        """Record a fully stored file with the batch that holds its last article."""
        self._files[file.path] = {
            "path": path_text(file.path),
            "size": file.size,
            "mtime_ns": file.mtime_ns,
            "content_hash": content_hash,
            "articles": articles,
        }

    def flush(self) -> None:
        """Commit what is queued; its new articles wait for the next index commit.

        Articles re-marked once their index commit began (they learned a new
        spelling of a person or place) stay searchable as they were; `finish`
        indexes them once.
        """
        batch, files = self._batch, list(self._files.values())
        self._batch, self._files, self._since = [], {}, time.monotonic()
        if batch or files:

            def write_files(session: Session) -> None:
                if files:
                    paths = [row["path"] for row in files]
                    session.execute(delete(SourceFile).where(SourceFile.path.in_(paths)))
                    session.execute(insert(SourceFile), files)

            stored = commit_batch(self.archive, batch, write_files)
            merge_recent_bands(self.archive)
            pairs = zip(stored.outcomes, batch, strict=True)
            analysed = {o.article_id: p.analysed for o, p in pairs if o.created}
            self.added += len(analysed)
            self.duplicates += len(stored.outcomes) - len(analysed)
            self._remarked |= stored.remarked
            self._waiting.update(analysed)
        if (
            len(self._waiting) >= self.index_articles
            or time.monotonic() - self._index_since > self.index_seconds
        ):
            self.commit_index()

    def commit_index(self) -> None:
        """Send the waiting articles to the index (documents built from the database once
        the commit before is done) and go on; `wait_index` waits for it."""
        self.wait_index()
        waiting, self._waiting, self._remarked = self._waiting, {}, set()
        window = self._window = _IndexWindow(list(waiting), waiting)
        self._index_since = time.monotonic()
        if self.background:
            window.thread = threading.Thread(
                target=self._write_index, args=(window,), name="index-commit"
            )
            window.thread.start()
        else:
            self._write_index(window)
            self.wait_index()

    def _write_index(self, window: _IndexWindow) -> None:
        try:
            start = 0
            # Articles stored while the index catches up with the window may still join it.
            while chunk := window.next_chunk(start) or self._caught_up(window, start):
                start += len(chunk)
                with self.archive.sessions() as session:
                    ahead = {i: window.analysed.pop(i) for i in chunk}
                    self._index.add(load_documents(session, chunk, ahead))
            self._index.commit()
        except BaseException as error:
            window.error = error

    def _caught_up(self, window: _IndexWindow, start: int) -> list[int]:
        self._index.catch_up()
        return window.next_chunk(start, last=True)

    def wait_index(self) -> None:
        """Wait for the index commit under way, then mark its articles indexed: all but
        those re-marked since it began (their documents may predate the new spelling)."""
        window, self._window = self._window, None
        if window is None:
            return
        if window.thread is not None:
            window.thread.join()
        done = set(window.ids) - self._remarked
        if window.error is not None:
            raise window.error
        with self.archive.sessions() as session:
            mark_indexed(session, done)
            session.commit()

    def finish(self) -> None:
        """Commit everything queued; the articles still waiting join the index commit under
        way if it is still adding documents (one commit, not two). Then wait for it, and
        index in one last commit whatever else is still marked (articles still waiting,
        and those re-marked once their index commit had begun). With nothing left to
        store, the index may take every core meanwhile."""
        self._index.use_idle_cores()
        try:
            self.flush()
            if self._window is not None and self._window.extend(self._waiting):
                self._waiting = {}
            self.wait_index()
            self._waiting = dict.fromkeys(pending_ids(self.archive)) | self._waiting
            self.commit_index()
            self.wait_index()
        except BaseException:
            window, self._window = self._window, None
            if window is not None and window.thread is not None:
                window.thread.join()
            self._index.cancel()
            raise


class LineIngest:
    """NDJSON lines fed in chunks as they arrive (an HTTP body), in this process.

    The same pipeline and batching writer as `ingest_paths`, without a pool.
    """

    def __init__(self, archive: Archive, batch_size: int = BATCH_SIZE) -> None:
        # The index commits with every batch: a request's articles are searchable when it
        # answers, and other writers of this process never wait long for the index.
        writer = BatchWriter(archive, batch_size, index_seconds=0.0, background=False)
        self._run = _Run(writer, BulkProgress())

    def feed(self, chunk: LineChunk) -> None:
        """Prepare and queue the articles on a chunk's lines."""
        self._run.results(chunk, prepare_unit(chunk))

    def finish(self) -> BulkSummary:
        """Commit what is queued and say what happened."""
        return self._run.finish()


# The reading side: what to do, in order, skipping unchanged files.


def _unchanged(archive: Archive, files: Sequence[InputFile]) -> dict[str, int]:
    """Paths among `files` already ingested and unchanged, with their article counts."""
    by_path = {path_text(f.path): f for f in files}
    with archive.sessions() as session:
        rows = [
            row
            for row in session.scalars(select(SourceFile).where(SourceFile.path.in_(by_path)))
            if (row.size, row.mtime_ns) == (by_path[row.path].size, by_path[row.path].mtime_ns)
        ]
        hashes = [row.content_hash for row in rows if row.content_hash]
        stored = set(
            session.scalars(select(Article.content_hash).where(Article.content_hash.in_(hashes)))
        )
    return {
        by_path[row.path].path: row.articles
        for row in rows
        if row.content_hash is None or row.content_hash in stored
    }


def _file_units(archive: Archive, paths: Sequence[str], format: SourceFormat) -> Iterator[Unit]:
    found = list_inputs(paths, format)
    while block := list(islice(found, CHECK_FILES)):
        files = [f for f in block if isinstance(f, InputFile)]
        skip = _unchanged(archive, files) if files else {}
        for entry in block:
            if isinstance(entry, SourceFailure):
                yield entry
            elif entry.path in skip:
                yield Skipped(entry, skip[entry.path])
            elif entry.is_lines:
                yield from _line_units(entry)
            else:
                yield entry


def _line_units(file: InputFile) -> Iterator[Unit]:
    try:
        yield from iter_file_chunks(file)
    except (OSError, EOFError) as error:
        yield SourceFailure(file.path, f"cannot read: {error}", path=file.path)
        return
    yield FileDone(file)


def plan_units(
    archive: Archive, paths: Sequence[str], format: SourceFormat, stdin: BinaryIO | None
) -> Iterator[Unit]:
    """Everything to do for the paths (`-` is stdin), in input order, read lazily."""
    for name in paths:
        if name != "-":
            yield from _file_units(archive, [name], format)
        elif stdin is None:
            yield SourceFailure("-", "standard input is not available")
        else:
            yield from read_stdin(stdin, format)


def measure_inputs(paths: Sequence[str], format: SourceFormat) -> tuple[int, int] | None:
    """How many files and bytes the paths hold (None when stdin is among them)."""
    if "-" in paths:
        return None
    files = total = 0
    for entry in list_inputs(paths, format):
        if isinstance(entry, InputFile):
            files += 1
            total += entry.size
    return files, total


# Running it: in order, a bounded number of tasks in flight.


class _Run:
    """One bulk ingest's bookkeeping between the units and the writer."""

    def __init__(self, writer: BatchWriter, progress: BulkProgress) -> None:
        self.writer = writer
        self.progress = progress
        self.summary = BulkSummary()
        self._items: dict[str, int] = {}
        self._failed: set[str] = set()
        self._read: dict[str, int] = {}

    def failure(self, failure: SourceFailure) -> None:
        self.summary.failures.append(failure)
        self.progress.failed += 1
        if failure.path:
            self._failed.add(failure.path)

    def results(self, unit: WorkUnit, prepared: list[Prepared]) -> None:
        """Hand one unit's results to the writer, remembering a one-read file when all went in."""
        for entry in prepared:
            if isinstance(entry, SourceFailure):
                self.failure(entry)
            else:
                self.writer.add(entry)
                self.progress.articles += 1
        articles = [p for p in prepared if isinstance(p, PreparedArticle)]
        if isinstance(unit, InputFile):
            self.progress.files_done += 1
            self.progress.bytes_done += unit.size
            if articles and len(articles) == len(prepared):
                single = articles[0].record.content_hash if unit.format != "json" else None
                self.writer.remember(unit, single, len(articles))
        elif isinstance(unit, LineChunk) and unit.path:
            self._items[unit.path] = self._items.get(unit.path, 0) + len(articles)
            self.progress.bytes_done += unit.end - self._read.get(unit.path, 0)
            self._read[unit.path] = unit.end

    def done(self, entry: FileDone | Skipped) -> None:
        path = entry.file.path
        self.progress.files_done += 1
        if isinstance(entry, Skipped):
            self.progress.bytes_done += entry.file.size
            self.summary.skipped_files += 1
            self.summary.duplicates += entry.articles
            return
        self.progress.bytes_done += entry.file.size - self._read.pop(path, 0)
        items = self._items.pop(path, 0)
        if path not in self._failed and items:
            self.writer.remember(entry.file, None, items)

    def sync(self) -> None:
        self.progress.added = self.writer.added
        self.progress.duplicates = self.writer.duplicates + self.summary.duplicates

    def finish(self) -> BulkSummary:
        """Commit the last batch and index whatever is still marked; the run's summary."""
        try:
            self.writer.finish()
        finally:
            self.sync()
        self.summary.added = self.writer.added
        self.summary.duplicates += self.writer.duplicates
        return self.summary


Task = tuple[WorkUnit, ...] | SourceFailure | FileDone | Skipped
Pending = tuple[tuple[WorkUnit, ...], "Future[list[list[Prepared]]] | None"] | FileDone | Skipped


def _groups(
    units: Iterable[Unit],
) -> Iterator[tuple[WorkUnit, ...] | SourceFailure | FileDone | Skipped]:
    """Work units grouped into tasks; everything else passed through in place."""
    group: list[WorkUnit] = []
    for unit in units:
        if isinstance(unit, SourceFailure | FileDone | Skipped):
            if group:
                yield tuple(group)
                group = []
            yield unit
            continue
        group.append(unit)
        if isinstance(unit, LineChunk) or len(group) >= GROUP_UNITS:
            yield tuple(group)
            group = []
    if group:
        yield tuple(group)


def ingest_paths(
    archive: Archive,
    paths: Sequence[str],
    format: SourceFormat = "auto",
    *,
    stdin: BinaryIO | None = None,
    workers: int | None = None,
    on_progress: Callable[[BulkProgress], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> BulkSummary:
    """Ingest files, folders, globs and stdin (`-`) in bulk; see the module docstring."""
    totals = measure_inputs(paths, format)
    units = plan_units(archive, paths, format, stdin)
    return ingest_units(
        archive, units, totals, workers=workers, on_progress=on_progress, batch_size=batch_size
    )


def retry_failures(
    archive: Archive,
    failures: Sequence[SourceFailure],
    format: SourceFormat = "auto",
    *,
    workers: int | None = None,
    on_progress: Callable[[BulkProgress], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> BulkSummary:
    """Ingest again exactly the files, NDJSON lines and JSON items that failed before."""
    units = plan_retry(failures, format)
    return ingest_units(
        archive,
        units,
        None,
        workers=workers or 0,
        on_progress=on_progress,
        batch_size=batch_size,
    )


def ingest_units(
    archive: Archive,
    units: Iterable[Unit],
    totals: tuple[int, int] | None,
    *,
    workers: int | None = None,
    on_progress: Callable[[BulkProgress], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> BulkSummary:
    """Run planned units through the pipeline and the writer, in order.

    `workers` processes run the pipeline (default: one per core, none for a
    small input). An interruption still commits what was already prepared.
    """
    progress = BulkProgress(*(totals or (None, None)))
    count = workers if workers is not None else _default_workers(totals)
    run = _Run(BatchWriter(archive, batch_size), progress)
    tasks = _groups(units)
    with _fewer_collections():
        try:
            with _interrupts_between_tasks() as stop:
                if count <= 0:
                    for task in tasks:
                        _check(stop)
                        _settle(run, task if not isinstance(task, tuple) else (task, None))
                        _report(run, on_progress)
                else:
                    _run_pool(run, tasks, count, on_progress, stop)
        finally:
            run.progress.indexing = True
            _report(run, on_progress)
            summary = run.finish()
            run.progress.indexing = False
            if on_progress is not None:
                on_progress(run.progress)
    return summary


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector's youngest generation every `YOUNG_GENERATION` allocations
    instead of every 700, in this process and the workers forked from it. A bulk run makes
    millions of short-lived objects, nearly all freed by their reference counts, while it
    holds tens of thousands (the articles waiting for the index); at 700, the collections
    that went on to walk all of them took 8% of the writer's time (21,573 Reuters stories:
    1.8 s in 37 full collections, 0.55 s in one)."""
    previous = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _default_workers(totals: tuple[int, int] | None) -> int:
    cores = os.cpu_count() or 1
    if totals is None:
        return cores
    files, size = totals
    return min(cores, max(files // FILES_PER_WORKER, size // BYTES_PER_WORKER))


def _run_pool(
    run: _Run,
    tasks: Iterable[Task],
    count: int,
    on_progress: Callable[[BulkProgress], None] | None,
    stop: threading.Event,
) -> None:
    # Forked workers start at once with everything imported and the pipeline's tables
    # loaded (shared, not loaded once per worker); spawn where fork is missing. Frozen,
    # those objects stay out of the workers' garbage collections, whose bookkeeping would
    # otherwise copy every page they sit on into each worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if "fork" in methods:
        warm_up()
        gc.freeze()
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_ignore_interrupt)
    analyse = run.writer.archive.backend.analyse_text
    in_flight: deque[Pending] = deque()
    try:
        for task in tasks:
            if isinstance(task, SourceFailure):
                run.failure(task)
                continue
            if isinstance(task, tuple):
                in_flight.append((task, pool.submit(prepare_units, task, analyse)))
            else:
                in_flight.append(task)
            while len(in_flight) > count * IN_FLIGHT_PER_WORKER:
                _check(stop)
                _settle(run, in_flight.popleft())
                _report(run, on_progress)
        while in_flight:
            _check(stop)
            _settle(run, in_flight.popleft())
            _report(run, on_progress)
    finally:
        pool.shutdown(wait=not in_flight, cancel_futures=True)
        gc.unfreeze()


def _settle(run: _Run, entry: Pending | SourceFailure) -> None:
    if isinstance(entry, SourceFailure):
        run.failure(entry)
    elif isinstance(entry, FileDone | Skipped):
        run.done(entry)
    else:
        units, future = entry
        results = future.result() if future is not None else prepare_units(units)
        for unit, prepared in zip(units, results, strict=True):
            run.results(unit, prepared)


def _report(run: _Run, on_progress: Callable[[BulkProgress], None] | None) -> None:
    if on_progress is not None:
        run.sync()
        on_progress(run.progress)


# Failure reports: one JSON object per failure, and retrying exactly those.


def failure_record(failure: SourceFailure) -> dict[str, object]:
    """A failure as a report line: where (path, line or item) and why."""
    return {
        "origin": failure.origin,
        "path": failure.path,
        "line": failure.line,
        "item": failure.item,
        "error": failure.reason,
    }


def write_failures(failures: Iterable[SourceFailure], handle: TextIO) -> None:
    """Write the failure report, one JSON object per line."""
    for failure in failures:
        handle.write(json.dumps(failure_record(failure)) + "\n")


def read_failures(handle: TextIO) -> list[SourceFailure]:
    """Read a failure report back; `IngestError` when a line is not one of ours."""
    failures: list[SourceFailure] = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            failures.append(
                SourceFailure(
                    str(value["origin"]),
                    str(value["error"]),
                    value.get("path"),
                    value.get("line"),
                    value.get("item"),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise IngestError(f"line {number} of the report is not a failure: {error}") from None
    return failures


def plan_retry(failures: Sequence[SourceFailure], format: SourceFormat) -> Iterator[Unit]:
    """The units that redo exactly the given failures, path by path."""
    by_path: dict[str, list[SourceFailure]] = {}
    for failure in failures:
        if failure.path is None:
            yield SourceFailure(failure.origin, "standard input cannot be read again")
        else:
            by_path.setdefault(failure.path, []).append(failure)
    for path, wanted in by_path.items():
        lines = {f.line for f in wanted if f.line is not None}
        items = {f.item for f in wanted if f.item is not None}
        if not lines and not items:
            yield from _file_units_unchecked(path, format)
            continue
        yield from _pick_lines(path, lines)
        if items:
            yield from _pick_items(path, items)


def _file_units_unchecked(path: str, format: SourceFormat) -> Iterator[Unit]:
    for entry in list_inputs([path], format):
        if isinstance(entry, InputFile) and entry.is_lines:
            yield from _line_units(entry)
        else:
            yield entry


def _pick_lines(path: str, lines: set[int]) -> Iterator[Unit]:
    if not lines:
        return
    file = InputFile(path, 0, 0, "ndjson")
    try:
        for chunk in iter_file_chunks(file):
            for offset, line in enumerate(chunk.lines):
                number = chunk.first_line + offset
                if number in lines:
                    too_long = (number,) if number in chunk.too_long else ()
                    yield LineChunk(path, path, number, (line,), too_long=too_long)
    except (OSError, EOFError) as error:
        yield SourceFailure(path, f"cannot read: {error}", path=path)


def _pick_items(path: str, items: set[int]) -> Iterator[Unit]:
    for entry in read_file(InputFile(path, 0, 0, "json")):
        if entry.item in items or (isinstance(entry, SourceFailure) and entry.item is None):
            yield entry
