"""The tight posting loop writes what Whoosh's own writer does, at commit and in merges: a
segment that reads back the same, term by term and posting by posting, in smaller posting
blocks (their data pickled with protocol 5), every other file byte for byte the same."""

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


def segment_files(index: object) -> dict[str, bytes]:
    """The bytes of each file of the index's one segment, by name less the segment's id."""
    (segment,) = index.refresh()._segments()
    folder = Path(index.storage.folder)
    return {
        path.name.replace(segment.segid, ""): path.read_bytes()
        for path in folder.glob(f"*{segment.segid}*")
    }


def read_back(index: object) -> dict[tuple[str, bytes], tuple[object, ...]]:
    """Every term's statistics and postings (ids, weights, values), as Whoosh reads them."""
    reader = index.refresh().reader()
    terms: dict[tuple[str, bytes], tuple[object, ...]] = {}
    for fieldname, text in reader.all_terms():
        info = reader.term_info(fieldname, text)
        matcher = reader.postings(fieldname, text)
        postings = []
        while matcher.is_active():
            postings.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        statistics = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
        bounds = (info.max_weight(), info.min_id(), info.max_id())
        terms[fieldname, text] = (*statistics, *bounds, tuple(postings))
    reader.close()
    return terms


def build(folder: Path, fast: bool, merged: bool) -> object:
    """An index of the gold articles in one segment: committed at once, or merged from two."""
    folder.mkdir()
    index = MappedStorage(str(folder)).create_index(SCHEMA)
    if not merged:
        write_segment(index, range(1, COPIES + 1), fast)
        return index
    write_segment(index, range(1, COPIES // 2 + 1), fast)
    write_segment(index, range(COPIES // 2 + 1, COPIES + 1), fast)
    writer = SegmentWriter(index, compound=False)
    if fast:
        use_fast_postings(writer.fieldwriter)
    writer.commit(optimize=True)
    return index


@pytest.mark.parametrize("merged", [False, True], ids=["commit", "merge"])
def test_a_segment_reads_back_as_whooshs_own_in_smaller_blocks(
    tmp_path: Path, merged: bool
) -> None:
    own = build(tmp_path / "whoosh", fast=False, merged=merged)
    tight = build(tmp_path / "tight", fast=True, merged=merged)
    own_terms = read_back(own)
    assert len(own_terms) > 1000
    assert read_back(tight) == own_terms
    own_files, tight_files = segment_files(own), segment_files(tight)
    postings, terms = "MAIN_.pst", "MAIN_.trm"
    assert {postings, terms} <= set(own_files) == set(tight_files)
    # The term index holds each term's place in the posting file, which is smaller.
    assert len(tight_files.pop(postings)) < 0.8 * len(own_files.pop(postings))
    assert len(tight_files.pop(terms)) == len(own_files.pop(terms))
    assert tight_files == own_files


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
