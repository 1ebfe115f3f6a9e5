"""Whoosh's posting pool, with runs spilled and read back a block at a time.

A Whoosh writer sorts every posting of its segment in a pool; past `limitmb`
the pool spills a sorted run to disk, one pickle call per posting, and at
commit reads the runs back the same way while merging them. Here a run is
written and read as pickled blocks of postings, and adding a posting skips
the checks Whoosh's pool makes of every one. The memory limit, and Whoosh's
estimate of what a posting costs against it, are unchanged.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from whoosh.writing import PostingPool

from app.search.whoosh_postings import Posting, use_fast_postings

#: Postings per pickled block of a run.
RUN_BLOCK = 4096
#: Whoosh's estimate of a posting's size in bytes, but for its field name, term and value.
POSTING_BYTES = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


class BlockPostingPool(PostingPool):  # type: ignore[misc]
    """A `PostingPool` whose runs are pickled blocks of postings.

    Its `fieldnames` stays empty: only Whoosh's multiprocessing writer reads it.
    """

    def add(self, item: Posting) -> None:
        """Add one posting (field name, term bytes, doc number, weight, value bytes)."""
        self.current.append(item)
        self.currentsize += POSTING_BYTES + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()

    def _write_run(self, f: BinaryIO, items: Iterable[Posting]) -> None:
        postings = iter(items)
        while block := list(islice(postings, RUN_BLOCK)):
            pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Posting]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = pickle.load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


def tune_writer(writer: Any, limitmb: int) -> Any:
    """Give a fresh Whoosh segment writer a `BlockPostingPool` of `limitmb`, and its field
    writer the tight posting loop of `whoosh_postings`; the writer."""
    writer.pool = BlockPostingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    use_fast_postings(writer.fieldwriter)
    return writer
