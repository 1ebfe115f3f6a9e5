"""Language detection with py3langid: ISO 639-1 codes, None when there is too little text."""

from __future__ import annotations

import pytest

from app.ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Taliban have yet to respond to the message released earlier in the evening.", "en"),
        ("Les talibans n'ont pas encore répondu au message publié plus tôt dans la soirée.", "fr"),
        (
            "Los talibanes aún no han respondido al mensaje publicado a primera hora de la noche.",
            "es",
        ),
        (
            "Die Taliban haben auf die am Abend veröffentlichte Botschaft noch nicht reagiert.",
            "de",
        ),
        ("I talebani non hanno ancora risposto al messaggio diffuso in serata.", "it"),
        ("Taliban, akşam saatlerinde yayınlanan mesaja henüz yanıt vermedi.", "tr"),
        ("12 345 — 6,78", None),
        ("", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected
