"""Looking many values up at once without passing an engine's bound-parameter limit."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from typing import TypeVar

from sqlalchemy import ARRAY, ColumnElement, any_, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import QueryableAttribute

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


def among(
    column: QueryableAttribute[int], values: Collection[int], dialect: Dialect
) -> ColumnElement[bool]:
    """`column IN values` with all the integers in one bound parameter, however many.

    An IN list costs a bound parameter (and the driver's work on it) per value; an
    array (PostgreSQL, `= ANY`) or a JSON array that SQLite reads with `json_each` is one.
    """
    if dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    each = func.json_each(json.dumps(list(values))).table_valued("value")
    return column.in_(select(each.c.value))
