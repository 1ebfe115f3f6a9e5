"""The article page's body blocks and metadata links, on the seed wire article."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from app.ingest.pipeline import extract_article
from app.services.articles import preview_record
from app.web.article_view import Block, body_blocks, metadata_fields


@pytest.mark.parametrize(
    ("body", "subheadings", "expected"),
    [
        (
            "Taliban launched an offensive.\n\nThe spokesperson was killed\n\nDashti died.",
            ("The spokesperson was killed",),
            [("paragraph", "Taliban launched an offensive."),
             ("subheading", "The spokesperson was killed"),
             ("paragraph", "Dashti died.")],
        ),
        # A subheading the body does not repeat still shows, ahead of the text.
        ("One paragraph.", ("Background",),
         [("subheading", "Background"), ("paragraph", "One paragraph.")]),
        ("First.\n\n\n\n  Second.  ", (), [("paragraph", "First."), ("paragraph", "Second.")]),
    ],
)  # fmt: skip
def test_body_blocks(
    body: str, subheadings: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    assert body_blocks(body, subheadings) == tuple(Block(k, t) for k, t in expected)


def test_metadata_links_each_value_to_its_search(seed_bytes: bytes) -> None:
    fields = metadata_fields(preview_record(extract_article(seed_bytes)))
    rows = {
        field.label: (
            [(link.text, parse_qsl(urlsplit(link.url).query)) for link in field.links],
            field.text,
        )
        for field in fields
    }
    assert rows == {
        "Section": ([("World", [("section", "World")])], None),
        "Agency": ([("Anadolu Agency (AA)", [("agency", "Anadolu Agency")])], None),
        "Dateline": ([("Kabul, Afghanistan", [("q", 'dateline:"Kabul"')])], None),
        "By": ([("Shafiq Ahmad", [("q", 'author:"Shafiq Ahmad"')])], None),
        "Translated by": ([("Mourad Belhaj", [("translator", "Mourad Belhaj")])], "from English"),
        "Language": ([("English", [("language", "en")])], None),
    }  # fmt: skip
