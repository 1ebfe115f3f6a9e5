"""A second Whoosh segment writer in another process, for large commits.

One Whoosh writer uses one core, and in a bulk ingest it shares that core
(and the interpreter lock) with storing. A large commit therefore hands its
documents (all of them while the ingest still stores, half once it has
stored everything, taking back what the sub-writer has not yet been sent when
it falls behind) to a sub-writer: a process that adds them to a segment
of its own, which the commit then lists beside the writer's own, as Whoosh's
multiprocessing writer does with `multisegment=True`. The sub-writer takes no
lock (the writer holds it) and only adds documents: for a document that replaces
one, the writer deletes the old version. It is a fresh interpreter, not a
fork: a fork of the writer's large heap would copy every page either process
then touches, and it runs no module but this one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.writing import SegmentWriter

from app.search.types import IndexDocument
from app.search.whoosh_pool import tune_writer
from app.search.whoosh_schema import Vocabulary
from app.search.whoosh_storage import MappedStorage

#: Seconds a finishing sub-writer may take to hand over its segment.
FINISH_SECONDS = 600.0


class SubWriterError(RuntimeError):
    """The sub-writer failed, or went away, before handing over its segment."""


class SubWriter:
    """A process writing one new segment of the index in `folder` from the documents it
    is sent (pickled over its standard input; the segment comes back on its output)."""

    def __init__(self, folder: Path, limitmb: int) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(folder), str(limitmb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C is the parent's to handle
        )
        self._outbox: queue.SimpleQueue[list[IndexDocument] | None] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, name="index-subwriter", daemon=True)
        self._feeder.start()
        self._closed = False
        self._ended = False
        self.count = 0

    def add(self, documents: Sequence[IndexDocument]) -> None:
        """Queue new documents (ids the index does not hold) for the sub-writer's segment."""
        self._outbox.put(list(documents))
        self.count += len(documents)

    def take_back(self) -> list[IndexDocument]:
        """The oldest batch of documents not yet sent, taken back for another writer to add
        (none when the sub-writer has been sent everything)."""
        try:
            documents = self._outbox.get_nowait()
        except queue.Empty:
            return []
        if documents is None:  # everything else is sent: the end goes back, to be sent last
            self._outbox.put(None)
            return []
        self.count -= len(documents)
        return documents

    def behind(self) -> bool:
        """Whether documents added are still waiting to be sent (while it can be sent any)."""
        return self._feeder.is_alive() and self._outbox.qsize() > self._ended

    def _feed(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        with contextlib.suppress(OSError):  # the sub-writer went away: `segment` says so
            while True:
                documents = self._outbox.get()
                pickle.dump(documents, stdin, pickle.HIGHEST_PROTOCOL)
                if documents is None:
                    break
            stdin.flush()
        with contextlib.suppress(OSError):
            stdin.close()

    def end(self) -> None:
        """Send no more documents: the sub-writer finishes its segment once sent the rest."""
        self._ended = True
        self._outbox.put(None)

    def segment(self) -> Any:
        """The sub-writer's finished segment, once `end` was called (None when it was sent
        no document)."""
        stdout = self._process.stdout
        assert stdout is not None
        try:
            ready, _, _ = select.select([stdout], [], [], FINISH_SECONDS)
            if not ready:
                raise SubWriterError("the index sub-writer did not finish in time")
            outcome, value = pickle.load(stdout)
        except (EOFError, pickle.UnpicklingError):
            self.cancel()
            raise SubWriterError("the index sub-writer stopped unexpectedly") from None
        except BaseException:
            self.cancel()
            raise
        self._close()
        if outcome != "segment":
            raise SubWriterError(f"the index sub-writer failed: {value}")
        return value

    def cancel(self) -> None:
        """Stop the sub-writer, dropping what it was not yet sent; the files of its
        unfinished segment are cleaned up by a later commit."""
        if not self._closed:
            self._process.kill()
            self._outbox.put(None)
        self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._feeder.join()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


def _write_segment(folder: str, limitmb: int, documents: BinaryIO, result: BinaryIO) -> None:
    """Add the documents read from `documents` to a new segment; write it to `result`."""
    writer = tune_writer(
        SegmentWriter(MappedStorage(folder).open_index(), _lk=False, limitmb=limitmb), limitmb
    )
    vocabulary = Vocabulary()
    try:
        while (batch := pickle.load(documents)) is not None:
            for doc in batch:
                vocabulary.add_document(writer, doc, replace=False)
        vocabulary.write(writer)
        outcome = ("segment", writer._finalize_segment() if writer._added else None)
    except (EOFError, pickle.UnpicklingError):
        return  # the parent went away: it will never list this segment
    except Exception as error:  # reported to the parent, which fails its commit
        outcome = ("error", f"{type(error).__name__}: {error}")
    finally:
        with contextlib.suppress(Exception):
            writer._close_segment()
    with contextlib.suppress(BrokenPipeError):  # the parent went away meanwhile
        pickle.dump(outcome, result, pickle.HIGHEST_PROTOCOL)
        result.flush()


def _main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Results go to the output this process started with; anything printed goes to stderr.
    result = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    folder, limitmb = sys.argv[1], int(sys.argv[2])
    _write_segment(folder, limitmb, sys.stdin.buffer, result)


def commit_with(
    writer: Any, subwriter: SubWriter | None, mergetype: Any, last_adds: Callable[[], None]
) -> None:
    """Commit `writer`: merge segments by `mergetype`, run `last_adds` (which may still add
    to the writer), then finish its segment, listing `subwriter`'s segment beside it: both
    finish their segments at the same time."""
    if subwriter is None:
        last_adds()
        writer.commit(mergetype=mergetype)
        return
    subwriter.end()
    try:
        final = writer._merge_segments(mergetype, None, None)
        last_adds()
        own = writer._finalize_segment() if writer._added else writer._close_segment()
        final.extend(s for s in (subwriter.segment(), own) if s is not None)
        writer._commit_toc(final)
    except BaseException:
        subwriter.cancel()
        writer._cleanup_on_error()
        raise
    writer._finish()


if __name__ == "__main__":
    _main()
