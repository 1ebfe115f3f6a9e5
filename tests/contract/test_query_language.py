"""The query language means the same on every backend: which articles each query finds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.search.backend import SearchBackend
from app.search.query import QuerySyntaxError
from app.search.types import SearchPage, SearchRequest
from tests.contract.conftest import titles
from tests.contract.corpus import (
    A380,
    A380_AFP,
    A380_REUTERS,
    AIRBUS,
    BOEING,
    BROTHER,
    CARETAKER,
    DOHA,
    INTERIM,
    MUTTAQI,
    PAKISTAN,
    QATAR_CAPITAL,
    SEED,
    SURRENDER,
    corpus,
)

SALEH_ALL = {SEED, SURRENDER, CARETAKER, INTERIM, PAKISTAN, BROTHER}
A380_STORY = {A380, A380_REUTERS, A380_AFP}
EVERYTHING = {record.title for record in corpus()}

CASES: list[tuple[str, set[str]]] = [
    ("panshir", {SEED, SURRENDER, BROTHER}),
    ("PANSHIR", {SEED, SURRENDER, BROTHER}),  # case-insensitive
    ("negotiation", {SEED}),  # stemmed: the seed says "negotiations"
    ("Muttaqí", {SEED, MUTTAQI}),  # accent-insensitive
    ('"resistance group"', {SEED}),
    ('"group resistance"', set()),  # a phrase keeps its order
    ("saleh AND panshir", {SEED, SURRENDER, BROTHER}),
    ("saleh panshir", {SEED, SURRENDER, BROTHER}),  # AND is implicit
    ("airbus OR boeing", {AIRBUS, BOEING, *A380_STORY}),
    ("saleh -panshir", {CARETAKER, INTERIM, PAKISTAN}),
    ("saleh NOT panshir", {CARETAKER, INTERIM, PAKISTAN}),
    ("saleh NOT (panshir OR pakistan)", {CARETAKER, INTERIM}),
    ("(doha OR airbus) AND qatar", {AIRBUS, QATAR_CAPITAL}),  # Doha in the body, Qatar in the title
    ("title:qatar", {AIRBUS, QATAR_CAPITAL}),
    ("body:qatar", {AIRBUS}),
    ('person:"Ahmed Massoud"', {SEED}),  # an alias of Ahmad Massoud
    ("Ahmed Massoud", {SEED}),  # the body only says "Ahmad"
    ("person:saleh", SALEH_ALL),
    ('person:"Saleh Amir"', set()),  # one person's name never runs into the next
    ("agency:AA", {SEED, PAKISTAN, BROTHER}),  # the agency code
    ('agency:"Anadolu Agency"', {SEED, PAKISTAN, BROTHER}),
    ('agency:"anadolu agency"', {SEED, PAKISTAN, BROTHER}),
    ("agency:anadolu", set()),  # agencies match on the whole value
    ("agency:reu*", {INTERIM, A380_REUTERS}),  # ... or on its start
    ("place:andarab", {SEED}),
    ("dateline:islamabad", {PAKISTAN}),
    ("section:politics", {MUTTAQI}),
    ('translator:"Mourad Belhaj"', {SEED}),
    ('author:"Shafiq Ahmad"', {SEED}),
    ("language:EN", EVERYTHING),
    ("negotiat*", {SEED}),
    ("airb*", {AIRBUS, BOEING, *A380_STORY}),  # every article with a word so starting
    ("title:airb*", {AIRBUS, A380_REUTERS}),
    ("Jamiat-e-Islami", {SEED}),  # split by the analyzer into a phrase
    ("Islami-e-Jamiat", set()),
    ("NOT taliban", {PAKISTAN, BROTHER, DOHA, QATAR_CAPITAL, AIRBUS, BOEING, *A380_STORY}),
    ("-taliban -airbus", {PAKISTAN, BROTHER, DOHA, QATAR_CAPITAL}),  # Boeing's story names Airbus
    ("", EVERYTHING),
    ("—", EVERYTHING),  # punctuation alone is no query at all
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_query_finds_exactly(
    search: Callable[..., SearchPage], query: str, expected: set[str]
) -> None:
    page = search(query, per_page=100)
    assert set(titles(page)) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    "query",
    ['"unterminated', "(taliban", "taliban)", "AND", "taliban OR", "NOT", "x" * 5000, "()"],
)
def test_unparseable_queries_raise_query_syntax_error(backend: SearchBackend, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        backend.search(SearchRequest(q=query))


@pytest.mark.parametrize(
    "query",
    ["title:", "::", "a:b:c", "*", "-", "- -", "«Kabul»", "c++", "e-mail:x", "NOT(", "\x00", "🙂"],
)
def test_odd_but_valid_queries_answer(backend: SearchBackend, query: str) -> None:
    try:
        page = backend.search(SearchRequest(q=query))
    except QuerySyntaxError as error:
        assert str(error)
    else:
        assert page.total == len(page.hits)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from('ab :"()-*NOTANDR\tÍ'), max_size=30) | st.text(max_size=30))
def test_any_text_is_a_page_or_a_query_syntax_error(backend: SearchBackend, text: str) -> None:
    try:
        backend.search(SearchRequest(q=text))
    except QuerySyntaxError as error:
        assert str(error)
