"""Dates as wire copy writes them: `Sept. 5, 2021`, `5 September 2021`, `2021-09-05`, `11/02/89`.

Publication dates are stored as timezone-aware UTC datetimes; a source that gives
only a day becomes midnight UTC of that day. A year is never guessed: a date written
without one gets a year only when the text itself makes it unambiguous.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY_NAME = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_MONTH_DAY = re.compile(
    rf"^{_DAY_NAME}(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:\s*,?\s*(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"^{_DAY_NAME}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH})"
    r"(?:\s*,?\s*(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<year>\d{4}|\d\d)\b")
_COMPACT = re.compile(r"^(?P<year>(?:19|20)\d\d)(?P<month>\d\d)(?P<day>\d\d)$")
# The lookahead only spares trying every month name at each word: a date starts so.
_FULL_DATE_IN_TEXT = re.compile(
    rf"\b(?=[\dJFMASOND])(?:{MONTH}\s+\d{{1,2}},?\s+(?P<y1>(?:19|20)\d\d)|\d{{1,2}}\s+{MONTH}\s+(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
# Every full date above ends in such a year, after a space (looked behind for only once a
# `19` or `20` is found, which lets the search skip to those).
_YEAR_AFTER_SPACE = re.compile(r"(?:19|20)(?<=\s..)\d\d\b")
_HEADER_PREFIX = re.compile(
    r"^(?:(?:Published|Updated|Posted|Date|Dated|Last updated)\s*(?:on|at)?\s*:?\s*)", re.IGNORECASE
)
_TIME_SUFFIX = re.compile(
    r"^(?:\s*,?\s*(?:at\s+)?(?:\d{1,2}[:.]\d\d(?::\d\d)?|\d{4}(?=\s*[A-Z]))\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:[A-Z]{2,4}|UTC[+-]?\d*)?)?\s*$",
    re.IGNORECASE,
)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str) -> int:
    value = int(year)
    if len(year) == 4:
        return value
    return value + (2000 if value < 50 else 1900)


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").casefold()]


def match_date(text: str) -> tuple[date | None, tuple[int, int] | None, int]:
    """Read a date at the start of `text`: (full date, (month, day) if no year, chars read).

    >>> match_date("Sept. 5, 2021 (AP)")
    (datetime.date(2021, 9, 5), None, 13)
    >>> match_date("Feb 26 - Showers")
    (None, (2, 26), 6)
    """
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        found = pattern.match(text)
        if found:
            month, day = _month_number(found["month"]), int(found["day"])
            if not 1 <= day <= 31:
                return None, None, 0
            if found["year"]:
                return _safe_date(int(found["year"]), month, day), None, found.end()
            return None, (month, day), found.end()
    iso = _ISO.match(text) or _COMPACT.match(text)
    if iso:
        return _safe_date(int(iso["year"]), int(iso["month"]), int(iso["day"])), None, iso.end()
    numeric = _NUMERIC.match(text)
    if numeric:
        first, second = int(numeric["a"]), int(numeric["b"])
        # US wire copy writes month first; a first number above 12 can only be a day.
        month, day = (second, first) if first > 12 else (first, second)
        return _safe_date(_full_year(numeric["year"]), month, day), None, numeric.end()
    return None, None, 0


def parse_date(text: str) -> date | None:
    """A full date at the start of `text`, else None.

    >>> parse_date("2021-09-05")
    datetime.date(2021, 9, 5)
    >>> parse_date("Sept 5") is None
    True
    """
    return match_date(text.strip())[0]


def parse_date_line(line: str) -> date | None:
    """A line that is only a date (with an optional label and time), as page headers print it.

    >>> parse_date_line("Published: Sept. 5, 2021 10:32 GMT")
    datetime.date(2021, 9, 5)
    >>> parse_date_line("Sept. 5, 2021 was a busy day") is None
    True
    """
    text = _HEADER_PREFIX.sub("", line.strip())
    found, _, end = match_date(text)
    if found is None or not _TIME_SUFFIX.match(text[end:]):
        return None
    return found


def infer_year(month_day: tuple[int, int], text: str) -> date | None:
    """Complete a month and day with the one year the text's full dates all use, else None.

    >>> infer_year((9, 5), "… on August 31, 2021, after 20 years …")
    datetime.date(2021, 9, 5)
    """
    # Running the date pattern over a whole story is costly: it runs only from two words before
    # the first year (a full date is a month and a day before it) to the last year, if any.
    year_starts = [found.start() for found in _YEAR_AFTER_SPACE.finditer(text)]
    if not year_starts:
        return None
    before = text[: year_starts[0]].rsplit(None, 2)
    start = len(before[0]) if len(before) == 3 else 0
    years: set[int] = set()
    for found in _FULL_DATE_IN_TEXT.finditer(text, start, year_starts[-1] + 4):
        years.add(int(found["y1"] or found["y2"]))
        if len(years) > 1:
            return None
    return _safe_date(years.pop(), *month_day) if years else None


def to_utc(value: date | datetime) -> datetime:
    """A timezone-aware UTC datetime; naive datetimes are taken as UTC, dates as midnight."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)
