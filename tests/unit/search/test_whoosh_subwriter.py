"""A large Whoosh batch shares its new documents with a sub-writer process, losing none."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.search import whoosh_backend
from app.search.types import IndexDocument, SearchRequest
from app.search.whoosh_backend import SUBWRITER_AFTER, WhooshBackend, WhooshBatch
from app.search.whoosh_subwriter import SubWriter, SubWriterError
from tests.unit.search.gold_documents import article


def chunks(first: int, last: int, size: int = 500) -> list[list[IndexDocument]]:
    return [
        [article(n) for n in range(s, min(s + size, last + 1))]
        for s in range(first, last + 1, size)
    ]


def segments(backend: WhooshBackend) -> int:
    return len(backend._ix._segments())


def filled_batch(
    backend: WhooshBackend, first: int, last: int, idle_cores: bool = True
) -> WhooshBatch:
    """A batch given articles `first` to `last` in chunks (left the cores, or not)."""
    batch = backend.batch()
    if idle_cores:
        batch.use_idle_cores()
    for chunk in chunks(first, last):
        batch.add(chunk)
    return batch


def test_a_large_batch_commits_the_sub_writers_segment_beside_its_own(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    total = 3 * SUBWRITER_AFTER
    batch = filled_batch(backend, 1, total)
    assert batch._subwriter is not None and 0 < batch._subwriter.count <= total // 2
    batch.commit()
    assert segments(backend) == 2
    assert backend.count() == total
    page = backend.search(SearchRequest(q=f'"archive copy {total}"'))
    assert [hit.id for hit in page.hits] == [total]
    assert (
        backend.search(SearchRequest(q="copy", filters={"person": ("Ahmad Massoud",)})).total
        == total // 2
    )


def test_documents_that_replace_committed_ones_go_to_the_sub_writer_and_the_old_ones_go(
    tmp_path: Path,
) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([article(n) for n in range(1, 11)])
    batch = filled_batch(backend, 11, 2 * SUBWRITER_AFTER)
    # Articles 1 to 10 learn a spelling: their documents are written again.
    replaced = [replace(article(n), person_aliases=("Ahmed Massoud",)) for n in range(1, 11)]
    assert batch._shares(replaced)
    batch.add(replaced)
    batch.commit()
    assert backend.count() == 2 * SUBWRITER_AFTER
    learned = backend.search(
        SearchRequest(q="copy", filters={"person": ("Ahmed Massoud",)}, per_page=50)
    )
    assert sorted(hit.id for hit in learned.hits) == list(range(1, 11))
    page = backend.search(SearchRequest(q='"archive copy 7"'))
    assert [hit.id for hit in page.hits] == [7]


def test_a_document_added_since_the_last_commit_is_replaced_after_a_commit(
    tmp_path: Path,
) -> None:
    backend = WhooshBackend(tmp_path / "index")
    batch = filled_batch(backend, 1, 2 * SUBWRITER_AFTER)
    again = [replace(article(n), person_aliases=("Ahmed Massoud",)) for n in range(1, 11)]
    assert not batch._shares(again)
    batch.add(again)
    batch.commit()
    assert backend.count() == 2 * SUBWRITER_AFTER
    learned = backend.search(SearchRequest(q="copy", filters={"person": ("Ahmed Massoud",)}))
    assert learned.total == 10


def test_a_small_batch_starts_no_sub_writer(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    batch = backend.batch()
    batch.use_idle_cores()
    batch.add([article(n) for n in range(1, SUBWRITER_AFTER)])
    assert batch._subwriter is None
    batch.commit()
    assert segments(backend) == 1


def test_a_cancelled_batch_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([article(1)])
    batch = filled_batch(backend, 2, 3 * SUBWRITER_AFTER)
    assert batch._subwriter is not None
    batch.cancel()
    assert backend.count() == 1
    backend.index([article(2)])
    assert backend.count() == 2


def test_a_failing_sub_writer_fails_the_commit_and_stores_nothing(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([article(1)])
    batch = filled_batch(backend, 2, 2 * SUBWRITER_AFTER)
    assert batch._subwriter is not None
    # A document the schema cannot hold makes the sub-writer fail on it.
    batch._subwriter.add([replace(article(5000), id="not a number")])
    with pytest.raises(SubWriterError, match="failed"):
        batch.commit()
    assert backend.count() == 1
    backend.index([article(2)])
    assert backend.count() == 2


def test_a_sub_writer_sent_nothing_hands_over_no_segment(tmp_path: Path) -> None:
    WhooshBackend(tmp_path / "index")
    subwriter = SubWriter(tmp_path / "index", whoosh_backend.SUBWRITER_MB)
    subwriter.end()
    assert subwriter.segment() is None


def test_a_batch_whose_caller_still_stores_hands_its_sub_writer_every_new_document(
    tmp_path: Path,
) -> None:
    backend = WhooshBackend(tmp_path / "index")
    batch = filled_batch(backend, 1, 3 * SUBWRITER_AFTER, idle_cores=False)
    # The first thousand stay with the writer; every one after goes to the sub-writer.
    assert batch._subwriter is not None and batch._subwriter.count == 2 * SUBWRITER_AFTER
    batch.commit()
    assert (segments(backend), backend.count()) == (2, 3 * SUBWRITER_AFTER)
    page = backend.search(SearchRequest(q=f'"archive copy {3 * SUBWRITER_AFTER}"'))
    assert [hit.id for hit in page.hits] == [3 * SUBWRITER_AFTER]


def test_a_bulk_window_of_large_chunks_is_one_segment_of_the_sub_writers(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    batch = backend.batch()
    for chunk in chunks(1, 3 * SUBWRITER_AFTER, size=SUBWRITER_AFTER):
        batch.add(chunk)
    assert batch._subwriter is not None and batch._subwriter.count == 3 * SUBWRITER_AFTER
    batch.commit()
    # The writer added nothing of its own: the commit lists the sub-writer's segment alone.
    assert (segments(backend), backend.count()) == (1, 3 * SUBWRITER_AFTER)


def test_a_sub_writer_whose_parent_goes_away_exits_quietly_and_its_files_go(
    tmp_path: Path,
) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([article(1)])
    before = set((tmp_path / "index").iterdir())
    documents = pickle.dumps([article(n) for n in range(2, 40)], pickle.HIGHEST_PROTOCOL)
    # Its input ends in the middle of a batch, as when the ingest is killed.
    stopped = subprocess.run(
        [sys.executable, "-m", "app.search.whoosh_subwriter", str(tmp_path / "index"), "16"],
        input=documents + documents[: len(documents) // 2],
        capture_output=True,
        check=False,
    )
    assert (stopped.returncode, stopped.stdout, stopped.stderr) == (0, b"", b"")
    assert set((tmp_path / "index").iterdir()) - before  # its unfinished segment's files
    backend.index([article(2)])
    assert backend.count() == 2
    listed = tuple(f"{segment.segment_id()}." for segment in backend._ix._segments())
    left = [p.name for p in (tmp_path / "index").iterdir()]
    assert [
        name for name in left if not name.startswith((*listed, "_MAIN_", "MAIN_WRITELOCK"))
    ] == []


@pytest.mark.parametrize("cores_free", ["before the commit", "while it waits"])
def test_a_commit_takes_back_what_a_sub_writer_that_fell_behind_was_not_yet_sent(
    tmp_path: Path, cores_free: str
) -> None:
    backend = WhooshBackend(tmp_path / "index")
    batch = filled_batch(backend, 1, 3 * SUBWRITER_AFTER, idle_cores=False)
    subwriter = batch._subwriter
    assert subwriter is not None
    # The sub-writer stalls (as when storing had the cores) while more documents arrive.
    os.kill(subwriter._process.pid, signal.SIGSTOP)
    try:
        for chunk in chunks(3 * SUBWRITER_AFTER + 1, 6 * SUBWRITER_AFTER):
            batch.add(chunk)
        sent = subwriter.count
        assert not subwriter._outbox.empty()  # it fell behind
        if cores_free == "before the commit":
            batch.use_idle_cores()
        committing = threading.Thread(target=batch.commit)
        committing.start()
        if cores_free == "while it waits":
            time.sleep(0.2)
            assert subwriter.count == sent  # still the caller's cores: it only waits
            batch.use_idle_cores()
        deadline = time.monotonic() + 60
        while subwriter.count == sent and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.kill(subwriter._process.pid, signal.SIGCONT)
    committing.join(timeout=60)
    assert not committing.is_alive()
    # The writer added what it took back beside its own first thousand.
    shared, own = (s.doc_count_all() for s in backend._ix._segments())
    assert (own + shared, shared) == (6 * SUBWRITER_AFTER, subwriter.count)
    assert own > SUBWRITER_AFTER
    for n in (1, 3 * SUBWRITER_AFTER + 1, 6 * SUBWRITER_AFTER):
        page = backend.search(SearchRequest(q=f'"archive copy {n}"'))
        assert [hit.id for hit in page.hits] == [n]


def test_what_is_taken_back_after_the_end_never_includes_the_end(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([article(1)])
    subwriter = SubWriter(tmp_path / "index", 16)
    os.kill(subwriter._process.pid, signal.SIGSTOP)
    try:
        subwriter.add([article(n) for n in range(2, 2000)])
        deadline = time.monotonic() + 10
        while not subwriter._outbox.empty() and time.monotonic() < deadline:
            time.sleep(0.01)
        # The feeder is stuck sending the first batch: the last waits, then the end.
        subwriter.add([article(2000)])
        subwriter.end()
        assert subwriter.take_back() == [article(2000)]
        assert subwriter.take_back() == []  # the end stays queued, last
        assert subwriter.behind() is False
    finally:
        os.kill(subwriter._process.pid, signal.SIGCONT)
    assert subwriter.segment().doc_count_all() == subwriter.count
