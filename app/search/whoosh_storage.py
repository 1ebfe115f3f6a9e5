"""Whoosh's file storage, with index files read in place from memory maps.

Whoosh maps a compound segment file, then wraps each part it opens (terms,
postings, stored fields, columns) in a `BytesIO`, which copies the part onto
the heap: one reader over a 200,000-article index held 630 MB of copies, and
a writer or a search opens a new reader after every commit. Here a file is
mapped once and every part of it is a view of the map, so a read copies only
the bytes it returns and the mapped pages stay the operating system's cache.
"""

from __future__ import annotations

import contextlib
import mmap
import os
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile

#: Bytes a line search reads at a time.
LINE_CHUNK = 4096


class ViewReader:
    """A read-only, seekable file over a memoryview, with a position of its own."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._size = len(view)
        self._position = 0

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (all that is left when negative or None)."""
        start = self._position
        end = self._size if size is None or size < 0 else min(start + size, self._size)
        self._position = max(start, end)
        return self._view[start:end].tobytes()

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` with the next bytes; how many."""
        target = memoryview(buffer).cast("B")
        start = self._position
        end = min(start + len(target), self._size)
        target[: end - start] = self._view[start:end]
        self._position = end
        return end - start

    def readline(self, size: int | None = -1) -> bytes:
        """The bytes up to and including the next newline (or `size` bytes, or the end)."""
        start = self._position
        limit = self._size if size is None or size < 0 else min(start + size, self._size)
        end = start
        while end < limit:
            chunk = self._view[end : min(end + LINE_CHUNK, limit)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        return self.read(end - start)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move to `offset` from the start, the current position or the end."""
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        """The current position."""
        return self._position

    def close(self) -> None:
        """Let go of the view."""
        self._view.release()


class MappedFile(BufferFile):  # type: ignore[misc]
    """A Whoosh file over (part of) a memory map; its subsets are views of the same map."""

    def __init__(self, view: memoryview, name: str | None = None, mapping: Any = None) -> None:
        super().__init__(b"", name=name)
        self._buf = view
        self.file = ViewReader(view[:])
        self._mapping = mapping

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        """The part `position` to `position + length`, without copying it."""
        return MappedFile(self._buf[position : position + length], name=name or self._name)

    def close(self) -> None:
        """Close the file; the map closes once no part of it is in use."""
        super().close()
        if self._mapping is not None:
            # While a part still views the map, it closes when the last part goes.
            with contextlib.suppress(BufferError):
                self._mapping.close()
            self._mapping = None


class MappedStorage(FileStorage):  # type: ignore[misc]
    """A `FileStorage` whose files open as `MappedFile`s (empty files as plain ones).

    Whoosh's own mapping of compound files is off (`supports_mmap`): a compound
    file opened here is already mapped, and its parts are its subsets.
    """

    def __init__(self, path: str, readonly: bool = False) -> None:
        super().__init__(path, supports_mmap=False, readonly=readonly)

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        """Open the file `name` for reading."""
        with Path(self._fpath(name)).open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return super().open_file(name, **kwargs)
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return MappedFile(memoryview(mapping), name=name, mapping=mapping)
