"""Looking many values up at once without passing an engine's bound-parameter limit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

#: Values per IN list (well under every engine's bound-parameter limit).
LOOKUP_CHUNK = 2000

Value = TypeVar("Value", str, int)


def in_chunks(values: Iterable[Value], size: int = LOOKUP_CHUNK) -> Iterator[list[Value]]:
    """The distinct values, sorted, in lists of at most `size` (one IN list each).

    >>> list(in_chunks([3, 1, 2, 3], size=2))
    [[1, 2], [3]]
    """
    ordered = sorted(set(values))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
