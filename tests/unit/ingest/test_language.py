"""Language detection with py3langid: ISO 639-1 codes, None when there is too little text."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import py3langid
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.language import SAMPLE_CHARS, detect_language, language_identifier

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TEXTS = sorted(p for p in ARTICLES.iterdir() if p.suffix == ".txt")

SENTENCES = [
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
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@cache
def stock_identifier() -> Any:
    """py3langid's own identifier, as it loads its model."""
    return py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE)


def assert_scored_as_py3langid(text: str) -> None:
    sample = text[:SAMPLE_CHARS]
    assert language_identifier().rank(sample) == stock_identifier().rank(sample)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_a_gold_article_scores_every_language_as_py3langid(path: Path) -> None:
    assert_scored_as_py3langid(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [text for text, _ in SENTENCES] + ["RAISES DIVIDEND TO 25 CTS"])
def test_a_sentence_scores_every_language_as_py3langid(text: str) -> None:
    # (an all-capitals headline is lower-cased before the walk)
    assert_scored_as_py3langid(text)


@settings(max_examples=50)
@given(st.text(alphabet=st.sampled_from("aeinrstATÉçşüß' .,\n") | st.characters(), max_size=120))
def test_any_text_scores_every_language_as_py3langid(text: str) -> None:
    assert_scored_as_py3langid(text)
