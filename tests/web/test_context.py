"""The search page's links, built from one request and one result page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from app.search.types import FacetCount, SearchPage, SearchRequest
from app.web.context import (
    SearchView,
    build_search_view,
    interpret,
    page_links,
    request_params,
)

REQUEST = SearchRequest(
    q="massoud",
    filters={"agency": ("Anadolu Agency",), "person": ("Ahmad Massoud",)},
    date_from=date(2021, 9, 1),
    sort="newest",
    page=2,
    per_page=10,
)
PAGE = SearchPage(
    query="massoud",
    total=45,
    page=2,
    per_page=10,
    took_ms=3.2,
    suggestion="massoud taliban",
    hits=(),
    facets={
        "agency": (FacetCount("Anadolu Agency", 40), FacetCount("Reuters", 5)),
        "language": (FacetCount("en", 45),),
        "month": (FacetCount("2021-09", 40), FacetCount("2021-11", 5)),
    },
)
VIEW = build_search_view(REQUEST, PAGE)
COLLAPSED = build_search_view(replace(REQUEST, collapse=True), PAGE)


def params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


KEPT = [("q", "massoud"), ("agency", "Anadolu Agency"), ("person", "Ahmad Massoud")]
KEPT_TAIL = [("date_from", "2021-09-01"), ("sort", "newest"), ("per_page", "10")]


def test_request_params_reproduce_the_request_without_the_page() -> None:
    assert request_params(REQUEST) == [*KEPT, *KEPT_TAIL]


def test_a_facet_value_toggles_its_filter_and_goes_back_to_page_one() -> None:
    selected, other = VIEW.facets["agency"]
    assert (selected.selected, other.selected) == (True, False)
    assert params(selected.url) == [KEPT[0], KEPT[2], *KEPT_TAIL]
    assert params(other.url) == [*KEPT, *KEPT_TAIL, ("agency", "Reuters")]
    assert "month" not in VIEW.facets  # months are the timeline, not a sidebar facet
    assert VIEW.facets["language"][0].label == "English"


def test_each_chip_removes_exactly_its_filter() -> None:
    assert [(c.label, c.value) for c in VIEW.chips] == [
        ("agency", "Anadolu Agency"),
        ("person", "Ahmad Massoud"),
        ("from", "2021-09-01"),
    ]
    assert params(VIEW.chips[2].remove_url) == [*KEPT, ("sort", "newest"), ("per_page", "10")]
    assert VIEW.clear_url == "/?q=massoud"


def test_pagination_keeps_every_parameter() -> None:
    assert params(VIEW.previous_url or "") == [*KEPT, *KEPT_TAIL]  # page 1 needs no number
    assert params(VIEW.next_url or "") == [*KEPT, *KEPT_TAIL, ("page", "3")]
    assert (VIEW.last_page, VIEW.first_number) == (5, 11)
    assert [link.number for link in VIEW.pages] == [1, 2, 3, 4, 5]
    assert params(VIEW.api_url) == [*KEPT, *KEPT_TAIL, ("page", "2")]


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (1, 1, [1]),
        (2, 4, [1, 2, 3, 4]),  # no gap when nothing is skipped
    ],
)
def test_page_links(current: int, last: int, expected: list[int | None]) -> None:
    links = page_links(current, last, lambda n: f"/?page={n}")
    assert [link.number for link in links] == expected
    assert [link.number for link in links if link.current] == [current]


def test_did_you_mean_swaps_the_query_and_keeps_the_filters() -> None:
    assert params(VIEW.suggestion_url or "") == [
        ("q", "massoud taliban"),
        *KEPT[1:],
        *KEPT_TAIL,
    ]


def test_a_timeline_bar_narrows_to_its_month() -> None:
    assert VIEW.timeline is not None
    september = VIEW.timeline.bars[0]
    assert params(september.url or "") == [
        *KEPT,
        ("sort", "newest"),
        ("per_page", "10"),
        ("date_from", "2021-09-01"),
        ("date_to", "2021-09-30"),
    ]
    assert [b.count for b in VIEW.timeline.bars] == [40, 0, 5]


def test_the_form_carries_filters_and_page_size_as_hidden_fields() -> None:
    assert VIEW.hidden == [KEPT[1], KEPT[2], ("per_page", "10")]


def test_every_link_of_a_search_collapsed_by_story_keeps_collapsing() -> None:
    assert COLLAPSED.timeline is not None
    urls = [
        *(link.url for links in COLLAPSED.facets.values() for link in links),
        *(chip.remove_url for chip in COLLAPSED.chips),
        *(link.url for link in COLLAPSED.pages if link.number is not None),
        COLLAPSED.previous_url or "",
        COLLAPSED.next_url or "",
        COLLAPSED.last_page_url,
        COLLAPSED.suggestion_url or "",
        COLLAPSED.api_url,
        *(bar.url for bar in COLLAPSED.timeline.bars if bar.url),
    ]
    assert [params(url).count(("collapse", "story")) for url in urls] == [1] * len(urls)
    assert ("collapse", "story") not in COLLAPSED.hidden  # the form's checkbox sends it


@pytest.mark.parametrize(
    ("view", "noun"),
    [
        (VIEW, "articles"),
        (COLLAPSED, "stories"),  # the total counts stories then
        (build_search_view(SearchRequest(collapse=True), replace(PAGE, total=1)), "story"),
    ],
)
def test_the_summary_counts_articles_or_stories(view: SearchView, noun: str) -> None:
    assert view.noun == noun


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (REQUEST, "“massoud”; agency: Anadolu Agency; person: Ahmad Massoud; from 2021-09-01"),
        (SearchRequest(), None),
        (SearchRequest(q='"unterminated'), None),  # a bad query is reported, not interpreted
    ],
)
def test_interpret(request_: SearchRequest, expected: str | None) -> None:
    assert interpret(request_) == expected
