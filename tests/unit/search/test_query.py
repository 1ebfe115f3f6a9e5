"""The query language parsed into the backend-neutral tree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.search.query import (
    And,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    QuerySyntaxError,
    Term,
    parse_query,
    query_words,
)

PARSED: list[tuple[str, Node]] = [
    ("Panshir", Term("Panshir")),
    ("Panshir talks", And((Term("Panshir"), Term("talks")))),  # implicit AND
    ('"Ahmad Massoud"', Phrase(("Ahmad", "Massoud"))),
    ("Kabul OR Panshir talks", Or((Term("Kabul"), And((Term("Panshir"), Term("talks")))))),
    ("Kabul AND Panshir OR talks", Or((And((Term("Kabul"), Term("Panshir"))), Term("talks")))),
    ("(Kabul OR Panshir) talks", And((Or((Term("Kabul"), Term("Panshir"))), Term("talks")))),
    ("NOT Taliban", Not(Term("Taliban"))),
    ("-Taliban", Not(Term("Taliban"))),
    ('-"Taliban commander"', Not(Phrase(("Taliban", "commander")))),
    ("-(Kabul OR Panshir)", Not(Or((Term("Kabul"), Term("Panshir"))))),
    ("Saleh -Panshir", And((Term("Saleh"), Not(Term("Panshir"))))),
    ('person:"Ahmed Massoud"', Phrase(("Ahmed", "Massoud"), "person")),
    ("Agency:AA", Term("AA", "agency")),  # field names are case-insensitive
    ("person:(Saleh OR Massoud)", Or((Term("Saleh", "person"), Term("Massoud", "person")))),
    ("title:(Kabul -Panshir)", And((Term("Kabul", "title"), Not(Term("Panshir", "title"))))),
    ("negotiat*", Prefix("negotiat")),
    ("title:negot*", Prefix("negot", "title")),
    ("Jamiat-e-Islami", Term("Jamiat-e-Islami")),  # the backend's analyzer splits it
    ("foo:bar", And((Term("foo:"), Term("bar")))),  # an unknown field is plain text
    ("title:", Term("title:")),  # a field with no value is a word
    ("and or not", And((Term("and"), Term("or"), Term("not")))),  # operators are upper case
    ("Kabul - Panshir", And((Term("Kabul"), Term("Panshir")))),  # a lone dash is noise
    ("«Kabul»", Term("«Kabul»")),
    ("", MatchAll()),
    ("  —  ", MatchAll()),  # punctuation only
    ("*", MatchAll()),
]


@pytest.mark.parametrize(("text", "tree"), PARSED)
def test_parse_query(text: str, tree: Node) -> None:
    assert parse_query(text) == tree


ERRORS: list[tuple[str, str]] = [
    ('"Ahmad Massoud', "unterminated phrase"),
    ('""', "empty phrase"),
    ("(Kabul", "never closed"),
    ("Kabul)", "unexpected ')'"),
    ("AND", "unexpected 'AND'"),
    ("Kabul OR", "needs a term"),
    ("NOT", "needs a term"),
    ("Kabul AND AND Panshir", "unexpected 'AND' at position 10"),
    ("()", "unexpected ')'"),
    ("person:-Saleh", "needs a value"),
    ("(" * 25 + "Kabul" + ")" * 25, "nested deeper"),
    ("Kabul " * 200, "longer than"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_parse_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text)
    assert message in str(raised.value)


@given(st.text(alphabet=st.sampled_from('ab :"()-*NOTANDRtitle\tÍ'), max_size=40) | st.text())
def test_any_text_is_a_tree_or_a_query_syntax_error(text: str) -> None:
    try:
        tree = parse_query(text)
    except QuerySyntaxError as error:
        assert str(error)
    else:
        assert isinstance(tree, Term | Phrase | Prefix | And | Or | Not | MatchAll)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('Saleh "Ahmad Massoud" negotiat* -Taliban', ["Saleh", "Ahmad", "Massoud", "negotiat"]),
        ("", []),
    ],
)
def test_query_words_are_the_positive_words(text: str, words: list[str]) -> None:
    assert query_words(parse_query(text)) == words
