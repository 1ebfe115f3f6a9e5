"""What comes back with the hits: facets, snippets, suggestions, ranking, related articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.search.backend import SearchBackend
from app.search.types import FACET_FIELDS, FacetCount, SearchPage
from tests.contract.conftest import titles
from tests.contract.corpus import A380, AIRBUS, DOHA, QATAR_CAPITAL, SCRIPT, SEED, SURRENDER


def test_facets_count_the_whole_result_set_most_frequent_first(
    search: Callable[..., SearchPage],
) -> None:
    page = search("saleh", per_page=1)
    assert len(page.hits) == 1
    assert page.facets["agency"] == (
        FacetCount("Anadolu Agency", 3),
        FacetCount("Agence France-Presse", 2),
        FacetCount("Reuters", 1),
    )
    assert page.facets["person"][0] == FacetCount("Amrullah Saleh", 6)
    assert page.facets["month"] == (FacetCount("2021-09", 5), FacetCount("2021-10", 1))
    assert page.facets["translator"] == (FacetCount("Mourad Belhaj", 1),)
    assert page.facets["language"] == (FacetCount("en", 6),)
    assert set(page.facets) == set(FACET_FIELDS)


def test_the_month_facet_counts_every_month_of_the_result_set(
    search: Callable[..., SearchPage],
) -> None:
    page = search("", per_page=1)
    # Other facets keep their top values; the timeline needs all months.
    assert sum(facet.count for facet in page.facets["month"]) == page.total
    assert len(page.facets["month"]) == len({facet.value for facet in page.facets["month"]})


def test_facets_of_people_hold_canonical_names_only(search: Callable[..., SearchPage]) -> None:
    people = {facet.value for facet in search('person:"Ahmed Massoud"').facets["person"]}
    assert "Ahmad Massoud" in people
    assert "Ahmed Massoud" not in people


def test_facets_follow_the_filters(search: Callable[..., SearchPage]) -> None:
    page = search("", filters={"section": ("Business",)})
    assert page.facets["section"] == (FacetCount("Business", 3),)
    assert page.facets["agency"] == ()


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("massoud", "<mark>Massoud</mark>"),
        ("negotiation", "<mark>negotiations</mark>"),  # the stem matches the surface word
        ("Muttaqí", "<mark>Muttaqi</mark>"),
        ("negotiat*", "<mark>negotiations</mark>"),
        ('"resistance group"', "<mark>resistance</mark> <mark>group</mark>"),
    ],
)
def test_snippets_mark_the_matched_words(
    search: Callable[..., SearchPage], query: str, marked: str
) -> None:
    snippet = search(query).hits[0].snippet
    assert marked in snippet


def test_snippets_escape_everything_but_the_marks(search: Callable[..., SearchPage]) -> None:
    snippet = search("checkpoints").hits[0].snippet
    assert "&lt;script&gt;alert('taliban')&lt;/script&gt;" in snippet
    assert "<mark>checkpoints</mark> &amp; roadblocks" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_negated_words_are_not_marked(search: Callable[..., SearchPage]) -> None:
    page = search("checkpoints -airbus")
    assert titles(page) == [SCRIPT]
    assert "<mark>Taliban</mark>" not in page.hits[0].snippet


def test_the_empty_query_shows_the_start_of_the_body(search: Callable[..., SearchPage]) -> None:
    hit = search("", filters={"translator": ("Mourad Belhaj",)}).hits[0]
    assert hit.snippet.startswith("The leader of an Afghan group that is resisting Taliban")
    assert "<mark>" not in hit.snippet


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("masood", "massoud"),
        ("talban", "taliban"),
        ("talban panshir", "taliban panshir"),  # the whole corrected query
        ("Amrulah Saleh", "Amrullah Saleh"),  # keeps the capital
        ("TALBAN", "TALIBAN"),
        ("taliban panshir", None),  # every word is known
        ("agency:AA", None),  # whole-value fields are not spelled
        ("negotiat*", None),
    ],
)
def test_suggestions_correct_misspelled_words(
    search: Callable[..., SearchPage], query: str, suggestion: str | None
) -> None:
    assert search(query).suggestion == suggestion


@pytest.mark.parametrize(
    ("query", "first", "second"),
    [
        ("doha", DOHA, QATAR_CAPITAL),  # the title match beats the same body
        ("peace talks", DOHA, QATAR_CAPITAL),  # adjacent words beat scattered ones
        ("maiden flight", A380, None),
        ("qatar", AIRBUS, QATAR_CAPITAL),  # title and body beat title alone
    ],
)
def test_ranking(
    search: Callable[..., SearchPage], query: str, first: str, second: str | None
) -> None:
    ranked = titles(search(query))
    assert ranked[0] == first
    if second is not None:
        assert ranked[1] == second
    scores = [hit.score for hit in search(query).hits]
    assert scores == sorted(scores, reverse=True)


def test_hits_carry_the_display_fields(search: Callable[..., SearchPage]) -> None:
    hit = search('"Ahmad Massoud"').hits[0]
    assert (hit.title, hit.agency, hit.dateline) == (SEED, "Anadolu Agency", "Kabul, Afghanistan")
    assert hit.people[:2] == ("Ahmad Massoud", "Amrullah Saleh")
    assert hit.published_at is not None and hit.published_at.date().isoformat() == "2021-09-05"
    assert hit.score > 0


def test_related_articles_share_people_and_words(
    backend: SearchBackend, search: Callable[..., SearchPage]
) -> None:
    seed = search('"Ahmad Massoud"').hits[0]
    related = backend.related(seed.id, 3)
    assert len(related) == 3
    assert seed.id not in {hit.id for hit in related}
    assert related[0].title == SURRENDER
    assert backend.related(seed.id, 0) == ()
    assert backend.related(10_000, 5) == ()
