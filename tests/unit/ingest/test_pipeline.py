"""The pipeline as a whole: pure steps over a frozen record, and never a crash."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.pipeline import STEPS, Step, build_record, extract_article, run_pipeline
from app.ingest.record import IngestError

STORY = (
    "Home > World\n\nFloods hit Vienna\n\nBy Jane Doe\n\n"
    "VIENNA, Sept 5 (Reuters) - Heavy rain flooded the city on Sunday, officials said.\n\n"
    "– Rescue teams on alert\n\nFire brigades carried out dozens of rescues.\n\n"
    "(Editing by John Roe)\n"
)
WIRE_WORDS = st.sampled_from(
    ["KABUL", "(AP)", "—", "-", "By", "Jane", "Doe", ",", "Sept", "5", "\n\n", "\n", "Reuters",
     "Translated", "from", "English", "by", "*", "(", ")", "/", "AA", "Most Viewed", "...", "the"]
)  # fmt: skip


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.__name__)
def test_every_step_is_pure(step: Step) -> None:
    record = run_pipeline(build_record(STORY), STEPS[: STEPS.index(step)])
    before = dataclasses.asdict(record)
    assert step(record) == step(record)
    assert dataclasses.asdict(record) == before


def test_each_step_consumes_what_it_recognises() -> None:
    record = extract_article(STORY)
    assert (record.section, record.title, record.authors, record.editors) == (
        "World",
        "Floods hit Vienna",
        ("Jane Doe",),
        ("John Roe",),
    )
    assert record.body.split("\n\n") == [
        "Heavy rain flooded the city on Sunday, officials said.",
        "Rescue teams on alert",
        "Fire brigades carried out dozens of rescues.",
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(WIRE_WORDS, st.text(min_size=1, max_size=12)), max_size=60))
def test_any_text_gives_a_record_or_an_ingest_error(words: list[str]) -> None:
    text = " ".join(words)
    try:
        record = extract_article(text)
    except IngestError:
        return
    assert record.raw == text
    assert record.title or record.body


@pytest.mark.parametrize(
    ("text", "title", "section"),
    [
        # a company whose name starts with a section word is no glued section
        ("WorldCom boss admits lying\n\nHe admitted lying.", "WorldCom boss admits lying", None),
        ("WorldAfghanistan: Talks held\n\nThey held talks.", "Afghanistan: Talks held", "World"),
        ("Home > Business\n\nShares rise\n\nShares rose on Monday.", "Shares rise", "Business"),
    ],
)  # fmt: skip
def test_section(text: str, title: str, section: str | None) -> None:
    record = extract_article(text)
    assert (record.title, record.section) == (title, section)


def test_a_run_of_dashed_lines_is_a_list_not_subheadings() -> None:
    text = (
        "Budget at a glance\n\nThe minister announced:\n\n- Duty cuts on capital goods\n\n"
        "- Raised income-tax threshold\n\n- Lower corporate tax\n\nMarkets rose.\n"
    )
    record = extract_article(text)
    assert record.subheadings == ()
    assert "- Duty cuts on capital goods" in record.body


@pytest.mark.parametrize(
    ("headline", "title", "agency"),
    [
        (
            "Ky. Company Wins Grant to Study Peptides (AP)",
            "Ky. Company Wins Grant to Study Peptides",
            "AP",
        ),
        ("Fed holds rates steady | Reuters", "Fed holds rates steady", "Reuters"),
        ("Oil climbs - Bloomberg", "Oil climbs", "Bloomberg"),
        # a dash inside the headline is no agency suffix
        (
            "Cricket - Leicestershire take over at top",
            "Cricket - Leicestershire take over at top",
            None,
        ),
        ("Iran - a year on (analysis)", "Iran - a year on (analysis)", None),
    ],
)
def test_agency_tag_leaves_the_headline(headline: str, title: str, agency: str | None) -> None:
    record = extract_article(f"{headline}\n\nShares rose on Monday in early trading, dealers said.")
    assert (record.title, record.agency.code if record.agency else None) == (title, agency)


@pytest.mark.parametrize(
    "text",
    [
        "By Kathy Gannon\n\nKABUL, Afghanistan (AP) — Talks resumed on Monday, officials said.",
        "By Kathy Gannon KABUL, Afghanistan (AP) — Talks resumed on Monday, officials said.",
    ],
)
def test_a_story_opening_with_its_byline_has_no_headline_and_keeps_its_author(
    text: str,
) -> None:
    record = extract_article(text)
    assert record.title is None
    assert record.authors == ("Kathy Gannon",)
    assert record.dateline is not None and record.dateline.place == "Kabul"
    assert record.body == "Talks resumed on Monday, officials said."
