"""How `newsarchive ingest` shows progress: a bar on a terminal, a log line otherwise."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console, RenderableType
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.status import Status
from rich.text import Text

from app.services.bulk import BulkProgress

LOG_SECONDS = 5.0
#: How often the bar is drawn again, at most.
DRAW_SECONDS = 0.1


def describe_progress(progress: BulkProgress) -> str:
    """One line of figures, e.g. `10/20 files (5 files/s), 40 articles (20/s); added 40, ...`."""
    seconds = max(progress.elapsed, 1e-9)
    files = f"{progress.files_done:,}" + (
        f"/{progress.files_total:,}" if progress.files_total is not None else ""
    )
    figures = (
        f"{files} files ({progress.files_done / seconds:,.0f} files/s), "
        f"{progress.articles:,} articles ({progress.articles / seconds:,.0f}/s); "
        f"added {progress.added:,}, duplicates {progress.duplicates:,}, failed {progress.failed:,}"
    )
    return f"{figures}; indexing what is stored" if progress.indexing else figures


class _BarAndFigures(Progress):
    """The bar, its share done and the time left on one line, the figures under it: on one
    line an 80-column terminal cut both short."""

    def get_renderables(self) -> Iterable[RenderableType]:
        """The bar's line, then each task's figures (its description)."""
        yield self.make_tasks_table(self.tasks)
        yield from (Text(task.description) for task in self.tasks)


class IngestProgress:
    """Shows `BulkProgress` on `stream`: a rich bar with ETA, or a line every few seconds.

    The bar is drawn from `update`, not by rich's refresh thread: the ingest forks its
    workers after the bar appears, and a thread caught writing to the terminal at the fork
    would leave the stream's lock held in every worker. Once everything is read (the
    workers are gone) and the last articles are indexed, which takes seconds with no
    update, a spinner says so instead of a bar standing still at 100%.
    """

    def __init__(self, stream: TextIO, log_seconds: float = LOG_SECONDS) -> None:
        self._stream = stream
        self._log_seconds = log_seconds
        self._last = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._indexing = False
        self._spinner: Status | None = None
        if stream.isatty():
            self._bar = _BarAndFigures(
                TextColumn("ingesting"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=False,
                auto_refresh=False,
            )
            self._task = self._bar.add_task("", total=None)
            self._bar.start()

    def update(self, progress: BulkProgress) -> None:
        """Show the latest figures (a log line at most every `log_seconds`, and one as the
        last articles are indexed)."""
        if self._indexing:
            return
        if progress.indexing:
            self._indexing = True
            self._show_indexing(progress)
            return
        now = time.monotonic()
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task,
                completed=progress.bytes_done,
                total=progress.bytes_total or None,
                description=describe_progress(progress),
            )
            if now - self._last >= DRAW_SECONDS:
                self._last = now
                self._bar.refresh()
            return
        if now - self._last >= self._log_seconds:
            self._last = now
            self._stream.write(f"ingest: {describe_progress(progress)}\n")
            self._stream.flush()

    def _show_indexing(self, progress: BulkProgress) -> None:
        if self._bar is None or self._task is None:
            self._stream.write(f"ingest: {describe_progress(progress)}\n")
            self._stream.flush()
            return
        self._bar.update(
            self._task, completed=progress.bytes_done, total=progress.bytes_total or None
        )
        self._bar.stop()
        self._bar = None
        self._spinner = Console(file=self._stream).status(describe_progress(progress))
        self._spinner.start()

    def close(self) -> None:
        """Stop the bar or the spinner, leaving the bar's last state on screen."""
        if self._bar is not None:
            self._bar.stop()
        if self._spinner is not None:
            self._spinner.stop()
