"""Compiling the query tree for PostgreSQL: which parts become one tsquery on `document`."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql

from app.search.pg_query import (
    TsQuery,
    compile_query,
    expandable_prefixes,
    highlight_text,
)
from app.search.query import parse_query

EXPANSIONS = {"negotiat": ("negotiated", "negotiations")}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("massoud", "'massoud'"),
        ('"Ahmad Massoud"', "'Ahmad Massoud'"),
        ("title:talks", "'talks':A"),  # fields of `document` are its weights
        ('person:"Ahmed Massoud"', "'Ahmed Massoud':B"),
        ("body:panshir", "'panshir':D"),
        ("taliban -talks", "('taliban' & !('talks'))"),
        ("taliban OR (saleh AND kabul)", "('taliban' | ('saleh' & 'kabul'))"),
        ("negotiat*", "('negotiated':ABD | 'negotiations':ABD)"),  # from the vocabulary
        ("title:negotiat*", "('negotiated':A | 'negotiations':A)"),
    ],
)
def test_document_queries_compile_to_one_tsquery(query: str, expected: str) -> None:
    assert compile_query(parse_query(query), EXPANSIONS) == TsQuery(expected)


@pytest.mark.parametrize(
    ("query", "fragments"),
    [
        ("agency:AA", ["search_documents.keys @> "]),  # whole folded value
        ("place:Kabul", ["document @@ to_tsquery", "place_vector @@ to_tsquery"]),  # rechecked
        ("author:Shafiq", ["author_vector @@ to_tsquery"]),
        ("agency:Anad*", ["EXISTS", "LIKE"]),
        ("taliban agency:AA", ["document @@ to_tsquery", ") AND (search_documents.keys @>"]),
        ("zzz*", ["false"]),  # a prefix no word starts with matches nothing
    ],
)
def test_other_fields_compile_to_sql_around_it(query: str, fragments: list[str]) -> None:
    compiled = compile_query(parse_query(query), EXPANSIONS)
    assert not isinstance(compiled, TsQuery)
    sql = str(compiled.compile(dialect=postgresql.dialect()))
    for fragment in fragments:
        assert fragment in sql


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("taliban -talks", "'taliban'"),  # negated words are never marked
        ("agency:AA massoud", "'massoud'"),  # whole-value keys are not text
        ("negotiat* OR title:doha", "'negotiated' | 'negotiations' | 'doha'"),
        ("agency:AA", None),
    ],
)
def test_highlight_text(query: str, expected: str | None) -> None:
    assert highlight_text(parse_query(query), EXPANSIONS) == expected


def test_expandable_prefixes_skip_fields_with_their_own_vectors() -> None:
    tree = parse_query("negotiat* NOT title:Talib* author:Shaf* agency:Ana*")
    assert expandable_prefixes(tree) == {"negotiat", "talib"}
