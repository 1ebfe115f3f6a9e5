"""Snippets: the densest window, matched words marked, everything else escaped."""

from __future__ import annotations

import pytest

from app.search.snippets import make_snippet

SEED = (
    "The leader of an Afghan group that is resisting Taliban control in the northeast of the "
    "Panshir valley on Sunday expressed his willingness to end the fighting and find a solution "
    "to the conflict through dialogue. This proposal was made by Ahmad Massoud, leader of the "
    "resistance group in Panshir, where the Taliban launched an offensive shortly after the "
    "departure of US forces on August 31, after 20 years of presence in Afghanistan."
)


def _words(*wanted: str) -> object:
    return lambda word: word.lower() in wanted


@pytest.mark.parametrize(
    ("text", "wanted", "snippet"),
    [
        (
            "Talks <b>in</b> Panshir",
            ("panshir",),
            "Talks &lt;b&gt;in&lt;/b&gt; <mark>Panshir</mark>",
        ),
        ("Fahim & Dashti", ("dashti",), "Fahim &amp; <mark>Dashti</mark>"),
        (
            "Taliban, Taliban's fighters",
            ("taliban",),
            "<mark>Taliban</mark>, <mark>Taliban</mark>'s fighters",
        ),
        ("No match here", ("kabul",), "No match here"),  # the start of the text
        (
            "Talibans and Taliban",
            ("taliban",),
            "Talibans and <mark>Taliban</mark>",
        ),  # whole words only
    ],
)
def test_short_texts(text: str, wanted: tuple[str, ...], snippet: str) -> None:
    assert make_snippet(text, _words(*wanted)) == snippet  # type: ignore[arg-type]


def test_the_window_moves_to_where_the_matches_are() -> None:
    snippet = make_snippet(SEED, _words("massoud", "resistance"))  # type: ignore[arg-type]
    assert snippet.startswith("… ")
    assert "<mark>Massoud</mark>, leader of the <mark>resistance</mark> group" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 250


def test_a_long_text_without_matches_shows_its_start() -> None:
    snippet = make_snippet(SEED, _words("kabul"))  # type: ignore[arg-type]
    assert snippet.startswith("The leader of an Afghan group")
    assert snippet.endswith(" …")
