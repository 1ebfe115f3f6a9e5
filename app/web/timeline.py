"""Articles per month as a small bar chart, laid out here so the template only draws it."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from app.search.types import FacetCount

WIDTH = 720
BAR_AREA = 64
HEIGHT = BAR_AREA + 16
LABEL_CHAR_WIDTH = 7
LABEL_PADDING = 8
MAX_STEP = 48


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: its count, its rectangle and the link that narrows to it."""

    month: str
    count: int
    x: float
    y: float
    width: float
    height: float
    url: str | None
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    """A year label under the bars."""

    x: float
    text: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """The chart: bars left to right, year ticks, and whether every month was counted."""

    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int
    height: int
    bar_area: int
    complete: bool


def month_range(month: str) -> tuple[date, date]:
    """The first and last day of a `YYYY-MM` month: `2008-02` → (2008-02-01, 2008-02-29)."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def months_between(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` from `first` to `last` inclusive: `2007-11`..`2008-02` gives four."""
    year, number = (int(part) for part in first.split("-"))
    months: list[str] = []
    while (current := f"{year:04d}-{number:02d}") <= last:
        months.append(current)
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months


def build_timeline(
    counts: Sequence[FacetCount], total: int, link: Callable[[str], str]
) -> Timeline | None:
    """Bars for every month from the first to the last counted one (empty months included).

    `total` is how many articles the counts should add up to; when they add up
    to less, the chart is marked incomplete. None when nothing was counted.
    """
    by_month = {fc.value: fc.count for fc in counts if fc.count > 0}
    if not by_month:
        return None
    months = months_between(min(by_month), max(by_month))
    step = min(WIDTH / len(months), MAX_STEP)
    tallest = max(by_month.values())
    bars = []
    for index, month in enumerate(months):
        count = by_month.get(month, 0)
        height = round(BAR_AREA * count / tallest, 2)
        noun = "article" if count == 1 else "articles"
        bars.append(
            Bar(
                month=month,
                count=count,
                x=round(index * step, 2),
                y=round(BAR_AREA - height, 2),
                width=round(max(step * 0.8, 1.0), 2),
                height=height,
                url=link(month) if count else None,
                label=f"{month}: {count} {noun}",
            )
        )
    return Timeline(
        bars=tuple(bars),
        ticks=_year_ticks(months, step),
        width=WIDTH,
        height=HEIGHT,
        bar_area=BAR_AREA,
        complete=sum(by_month.values()) >= total,
    )


def _year_ticks(months: Sequence[str], step: float) -> tuple[Tick, ...]:
    """The first month in full, then each January's year, skipping labels that would overlap."""
    ticks = [Tick(0.0, months[0][:4] if months[0].endswith("-01") else months[0])]
    for index, month in enumerate(months):
        x = round(index * step, 2)
        previous = ticks[-1]
        room = len(previous.text) * LABEL_CHAR_WIDTH + LABEL_PADDING
        if month.endswith("-01") and x - previous.x >= room:
            ticks.append(Tick(x, month[:4]))
    return tuple(ticks)
