"""The tagger's tokens: words with their offsets and line numbers, sentence starts, shouting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ingest.tokens import tokenize

WIRE = "Ghani’s aide left Kabul. It's over.\r\nTALIBAN ENTER KABUL\n\nMr. O'Neill's U.S. trip"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            WIRE,
            [
                # (text, start, line, sentence start, shouting)
                ("Ghani", 0, 0, True, False),
                ("’s", 5, 0, False, False),  # a possessive is its own token
                ("aide", 8, 0, False, False),
                ("left", 13, 0, False, False),
                ("Kabul", 18, 0, False, False),
                (".", 23, 0, False, False),
                ("It", 25, 0, True, False),
                ("'s", 27, 0, False, False),  # so is a contracted "is"
                ("over", 30, 0, False, False),
                (".", 34, 0, False, False),
                ("TALIBAN", 37, 1, True, True),  # the carriage return belongs to line 0
                ("ENTER", 45, 1, False, True),
                ("KABUL", 51, 1, False, True),
                ("Mr", 58, 3, True, False),  # the blank line 2 has no tokens
                (".", 60, 3, False, False),
                ("O'Neill", 62, 3, True, False),  # a full stop ends a sentence here (even "Mr.")
                ("'s", 69, 3, False, False),
                ("U.S.", 72, 3, False, False),
                ("trip", 77, 3, False, False),
            ],
        ),
        (
            "Oil Climbs as Hurricane Shuts Most Gulf Output\nPrices rose.",
            [
                ("Oil", 0, 0, True, True),  # a Title-Case first line is a headline
                ("Climbs", 4, 0, False, True),
                ("as", 11, 0, False, True),
                ("Hurricane", 14, 0, False, True),
                ("Shuts", 24, 0, False, True),
                ("Most", 30, 0, False, True),
                ("Gulf", 35, 0, False, True),
                ("Output", 40, 0, False, True),
                ("Prices", 47, 1, True, False),
                ("rose", 54, 1, False, False),
                (".", 58, 1, False, False),
            ],
        ),
        ("", []),
        ("\n\n", []),
    ],
)
def test_tokens_of_wire_text(text: str, expected: list[tuple[str, int, int, bool, bool]]) -> None:
    tokens = tokenize(text)
    assert [
        (tokens.text[i], tokens.start(i), tokens.line[i], tokens.sentence_start(i), tokens.shout[i])
        for i in range(len(tokens))
    ] == expected


def test_capitalised_words() -> None:
    tokens = tokenize("Chicago-based Apple’s iPhone É 1A Mr-X ( Al-Qaeda")
    assert list(zip(tokens.text, tokens.cap, strict=True)) == [
        ("Chicago-based", False),  # a compound adjective
        ("Apple", True),
        ("’s", False),
        ("iPhone", False),
        ("É", True),
        ("1A", False),
        ("Mr-X", True),
        ("(", False),
        ("Al-Qaeda", True),
    ]


@given(st.text(alphabet=st.sampled_from("aB’'s. \n\r-É1") | st.characters(), max_size=80))
def test_a_token_is_its_text_on_the_line_it_starts(text: str) -> None:
    tokens = tokenize(text)
    columns = (tokens.text, tokens.end, tokens.line, tokens.cap, tokens.shout)
    starts = [tokens.start(i) for i in range(len(tokens))]
    for start, word, end, line, *_ in zip(starts, *columns, strict=True):
        assert text[start:end] == word
        assert line == text.count("\n", 0, start)
    assert all(end <= start for end, start in zip(tokens.end[:-1], starts[1:], strict=True))
