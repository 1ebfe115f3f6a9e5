"""Near-duplicate signatures: one wire story republished stays one story, others do not."""

from __future__ import annotations

import json

import pytest

from app.ingest.near_duplicates import is_same_story, shingles, sign_body, similarity
from tests.conftest import DEMO_DIR

ARTICLES = [
    json.loads(line)["text"].partition("\n\n")[2]
    for line in (DEMO_DIR / "wikinews.ndjson").read_text(encoding="utf-8").splitlines()
]
STORY = ARTICLES[0]


def _trimmed(text: str, keep: float) -> str:
    words = text.split()
    return " ".join(words[: int(len(words) * keep)])


@pytest.mark.parametrize(
    ("variant", "same"),
    [
        (STORY, True),  # the same body
        ("Boeing loses tanker deal\n\n" + STORY, True),  # another headline on top
        (_trimmed(STORY, 0.7), True),  # the tail trimmed, as subscribers do
        (STORY.replace("Northrop Grumman", "Northrop"), True),  # a name shortened throughout
        (_trimmed(STORY, 0.3), False),  # only the lead paragraph left: too little in common
        (ARTICLES[1], False),  # another Airbus story from the same corpus
        (ARTICLES[-1], False),  # an Apple story
    ],
)
def test_same_story_is_recognised_from_the_signatures(variant: str, same: bool) -> None:
    first, second = sign_body(STORY), sign_body(variant)
    assert first is not None and second is not None
    assert is_same_story(first.values, second.values) is same


def test_a_republished_story_shares_a_band_with_the_original() -> None:
    first, second = sign_body(STORY), sign_body(_trimmed(STORY, 0.7))
    assert first is not None and second is not None
    assert set(first.bands) & set(second.bands)
    assert similarity(first.values, second.values) > 0.5


@pytest.mark.parametrize(
    "body",
    [
        "",  # nothing
        "Airbus shares rose on Monday.",  # one sentence: too few shingles to tell stories apart
    ],
)
def test_short_bodies_have_no_signature(body: str) -> None:
    assert sign_body(body) is None


def test_shingles_are_lower_cased_word_runs() -> None:
    assert shingles("Airbus parent EADS won the contract", 4) == {
        "airbus parent eads won",
        "parent eads won the",
        "eads won the contract",
    }
