"""Whole journeys through the pages in Chromium, as a reader would take them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.demo import HOSTILE_TITLE

pytestmark = pytest.mark.browser


def search(page: Page, base_url: str, query: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Search the archive").fill(query)
    page.get_by_label("Search the archive").press("Enter")


def total(page: Page) -> int:
    return int(page.locator(".summary strong").inner_text())


def test_search_shows_highlighted_snippets(page: Page, base_url: str) -> None:
    search(page, base_url, "airbus")
    expect(page).to_have_url(re.compile(r"/\?q=airbus"))
    expect(page.get_by_label("Search the archive")).to_have_value("airbus")
    expect(page.locator(".snippet mark").first).to_have_text(re.compile("airbus", re.I))
    expect(page.locator(".summary")).to_contain_text("matching “airbus”")
    assert page.locator(".hits > li").count() == min(total(page), 20)
    expect(page.locator("figure.timeline svg a").first).to_be_attached()


def test_a_facet_narrows_the_results_and_its_chip_undoes_it(page: Page, base_url: str) -> None:
    search(page, base_url, "apple")
    before, first_titles = total(page), page.locator(".hit h3").all_inner_texts()
    facet = page.locator(".facet").filter(has_text="Person").locator("a").first
    expected = int(facet.locator(".count").inner_text())
    facet.focus()
    assert facet.evaluate("link => getComputedStyle(link).outlineStyle") == "solid"  # visible focus
    page.keyboard.press("Enter")  # the facets work from the keyboard
    expect(page.locator(".chip")).to_have_count(1)
    assert total(page) == expected < before
    assert page.locator(".hit h3").all_inner_texts() != first_titles
    expect(page.locator(".facet a.selected")).to_have_count(1)
    page.locator(".chip").click()
    expect(page.locator(".chip")).to_have_count(0)
    assert total(page) == before


def test_paging_forward_and_back_keeps_the_search(page: Page, base_url: str) -> None:
    search(page, base_url, "apple")
    page.get_by_label("Sort by").select_option("oldest")  # submits at once with JavaScript
    expect(page).to_have_url(re.compile("sort=oldest"))
    first_page = page.locator(".hit h3").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"q=apple&sort=oldest&page=2"))
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
    assert set(page.locator(".hit h3").all_inner_texts()).isdisjoint(first_page)
    page.get_by_role("link", name="← Previous").click()
    expect(page.locator(".pagination [aria-current=page]")).to_have_text("1")
    assert page.locator(".hit h3").all_inner_texts() == first_page


def test_one_article_per_story_applies_at_once_and_stays_on(page: Page, base_url: str) -> None:
    search(page, base_url, "apple")
    page.get_by_label("One article per story").check()  # submits at once with JavaScript
    expect(page).to_have_url(re.compile(r"q=apple&.*collapse=story"))
    expect(page.locator(".summary")).to_contain_text("stories matching")
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"collapse=story&page=2"))
    expect(page.get_by_label("One article per story")).to_be_checked()
    page.get_by_label("One article per story").uncheck()
    expect(page).not_to_have_url(re.compile("collapse"))


def test_from_an_article_to_a_person_to_a_co_mentioned_person(page: Page, base_url: str) -> None:
    search(page, base_url, "panshir")
    page.locator(".hit h3 a").first.click()
    expect(page.locator("h1")).to_contain_text("Massoud")
    expect(page.locator(".metadata")).to_contain_text("Kabul, Afghanistan")
    person = page.locator(".entities").filter(has_text="People").locator("a").first
    name = person.inner_text()
    person.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("figure.timeline")).to_be_visible()
    other = page.locator(".co-mentioned a").first
    other_name = other.inner_text()
    other.click()
    expect(page.locator("h1")).to_have_text(other_name)
    expect(page.locator(".co-mentioned")).to_contain_text(name)


def test_did_you_mean_follows_the_suggestion(page: Page, base_url: str) -> None:
    search(page, base_url, "boieng")
    expect(page.locator(".empty")).to_be_visible()
    page.locator(".suggestion a").click()
    expect(page.get_by_label("Search the archive")).to_have_value("boeing")
    assert total(page) > 0


def test_the_form_works_without_javascript(page_without_js: Page, base_url: str) -> None:
    page = page_without_js
    page.goto(f"{base_url}/")
    page.get_by_label("Search the archive").fill("boeing")
    page.get_by_label("From").fill("2007-01-01")
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("button", name="Search").click()
    # The empty "to" box is dropped by a redirect to the clean, shareable URL.
    expect(page).to_have_url(f"{base_url}/?q=boeing&date_from=2007-01-01&sort=newest")
    expect(page.locator(".chip")).to_have_text(re.compile("from 2007-01-01"))
    dates = page.locator(".hit time").all_inner_texts()
    assert dates and dates == sorted(dates, reverse=True) and min(dates) >= "2007-01-01"


def test_markup_in_an_article_stays_inert_text(page: Page, base_url: str) -> None:
    # The `page` fixture fails the test if any dialog (alert) fires.
    search(page, base_url, "stalled")
    expect(page.locator(".hit h3").first).to_have_text(HOSTILE_TITLE)
    page.locator(".hit h3 a").first.click()
    expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)
    expect(page.locator(".body")).to_contain_text("<script>alert(3)</script>")
    expect(page.locator("main img")).to_have_count(0)
    page.goto(f"{base_url}/articles/1")
    expect(page.locator(".related")).to_contain_text(HOSTILE_TITLE)


def test_a_phone_gets_results_first_and_no_sideways_scrolling(
    phone_page: Page, base_url: str
) -> None:
    page = phone_page
    search(page, base_url, "airbus")
    expect(page.locator(".facets details")).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".facets summary").click()
    expect(page.locator(".facet").first).to_be_visible()
