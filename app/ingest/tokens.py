"""Words of a news text with their offsets, sentence starts and ALL-CAPS lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*|\S")
_POSSESSIVE = re.compile(r"['’]s?$")
_POSSESSIVE_ENDINGS = ("'", "’", "'s", "’s")
_SENTENCE_END = {".", "!", "?", ":", ";", "-", "--", "—", "–", "*", "•"}
# Words written with a full stop that does not end the sentence: "Mr. Lee", "Lt. Gen. Sadat".
ABBREVIATIONS = {
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sen", "Rep", "Gov", "Capt", "Maj",
    "Adm", "Sgt", "Prof", "Rev", "Jr", "Sr", "Mt", "Ft",
}  # fmt: skip
_TITLE_CASE_WORDS = 4
_QUOTES = {'"', "“", "”", "'", "‘", "(", "["}


@dataclass(slots=True)
class Token:
    """One word or punctuation mark: `text` sits at `start:end` on line number `line`."""

    start: int
    end: int
    text: str
    line: int
    sentence_start: bool = False
    shout: bool = False

    @property
    def is_cap(self) -> bool:
        """Capitalised, and not a compound adjective such as `Chicago-based`."""
        first = self.text[0]
        return first.isalpha() and first.isupper() and not self.text.rpartition("-")[2].islower()


def tokenize(text: str) -> list[Token]:
    """Words and punctuation with offsets; a possessive `'s` is its own token."""
    tokens: list[Token] = []
    append = tokens.append
    line_start = 0
    # No token holds a line break, so each line is matched on its own.
    for line, line_text in enumerate(text.split("\n")):
        line_end = line_start + len(line_text)
        for match in _TOKEN.finditer(text, line_start, line_end):
            word, start = match.group(), match.start()
            possessive = (
                _POSSESSIVE.search(word)
                if len(word) > 2 and word.endswith(_POSSESSIVE_ENDINGS) and word[0].isalpha()
                else None
            )
            if possessive and word[possessive.start() - 1].isalpha():
                cut = start + possessive.start()
                append(Token(start, cut, word[: possessive.start()], line))
                append(Token(cut, match.end(), word[possessive.start() :], line))
            else:
                append(Token(start, match.end(), word, line))
        line_start = line_end + 1
    _mark_sentences(tokens)
    _mark_shouting(tokens)
    return tokens


def _mark_sentences(tokens: list[Token]) -> None:
    starting = True
    previous_line = -1
    for token in tokens:
        if token.line != previous_line:
            starting, previous_line = True, token.line
        token.sentence_start = starting
        if token.text in _SENTENCE_END or (token.text.isdigit() and starting):
            starting = True
        elif token.text not in _QUOTES:
            starting = False


def _mark_shouting(tokens: list[Token]) -> None:
    """Mark ALL-CAPS lines, and a Title-Case first line (a headline), whose capitals say
    nothing about names."""
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        by_line.setdefault(token.line, []).append(token)
    for number, line_tokens in by_line.items():
        letters = "".join([t.text for t in line_tokens if t.text[0].isalpha()])
        upper = sum(map(str.isupper, letters))
        shouting = len(letters) >= 8 and upper / len(letters) > 0.7
        if shouting or (number == 0 and _is_title_case(line_tokens)):
            for token in line_tokens:
                token.shout = True


def _is_title_case(line_tokens: list[Token]) -> bool:
    """`Oil Climbs as Hurricane Shuts Most Gulf of Mexico Output`: every long word capitalised."""
    long_words = [t.text for t in line_tokens if t.text[0].isalpha() and len(t.text) > 3]
    return len(long_words) >= _TITLE_CASE_WORDS and all(w[0].isupper() for w in long_words)
