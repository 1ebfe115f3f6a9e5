"""`collapse=story`: one hit per story, the member the request's order puts first.

Collapsing is the last filter: the member is chosen among those the query,
filters and dates keep, in the request's order, over the whole result set
(before any page or cursor), so the total and the facets count stories.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.search.types import FacetCount, SearchPage
from tests.contract.conftest import titles
from tests.contract.corpus import (
    A380,
    A380_AFP,
    A380_REUTERS,
    DOHA,
    QATAR_CAPITAL,
    STORIES,
    corpus,
)

#: Articles that no collapsed list shows: every story but its first member.
REPEATS = sum(len(story) - 1 for story in STORIES)


def story_of(title: str) -> tuple[str, ...]:
    """The titles of the story an article belongs to (itself alone for most)."""
    return next((story for story in STORIES if title in story), (title,))


def first_of_each_story(ranked: list[str]) -> list[str]:
    """`ranked` without the articles whose story already came earlier."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for title in ranked:
        if story_of(title) not in seen:
            seen.add(story_of(title))
            kept.append(title)
    return kept


def counts(facets: tuple[FacetCount, ...]) -> dict[str, int]:
    return {facet.value: facet.count for facet in facets}


@pytest.mark.parametrize(
    ("q", "fields"),
    [
        ("", {}),  # equal scores: the first stored of each story
        ("", {"sort": "newest"}),
        ("", {"sort": "oldest"}),
        ("airbus", {}),
        ("flight", {"sort": "newest", "date_to": date(2007, 3, 19)}),
        ("lufthansa OR envoys", {"filters": {"agency": ("AFP",)}}),
        ("agency:reu*", {"sort": "oldest"}),  # a prefix of a whole value, matched per document
    ],
)
def test_a_collapsed_list_is_the_full_list_without_later_members_of_a_story(
    search: Callable[..., SearchPage], q: str, fields: dict[str, object]
) -> None:
    full = search(q, per_page=100, **fields)
    collapsed = search(q, per_page=100, collapse=True, **fields)
    assert titles(collapsed) == first_of_each_story(titles(full))
    assert collapsed.total == len(collapsed.hits)


@pytest.mark.parametrize(
    ("q", "fields", "shown"),
    [
        ("doha", {}, DOHA),  # the title match beats the same body
        ("qatar", {}, QATAR_CAPITAL),  # the only member that matches stands for its story
        ("lufthansa", {"sort": "newest"}, A380_AFP),
        ("lufthansa", {"sort": "oldest"}, A380),  # Reuters' is as old: the first stored leads
        ("lufthansa", {"filters": {"agency": ("Reuters",)}}, A380_REUTERS),
        ("lufthansa", {"date_from": date(2007, 3, 20)}, A380_AFP),
    ],
)
def test_each_story_is_shown_by_the_member_the_request_puts_first(
    search: Callable[..., SearchPage], q: str, fields: dict[str, object], shown: str
) -> None:
    page = search(q, collapse=True, **fields)
    assert [title for title in titles(page) if title in story_of(shown)] == [shown]


def test_the_total_and_the_facets_count_stories(search: Callable[..., SearchPage]) -> None:
    full, collapsed = search(""), search("", collapse=True)
    assert (full.total, collapsed.total) == (len(corpus()), len(corpus()) - REPEATS)
    assert counts(full.facets["month"])["2007-03"] == 3
    assert counts(collapsed.facets["month"])["2007-03"] == 1
    assert sum(counts(collapsed.facets["month"]).values()) == collapsed.total
    # The Wikinews original (no agency) shows the A380 story: its republishers count less.
    assert counts(full.facets["agency"])["Reuters"] == 2
    assert counts(collapsed.facets["agency"])["Reuters"] == 1


def test_without_collapse_every_member_is_listed(search: Callable[..., SearchPage]) -> None:
    page = search("lufthansa", sort="newest")
    assert titles(page) == [A380_AFP, A380_REUTERS, A380]  # same day: the higher id first


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_cursors_walk_a_collapsed_list_exactly_once(
    search: Callable[..., SearchPage], sort: str
) -> None:
    whole = [hit.id for hit in search("", sort=sort, per_page=100, collapse=True).hits]
    walked: list[int] = []
    page = search("", sort=sort, per_page=2, collapse=True)
    while True:
        walked += [hit.id for hit in page.hits]
        if page.next_cursor is None:
            break
        page = search("", sort=sort, per_page=2, collapse=True, after=page.next_cursor)
        assert page.total == len(whole)
    # A cursor past one member never brings back the others of its story.
    assert walked == whole


def test_pages_partition_a_collapsed_list(search: Callable[..., SearchPage]) -> None:
    whole = search("", per_page=100, collapse=True)
    paged = [search("", page=n, per_page=5, collapse=True) for n in range(1, 4)]
    assert [hit.id for page in paged for hit in page.hits] == [hit.id for hit in whole.hits]
    assert {page.total for page in paged} == {whole.total}
