"""Many integers in one bound parameter: an array on PostgreSQL, a JSON array on SQLite.

An IN list or an executemany costs the driver (and SQLAlchemy) work per value or
per row; the tens of thousands of band keys of a batch go faster as one parameter
that the database unpacks itself (`= ANY` and `unnest`; SQLite's `json_each`).
Looked up, the values go in ascending order, so an index is read in key order.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Insert,
    Select,
    Table,
    TableValuedAlias,
    any_,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import QueryableAttribute


def among(
    column: QueryableAttribute[int], values: Collection[int], dialect: Dialect
) -> ColumnElement[bool]:
    """`column IN values` with all the integers in one bound parameter, however many."""
    if dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(select(_json_values(values).c.value))


def select_among(
    key: QueryableAttribute[int],
    values: Collection[int],
    dialect: Dialect,
    *columns: QueryableAttribute[Any],
) -> Select[Any]:
    """`SELECT columns WHERE key IN values`, all the integers in one bound parameter.

    On SQLite the values are joined to `key`'s index, sought in key order, not
    made into a temporary index first: 64,000 random band keys, 2,000 of them
    stored, were found in both band tables of 21,000 articles in 27 ms, against
    80 ms for `among` unsorted and 43 ms sorted.
    """
    if dialect.name == "postgresql":
        return select(*columns).where(among(key, values, dialect))
    each = _json_values(values)
    return select(*columns).select_from(each).where(key == each.c.value)


def _json_values(values: Collection[int]) -> TableValuedAlias:
    """SQLite rows of one column, `value`: the distinct integers in ascending order."""
    return func.json_each(json.dumps(sorted(set(values)))).table_valued("value")


def insert_integers(table: Table, columns: Mapping[str, Sequence[int]], dialect: Dialect) -> Insert:
    """An INSERT into `table` of integer rows given column by column: row i takes the
    i-th value of each column (all of one length)."""
    return insert(table).from_select(list(columns), _unpacked(table, columns, dialect))


def _unpacked(table: Table, columns: Mapping[str, Sequence[int]], dialect: Dialect) -> Select[Any]:
    names = list(columns)
    if dialect.name == "postgresql":
        arrays = [bindparam(None, list(columns[n]), type_=ARRAY(table.c[n].type)) for n in names]
        unnested = func.unnest(*arrays).table_valued(*names).render_derived()
        return select(*(unnested.c[n] for n in names))
    rows = json.dumps(list(zip(*columns.values(), strict=True)))
    each = func.json_each(rows).table_valued("value")
    return select(*(func.json_extract(each.c.value, f"$[{i}]") for i in range(len(names))))
