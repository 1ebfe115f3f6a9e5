"""Arbitrary input never crashes the ingest pipeline or the query parser.

The only exceptions allowed are the documented ones: `IngestError` for input that cannot
become an article, `QuerySyntaxError` for a query that cannot be parsed.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest.pipeline import extract_article
from app.ingest.record import IngestError, InputFormat
from app.search.query import QUERY_FIELDS, QuerySyntaxError, parse_query
from tests.conftest import SEED_PATH

SEED = SEED_PATH.read_text(encoding="utf-8")
FORMATS: tuple[InputFormat, ...] = ("text", "html")
# Query syntax characters and operators, so generated queries are mostly near-misses.
QUERY_PIECES = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "-",
        "*",
        ":",
        " AND ",
        " OR ",
        " NOT ",
        "Massoud",
        "Panshir",
        "ş",
        "\u0000",
        "\u200b",
        *(f"{name}:" for name in sorted(QUERY_FIELDS)),
    ]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_extracts_or_refuses(data: bytes | str, format: InputFormat) -> None:
    try:
        record = extract_article(data, format=format)
    except IngestError:
        return
    assert record.content_hash.startswith("sha256:")
    assert "\x00" not in record.body


@SETTINGS
@given(data=st.binary(max_size=4096), format=st.sampled_from(FORMATS))
def test_arbitrary_bytes_extract_or_raise_ingest_error(data: bytes, format: InputFormat) -> None:
    assert_extracts_or_refuses(data, format)


@SETTINGS
@given(text=st.text(max_size=4096), format=st.sampled_from(FORMATS))
def test_arbitrary_text_extracts_or_raises_ingest_error(text: str, format: InputFormat) -> None:
    assert_extracts_or_refuses(text, format)


@SETTINGS
@given(
    cut=st.integers(0, len(SEED)),
    insert=st.text(max_size=300),
    format=st.sampled_from(FORMATS),
)
def test_real_article_with_junk_spliced_in_extracts_or_raises(
    cut: int, insert: str, format: InputFormat
) -> None:
    assert_extracts_or_refuses(SEED[:cut] + insert + SEED[cut:], format)


@SETTINGS
@given(
    junk=st.binary(max_size=200),
    encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]),
)
def test_real_article_in_other_encodings_with_bad_bytes(junk: bytes, encoding: str) -> None:
    # A real article, re-encoded, with invalid bytes appended (a truncated download).
    assert_extracts_or_refuses(SEED.encode(encoding, errors="replace") + junk, "text")


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_strings_parse_or_raise_query_syntax_error(text: str) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse_query(text)


@SETTINGS
@given(pieces=st.lists(QUERY_PIECES, max_size=40))
def test_operator_soup_parses_or_raises_query_syntax_error(pieces: list[str]) -> None:
    with contextlib.suppress(QuerySyntaxError):
        parse_query("".join(pieces))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 400 + "Panshir" + ")" * 400, "nested deeper"),
        ("Massoud " * 200, "longer than"),
        ('"Ahmad Massoud', "unterminated phrase"),
        ("Massoud OR", "needs a term"),
        ("(Panshir", "never closed"),
    ],
)
def test_hostile_queries_are_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(text)
