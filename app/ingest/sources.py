"""Reading raw articles from files, folders, globs, NDJSON and stdin (the I/O edge).

Everything streams: folders are walked lazily, NDJSON (plain or `.gz`, files or
stdin) is read line by line in bounded chunks (a line past `MAX_LINE_BYTES` fails
unread), and only a one-article file or a JSON document (each capped at
`MAX_FILE_BYTES`) is read whole.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.ingest.record import IngestError, InputFormat
from app.pickling import pickled_by_fields

SourceFormat = Literal["auto", "text", "html", "json", "ndjson"]
MAX_FILE_BYTES = 50 * 1024 * 1024
#: An NDJSON line holds one article: no longer than a file of one.
MAX_LINE_BYTES = MAX_FILE_BYTES
CHUNK_LINES = 64
STDIN = "<stdin>"
_EXTENSIONS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceItem:
    """One raw article read from somewhere, with where it came from.

    `path` and `line` (an NDJSON line) or `item` (a JSON array position) say
    exactly where, so a failure can be retried alone.
    """

    origin: str
    data: bytes | str
    format: InputFormat
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None
    path: str | None = None
    line: int | None = None
    item: int | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceFailure:
    """Something that could not be read as an article, and why (located like `SourceItem`)."""

    origin: str
    reason: str
    path: str | None = None
    line: int | None = None
    item: int | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to ingest, as found on disk: its size and mtime tell whether it changed."""

    path: str
    size: int
    mtime_ns: int
    format: SourceFormat

    @property
    def is_lines(self) -> bool:
        """True for NDJSON, which is read line by line rather than whole."""
        return self.format == "ndjson"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class LineChunk:
    """A run of consecutive NDJSON lines; `first_line` numbers the first from 1.

    `end` is how far into the file (its stored bytes, packed if `.gz`) reading got.
    `too_long` numbers the lines longer than `MAX_LINE_BYTES`, left empty in `lines`.
    """

    origin: str
    path: str | None
    first_line: int
    lines: tuple[bytes, ...]
    end: int = 0
    too_long: tuple[int, ...] = ()


class JsonArticle(BaseModel):
    """A raw article sent as JSON: exactly one of `text` or `html`, plus optional metadata."""

    model_config = ConfigDict(extra="forbid", strict=False)

    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=4000)
    published_at: datetime | None = None
    source: str | None = Field(default=None, max_length=1000)

    @field_validator("text", "html")
    @classmethod
    def _no_lone_surrogates(cls, value: str | None) -> str | None:
        """JSON may escape half a UTF-16 pair (`"\\ud800"`): no text, nothing stores it
        (pydantic refuses it itself in a string of limited length)."""
        if value is not None and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("holds a lone surrogate, which is not text") from None
        return value


def item_from_json(value: object, origin: str) -> SourceItem:
    """Validate one JSON article into a source item; `IngestError` says what is wrong.

    >>> item_from_json({"text": "Kabul ...", "url": None}, "line 1").format
    'text'
    """
    try:
        article = JsonArticle.model_validate(value)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in error.errors()
        )
        raise IngestError(f"invalid JSON article: {problems}") from None
    if (article.text is None) == (article.html is None):
        raise IngestError('a JSON article needs exactly one of "text" or "html"')
    if article.text is not None:
        return SourceItem(
            origin, article.text, "text", article.url, article.published_at, article.source
        )
    return SourceItem(
        origin, article.html or "", "html", article.url, article.published_at, article.source
    )


def path_text(path: str) -> str:
    r"""A file's path as text to store or show: a name that is no UTF-8 (Linux allows any
    bytes; Python reads them as lone surrogates, which no text encoding takes) with those
    bytes escaped.

    >>> path_text("/news/caf\udce9.txt")
    '/news/caf\\xe9.txt'
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_inputs(paths: Iterable[str], format: SourceFormat) -> Iterator[InputFile | SourceFailure]:
    """Every file the paths name (directly, in folders recursively, or by glob), with size
    and mtime, or why a path names none."""
    walked: set[tuple[int, int]] = set()
    for name in paths:
        matches = _expand(name) if glob.has_magic(name) else [name]
        if not matches:
            yield SourceFailure(name, "no file matches this pattern", path=name)
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from _walk(str(path), format, walked)
            elif path.is_file():
                try:
                    yield _input_file(str(path), path.stat(), format)
                except OSError as error:
                    yield SourceFailure(str(path), f"cannot read: {error}", path=str(path))
            else:
                yield SourceFailure(name, "no such file or folder", path=name)


def _expand(pattern: str) -> list[str]:
    """What `glob.glob(pattern, recursive=True)` matches, in name order, but a `**` lists each
    folder (by device and inode) once: glob follows a symbolic link back up the tree until
    the system refuses the path, and two such links double its work at every level."""
    found = [Path()]
    for part in Path(pattern).parts:
        if part == "**":
            listed: set[tuple[int, int]] = set()
            found = [folder for path in found for folder in _folders(path, listed)]
        elif glob.has_magic(part):
            # Path.glob cannot take an absolute pattern, which users type: glob.glob can.
            pattern_in = (str(Path(glob.escape(str(path))) / part) for path in found)
            found = [Path(m) for typed in pattern_in for m in sorted(glob.glob(typed))]  # noqa: PTH207
        else:
            found = [path / part for path in found]
    return sorted({str(path) for path in found if path.exists() or path.is_symlink()})


def _folders(folder: Path, listed: set[tuple[int, int]]) -> Iterator[Path]:
    """`folder` and every folder beneath it, hidden ones skipped, each one not yet `listed`."""
    entries = _listing_once(str(folder), listed)
    if entries is None:
        return
    yield folder
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            continue
        if is_folder:
            yield from _folders(folder / entry.name, listed)


def _walk(
    folder: str, format: SourceFormat, walked: set[tuple[int, int]]
) -> Iterator[InputFile | SourceFailure]:
    """Files under `folder` in name order, one directory listed at a time, hidden ones
    skipped; a directory entry tells file from folder without a `stat` of its own."""
    for entry in _listing_once(folder, walked) or []:
        try:
            if entry.is_dir():
                yield from _walk(entry.path, format, walked)
            elif entry.is_file():
                yield _input_file(entry.path, entry.stat(), format)
        except OSError as error:
            yield SourceFailure(entry.path, f"cannot read: {error}", path=entry.path)


def _listing_once(folder: str, seen: set[tuple[int, int]]) -> list[os.DirEntry[str]] | None:
    """`folder`'s entries in name order, hidden ones skipped; None when it cannot be read or
    was `seen` (by device and inode) already, which it now is.

    Symbolic links are followed, so a folder can be reached again: through a link back up
    the tree it would otherwise be listed until the system refuses the path, each file once
    per level, and two such links double every level.
    """
    try:
        identity = Path(folder).stat()
        if (identity.st_dev, identity.st_ino) in seen:
            return None
        seen.add((identity.st_dev, identity.st_ino))
        with os.scandir(folder) as listing:
            return sorted(
                (entry for entry in listing if not entry.name.startswith(".")),
                key=lambda entry: entry.name,
            )
    except OSError:
        return None


def _input_file(path: str, stat: os.stat_result, format: SourceFormat) -> InputFile:
    return InputFile(path, stat.st_size, stat.st_mtime_ns, format_of(path, format))


def format_of(path: str, requested: SourceFormat) -> SourceFormat:
    """The format to read `path` as: the requested one, else by extension (`.gz` looked through).

    >>> format_of("export.jsonl.gz", "auto")
    'ndjson'
    """
    if requested != "auto":
        return requested
    suffixes = [s.lower() for s in Path(path).suffixes if s.lower() != ".gz"]
    return _EXTENSIONS.get(suffixes[-1] if suffixes else "", "text")


def _open_binary(path: str) -> BinaryIO:
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return Path(path).open("rb")


def read_whole(path: str) -> bytes:
    """A file's bytes (unpacked when `.gz`); `IngestError` past `MAX_FILE_BYTES`.

    The first read asks for the size on disk and one byte more (a read of the cap
    would allocate the cap); only a file that gives more, packed or grown, reads on.
    """
    with _open_binary(path) as handle:
        expected = _size_on_disk(handle)
        data = handle.read(expected + 1)
        if len(data) > expected:
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        size = "unpacks to" if path.lower().endswith(".gz") else "is larger than"
        raise IngestError(f"the file {size} more than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return data


def _size_on_disk(handle: BinaryIO) -> int:
    try:
        return min(os.fstat(handle.fileno()).st_size, MAX_FILE_BYTES)
    except (OSError, ValueError):
        return MAX_FILE_BYTES


def chunk_lines(
    handle: BinaryIO, origin: str, path: str | None, size: int = CHUNK_LINES
) -> Iterator[LineChunk]:
    """The handle's lines in chunks of `size`, read as they are needed; a line past
    `MAX_LINE_BYTES` is listed in its chunk's `too_long`, never held."""
    raw = getattr(handle, "fileobj", None) or handle
    batch: list[bytes] = []
    too_long: list[int] = []
    first = 1
    for number, line in enumerate(_capped_lines(handle), start=1):
        if line is None:
            too_long.append(number)
        batch.append(line or b"")
        if len(batch) == size:
            yield LineChunk(origin, path, first, tuple(batch), _position(raw), tuple(too_long))
            batch, too_long, first = [], [], number + 1
    if batch:
        yield LineChunk(origin, path, first, tuple(batch), _position(raw), tuple(too_long))


def _capped_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """The handle's lines; None for one longer than `MAX_LINE_BYTES`, whose bytes are
    read past a bounded piece at a time (one enormous line, or a binary file without
    line ends, must not be held whole)."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield None


def _position(handle: BinaryIO) -> int:
    try:
        return handle.tell()
    except (OSError, ValueError):
        return 0


async def stream_chunks(
    stream: AsyncIterator[bytes], origin: str, size: int = CHUNK_LINES
) -> AsyncIterator[LineChunk]:
    """Lines of a byte stream (an HTTP body) in chunks, as the bytes arrive."""
    batch: list[bytes] = []
    first, number = 1, 0
    begun: list[bytes] = []  # the line not ended yet, in the pieces it arrived in
    async for data in stream:
        if b"\n" not in data:
            begun.append(data)
            continue
        *complete, end = data.split(b"\n")
        complete[0] = b"".join((*begun, complete[0]))
        begun = [end]
        for line in complete:
            number += 1
            batch.append(line)
            if len(batch) == size:
                yield LineChunk(origin, None, first, tuple(batch))
                batch, first = [], number + 1
    if last := b"".join(begun):
        batch.append(last)
    if batch:
        yield LineChunk(origin, None, first, tuple(batch))


def iter_file_chunks(file: InputFile, size: int = CHUNK_LINES) -> Iterator[LineChunk]:
    """An NDJSON file's lines in chunks (`.gz` unpacked as it streams)."""
    with _open_binary(file.path) as handle:
        yield from chunk_lines(handle, file.path, file.path, size)


def read_chunk(chunk: LineChunk) -> Iterator[SourceItem | SourceFailure]:
    """The JSON articles on a chunk's lines; blank lines are skipped."""
    for offset, line in enumerate(chunk.lines):
        number = chunk.first_line + offset
        origin = f"{chunk.origin}:{number}"
        if number in chunk.too_long:
            reason = f"the line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB"
            yield SourceFailure(origin, reason, path=chunk.path, line=number)
            continue
        if not line.strip():
            continue
        try:
            item = item_from_json(json.loads(line), origin)
        except (ValueError, RecursionError) as error:
            reason = str(error) if isinstance(error, IngestError) else f"not valid JSON: {error}"
            yield SourceFailure(origin, reason, path=chunk.path, line=number)
            continue
        yield _located(item, chunk.path, line=number)


def read_file(file: InputFile) -> Iterator[SourceItem | SourceFailure]:
    """The articles in one file: one text or HTML article, a JSON document, or NDJSON lines."""
    if file.is_lines:
        yield from _read_lines_file(file)
        return
    try:
        data = read_whole(file.path)
    except (OSError, IngestError, EOFError, gzip.BadGzipFile) as error:
        yield SourceFailure(file.path, f"cannot read: {error}", path=file.path)
        return
    if file.format == "json":
        yield from _read_json(data, file.path)
    else:
        kind: InputFormat = "html" if file.format == "html" else "text"
        yield SourceItem(file.path, data, kind, path=file.path)


def _read_json(data: bytes, path: str) -> Iterator[SourceItem | SourceFailure]:
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as error:
        yield SourceFailure(path, f"not valid JSON: {error}", path=path)
        return
    values = value if isinstance(value, list) else [value]
    for number, entry in enumerate(values, start=1):
        item = number if isinstance(value, list) else None
        origin = f"{path}[{number}]" if item else path
        try:
            yield _located(item_from_json(entry, origin), path, item=item)
        except IngestError as error:
            yield SourceFailure(origin, str(error), path=path, item=item)


def _located(
    found: SourceItem, path: str | None, line: int | None = None, item: int | None = None
) -> SourceItem:
    return replace(found, path=path, line=line, item=item)


def read_stdin(stdin: BinaryIO, format: SourceFormat) -> Iterator[SourceItem | LineChunk]:
    """Standard input: NDJSON streams in chunks; anything else is one article read whole."""
    if format == "ndjson":
        yield from chunk_lines(stdin, STDIN, None)
        return
    data = stdin.read(MAX_FILE_BYTES + 1)
    kind: InputFormat = "html" if format == "html" else "text"
    yield SourceItem(STDIN, data, kind)


def iter_sources(
    paths: Iterable[str], format: SourceFormat = "auto", stdin: BinaryIO | None = None
) -> Iterator[SourceItem | SourceFailure]:
    """Every article in the given paths (`-` reads stdin), or why one could not be read."""
    for name in paths:
        if name == "-":
            if stdin is None:
                yield SourceFailure("-", "standard input is not available")
                continue
            for unit in read_stdin(stdin, format):
                yield from read_chunk(unit) if isinstance(unit, LineChunk) else [unit]
            continue
        for found in list_inputs([name], format):
            yield from [found] if isinstance(found, SourceFailure) else read_file(found)


def _read_lines_file(file: InputFile) -> Iterator[SourceItem | SourceFailure]:
    try:
        for chunk in iter_file_chunks(file):
            yield from read_chunk(chunk)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        yield SourceFailure(file.path, f"cannot read: {error}", path=file.path)
