"""The articles-per-month chart: month arithmetic and bar layout."""

from __future__ import annotations

from datetime import date

import pytest

from app.search.types import FacetCount
from app.web.timeline import BAR_AREA, build_timeline, month_range, months_between


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2021-09", (date(2021, 9, 1), date(2021, 9, 30))),
        ("2008-02", (date(2008, 2, 1), date(2008, 2, 29))),  # a leap year's February
        ("2007-12", (date(2007, 12, 1), date(2007, 12, 31))),
    ],
)
def test_month_range(month: str, expected: tuple[date, date]) -> None:
    assert month_range(month) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2007-11", "2008-02", ["2007-11", "2007-12", "2008-01", "2008-02"]),  # across a year
        ("2011-10", "2011-10", ["2011-10"]),
    ],
)
def test_months_between(first: str, last: str, expected: list[str]) -> None:
    assert months_between(first, last) == expected


def link(month: str) -> str:
    return f"/?month={month}"


def test_bars_cover_every_month_between_the_first_and_the_last() -> None:
    # Steve Jobs in the demo archive: June 2005, then three articles in 2011.
    counts = [FacetCount("2011-01", 1), FacetCount("2005-06", 1), FacetCount("2011-08", 2)]
    timeline = build_timeline(counts, 4, link)
    assert timeline is not None
    assert len(timeline.bars) == 75
    assert [(b.month, b.count, b.url) for b in timeline.bars if b.count] == [
        ("2005-06", 1, "/?month=2005-06"),
        ("2011-01", 1, "/?month=2011-01"),
        ("2011-08", 2, "/?month=2011-08"),
    ]
    assert all(b.url is None and b.height == 0 for b in timeline.bars if not b.count)
    tallest = next(b for b in timeline.bars if b.month == "2011-08")
    assert (tallest.y, tallest.height, tallest.label) == (0, BAR_AREA, "2011-08: 2 articles")
    assert timeline.complete
    assert [t.text for t in timeline.ticks] == [
        "2005-06", "2006", "2007", "2008", "2009", "2010", "2011",
    ]  # fmt: skip


def test_bars_never_overlap_and_stay_inside_the_chart() -> None:
    counts = [FacetCount(f"{year}-01", 1) for year in range(1990, 2026)]
    timeline = build_timeline(counts, 36, link)
    assert timeline is not None
    rights = [b.x + b.width for b in timeline.bars]
    assert all(right <= after.x for right, after in zip(rights, timeline.bars[1:], strict=False))
    assert rights[-1] <= timeline.width
    # 36 years on 720 units: labels are thinned so they never collide.
    assert all(b.x - a.x >= 30 for a, b in zip(timeline.ticks, timeline.ticks[1:], strict=False))


def test_counts_short_of_the_total_mark_the_chart_incomplete() -> None:
    # A facet cut to the busiest months adds up to less than the result count.
    timeline = build_timeline([FacetCount("2008-03", 5)], 9, link)
    assert timeline is not None
    assert not timeline.complete


def test_no_counts_no_chart() -> None:
    assert build_timeline([], 0, link) is None
