"""Many integers in one bound parameter: an array on PostgreSQL, a JSON array on SQLite.

An IN list costs the driver (and SQLAlchemy) work per value, and SQLAlchemy's
executemany work per row; the tens of thousands of band keys of a batch go faster
as one parameter that the database unpacks itself (`= ANY` and `unnest`; SQLite's
`json_each`), or, inserted into SQLite, through the driver's own executemany.
Looked up, the values go in ascending order, so an index is read in key order.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    Table,
    TableValuedAlias,
    any_,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Dialect
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


def insert_integers(
    connection: Connection, table: Table, names: Sequence[str], rows: Sequence[tuple[int, ...]]
) -> None:
    """Insert integer rows into `table`'s columns `names`.

    On PostgreSQL the rows go as one array per column, unnested. On SQLite they go
    to the driver's own executemany, which binds each row in C: 64,000 band rows
    took 71 ms, against 107 ms unpacked from one JSON parameter and 144 ms through
    SQLAlchemy's executemany, which handles each row in Python.
    """
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        columns = zip(names, zip(*rows, strict=True), strict=True)
        arrays = [bindparam(None, list(c), type_=ARRAY(table.c[n].type)) for n, c in columns]
        unnested = func.unnest(*arrays).table_valued(*names).render_derived()
        unpacked = select(*(unnested.c[n] for n in names))
        connection.execute(insert(table).from_select(list(names), unpacked))
        return
    statement = insert(table).compile(dialect=connection.dialect, column_keys=list(names))
    connection.exec_driver_sql(str(statement), list(rows))
