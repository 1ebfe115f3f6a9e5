"""What only the Whoosh backend has to get right: its index folder and its write lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from whoosh import fields, index

from app.search.types import IndexDocument, SearchRequest
from app.search.whoosh_backend import WhooshBackend
from app.search.whoosh_schema import build_schema


def _doc(article_id: int, title: str = "Taliban enter Kabul") -> IndexDocument:
    return IndexDocument(
        id=article_id,
        title=title,
        body="Taliban fighters entered Kabul on Sunday, witnesses said.",
        section="World",
        language="en",
        agency="Anadolu Agency",
        dateline="Kabul, Afghanistan",
        translator=None,
        authors=(),
        people=(),
        person_aliases=(),
        places=("Kabul",),
        organizations=("Taliban",),
        published_at=datetime(2021, 8, 15, 9, tzinfo=UTC),
        ingested_at=datetime(2021, 8, 15, 10, tzinfo=UTC),
        agency_code="AA",
    )


def test_a_missing_index_is_created_empty_and_flagged(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    assert (backend.count(), backend.is_healthy()) == (0, False)
    backend.clear()
    assert backend.is_healthy()


def test_a_healthy_index_reopens_with_its_documents(tmp_path: Path) -> None:
    WhooshBackend(tmp_path / "index").index([_doc(1)])
    reopened = WhooshBackend(tmp_path / "index")
    assert (reopened.count(), reopened.is_healthy()) == (1, True)


def test_a_corrupt_index_is_recreated_empty(tmp_path: Path) -> None:
    WhooshBackend(tmp_path / "index").index([_doc(1)])
    for path in (tmp_path / "index").iterdir():
        path.write_bytes(b"\x00garbage")
    reopened = WhooshBackend(tmp_path / "index")
    assert (reopened.count(), reopened.is_healthy()) == (0, False)
    reopened.index([_doc(2)])
    assert reopened.search(SearchRequest(q="kabul")).total == 1


def test_writers_in_two_backends_wait_for_each_other(tmp_path: Path) -> None:
    # Two backends share no in-process lock, so they meet Whoosh's file lock.
    first, second = WhooshBackend(tmp_path / "index"), WhooshBackend(tmp_path / "index")
    errors: list[BaseException] = []

    def write(backend: WhooshBackend, start: int) -> None:
        try:
            for n in range(start, start + 10):
                backend.index([_doc(n)])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(b, s)) for b, s in ((first, 0), (second, 100))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert first.count() == second.count() == 20


def test_searches_see_writes_made_by_another_backend(tmp_path: Path) -> None:
    reader, writer = WhooshBackend(tmp_path / "index"), WhooshBackend(tmp_path / "index")
    writer.index([_doc(1)])
    assert reader.search(SearchRequest(q="kabul")).total == 1
    writer.index([_doc(1, title="Taliban leave Kandahar")])  # a replacement, not a second copy
    writer.delete([1])
    writer.index([_doc(2)])
    assert [hit.id for hit in reader.search(SearchRequest(q="taliban")).hits] == [2]


def test_searching_while_writing(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index")
    backend.index([_doc(0)])
    totals: list[int] = []
    writer = threading.Thread(target=lambda: [backend.index([_doc(n)]) for n in range(1, 15)])
    writer.start()
    while writer.is_alive():
        totals.append(backend.search(SearchRequest(q="kabul")).total)
    writer.join()
    assert totals == sorted(totals)  # never a lost or doubled document
    assert backend.search(SearchRequest(q="kabul")).total == 15


def test_an_index_of_another_layout_is_rebuilt(tmp_path: Path) -> None:
    # An older version indexed ids with Whoosh's range tiers; that index is not reused.
    older = build_schema()
    older.remove("id")
    older.add("id", fields.NUMERIC(int, bits=64, stored=True, unique=True, sortable=True))
    (tmp_path / "index").mkdir()
    index.create_in(str(tmp_path / "index"), older)
    backend = WhooshBackend(tmp_path / "index")
    assert (backend.count(), backend.is_healthy()) == (0, False)
    backend.index([_doc(1)])
    assert backend.search(SearchRequest(q="kabul")).total == 1
