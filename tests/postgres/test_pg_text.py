"""The PostgreSQL backend's pure text helpers: folding, keys, vocabulary words, tsquery operands."""

from __future__ import annotations

import pytest

from app.search.pg_text import edit_distance, fold, quote, surface_words, value_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anadolu Agency", "anadolu agency"),
        ("Muttaqí", "muttaqi"),  # accents fold away
        (" Agence  France-Presse ", "agence france presse"),  # the hyphen separates words
        ("U.S.", "u.s"),  # dotted abbreviations stay one word
        ("—", ""),  # no word at all
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("agency", "AA", "agency:aa"),
        ("person", "Ahmed Massoud", "person:ahmed massoud"),
        ("place", "Panshír", "place:panshir"),
        ("section", " — ", "section:—"),  # no word: the trimmed value itself
        ("section", "\x00", "section:"),  # PostgreSQL text cannot hold NUL
    ],
)
def test_value_key(field: str, value: str, expected: str) -> None:
    assert value_key(field, value) == expected


def test_surface_words_are_folded_and_distinct() -> None:
    texts = ["Ahmad Massoud offered to end the clashes", "Massoud’s offer, Panshír"]
    assert surface_words(texts) == {
        "ahmad", "massoud", "offered", "to", "end", "the", "clashes", "s", "offer", "panshir"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("taliban", "", "'taliban'"),
        ("Ahmad Massoud", ":B", "'Ahmad Massoud':B"),  # PostgreSQL makes it a phrase
        ("it's", "", "'it''s'"),  # a quote is doubled
        ("a\\b", ":*", "'a\\\\b':*"),  # a backslash is escaped
        ("!x & y | (z)", "", "'!x & y | (z)'"),  # operators stay text
        ("nul\x00byte", "", "'nul byte'"),  # NUL separates like a space
        ("<IBM>", "", "' IBM '"),  # not a markup tag, as in indexed text
    ],
)
def test_quote(text: str, suffix: str, expected: str) -> None:
    assert quote(text, suffix) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("masood", "massoud", 2), ("talban", "taliban", 1), ("kabul", "kabul", 0), ("", "ab", 2)],
)
def test_edit_distance(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected
