"""Snippets keep `<mark>` and nothing else as markup."""

from __future__ import annotations

import pytest

from app.web.snippets import keep_only_marks


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            "… proposal was made by Ahmad <mark>Massoud</mark>, leader …",
            "… proposal was made by Ahmad <mark>Massoud</mark>, leader …",
        ),
        # Already escaped by the backend: entities pass through untouched, never doubled.
        (
            "the Beatles&#x27; record company, <mark>Apple</mark> Corps",
            "the Beatles&#x27; record company, <mark>Apple</mark> Corps",
        ),
        # A backend that forgot to escape still cannot inject a tag.
        (
            "Negotiators <img src=x onerror=alert(2)> met <mark>Kabul</mark>",
            "Negotiators &lt;img src=x onerror=alert(2)&gt; met <mark>Kabul</mark>",
        ),
        ("<mark onclick=x>talks</mark>", "&lt;mark onclick=x&gt;talks</mark>"),  # no attributes
    ],
)
def test_keep_only_marks(snippet: str, expected: str) -> None:
    assert str(keep_only_marks(snippet)) == expected
