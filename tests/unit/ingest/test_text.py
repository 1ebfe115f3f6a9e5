"""Text clean-up: paragraphs, page junk, crumbs, glued teasers, non-news detection."""

from __future__ import annotations

import pytest

from app.ingest.text import (
    describe_non_news,
    drop_link_blocks,
    is_junk_line,
    split_breadcrumbs,
    split_glued_teaser,
    split_paragraphs,
)


@pytest.mark.parametrize(
    "line",
    [
        "Most Viewed",
        "Most Viewed2550",
        ". . (HAS), ..",
        "Share on Facebook",
        "Facebook Twitter WhatsApp",
        "Related Articles",
        "Photo: Rescue workers evacuate residents by boat / AP",
        "© 2021 The Associated Press. All rights reserved.",
        "Copyright 2021 Example News",
        "Follow us on Twitter for the latest news",
        "Fighters patrol the valley. (AFP via Getty Images)",
        "(END)",
        "BC-Puerto Rico-Hostage Killed,0246",
        "* * *",  # a short line of more symbols than letters
    ],
)
def test_page_junk(line: str) -> None:
    assert is_junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The Taliban have yet to respond to the message released earlier in the evening.",
        "Related talks were held in Doha last month, officials said.",
        "Share prices fell 2% in early trading.",
        "– The spokesperson for the Panshir resistance group allegedly killed by the Taliban",
        "AA / Kabul, Afghanistan / Shafiq Ahmad",
        "=" * 45,  # symbols only count against a short line (a table rule in Reuters copy)
    ],
)
def test_story_lines_are_not_junk(line: str) -> None:
    assert not is_junk_line(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Home > World > Europe", ("Home", "World", "Europe")),
        ("News › Politics", ("News", "Politics")),
        ("Home | World | Asia", ("Home", "World", "Asia")),
        ("Markets > Stocks rose after the central bank cut its main rate by half a point", None),
        ("The Taliban took Bazarak.", None),
    ],
)
def test_split_breadcrumbs(line: str, expected: tuple[str, ...] | None) -> None:
    assert split_breadcrumbs(line) == expected


@pytest.mark.parametrize(
    ("line", "headline", "expected"),
    [
        (
            "WorldAfghanistan: Ahmed Massoud proposes talks to the Taliban to end the...",
            "Afghanistan: Ahmed Massoud proposes talks to the Taliban to end the conflict",
            "World",
        ),
        # a teaser with no section glued to it is still a teaser
        (
            "Turkish exports hit record high in…",
            "Turkish exports hit record high in August",
            "",
        ),
        ("World", "Afghanistan: Ahmed Massoud proposes talks", None),
        # not truncated: a different line, not a teaser
        ("Turkish exports hit record high", "Turkish exports hit record high in August", None),
    ],
)
def test_split_glued_teaser(line: str, headline: str, expected: str | None) -> None:
    assert split_glued_teaser(line, headline) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # blank-line paragraphs, one a line
        (
            "Title\n\nFirst paragraph.\n\nSecond paragraph.",
            ("Title", "First paragraph.", "Second paragraph."),
        ),
        # one paragraph a line with no blank lines between them
        (
            "Title\nBy Jane Doe\nKABUL (AP) — A long first paragraph.",
            ("Title", "By Jane Doe", "KABUL (AP) — A long first paragraph."),
        ),
        # Reuters-21578: hard-wrapped at 70 columns, paragraphs indented
        (
            "SALVADOR, Feb 26 - Showers continued throughout the week in\n"
            "the Bahia cocoa zone, alleviating the drought since early\n"
            "January, Comissaria Smith said in its weekly review.\n"
            "    The dry period means the temporao will be late this year.",
            (
                "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia cocoa zone, "
                "alleviating the drought since early January, Comissaria Smith said in its "
                "weekly review.",
                "The dry period means the temporao will be late this year.",
            ),
        ),
        ("Windows\r\nline\u00a0endings", ("Windows", "line endings")),
        # any run of spaces becomes one space; a lone one stays as it is
        ("A  tab\there, \u2003 and  \u00a0 more\u3000end", ("A tab here, and more end",)),
    ],
)
def test_split_paragraphs(text: str, expected: tuple[str, ...]) -> None:
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # prose with commas in every line is no CSV
        "Kabul, Sunday.\n\nThe Taliban, who took power, said so.\n\nAfghans, tired, waited.\n",
        "Markets; a note.\nShares rose; bonds fell.\nOil, gold and copper were flat.\n",
    ],
)
def test_prose_is_news_text(text: str) -> None:
    assert describe_non_news(text) is None


STORY = "Heavy rain flooded towns across central Europe on Sunday, officials said."


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # the seed article's tail: a block of most-viewed headlines after the story
        ((STORY, "Most Viewed", "Taliban take Bazarak", "Gold steadies"), (STORY,)),
        ((STORY, "Related:", "Rivers burst banks", STORY), (STORY, STORY)),
        # a prose paragraph ends the block
        ((STORY, "Read more", STORY), (STORY, STORY)),
        # above the story a block cannot be told from the headline: only its header goes
        (("Trending", "Floods hit central Europe", STORY), ("Floods hit central Europe", STORY)),
    ],
)
def test_drop_link_blocks(lines: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert drop_link_blocks(lines) == expected


def test_statements_are_source_code() -> None:
    # a `;` closing a line with an `=` or a parenthesis before it, even with spaces after it
    text = "total(a, b);\nprint (total);\nresult == expected ;  \nThe end.\n"
    assert describe_non_news(text) == "the input looks like source code, not news text"
