"""Dates as wire copy and page headers write them; a year is never invented."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.ingest.dates import infer_year, parse_date, parse_date_line, to_utc
from app.ingest.pipeline import extract_article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sept. 5, 2021", date(2021, 9, 5)),
        ("September 5, 2021", date(2021, 9, 5)),
        ("5 September 2021", date(2021, 9, 5)),
        ("2021-09-05", date(2021, 9, 5)),
        # TempEval-3 silver spaces its commas
        ("April 1 , 1997", date(1997, 4, 1)),
        # US wire headers put the month first; two-digit years are 19xx from 50 up
        ("11/02/89", date(1989, 11, 2)),
        ("02/13/1998", date(1998, 2, 13)),
        # a first number above 12 can only be a day
        ("25/12/2020", date(2020, 12, 25)),
        ("19980108", date(1998, 1, 8)),
        ("Sept 5", None),
        ("February 30, 2021", None),
        ("the fifth of September", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: Sept. 5, 2021 10:32 GMT", date(2021, 9, 5)),
        ("Updated on 5 September 2021", date(2021, 9, 5)),
        ("02/13/1998 15:44:00", date(1998, 2, 13)),
        ("08-15-90 1337EDT", date(1990, 8, 15)),
        ("Tuesday, December 3, 1991", date(1991, 12, 3)),
        # a sentence that starts with a date is story text
        ("Sept. 5, 2021 was the day the valley fell.", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks began on Sept. 3, 2021, in Doha.", date(2021, 9, 5)),
        # two different years: which one the dateline means is unknowable
        ("Talks began on Sept. 3, 2021, after the Aug. 31, 2020 deal.", None),
        ("Talks began on Friday.", None),
        # a date wrapped over two lines, after numbers that are no year
        (
            "Output rose 1,250 tonnes in\nthe week to Sept 3,\n    2021, from 1010 tonnes.",
            date(2021, 9, 5),
        ),
        ("Talks began on Sept. 3 in Doha; the 2021 budget was not discussed.", None),
    ],
)
def test_infer_year_only_when_unambiguous(text: str, expected: date | None) -> None:
    assert infer_year((9, 5), text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 9, 5), datetime(2021, 9, 5, tzinfo=UTC)),
        (datetime(2021, 9, 5, 10, 30), datetime(2021, 9, 5, 10, 30, tzinfo=UTC)),
        (
            datetime(2021, 9, 5, 12, 0, tzinfo=timezone(timedelta(hours=4, minutes=30))),
            datetime(2021, 9, 5, 7, 30, tzinfo=UTC),
        ),
    ],
)
def test_to_utc(value: date | datetime, expected: datetime) -> None:
    assert to_utc(value) == expected
    assert to_utc(value).tzinfo == UTC


STORY = "Floods hit Vienna\n\nVIENNA, Sept 5 (Reuters) - Heavy rain flooded the city on Sunday."


def test_the_date_given_with_the_record_wins_and_becomes_utc() -> None:
    record = extract_article(STORY, published_at=datetime(2021, 9, 6, 8, 0))
    assert record.published_at == datetime(2021, 9, 6, 8, 0, tzinfo=UTC)


def test_a_dateline_without_year_gives_no_date() -> None:
    assert extract_article(STORY).published_at is None
    assert extract_article(STORY).dateline_date is None
