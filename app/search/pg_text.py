"""Text helpers of the PostgreSQL backend: folding, vocabulary words, tsquery literals.

Pure functions; the text search configuration itself lives in the migration.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+(?:\.\w+)*", re.UNICODE)
MAX_WORD_LENGTH = 60
#: The one character PostgreSQL text cannot hold.
NUL = "\x00"
#: Characters an operand loses: NUL, and angle brackets, which indexed text loses too.
SEPARATORS = str.maketrans({NUL: " ", "<": " ", ">": " "})


def fold(text: str) -> str:
    """Lower case, accents removed, words joined by one space.

    >>> fold(" Agence  France-Presse (AFP)")
    'agence france presse afp'
    >>> fold("Muttaqí")
    'muttaqi'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_TOKEN.findall(bare.lower()))


def value_key(field: str, value: str) -> str:
    """The whole-value key a filter or `field:value` query matches.

    >>> value_key("agency", "Anadolu Agency")
    'agency:anadolu agency'
    """
    return f"{field}:{fold(value) or value.replace(NUL, '').strip().lower()}"


def surface_words(texts: Iterable[str]) -> set[str]:
    """The distinct folded words of `texts`, as the vocabulary keeps them.

    >>> sorted(surface_words(["Ahmad Massoud's talks", "U.S. envoy"]))
    ['ahmad', 'envoy', 'massoud', 's', 'talks', 'u.s']
    """
    return {
        word
        for text in texts
        for word in _TOKEN.findall(fold(text))
        if len(word) <= MAX_WORD_LENGTH
    }


def quote(text: str, suffix: str = "") -> str:
    """`text` as one quoted tsquery operand, never parsed as operators.

    PostgreSQL's parser still splits it into words: several words become a phrase.
    NUL (which PostgreSQL text cannot hold) and angle brackets (which indexed text
    loses, see migration 0002) separate words like a space.

    >>> quote("it's a:b & c", ":A")
    "'it''s a:b & c':A"
    """
    escaped = text.translate(SEPARATORS).replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'{suffix}"


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions.

    >>> edit_distance("masood", "massoud")
    2
    """
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
