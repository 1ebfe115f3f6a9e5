"""End-to-end acceptance: the seed article (Anadolu copy scraped from a web page)."""

from __future__ import annotations

from typing import Any

import pytest

from app.ingest.pipeline import extract_article
from app.ingest.record import Agency, ArticleRecord, Translator
from bench.corpora import seed_article_path

SEED = seed_article_path()
TITLE = "Afghanistan: Ahmed Massoud proposes talks to the Taliban to end the conflict in Panshir"
SUBHEADING = "The spokesperson for the Panshir resistance group allegedly killed by the Taliban"


@pytest.fixture(scope="module")
def seed() -> ArticleRecord:
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED} (set NEWSARCHIVE_SHARED_DIR)")
    return extract_article(SEED.read_bytes())


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", TITLE),
        # glued to a truncated teaser of the headline on the first line
        ("section", "World"),
        ("agency", Agency("AA", "Anadolu Agency")),
        # from the `AA / Kabul, Afghanistan / Shafiq Ahmad` credit line
        ("authors", ("Shafiq Ahmad",)),
        ("translator", Translator("Mourad Belhaj", "en")),
        ("subheadings", (SUBHEADING,)),
        ("language", "en"),
        # the text gives no year, so no date is invented
        ("published_at", None),
        ("issues", ()),
    ],
)
def test_seed_field(seed: ArticleRecord, field: str, expected: Any) -> None:
    assert getattr(seed, field) == expected


def test_seed_dateline_is_geocoded_kabul(seed: ArticleRecord) -> None:
    assert seed.dateline is not None
    assert (seed.dateline.place, seed.dateline.country, seed.dateline.country_code) == (
        "Kabul",
        "Afghanistan",
        "AF",
    )
    assert seed.dateline.lat == pytest.approx(34.53, abs=0.01)
    assert seed.dateline.lon == pytest.approx(69.17, abs=0.01)


@pytest.mark.parametrize(
    "junk",
    [
        "Most Viewed",
        ". . (HAS), ..",
        "WorldAfghanistan",
        "AA / Kabul",
        "Translated from English",
        "Shafiq Ahmad",
    ],
)
def test_seed_body_has_no_page_junk(seed: ArticleRecord, junk: str) -> None:
    assert junk not in seed.body
    assert junk in seed.raw


def test_seed_body_keeps_story_and_subheading_in_order(seed: ArticleRecord) -> None:
    paragraphs = seed.body.split("\n\n")
    assert paragraphs[0].startswith("The leader of an Afghan group that is resisting")
    assert paragraphs[-1].endswith("kilometers north of the capital Kabul.")
    # the subheading stays in the body as its own paragraph, without its dash
    assert paragraphs[paragraphs.index(SUBHEADING) + 1].startswith("Fahim Dashti, spokesman")
    assert len(paragraphs) == 14
