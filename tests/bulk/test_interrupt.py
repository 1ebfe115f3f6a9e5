"""An ingest stopped by Ctrl-C or killed outright loses nothing and a rerun finishes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import Settings
from app.search.types import SearchRequest
from app.services.archive import open_archive
from app.services.indexing import pending_count
from tests.bulk.wire_text import write_stories
from tests.conftest import REPO

STORIES = 2000
#: Articles per transaction: small enough that each run commits many times, so the kill
#: lands while articles are still left to store.
BATCH = 100
START_TIMEOUT = 60.0


def _stored(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def _ingest(folder: Path, data: Path) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "NEWSARCHIVE_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "app", "ingest", str(folder), "--batch-size", str(BATCH)],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the signal reaches the workers too
    )


def _stop_after_progress(
    process: subprocess.Popen[bytes], database: Path, more_than: int, signum: int
) -> int:
    """Wait until more articles than `more_than` are committed, then send `signum`."""
    deadline = time.monotonic() + START_TIMEOUT
    while _stored(database) <= more_than:
        assert process.poll() is None, process.stdout.read() if process.stdout else b""
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.2)
    os.killpg(process.pid, signum)
    process.communicate(timeout=START_TIMEOUT)
    return process.returncode


@pytest.mark.slow
def test_interrupted_and_killed_ingests_resume_to_exactly_every_article(tmp_path: Path) -> None:
    folder, data = tmp_path / "in", tmp_path / "data"
    write_stories(folder, STORIES)
    database = data / "archive.db"

    interrupted = _stop_after_progress(_ingest(folder, data), database, 0, signal.SIGINT)
    assert interrupted == 130
    after_interrupt = _stored(database)
    assert 0 < after_interrupt < STORIES

    killed = _stop_after_progress(_ingest(folder, data), database, after_interrupt, signal.SIGKILL)
    assert killed == -signal.SIGKILL
    assert _stored(database) < STORIES

    final = _ingest(folder, data)
    output = final.communicate(timeout=300)[0].decode()
    assert final.returncode == 0, output
    assert "failed 0" in output
    assert _stored(database) == STORIES

    archive = open_archive(Settings(_env_file=None, data_dir=data))  # type: ignore[call-arg]
    try:
        assert pending_count(archive) == 0
        assert archive.backend.count() == STORIES
        assert archive.backend.search(SearchRequest(per_page=1)).total == STORIES
    finally:
        archive.close()
