"""Filters, date ranges, sort orders and paging: the journalist's question, answered exactly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from app.search.types import SearchPage
from tests.contract.conftest import titles
from tests.contract.corpus import (
    A380_AFP,
    BROTHER,
    CARETAKER,
    INTERIM,
    MUTTAQI,
    PAKISTAN,
    SCRIPT,
    SEED,
    SURRENDER,
)

SEPTEMBER = {"date_from": date(2021, 9, 1), "date_to": date(2021, 9, 30)}


def test_saleh_quoted_by_aa_or_afp_in_kabul_in_september_newest_first(
    search: Callable[..., SearchPage],
) -> None:
    page = search(
        '"Amrullah Saleh" (agency:AA OR agency:AFP) dateline:Kabul', sort="newest", **SEPTEMBER
    )
    # Not Reuters (agency), not Islamabad (dateline), not October (date), not Muttaqi.
    assert titles(page) == [SURRENDER, SEED, CARETAKER]
    assert page.total == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"agency": ("Anadolu Agency",)}, {SEED, PAKISTAN, BROTHER}),
        ({"agency": ("anadolu agency",)}, {SEED, PAKISTAN, BROTHER}),  # case-insensitive
        ({"agency": ("AFP",)}, {SURRENDER, CARETAKER, MUTTAQI, A380_AFP}),  # the code works too
        ({"person": ("Ahmed Massoud",)}, {SEED}),  # an alias finds the canonical person
        ({"person": ("Amrullah Saleh",), "place": ("Panshir",)}, {SEED, SURRENDER, BROTHER}),
        ({"person": ("Amrullah Saleh", "Amir Khan Muttaqi")}, {SEED}),  # values are ANDed
        ({"section": ("politics",)}, {MUTTAQI}),
        ({"translator": ("Mourad Belhaj",)}, {SEED}),
        ({"place": ("Atlantis",)}, set()),
    ],
)
def test_filters(
    search: Callable[..., SearchPage], filters: dict[str, tuple[str, ...]], expected: set[str]
) -> None:
    page = search("", filters=filters, per_page=100)
    assert set(titles(page)) == expected


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"date_from": date(2021, 9, 18), "date_to": date(2021, 9, 18)}, {SURRENDER}),  # inclusive
        ({"date_from": date(2021, 9, 19), "date_to": date(2021, 9, 30)}, {MUTTAQI}),
        ({"date_to": date(2021, 9, 4)}, {CARETAKER}),
        ({"date_from": date(2021, 10, 1)}, {BROTHER, SCRIPT}),  # unpublished: ingestion date
    ],
)
def test_date_range_on_publication_else_ingestion(
    search: Callable[..., SearchPage], dates: dict[str, date], expected: set[str]
) -> None:
    page = search("saleh OR muttaqi OR script", per_page=100, **dates)
    assert set(titles(page)) == expected


def test_unpublished_articles_are_dated_by_ingestion(search: Callable[..., SearchPage]) -> None:
    today = datetime.now(UTC).date()
    page = search("", date_from=today, date_to=today)
    assert titles(page) == [SCRIPT]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_are_exact_mirrors(search: Callable[..., SearchPage], sort: str) -> None:
    newest = titles(search("saleh", sort="newest"))
    assert titles(search("saleh", sort=sort)) == (newest if sort == "newest" else newest[::-1])
    assert newest == [BROTHER, SURRENDER, PAKISTAN, INTERIM, SEED, CARETAKER]


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_partition_the_results(search: Callable[..., SearchPage], sort: str) -> None:
    whole = search("", sort=sort, per_page=100)
    paged = [search("", sort=sort, page=n, per_page=3) for n in range(1, 6)]
    assert [hit.id for page in paged for hit in page.hits] == [hit.id for hit in whole.hits]
    assert {page.total for page in paged} == {whole.total}


def test_equal_scores_break_ties_by_id(search: Callable[..., SearchPage]) -> None:
    ids = [hit.id for hit in search("", per_page=100).hits]
    assert ids == sorted(ids)


def test_a_page_past_the_end_is_empty_with_the_total(search: Callable[..., SearchPage]) -> None:
    page = search("saleh", page=9, per_page=5)
    assert (page.hits, page.total, page.page) == ((), 6, 9)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_cursors_walk_date_sorted_results_exactly_once(
    search: Callable[..., SearchPage], sort: str
) -> None:
    whole = [hit.id for hit in search("", sort=sort, per_page=100).hits]
    walked: list[int] = []
    page = search("", sort=sort, per_page=3)
    while True:
        walked += [hit.id for hit in page.hits]
        if page.next_cursor is None:
            break
        page = search("", sort=sort, per_page=3, after=page.next_cursor)
        assert page.total == len(whole)  # the total counts the whole result set, not the rest
    assert walked == whole


def test_cursors_keep_the_query_and_filters(search: Callable[..., SearchPage]) -> None:
    first = search("saleh", sort="newest", per_page=2)
    assert first.next_cursor is not None
    rest = search("saleh", sort="newest", per_page=10, after=first.next_cursor)
    assert titles(first) + titles(rest) == [BROTHER, SURRENDER, PAKISTAN, INTERIM, SEED, CARETAKER]
    assert rest.next_cursor is None
    assert search("saleh", per_page=2).next_cursor is None  # relevance pages by number only
