"""How `newsarchive ingest` shows progress: a bar on a terminal, a log line otherwise."""

from __future__ import annotations

import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from app.services.bulk import BulkProgress

LOG_SECONDS = 5.0


def describe_progress(progress: BulkProgress) -> str:
    """One line of figures, e.g. `10/20 files (5 files/s), 40 articles (20/s); added 40, ...`."""
    seconds = max(progress.elapsed, 1e-9)
    files = f"{progress.files_done:,}" + (
        f"/{progress.files_total:,}" if progress.files_total is not None else ""
    )
    return (
        f"{files} files ({progress.files_done / seconds:,.0f} files/s), "
        f"{progress.articles:,} articles ({progress.articles / seconds:,.0f}/s); "
        f"added {progress.added:,}, duplicates {progress.duplicates:,}, failed {progress.failed:,}"
    )


class IngestProgress:
    """Shows `BulkProgress` on `stream`: a rich bar with ETA, or a line every few seconds."""

    def __init__(self, stream: TextIO, log_seconds: float = LOG_SECONDS) -> None:
        self._stream = stream
        self._log_seconds = log_seconds
        self._last = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if stream.isatty():
            self._bar = Progress(
                TextColumn("ingesting"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=Console(file=stream),
                transient=False,
            )
            self._task = self._bar.add_task("", total=None)
            self._bar.start()

    def update(self, progress: BulkProgress) -> None:
        """Show the latest figures (a log line at most every `log_seconds`)."""
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task,
                completed=progress.bytes_done,
                total=progress.bytes_total or None,
                description=describe_progress(progress),
            )
            return
        now = time.monotonic()
        if now - self._last >= self._log_seconds:
            self._last = now
            self._stream.write(f"ingest: {describe_progress(progress)}\n")
            self._stream.flush()

    def close(self) -> None:
        """Stop the bar, leaving its last state on screen."""
        if self._bar is not None:
            self._bar.stop()
