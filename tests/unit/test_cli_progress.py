"""How `newsarchive ingest` shows its progress: a bar on a terminal, a log line otherwise."""

from __future__ import annotations

import io
import re
import threading

import pytest

from app.cli_progress import IngestProgress, describe_progress
from app.services.bulk import BulkProgress


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def _midway() -> BulkProgress:
    return BulkProgress(
        files_total=20, bytes_total=40_000, files_done=10, bytes_done=20_000, articles=40,
        added=37, duplicates=2, failed=1,
    )  # fmt: skip


def test_the_figures_name_files_articles_rates_and_outcomes() -> None:
    line = describe_progress(_midway())
    assert line.startswith("10/20 files (")
    assert " files/s), 40 articles (" in line
    assert line.endswith("/s); added 37, duplicates 2, failed 1")


def test_off_a_terminal_a_plain_line_every_few_seconds() -> None:
    stream = io.StringIO()
    shown = IngestProgress(stream, log_seconds=3600)
    shown.update(_midway())
    assert stream.getvalue() == ""  # not due yet
    every_time = IngestProgress(stream, log_seconds=0)
    every_time.update(_midway())
    every_time.update(BulkProgress(files_done=11, articles=44, added=41))
    lines = stream.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["ingest: 10/20 files", "ingest: 11 files"]
    assert lines[0].endswith("added 37, duplicates 2, failed 1")


def test_on_a_terminal_a_bar_with_the_share_done_its_eta_and_the_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # a terminal's default width: all of it fits
    stream = Terminal()
    shown = IngestProgress(stream)
    shown.update(_midway())
    shown.close()
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # colours, cursor
    assert max(len(line) for line in drawn.replace("\r", "\n").splitlines()) <= 80
    assert "ingesting" in drawn
    assert "50%" in drawn  # of the bytes to read
    assert re.search(r"[-\d]:[-\d]{2}:[-\d]{2}", drawn)  # the time left, once it is known
    assert "added 37, duplicates 2, failed 1" in " ".join(drawn.split())  # wrapped


def test_the_bar_runs_no_thread_of_its_own_to_be_forked_with_the_workers() -> None:
    before = threading.active_count()
    shown = IngestProgress(Terminal())
    try:
        shown.update(_midway())
        assert threading.active_count() == before
    finally:
        shown.close()


def _indexing() -> BulkProgress:
    return BulkProgress(files_total=20, bytes_total=40_000, files_done=20, bytes_done=40_000,
                        articles=80, added=77, duplicates=2, failed=1, indexing=True)  # fmt: skip


def test_once_all_is_read_a_line_says_the_last_articles_are_being_indexed() -> None:
    stream = io.StringIO()
    shown = IngestProgress(stream, log_seconds=3600)
    shown.update(_indexing())  # at once, though no log line is due
    shown.update(BulkProgress(files_done=20, articles=80, added=79))  # the end: said by the CLI
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("ingest: 20/20 files")
    assert line.endswith("failed 1; indexing what is stored")


def test_on_a_terminal_a_spinner_replaces_the_finished_bar_while_the_index_commits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    stream = Terminal()
    before = threading.active_count()
    shown = IngestProgress(stream)
    shown.update(_midway())
    shown.update(_indexing())
    try:
        # the workers are gone by now: the spinner turns on a thread of its own
        assert threading.active_count() == before + 1
    finally:
        shown.close()
    drawn = stream.getvalue()
    assert "100%" in drawn
    assert "failed 1; indexing what is stored" in drawn
