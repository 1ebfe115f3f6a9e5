"""Words of a news text with their offsets, sentence starts and ALL-CAPS lines."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat

# A token with the white space before it: one pass of the regex over the whole text gives
# every token's end offset (the running length) and line (the running count of line breaks).
# The possessive quantifiers only spare the engine backtracking records: the alternatives
# cannot give back a character and still match.
_SPACED_TOKEN = re.compile(r"\s*+(?:(?:[A-Za-z]\.){2,}|\w++(?:[-'’]\w++)*+|\S)")
_SENTENCE_END = {".", "!", "?", ":", ";", "-", "--", "—", "–", "*", "•"}
# Words written with a full stop that does not end the sentence: "Mr. Lee", "Lt. Gen. Sadat".
ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sen", "Rep", "Gov", "Capt", "Maj",
    "Adm", "Sgt", "Prof", "Rev", "Jr", "Sr", "Mt", "Ft",
}  # fmt: skip
_TITLE_CASE_WORDS = 4
_SHOUTING_LETTERS = 8
_QUOTES = {'"', "“", "”", "'", "‘", "(", "["}
_APOSTROPHE_S = re.compile("['’]s")
_ASCII_CAPITALS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NOT_CAPITALS = bytes(c for c in range(128) if c not in _ASCII_CAPITALS + b"\n")


class Tokens:
    """A text's words and punctuation marks as parallel lists, one entry per token.

    Token `i` is `text[i]`, ending at offset `end[i]` on line number `line[i]`; `cap[i]` says
    it is capitalised, `shout[i]` that its line is ALL CAPS or a Title-Case headline.
    """

    __slots__ = ("cap", "end", "line", "shout", "text")

    def __init__(self, text: str) -> None:
        pieces = _SPACED_TOKEN.findall(text)
        self.text: list[str] = list(map(str.lstrip, pieces))
        self.end: list[int] = list(accumulate(map(len, pieces)))
        self.line: list[int] = list(accumulate(map(str.count, pieces, repeat("\n"))))
        self._split_possessives(text)
        self.cap: list[bool] = [
            w[0].isupper() and w[0].isalpha() and not w.rpartition("-")[2].islower()
            for w in self.text
        ]
        self.shout: list[bool] = _shouting(text, self.text, self.line)

    def __len__(self) -> int:
        return len(self.text)

    def start(self, i: int) -> int:
        """Where token `i` starts (asked for a few tokens only, so not kept for each)."""
        return self.end[i] - len(self.text[i])

    def sentence_start(self, i: int) -> bool:
        """Whether token `i` starts a sentence: it opens its line, or follows a full stop
        or a dash (past opening quotes, and past a list number that itself starts one)."""
        text, line = self.text, self.line
        while i and line[i - 1] == line[i]:
            i -= 1
            if text[i] in _SENTENCE_END:
                return True
            if text[i] not in _QUOTES and not text[i].isdigit():
                return False
        return True

    def _split_possessives(self, text: str) -> None:
        """A possessive `'s` is its own token: `Ghani’s` is `Ghani` and `’s`."""
        words, end, line = self.text, self.end, self.line
        # the tokens ending in `'s`, all found before any is split, as a stem may end in one
        ending = []
        for match in _APOSTROPHE_S.finditer(text):
            i = bisect_left(end, match.end())
            if i < len(end) and end[i] == match.end():
                ending.append(i)
        # from the last, so that the tokens still to split keep their positions; only a word
        # ends in `'s` (initials end in a full stop, other tokens are one character)
        for i in reversed(ending):
            word = words[i]
            if len(word) > 2 and word[0].isalpha() and word[-3].isalpha():
                words[i : i + 1] = [word[:-2], word[-2:]]
                end[i : i + 1] = [end[i] - 2, end[i]]
                line.insert(i, line[i])


def tokenize(text: str) -> Tokens:
    """Words and punctuation with offsets; a possessive `'s` is its own token."""
    return Tokens(text)


def _shouting(text: str, words: list[str], lines: list[int]) -> list[bool]:
    """Per token, whether its line is ALL CAPS, or a Title-Case first line (a headline):
    capitals there say nothing about names."""
    shout = [False] * len(words)
    # A line of capitals has at least six (eight letters, over 70% capitals). Counting a
    # line's letters is slow, so lines with fewer bytes that may be capitals (A to Z, or a
    # part of a non-ASCII character) are passed over: one C-level deletion finds them.
    capitals = text.encode("utf-8", "surrogatepass").translate(None, _NOT_CAPITALS)
    candidates = [n for n, line in enumerate(capitals.split(b"\n")) if len(line) >= 6]
    for number in {0, *candidates}:  # the first line may be a Title-Case headline
        first = bisect_left(lines, number)
        stop = bisect_right(lines, number, first)
        line_words = words[first:stop]
        if _is_all_caps(line_words) or (number == 0 and _is_title_case(line_words)):
            shout[first:stop] = repeat(True, stop - first)
    return shout


def _is_all_caps(line_words: list[str]) -> bool:
    """Whether more than 70% of the letters of the line's words are capitals."""
    letters = "".join([w for w in line_words if w[0].isalpha()])
    if len(letters) < _SHOUTING_LETTERS:
        return False
    if letters.isascii():  # the capitals are A to Z: counted by one C-level deletion
        capitals = len(letters) - len(letters.encode().translate(None, _ASCII_CAPITALS))
    else:
        capitals = sum(map(str.isupper, letters))
    return capitals / len(letters) > 0.7


def _is_title_case(line_words: list[str]) -> bool:
    """`Oil Climbs as Hurricane Shuts Most Gulf of Mexico Output`: every long word capitalised."""
    long_words = [w for w in line_words if w[0].isalpha() and len(w) > 3]
    return len(long_words) >= _TITLE_CASE_WORDS and all(w[0].isupper() for w in long_words)
