"""Index files read through views of a memory map give what Whoosh's own storage gives."""

from __future__ import annotations

import io
import mmap
import os
import pickle
from pathlib import Path

import pytest
from whoosh import index

from app.search.whoosh_schema import SCHEMA
from app.search.whoosh_storage import LINE_CHUNK, MappedFile, MappedStorage, ViewReader

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TEXTS = sorted(p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt"))
WIRE_LINES = b"KABUL, Afghanistan (AA)\nTalks began on Monday.\n\nMost Viewed"


def build(ix: index.Index) -> None:
    """Index the gold articles in two commits (two compound segments), deleting one."""
    for half in (TEXTS[::2], TEXTS[1::2]):
        writer = ix.writer()
        for text in half:
            title, _, body = text.partition("\n")
            writer.add_document(id=TEXTS.index(text) + 1, title=title, body=body)
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", 1)
    writer.commit(merge=False)


def everything(ix: index.Index) -> list[object]:
    """Every posting and stored document the index holds."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        postings = [
            (field, term, list(reader.postings(field, term).items_as("positions")))
            for field, term in reader.all_terms()
            if field in ("title", "body")
        ]
        return [postings, sorted(reader.column_reader("id")), searcher.doc_count()]


@pytest.mark.parametrize("size", [0, 1, 5, len(WIRE_LINES), len(WIRE_LINES) + 10, -1, None])
def test_a_view_reader_reads_like_a_bytes_file(size: int | None) -> None:
    ours, theirs = ViewReader(memoryview(WIRE_LINES)), io.BytesIO(WIRE_LINES)
    assert ours.read(size) == theirs.read(size)
    assert ours.tell() == theirs.tell()
    for offset, whence in [(3, os.SEEK_SET), (4, os.SEEK_CUR), (-6, os.SEEK_END), (2, 1)]:
        assert ours.seek(offset, whence) == theirs.seek(offset, whence)
        assert ours.readline() == theirs.readline()
        assert ours.read(7) == theirs.read(7)
    ours.seek(0), theirs.seek(0)
    assert [ours.readline(8) for _ in range(8)] == [theirs.readline(8) for _ in range(8)]
    into, expected = bytearray(10), bytearray(10)
    assert ours.readinto(into) == theirs.readinto(expected) and into == expected


def test_a_line_longer_than_a_search_chunk_reads_whole() -> None:
    text = b"x" * (LINE_CHUNK * 2 + 17) + b"\nnext line\n"
    reader = ViewReader(memoryview(text))
    assert reader.readline() == text.partition(b"\n")[0] + b"\n"
    assert reader.readline() == b"next line\n"
    assert reader.readline() == b""


def test_pickles_load_through_a_view_reader() -> None:
    records = [{"title": "Talks in Kabul", "agency": "AA"}, list(range(300))]
    data = b"".join(pickle.dumps(r, protocol) for r, protocol in zip(records, (0, 5), strict=True))
    reader = ViewReader(memoryview(data))
    assert [pickle.load(reader), pickle.load(reader)] == records


def test_an_index_reads_the_same_through_mapped_views(tmp_path: Path) -> None:
    build(index.create_in(str(tmp_path), SCHEMA))
    expected = everything(index.open_dir(str(tmp_path)))
    assert expected[2] == len(TEXTS) - 1
    assert everything(MappedStorage(str(tmp_path)).open_index()) == expected


def test_an_index_written_through_mapped_storage_is_the_one_whoosh_writes(tmp_path: Path) -> None:
    (tmp_path / "whoosh").mkdir()
    build(index.create_in(str(tmp_path / "whoosh"), SCHEMA))
    ours = MappedStorage(str(tmp_path / "mapped")).create().create_index(SCHEMA)
    build(ours)
    assert everything(ours) == everything(index.open_dir(str(tmp_path / "whoosh")))


def test_parts_of_a_segment_are_views_of_its_map_not_copies(tmp_path: Path) -> None:
    storage = MappedStorage(str(tmp_path))
    build(storage.create().create_index(SCHEMA))
    segment = next(tmp_path.glob("*.seg"))
    whole = storage.open_file(segment.name)
    part = whole.subset(16, 64)
    assert isinstance(part, MappedFile)
    assert isinstance(part._buf.obj, mmap.mmap)
    assert part.get(0, 64) == whole.get(16, 64)
    # The map outlives the file while a part still views it, and closes with the part.
    whole.close()
    assert part.read(8) == segment.read_bytes()[16:24]
    part.close()


def test_an_empty_file_opens_as_a_plain_one(tmp_path: Path) -> None:
    (tmp_path / "EMPTY").write_bytes(b"")
    empty = MappedStorage(str(tmp_path)).open_file("EMPTY")
    assert empty.read() == b""
    empty.close()
