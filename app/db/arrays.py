"""Many integers in one bound parameter: an array on PostgreSQL, a JSON array on SQLite.

An IN list or an executemany costs the driver (and SQLAlchemy) work per value or
per row; the tens of thousands of band keys of a batch go faster as one parameter
that the database unpacks itself (`= ANY` and `unnest`; SQLite's `json_each`).
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
    each = func.json_each(json.dumps(list(values))).table_valued("value")
    return column.in_(select(each.c.value))


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
