"""The block posting pool sorts postings as Whoosh's own pool does, spilled to runs or not."""

from __future__ import annotations

from pathlib import Path

from whoosh import index

from app.search.whoosh_pool import RUN_BLOCK, BlockPostingPool, tune_writer
from app.search.whoosh_schema import SCHEMA

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TEXTS = sorted(p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt"))


def index_postings(folder: Path, limitmb: float | None) -> list[tuple[str, bytes, list[int]]]:
    """Index the gold articles (with our pool of `limitmb`, or Whoosh's); every posting back."""
    folder.mkdir()
    ix = index.create_in(str(folder), SCHEMA)
    writer = ix.writer()
    if limitmb is not None:
        tune_writer(writer, 1)
        writer.pool.limit = int(limitmb * 1024 * 1024)
    for number, text in enumerate(TEXTS, start=1):
        title, _, body = text.partition("\n")
        writer.add_document(id=number, title=title, body=body)
    writer.commit()
    with ix.reader() as reader:
        return [
            (field, term, list(reader.postings(field, term).all_ids()))
            for field, term in reader.all_terms()
        ]


def test_runs_spilled_to_disk_give_the_index_whoosh_writes(tmp_path: Path) -> None:
    expected = index_postings(tmp_path / "whoosh", None)
    assert any(field == "body" and term == b"kabul" for field, term, _ in expected)
    # A limit of a few kilobytes spills a run every handful of postings, and a run holds
    # several blocks once the limit is above a block's worth.
    assert index_postings(tmp_path / "spilled", 0.002) == expected
    assert index_postings(tmp_path / "blocks", RUN_BLOCK * 400 / 2**20) == expected
    assert index_postings(tmp_path / "in-memory", 256) == expected


def test_a_run_reads_back_its_postings_in_order_across_blocks(tmp_path: Path) -> None:
    ix = index.create_in(str(tmp_path), SCHEMA)
    writer = ix.writer()
    pool = BlockPostingPool(writer._tempstorage, writer.newsegment, limitmb=16)
    postings = [("body", f"word{n % 977:04d}".encode(), n, 1.0, b"") for n in range(3 * RUN_BLOCK)]
    for posting in postings:
        pool.add(posting)
    pool.save()
    assert len(pool.runs) == 1
    assert list(pool.items()) == sorted(postings)
    writer.cancel()
