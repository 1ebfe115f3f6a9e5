"""Near-duplicate signatures: the same wire story republished with another headline or tail.

A body becomes a set of word shingles, the set a MinHash signature (datasketch,
over CRC-32 shingle hashes: stable across processes, and fast), and the
signature `BANDS` band keys, as MinHashLSH bands it.
Two bodies whose signatures share a band key are candidates; their estimated
Jaccard similarity decides. Band keys are plain integers, so the archive can
persist them and find candidates across runs with an indexed lookup.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE_WORDS = 4
MIN_SHINGLES = 8
#: Estimated Jaccard similarity from which two bodies are one story.
SAME_STORY = 0.5
_WORD = re.compile(r"\w+")
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=_SCHEME).permutations
_KEY_MASK = (1 << 63) - 1


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
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def band_keys(values: bytes) -> tuple[int, ...]:
    """One key per band of `ROWS` MinHash values; equal keys mean an equal band."""
    width = ROWS * 4
    return tuple(
        int.from_bytes(
            hashlib.blake2b(
                bytes([band]) + values[band * width : (band + 1) * width], digest_size=8
            ).digest(),
            "big",
        )
        & _KEY_MASK
        for band in range(BANDS)
    )


def sign_body(body: str) -> Signature | None:
    """The body's signature, or None when it is too short to tell stories apart."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(
        num_perm=NUM_PERM, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=zlib.crc32
    )
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    values = np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()
    return Signature(values, band_keys(values))


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two bodies from their packed signatures."""
    a = np.frombuffer(first, dtype=np.uint32)
    b = np.frombuffer(second, dtype=np.uint32)
    return float(np.mean(a == b)) if len(a) == len(b) and len(a) else 0.0


def is_same_story(first: bytes, second: bytes) -> bool:
    """True when two signatures say the bodies are one story."""
    return similarity(first, second) >= SAME_STORY
