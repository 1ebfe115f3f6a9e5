"""The tight posting loop writes the very bytes Whoosh's own writes, at commit and in merges."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec.base import OutOfOrderError
from whoosh.writing import SegmentWriter

from app.search.whoosh_postings import use_fast_postings
from app.search.whoosh_schema import SCHEMA, Vocabulary
from app.search.whoosh_storage import MappedStorage
from tests.unit.search.gold_documents import article

#: Enough copies of the gold articles for common words to fill several posting blocks.
COPIES = 400


def write_segment(index: object, numbers: range, fast: bool) -> None:
    """Commit the gold articles `numbers` in one segment, through the tight loop or Whoosh's."""
    writer = SegmentWriter(index, compound=False)
    if fast:
        use_fast_postings(writer.fieldwriter)
    vocabulary = Vocabulary()
    for number in numbers:
        vocabulary.add_document(writer, article(number), replace=False)
    vocabulary.write(writer)
    writer.commit()


def term_and_posting_files(index: object) -> dict[str, bytes]:
    """The bytes of the index's one segment's term index and posting files, by extension."""
    (segment,) = index.refresh()._segments()
    folder = Path(index.storage.folder)
    return {
        path.suffix: path.read_bytes()
        for path in folder.glob(f"*{segment.segid}*")
        if path.suffix in (".trm", ".pst")
    }


def build(folder: Path, fast: bool, merged: bool) -> dict[str, bytes]:
    """The gold articles in one segment: committed at once, or merged from two."""
    folder.mkdir()
    index = MappedStorage(str(folder)).create_index(SCHEMA)
    if not merged:
        write_segment(index, range(1, COPIES + 1), fast)
        return term_and_posting_files(index)
    write_segment(index, range(1, COPIES // 2 + 1), fast)
    write_segment(index, range(COPIES // 2 + 1, COPIES + 1), fast)
    writer = SegmentWriter(index, compound=False)
    if fast:
        use_fast_postings(writer.fieldwriter)
    writer.commit(optimize=True)
    return term_and_posting_files(index)


@pytest.mark.parametrize("merged", [False, True], ids=["commit", "merge"])
def test_segment_files_are_byte_for_byte_whooshs_own(tmp_path: Path, merged: bool) -> None:
    own = build(tmp_path / "whoosh", fast=False, merged=merged)
    tight = build(tmp_path / "tight", fast=True, merged=merged)
    assert set(own) == {".trm", ".pst"}
    assert tight == own


def test_a_common_word_spans_several_blocks_and_reads_back_whole(tmp_path: Path) -> None:
    index = MappedStorage(str(tmp_path)).create_index(SCHEMA)
    write_segment(index, range(1, COPIES + 1), fast=True)
    with index.refresh().searcher() as searcher:
        postings = searcher.reader().postings("body", "archiv")
        assert len(list(postings.all_ids())) == COPIES
        assert searcher.reader().doc_frequency("id", SCHEMA["id"].to_bytes(COPIES)) == 1


def test_postings_out_of_order_fail_as_in_whoosh(tmp_path: Path) -> None:
    index = MappedStorage(str(tmp_path)).create_index(SCHEMA)
    writer = SegmentWriter(index, compound=False)
    fieldwriter = use_fast_postings(writer.fieldwriter)
    postings = [("title", b"talks", 0, 1.0, None), ("title", b"kabul", 0, 1.0, None)]
    with pytest.raises(OutOfOrderError):
        fieldwriter.add_postings(SCHEMA, None, iter(postings))
    writer.cancel()
