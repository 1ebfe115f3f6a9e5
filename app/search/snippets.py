"""Snippets: a window of the body with matched words in `<mark>`, all else escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape as _escape

_WORD = re.compile(r"\w+")
WIDTH = 240
LEAD = 60


def make_snippet(text: str, is_match: Callable[[str], bool], width: int = WIDTH) -> str:
    """The `width`-character window of `text` holding the most matches.

    >>> make_snippet("Talks <b>in</b> Panshir", lambda w: w == "Panshir")
    'Talks &lt;b&gt;in&lt;/b&gt; <mark>Panshir</mark>'
    """
    spans = _match_spans(text, is_match)
    start = _best_start(spans, width)
    start = _snap_back(text, start)
    end = _snap_forward(text, start + width)
    parts = ["… "] if start > 0 else []
    cursor = start
    for first, last in spans:
        if first < start or last > end:
            continue
        parts += [escape(text[cursor:first]), "<mark>", escape(text[first:last]), "</mark>"]
        cursor = last
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts).strip()


def escape(text: str) -> str:
    """HTML-escape text content; quotes stay readable (snippets never go in attributes)."""
    return _escape(text, quote=False)


def _match_spans(text: str, is_match: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Where matching words stand; each distinct word is judged once."""
    matched = sorted((w for w in set(_WORD.findall(text)) if is_match(w)), key=len, reverse=True)
    if not matched:
        return []
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, matched))})(?!\w)")
    return [m.span() for m in pattern.finditer(text)]


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """Start a little before the match that opens the densest window."""
    best, best_count = 0, 0
    for i, (first, _) in enumerate(spans):
        count = sum(1 for other, _ in spans[i:] if other < first + width - LEAD)
        if count > best_count:
            best, best_count = max(first - LEAD, 0), count
    return best


def _snap_back(text: str, position: int) -> int:
    """Move `position` back to the start of the word it falls in."""
    if position <= 0:
        return 0
    space = text.rfind(" ", 0, position)
    return space + 1 if space >= 0 and position - space < 20 else position


def _snap_forward(text: str, position: int) -> int:
    """Move `position` forward to the end of the word it falls in."""
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    return space if 0 <= space - position < 20 else position
