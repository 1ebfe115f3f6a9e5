"""Near-duplicate signatures: one wire story republished stays one story, others do not."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st

from app.ingest.near_duplicates import (
    BANDS,
    NUM_PERM,
    ROWS,
    band_keys,
    is_same_story,
    minhash_values,
    shingles,
    sign_body,
    similarity,
)
from tests.conftest import DEMO_DIR

ARTICLES = [
    json.loads(line)["text"].partition("\n\n")[2]
    for line in (DEMO_DIR / "wikinews.ndjson").read_text(encoding="utf-8").splitlines()
]
STORY = ARTICLES[0]
GOLD = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "articles").glob("*.txt"))


def datasketch_values(grams: set[str]) -> bytes:
    """The signature values as datasketch computes them (how stored signatures were made)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=zlib.crc32)
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    return np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()


def blake2b_band_keys(values: bytes) -> tuple[int, ...]:
    """Each band's key: BLAKE2b-64 of its number then its values, big-endian, top bit cleared."""
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        data = bytes([band]) + values[band * width : (band + 1) * width]
        digest = hashlib.blake2b(data, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") & ((1 << 63) - 1))
    return tuple(keys)


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


@pytest.mark.parametrize("text", [*ARTICLES, *(p.read_text(encoding="utf-8") for p in GOLD)])
def test_a_signature_is_the_one_datasketch_and_blake2b_make(text: str) -> None:
    signature = sign_body(text)
    assert signature is not None
    assert signature.values == datasketch_values(shingles(text))
    assert signature.bands == blake2b_band_keys(signature.values)


@given(st.sets(st.text(max_size=30), max_size=60))
def test_any_shingle_set_hashes_as_datasketch_does(grams: set[str]) -> None:
    # (an empty set keeps datasketch's initial values, the largest hash)
    values = minhash_values(grams).tobytes()
    assert values == datasketch_values(grams)
    assert band_keys(values) == blake2b_band_keys(values)


def test_shingles_of_fewer_words_than_a_shingle_are_none() -> None:
    assert shingles("Airbus shares rose", 4) == set()
