"""The gold loaders behind the entity gate: detokenising and reading spans back exactly."""

from __future__ import annotations

import pytest

from bench.entity_corpora import decode_iob, detokenize, find_name


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        # CoNLL testb, first document: punctuation glued to the word before it
        (
            ["SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", ",", "CHINA", "."],
            "SOCCER - JAPAN GET LUCKY WIN, CHINA.",
        ),
        # possessive and brackets
        (["Ghani", "'s", "men", "(", "AA", ")"], "Ghani's men (AA)"),
        # straight quotes open and close
        (["said", '"', "no", '"', "."], 'said "no".'),
    ],
)
def test_detokenize(tokens: list[str], text: str) -> None:
    joined, offsets = detokenize([tokens])
    assert joined == text
    assert [joined[a:b] for a, b in offsets[0]] == tokens


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["I-PER", "I-PER", "O", "I-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),  # IOB1
        (["B-PER", "I-PER", "B-PER", "O"], [(0, 2, "PER"), (2, 3, "PER")]),  # IOB2, touching
        (["I-ORG", "B-ORG", "I-ORG"], [(0, 1, "ORG"), (1, 3, "ORG")]),  # IOB1 B- splits
    ],
)
def test_decode_iob(tags: list[str], spans: list[tuple[int, int, str]]) -> None:
    assert list(decode_iob(tags)) == spans


@pytest.mark.parametrize(
    ("words", "descriptor", "found"),
    [
        (["EADS", "chief", "executive", "Louis", "Gallois"], "Louis Gallois", (3, 5)),
        (["Jobs", ",", "aged", "55"], "Steve Jobs", (0, 1)),  # surname only
        (["Steve"], "Steve Jobs", (0, 1)),  # given name alone
        (["VIP", "guests"], "VIP guests", None),  # a group, not a name
    ],
)
def test_find_name(words: list[str], descriptor: str, found: tuple[int, int] | None) -> None:
    assert find_name(words, descriptor) == found
