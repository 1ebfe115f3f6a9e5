"""Reading raw articles from files, folders, globs, NDJSON and stdin (the I/O edge)."""

from __future__ import annotations

import glob
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.ingest.record import IngestError, InputFormat

SourceFormat = Literal["auto", "text", "html", "json", "ndjson"]
MAX_FILE_BYTES = 50 * 1024 * 1024
_EXTENSIONS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One raw article read from somewhere, with where it came from."""

    origin: str
    data: bytes | str
    format: InputFormat
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """Something that could not be read as an article, and why."""

    origin: str
    reason: str


class JsonArticle(BaseModel):
    """A raw article sent as JSON: exactly one of `text` or `html`, plus optional metadata."""

    model_config = ConfigDict(extra="forbid", strict=False)

    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=4000)
    published_at: datetime | None = None
    source: str | None = Field(default=None, max_length=1000)


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


def _json_item(origin: str, value: object) -> SourceItem | SourceFailure:
    try:
        return item_from_json(value, origin)
    except IngestError as error:
        return SourceFailure(origin, str(error))


def expand_paths(paths: Iterable[str]) -> Iterator[Path | SourceFailure]:
    """Files named directly, found in folders (recursively) or matched by globs."""
    for name in paths:
        # Path.glob cannot take an absolute pattern, which users type: glob.glob can.
        matches = sorted(glob.glob(name, recursive=True)) if glob.has_magic(name) else [name]  # noqa: PTH207
        if not matches:
            yield SourceFailure(name, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from sorted(
                    p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                )
            elif path.is_file():
                yield path
            else:
                yield SourceFailure(name, "no such file or folder")


def _format_of(path: Path, requested: SourceFormat) -> SourceFormat:
    if requested != "auto":
        return requested
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    return _EXTENSIONS.get(suffixes[-1] if suffixes else "", "text")


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IngestError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise IngestError(f"the file unpacks to more than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return data
    return path.read_bytes()


def read_items(
    data: bytes, origin: str, format: SourceFormat
) -> Iterator[SourceItem | SourceFailure]:
    """The articles in one input's bytes, by format."""
    if format == "ndjson":
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                yield _parse_json_line(line, f"{origin}:{number}")
    elif format == "json":
        try:
            value = json.loads(data)
        except (ValueError, RecursionError) as error:
            yield SourceFailure(origin, f"not valid JSON: {error}")
            return
        values = value if isinstance(value, list) else [value]
        for number, item in enumerate(values, start=1):
            yield _json_item(f"{origin}[{number}]" if isinstance(value, list) else origin, item)
    else:
        yield SourceItem(origin, data, "html" if format == "html" else "text")


def _parse_json_line(line: bytes, origin: str) -> SourceItem | SourceFailure:
    try:
        return _json_item(origin, json.loads(line))
    except (ValueError, RecursionError) as error:
        return SourceFailure(origin, f"not valid JSON: {error}")


def iter_sources(
    paths: Iterable[str], format: SourceFormat = "auto", stdin: BinaryIO | None = None
) -> Iterator[SourceItem | SourceFailure]:
    """Every article in the given paths (`-` reads stdin), or why one could not be read."""
    for name in paths:
        if name == "-":
            if stdin is None:
                yield SourceFailure("-", "standard input is not available")
                continue
            yield from read_items(stdin.read(), "<stdin>", "text" if format == "auto" else format)
            continue
        for path in expand_paths([name]):
            if isinstance(path, SourceFailure):
                yield path
                continue
            try:
                data = _read_bytes(path)
            except (OSError, IngestError, EOFError, gzip.BadGzipFile) as error:
                yield SourceFailure(str(path), f"cannot read: {error}")
                continue
            yield from read_items(data, str(path), _format_of(path, format))
