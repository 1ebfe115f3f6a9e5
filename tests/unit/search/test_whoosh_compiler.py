"""The neutral tree compiled to Whoosh queries: fields, boosts, analysis."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from app.search.query import parse_query
from app.search.whoosh_backend import compile_query
from app.search.whoosh_schema import analyze


def _everywhere(term: str) -> wq.Query:
    return wq.Or(
        [
            wq.Term("title", term, boost=3.0),
            wq.Term("person", term, boost=2.0),
            wq.Term("place", term, boost=1.5),
            wq.Term("dateline", term),
            wq.Term("body", term),
        ]
    )


COMPILED: list[tuple[str, wq.Query]] = [
    ("Panshir", _everywhere("panshir")),
    ("Muttaqí", _everywhere("muttaqi")),  # accents folded
    ("negotiations", _everywhere("negoti")),  # stemmed
    ("-Taliban", wq.AndNot(wq.Every(), _everywhere("taliban"))),  # everything except
    ("Saleh -Panshir", wq.AndNot(_everywhere("saleh"), _everywhere("panshir"))),
    ("agency:AA", wq.Term("agency_key", "aa")),  # whole value, folded
    ('agency:"Anadolu  Agency"', wq.Term("agency_key", "anadolu agency")),
    ("section:World", wq.Term("section_key", "world")),
    ("language:EN", wq.Term("language_key", "en")),
    ("agency:Ana*", wq.Prefix("agency_key", "ana")),
    ("title:Kabul", wq.Term("title", "kabul", boost=3.0)),
    ("dateline:Kabul", wq.Term("dateline", "kabul")),
    ('person:"Ahmed Massoud"', wq.Phrase("person", analyze("Ahmed Massoud"), boost=2.0)),
    ("title:Jamiat-e-Islami", wq.Phrase("title", ["jamiat", "e", "islami"], boost=3.0)),
    ("title:negot*", wq.Prefix("title", "negot", boost=3.0)),  # over its unstemmed words
    ("", wq.Every()),
]


@pytest.mark.parametrize(("text", "expected"), COMPILED)
def test_compile_query(text: str, expected: wq.Query) -> None:
    assert compile_query(parse_query(text)) == expected


def test_adjacent_plain_words_earn_a_phrase_bonus() -> None:
    compiled = compile_query(parse_query("peace talks"))
    assert isinstance(compiled, wq.AndMaybe)
    assert compiled.a == wq.And([_everywhere("peac"), _everywhere("talk")])
    assert wq.Phrase("body", ["peac", "talk"]) in compiled.b.subqueries


def test_a_word_the_analyzer_splits_is_a_phrase_in_every_field() -> None:
    compiled = compile_query(parse_query("Jamiat-e-Islami"))
    assert isinstance(compiled, wq.Or)
    assert {type(q) for q in compiled.subqueries} == {wq.Phrase}
