"""Near-duplicate signatures: the same wire story republished with another headline or tail.

A body becomes a set of word shingles, the set a MinHash signature (datasketch's
"affine32" scheme over CRC-32 shingle hashes: stable across processes, and fast;
computed here in one numpy pass, with datasketch's permutations kept in the table
cache, as importing datasketch takes a third of a second), and the signature
`BANDS` band keys, as MinHashLSH bands it.
Two bodies whose signatures share a band key are candidates; their estimated
Jaccard similarity decides. Band keys are plain integers, so the archive can
persist them and find candidates across runs with an indexed lookup.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from app.ingest.table_cache import cached_table
from app.pickling import pickled_by_fields

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 4
MIN_SHINGLES = 8
#: Estimated Jaccard similarity from which two bodies are one story.
SAME_STORY = 0.5
_WORD = re.compile(r"\w+")
_SCHEME = "affine32"
_KEY_MASK = np.uint64((1 << 63) - 1)
_BAND_BYTES = ROWS * 4
_BAND_PREFIXES = tuple(bytes([band]) for band in range(BANDS))


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Signature:
    """A body's MinHash values (packed uint32) and its LSH band keys (63-bit integers)."""

    values: bytes
    bands: tuple[int, ...]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Overlapping runs of `size` lower-cased words.

    >>> sorted(shingles("Oil prices rose on Monday", 4))
    ['oil prices rose on', 'prices rose on monday']
    """
    words = _WORD.findall(text.lower())
    return set(map(" ".join, zip(*(words[i:] for i in range(size)), strict=False)))


@cached_table
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for `NUM_PERM` values and seed 1."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME).permutations
    return a, b


def _premixed(hashes: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which the affine32 scheme applies before permuting."""
    hashes = (hashes ^ (hashes >> np.uint32(16))) * np.uint32(0x85EBCA6B)
    hashes = (hashes ^ (hashes >> np.uint32(13))) * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = hashes ^ (hashes >> np.uint32(16))
    return mixed


def minhash_values(grams: Collection[str]) -> np.ndarray:
    """The MinHash of a set of shingles: what datasketch's `MinHash.update_batch` computes
    with our permutations and CRC-32, every permutation over every shingle at once."""
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, grams)), np.uint32, len(grams))
    a, b = _permutations()
    permuted = _premixed(hashes)[:, np.newaxis] * a + b
    values: np.ndarray = permuted.min(axis=0, initial=np.iinfo(np.uint32).max)
    return values


def band_keys(values: bytes) -> tuple[int, ...]:
    """One key per band of `ROWS` MinHash values; equal keys mean an equal band."""
    digests = b"".join(
        hashlib.blake2b(
            prefix + values[band * _BAND_BYTES : (band + 1) * _BAND_BYTES], digest_size=8
        ).digest()
        for band, prefix in enumerate(_BAND_PREFIXES)
    )
    keys: list[int] = (np.frombuffer(digests, dtype=">u8") & _KEY_MASK).tolist()
    return tuple(keys)


def sign_body(body: str) -> Signature | None:
    """The body's signature, or None when it is too short to tell stories apart."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None
    values = minhash_values(grams).tobytes()
    return Signature(values, band_keys(values))


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two bodies from their packed signatures."""
    a = np.frombuffer(first, dtype=np.uint32)
    b = np.frombuffer(second, dtype=np.uint32)
    return float(np.mean(a == b)) if len(a) == len(b) and len(a) else 0.0


def is_same_story(first: bytes, second: bytes) -> bool:
    """True when two signatures say the bodies are one story."""
    return similarity(first, second) >= SAME_STORY
