"""The query as interpreted, in words, and leaves back as query text."""

from __future__ import annotations

import pytest

from app.search.query import parse_query
from app.web.interpretation import describe_query, phrase_query, query_text, required_leaves


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("massoud", "“massoud”"),
        ("", "every article"),
        ('person:"Ahmed Massoud" -taliban', "“Ahmed Massoud” as a person and not “taliban”"),
        ("negotiat*", "words starting with “negotiat”"),
        ("agency:AA", "“AA” as the agency"),
        # OR binds looser than AND, so the AND group is bracketed inside it.
        ("airbus a380 OR boeing", "(“airbus” and “a380”) or “boeing”"),
        ("title:(iphone OR ipod)", "“iphone” in the title or “ipod” in the title"),
        ("-(apple OR boeing) airbus", "not (“apple” or “boeing”) and “airbus”"),
    ],
)
def test_describe_query(query: str, expected: str) -> None:
    assert describe_query(parse_query(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("massoud", ["massoud"]),
        ('person:"Ahmad Massoud" negotiat* -taliban', ['person:"Ahmad Massoud"', "negotiat*"]),
        ("apple OR boeing", []),  # neither word is required on its own
    ],
)
def test_required_leaves_round_trip_to_query_text(query: str, expected: list[str]) -> None:
    leaves = required_leaves(parse_query(query))
    assert [query_text(leaf) for leaf in leaves] == expected
    assert [parse_query(text) for text in expected] == list(leaves)


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("Kabul", "dateline", 'dateline:"Kabul"'),
        ('The "Big" Apple', None, '"The  Big  Apple"'),  # inner quotes would end the phrase
    ],
)
def test_phrase_query(text: str, field: str | None, expected: str) -> None:
    assert phrase_query(text, field) == expected
