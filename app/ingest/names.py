"""Matching keys for names spelled several ways: transliteration-aware and conservative.

`person_key("Ahmed Massoud") == person_key("Ahmad Massoud")`: accents go, vowels inside
a word collapse to one mark, doubled letters and a few transliteration pairs fold
(`-off`/`-ov`, `Dj`/`J`, `ph`/`f`, `ck`/`k`), and titles drop; short words and final
vowels stay as spelled (`Don` ≠ `Dan`, `Carla` ≠ `Carlo`). Two names are the same person
only when every name word matches in order, so `Ahmad Shah Massoud` (the father, killed
in 2001) stays apart from `Ahmad Massoud` (his son), and `Fahim Dashti` from `Fahim Fetrat`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWELS = re.compile(r"[aeiouy]+")
_FINAL_VOWELS = re.compile(r"(?<=[^aeiouy])[aeiouy]+$")
_SHORT_WORD = 4
_DOUBLES = re.compile(r"(.)\1+")
_NON_LETTERS = re.compile(r"[^a-z ]+")
_FOLDS = (("sch", "sh"), ("tch", "ch"), ("dj", "j"), ("ph", "f"), ("ck", "k"), ("q", "k"))
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "sheikh", "sheik", "mullah", "haji",
    "president", "general", "gen", "senator", "sen", "minister", "imam", "maulvi", "mawlawi",
}  # fmt: skip
_SILENT = {"h", "j", "w"}
# letters transliterations write or leave out: Zabi(h)ullah, Mo(h)ammed, Pan(j)shir
_OPTIONAL_LETTERS = re.compile(r"(?<=[aeiouy])h(?=[aeiouy])|(?<=[^aeiouy])j(?=[^aeiouy])")
_SILENT_LETTERS = re.compile("[hjw]")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ul)-")
#: Distinct names (or words) remembered per cached function: a batch of wire stories names
#: the same people and places thousands of times, new names reuse known words, and
#: folding is pure.
_CACHED_NAMES = 1 << 15


@lru_cache(maxsize=_CACHED_NAMES)
def fold_word(word: str) -> str:
    """One name word reduced to its transliteration-stable form.

    Vowels inside the word fold to one mark; the final vowel stays (`Carla` ≠ `Carlo`,
    `Ivanova` ≠ `Ivanov`), and words of four letters or fewer stay as spelled, since
    there one vowel is the whole difference (`Dan` ≠ `Don`).

    >>> fold_word("Muhammad"), fold_word("Mohamed"), fold_word("Ivanoff"), fold_word("Don")
    ('mamad', 'mamad', 'avanav', 'don')
    """
    plain = _plain(word)
    return plain if len(plain) <= _SHORT_WORD else skeleton(plain)


@lru_cache(maxsize=_CACHED_NAMES)
def skeleton(word: str) -> str:
    """A word's consonant skeleton, inner vowel groups folded to `a`: `Kyiv` → `kav`.

    >>> skeleton("Zabihullah") == skeleton("Zabiullah"), skeleton("Panjshir")
    (True, 'panshar')
    """
    word = _plain(word)
    for old, new in _FOLDS:
        word = word.replace(old, new)
    word = _OPTIONAL_LETTERS.sub("", word)
    word = _DOUBLES.sub(r"\1", word)
    if word.endswith("f") and len(word) > 3:
        word = word[:-1] + "v"
    final = _FINAL_VOWELS.search(word)
    stem, ending = (word[: final.start()], final.group().replace("y", "i")) if final else (word, "")
    return _VOWELS.sub("a", stem) + _DOUBLES.sub(r"\1", ending)


def _plain(word: str) -> str:
    """Lower case, no accents, no `al-` prefix, letters only: `al-Qaradawi` → `qaradawi`."""
    return _NON_LETTERS.sub("", _ARTICLE_PREFIX.sub("", strip_accents(word).lower()))


def strip_accents(text: str) -> str:
    """`Muttaqí` → `Muttaqi`: decompose and drop combining marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=_CACHED_NAMES)
def _name_words(name: str) -> tuple[str, ...]:
    words = strip_accents(name).replace("’", "'").split()
    while words and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    if words and words[-1].endswith(("'s", "'")):
        words[-1] = words[-1].rstrip("s").rstrip("'")
    return tuple(w for w in (fold_word(w) for w in words) if w)


def person_key(name: str) -> str:
    """A matching key for a person's name: equal keys mean the same spelling family.

    >>> person_key("Ahmed Massoud") == person_key("Ahmad Massoud")
    True
    """
    return " ".join(_name_words(name))


def is_same_person(a: str, b: str) -> bool:
    """Whether two full names denote one person across articles (conservative).

    Same number of name words, each equal after folding, or (for long words) one letter
    apart, as `Zabiullah`/`Zabihullah`. A lone surname never matches a full name: across
    articles `Massoud` could be anyone.
    """
    first, second = _name_words(a), _name_words(b)
    if len(first) != len(second) or len(first) < 2:
        return bool(first) and first == second and len(first) == 1
    return all(_is_close_word(x, y) for x, y in zip(first, second, strict=True))


def _is_close_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 6 and _is_silent_letter_apart(a, b)


def _is_silent_letter_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one transliteration-optional letter added or dropped.

    Only `h`, `j` and `w` come and go between spellings (`Zabi(h)ullah`, `Pan(j)shir`);
    any other letter makes a different name (`Mohammad` ≠ `Mohammadi`).
    """
    if len(a) > len(b):
        a, b = b, a
    return any(
        ch in _SILENT and _VOWELS.sub("a", b[:i] + b[i + 1 :]) == a for i, ch in enumerate(b)
    )


@lru_cache(maxsize=_CACHED_NAMES)
def place_key(name: str) -> str:
    """A matching key for a place name: `Panjshir` and `Panshir` differ by one letter.

    >>> place_key("Kyiv") == place_key("Kiev")
    True
    """
    return " ".join(skeleton(w) for w in strip_accents(name).split())


def is_same_place(a: str, b: str) -> bool:
    """Whether two place names are spellings of one place (`Panshir`/`Panjshir`)."""
    first, second = place_key(a).split(), place_key(b).split()
    if len(first) != len(second) or not first:
        return False
    return all(_is_close_word(x, y) for x, y in zip(first, second, strict=True))


@lru_cache(maxsize=_CACHED_NAMES)
def blocking_key(key: str) -> str:
    """A coarser key that puts every candidate spelling of a name together.

    Drops the transliteration-optional letters from a `person_key`/`place_key`, so a
    database lookup finds `Panshir` and `Panjshir` together; `is_same_person` and
    `is_same_place` then decide.

    >>> blocking_key(place_key("Panjshir")) == blocking_key(place_key("Panshir"))
    True
    """
    return _VOWELS.sub("a", _SILENT_LETTERS.sub("", key))
