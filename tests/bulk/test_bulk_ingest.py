"""Bulk ingest over a real archive: counts, resuming, failure reports, retries, stories."""

from __future__ import annotations

import gc
import gzip
import io
import json
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db.models import Article
from app.ingest.sources import SourceItem
from app.search.types import IndexDocument
from app.services.archive import Archive
from app.services.bulk import (
    GROUP_UNITS,
    YOUNG_GENERATION,
    BatchWriter,
    BulkProgress,
    ingest_paths,
    read_failures,
    retry_failures,
    write_failures,
)
from app.services.indexing import pending_count
from app.services.ingest import prepare_item
from tests.bulk.wire_text import wire_story, write_stories


def _stored(archive: Archive) -> int:
    with archive.sessions() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def _export(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def test_folders_gzip_ndjson_and_stdin_in_one_run(archive: Archive, tmp_path: Path) -> None:
    write_stories(tmp_path / "folder", 30)
    export = _export(
        tmp_path / "export.ndjson.gz", [json.dumps({"text": wire_story(n)}) for n in range(25, 45)]
    )
    stdin = io.BytesIO(wire_story(99).encode())
    inputs = [str(tmp_path / "folder"), str(export), "-"]
    summary = ingest_paths(archive, inputs, stdin=stdin, workers=0)
    # Stories 25-29 are in the folder and in the export: duplicates the second time.
    assert (summary.added, summary.duplicates, summary.failures) == (46, 5, [])
    assert _stored(archive) == 46
    assert pending_count(archive) == 0
    assert archive.backend.count() == 46


def test_a_rerun_skips_unchanged_files_without_reading_them(
    archive: Archive, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    paths = write_stories(folder, 20)
    export = _export(folder / "more.jsonl", [json.dumps({"text": wire_story(50)})])
    assert ingest_paths(archive, [str(folder)]).added == 21
    paths[0].write_text(wire_story(1000))  # changed: read again
    rerun = ingest_paths(archive, [str(folder)])
    assert (rerun.added, rerun.duplicates, rerun.skipped_files, rerun.failures) == (1, 20, 20, [])
    os.utime(export, ns=(1, 1))  # touched, same content: read again, a duplicate
    touched = ingest_paths(archive, [str(folder)])
    assert (touched.added, touched.duplicates, touched.skipped_files) == (0, 21, 20)


def test_files_whose_names_are_not_utf8_are_ingested_remembered_and_retried(
    archive: Archive, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # Linux names are bytes: an archive copied from an old Latin-1 system keeps them
    (folder / os.fsdecode(b"caf\xe9-talks.txt")).write_text(wire_story(1), encoding="utf-8")
    (folder / os.fsdecode(b"d\xe9j\xe0-vu.txt")).write_text("", encoding="utf-8")
    first = ingest_paths(archive, [str(folder)])
    assert (first.added, [Path(f.origin).name for f in first.failures]) == (
        1,
        [os.fsdecode(b"d\xe9j\xe0-vu.txt")],
    )
    rerun = ingest_paths(archive, [str(folder)])
    assert (rerun.added, rerun.duplicates, rerun.skipped_files) == (0, 1, 1)
    report = io.StringIO()
    write_failures(first.failures, report)
    (folder / os.fsdecode(b"d\xe9j\xe0-vu.txt")).write_text(wire_story(2), encoding="utf-8")
    retried = retry_failures(archive, read_failures(io.StringIO(report.getvalue())))
    assert (retried.added, retried.failures) == (1, [])


def test_progress_says_when_all_is_read_and_the_last_articles_are_indexed(
    archive: Archive, tmp_path: Path
) -> None:
    write_stories(tmp_path / "in", 5)
    reports: list[tuple[int, bool, int]] = []

    def seen(progress: BulkProgress) -> None:
        searchable = _stored(archive) - pending_count(archive)
        reports.append((progress.files_done, progress.indexing, searchable))

    ingest_paths(archive, [str(tmp_path / "in")], workers=0, on_progress=seen)
    # reading reports, then one report as the last commits begin, then one when all is done
    assert [indexing for _, indexing, _ in reports] == [False] * (len(reports) - 2) + [True, False]
    assert reports[-2] == (5, True, 0)  # all read, none searchable yet
    assert reports[-1] == (5, False, 5)


def test_the_report_lists_each_failure_and_retry_redoes_exactly_those(
    archive: Archive, tmp_path: Path
) -> None:
    write_stories(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_text("")
    lines = [json.dumps({"text": wire_story(n)}) for n in range(10, 14)]
    lines[1] = "{oops"
    export = _export(tmp_path / "in" / "export.ndjson", lines)
    summary = ingest_paths(archive, [str(tmp_path / "in")])
    assert (summary.added, len(summary.failures)) == (6, 2)
    report = io.StringIO()
    write_failures(summary.failures, report)
    records = [json.loads(line) for line in report.getvalue().splitlines()]
    assert [(r["path"], r["line"]) for r in records] == [
        (str(tmp_path / "in" / "empty.txt"), None),
        (str(export), 2),
    ]
    assert all(r["error"] for r in records)
    # The user fixes both; a retry reads only what failed.
    (tmp_path / "in" / "empty.txt").write_text(wire_story(20))
    lines[1] = json.dumps({"text": wire_story(11)})
    _export(export, lines)
    retried = retry_failures(archive, read_failures(io.StringIO(report.getvalue())))
    assert (retried.added, retried.duplicates, retried.failures) == (2, 0, [])
    assert _stored(archive) == 8


@pytest.mark.slow  # starting worker processes takes seconds
def test_a_pool_of_workers_gives_the_same_result(archive: Archive, tmp_path: Path) -> None:
    write_stories(tmp_path / "in", 40)
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    summary = ingest_paths(archive, [str(tmp_path / "in")], workers=2, batch_size=7)
    assert (summary.added, len(summary.failures)) == (40, 1)
    assert summary.failures[0].path == str(tmp_path / "in" / "binary.txt")
    assert archive.backend.count() == 40


def test_a_run_collects_young_garbage_less_often_and_gives_the_collector_back(
    archive: Archive, tmp_path: Path
) -> None:
    write_stories(tmp_path / "in", 5)
    before = gc.get_threshold()
    during: set[int] = set()
    ingest_paths(
        archive,
        [str(tmp_path / "in"), str(tmp_path / "missing")],
        workers=0,
        on_progress=lambda _: during.add(gc.get_threshold()[0]),
    )
    assert during == {YOUNG_GENERATION}
    assert gc.get_threshold() == before

    def interrupt(_: BulkProgress) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(archive, [str(tmp_path / "in")], workers=0, on_progress=interrupt)
    assert gc.get_threshold() == before


def test_near_duplicates_share_a_story_across_runs(client: TestClient) -> None:
    story = wire_story(7)
    body = story.partition("\n\n")[2]
    first = client.post("/api/articles", json={"text": story}).json()
    other = client.post("/api/articles", json={"text": wire_story(8)}).json()
    republished = "\n\n".join(
        ["Airbus story, updated", *body.split("\n\n")[:-2], "Reuters"]
    )  # another headline, the last paragraph cut
    bulk = client.post(
        "/api/articles/bulk",
        content=json.dumps({"text": republished}).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert bulk.json() == {"added": 1, "duplicates": 0, "failed": []}
    newest = client.get("/api/search", params={"sort": "newest"}).json()["hits"][0]["id"]
    again = client.get(f"/api/articles/{newest}").json()
    assert (first["story_id"], other["story_id"]) == (first["id"], other["id"])
    assert again["story_id"] == first["id"]
    everything = client.get("/api/search").json()
    collapsed = client.get("/api/search", params={"collapse": "story"}).json()
    assert (everything["total"], collapsed["total"]) == (3, 2)
    assert {hit["id"] for hit in collapsed["hits"]} >= {other["id"]}


def test_ctrl_c_lets_the_task_under_way_finish_then_stops_with_everything_indexed(
    archive: Archive, tmp_path: Path
) -> None:
    write_stories(tmp_path / "folder", 3 * GROUP_UNITS)
    reports: list[int] = []

    def interrupt_once(progress: BulkProgress) -> None:
        if progress.files_done >= 1 and not reports:
            os.kill(os.getpid(), signal.SIGINT)
            # Still running: the interrupt waits for the next task boundary.
            reports.append(progress.files_done)

    with pytest.raises(KeyboardInterrupt):
        ingest_paths(archive, [str(tmp_path / "folder")], workers=0, on_progress=interrupt_once)
    assert reports
    # Every article stored before the stop is stored whole, indexed, and no more were read.
    assert GROUP_UNITS <= _stored(archive) < 3 * GROUP_UNITS
    assert pending_count(archive) == 0
    assert archive.backend.count() == _stored(archive)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_articles_stored_while_an_index_commit_adds_documents_join_that_commit(
    archive: Archive,
) -> None:
    writer = BatchWriter(archive, batch_size=10, index_seconds=3600)
    for number in range(10):
        writer.add(prepare_item(SourceItem("test", wire_story(number), "text")))
    index_add = writer._index.add
    joined = threading.Event()

    def add_once_more_joined(documents: Sequence[IndexDocument]) -> None:
        joined.wait(timeout=30)
        index_add(documents)

    writer._index.add = add_once_more_joined  # type: ignore[method-assign]
    # The commit of the first ten adds their documents on its thread while ten more are stored.
    writer.commit_index()
    for number in range(10, 20):
        writer.add(prepare_item(SourceItem("test", wire_story(number), "text")))
    window = writer._window
    assert window is not None
    threading.Timer(0.2, joined.set).start()
    writer.finish()
    assert len(window.ids) == 20
    assert len(archive.backend._ix._segments()) == 1
    assert archive.backend.count() == 20
    assert pending_count(archive) == 0


def test_articles_stored_while_the_index_catches_up_join_that_commit(archive: Archive) -> None:
    writer = BatchWriter(archive, batch_size=10, index_seconds=3600)
    for number in range(10):
        writer.add(prepare_item(SourceItem("test", wire_story(number), "text")))
    catching_up, joined = threading.Event(), threading.Event()
    index_catch_up = writer._index.catch_up

    def catch_up_until_joined() -> None:
        catching_up.set()
        joined.wait(timeout=30)
        index_catch_up()

    writer._index.catch_up = catch_up_until_joined  # type: ignore[method-assign]
    # The commit of the first ten has added their documents and waits for the index to
    # catch up with them while ten more are stored: they join it, not a second commit.
    writer.commit_index()
    window = writer._window
    assert window is not None and catching_up.wait(timeout=30)
    for number in range(10, 20):
        writer.add(prepare_item(SourceItem("test", wire_story(number), "text")))
    window_extend = window.extend

    def extend_then_join(waiting: dict[int, object]) -> bool:
        extended = window_extend(waiting)
        joined.set()
        return extended

    window.extend = extend_then_join  # type: ignore[method-assign]
    writer.finish()
    assert len(window.ids) == 20
    assert len(archive.backend._ix._segments()) == 1
    assert archive.backend.count() == 20
    assert pending_count(archive) == 0
