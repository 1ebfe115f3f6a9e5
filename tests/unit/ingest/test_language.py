"""Language detection with py3langid: ISO 639-1 codes, None when there is too little text."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import py3langid
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.language import SAMPLE_CHARS, _memory, detect_language, language_identifier

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

WIRE_COPY = (
    "U.S. FIRST QUARTER GROWTH REVISED UP TO 2.1 PCT\n\n"
    "WASHINGTON, APRIL 23 - THE U.S. ECONOMY GREW AT A 2.1 PCT ANNUAL RATE IN THE FIRST "
    "QUARTER, REVISED UP FROM 1.8 PCT, THE COMMERCE DEPARTMENT SAID. REUTER"
)
LONG_ARTICLE = "\n\n".join(
    [
        "Grain exporters raise forecasts as harvest beats expectations",
        "CHICAGO, March 3 - Grain exporters raised their forecasts for the season on Tuesday "
        "after farmers in the Midwest brought in a harvest larger than any analyst had expected.",
        "Wheat futures fell 4 cents a bushel in early trading, while corn held steady, dealers "
        "said. Soybean prices slipped on news that Brazil would ship more than planned.",
        "The agriculture department said stocks at the end of the season would reach 1.2 billion "
        "bushels, up 15 pct from a year earlier, the highest level in six years.",
        "Shipping companies said they had chartered extra vessels for the Gulf ports, where "
        "loadings in February were the heaviest since 1981. Freight rates rose 3 pct.",
        "Exporters warned that a stronger dollar could slow sales to Asia later in the year, "
        "but said demand from Egypt, China and the Soviet Union remained firm for now.",
        "Traders expect the department to revise its estimates again in April, once planting "
        "intentions for the spring are known, and said prices could fall further by summer.",
        "Farm groups in Kansas and Nebraska welcomed the figures but said storage was running "
        "short, and asked the government to release more rail cars before the winter.",
        "The Canadian Wheat Board said separately that its own exports would rise 8 pct, "
        "helped by sales to Japan and Algeria, and that it saw no sign of a price war.",
    ]
)

# Real article-like text in many scripts, and the edges of the byte walk.
WALKED = {
    "empty": "",
    "one byte": "a",
    "one two-byte character": "é",
    "one three-byte character": "中",
    "one four-byte character": "𝄞",
    "blank lines": "\n\n \t\n",
    "figures": "12 345 — 6,78 (+0.4%) 1987/88",
    "all-caps wire copy": WIRE_COPY,
    "headline capitals over a body": "RAISES DIVIDEND TO 25 CTS\n\n" + SENTENCES[0][0],
    "a text longer than the sample": LONG_ARTICLE,
    "English": "The central bank left interest rates unchanged on Thursday, citing slower growth.",
    "French, decomposed accents": unicodedata.normalize(
        "NFD", "Le président a déclaré mercredi que le gouvernement présenterait un budget."
    ),
    "Polish": "Premier zapowiedział w środę, że rząd przedstawi nowy budżet w przyszłym miesiącu.",
    "Vietnamese": "Thủ tướng cho biết chính phủ sẽ trình ngân sách mới vào tháng tới.",
    "Arabic": "قال رئيس الوزراء إن الحكومة ستعلن خطة جديدة لدعم الاقتصاد الأسبوع المقبل.",
    "Hebrew": "ראש הממשלה אמר ביום רביעי כי הממשלה תציג תקציב חדש בחודש הבא.",
    "Chinese": "国务院总理周三在北京表示，政府将继续推进经济改革，扩大对外开放。",
    "Japanese": "政府は水曜日、新たな経済対策を発表した。総額は二十兆円に上る。",
    "Korean": "정부는 수요일 새로운 경제 대책을 발표했다고 밝혔다.",
    "Russian": "Президент заявил в среду, что правительство представит новый бюджет в мае.",
    "Ukrainian": "Уряд оголосив про нові заходи підтримки економіки після засідання у Києві.",
    "Greek": "Ο πρωθυπουργός δήλωσε την Τετάρτη ότι η κυβέρνηση θα παρουσιάσει νέο προϋπολογισμό.",
    "Hindi": "प्रधानमंत्री ने बुधवार को कहा कि सरकार अगले महीने नया बजट पेश करेगी।",
    "Thai": "นายกรัฐมนตรีกล่าวเมื่อวันพุธว่ารัฐบาลจะเสนองบประมาณใหม่ในเดือนหน้า",
    "scripts mixed, with emoji": "Markets rally 📈 in 東京 and Москва as the bank holds rates 🏦",
}


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@cache
def stock_identifier() -> Any:
    """py3langid's own identifier, as it loads its model."""
    return py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE)


def stock_visits(data: bytes) -> list[tuple[int, int]]:
    """py3langid's own walk: each feature met and how often, in the order it met them."""
    stock = stock_identifier()
    counts = py3langid.langid.visit_counts(stock.tk_nextmove, stock._rowbase, stock.tk_output, data)
    return list((counts or {}).items())


def fast_visits(data: bytes) -> list[tuple[int, int]]:
    features, counts = language_identifier().visits(data)
    return list(zip(features.tolist(), counts.tolist(), strict=True))


def assert_scored_as_py3langid(text: str | bytes) -> None:
    """The walk meets the same features as py3langid's, as often and in the same order, and
    the text is ranked and classified as py3langid does, to the bit."""
    sample = text[:SAMPLE_CHARS] if isinstance(text, str) else text
    data = stock_identifier()._encode(sample)  # (the bytes py3langid walks)
    assert fast_visits(data) == stock_visits(data)
    assert language_identifier().rank(sample) == stock_identifier().rank(sample)
    assert language_identifier().classify(sample) == stock_identifier().classify(sample)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_a_gold_article_scores_every_language_as_py3langid(path: Path) -> None:
    assert_scored_as_py3langid(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [text for text, _ in SENTENCES] + ["RAISES DIVIDEND TO 25 CTS"])
def test_a_sentence_scores_every_language_as_py3langid(text: str) -> None:
    # (an all-capitals headline is lower-cased before the walk)
    assert_scored_as_py3langid(text)


@pytest.mark.parametrize("text", WALKED.values(), ids=WALKED.keys())
def test_a_text_in_any_script_scores_every_language_as_py3langid(text: str) -> None:
    assert_scored_as_py3langid(text)


def test_the_sample_of_a_long_text_is_walked_as_py3langid_walks_it() -> None:
    assert len(LONG_ARTICLE) > SAMPLE_CHARS
    assert detect_language(LONG_ARTICLE) == "en"
    data = stock_identifier()._encode(LONG_ARTICLE[:SAMPLE_CHARS])
    assert fast_visits(data) == stock_visits(data)
    # and all of it, past the sample
    assert fast_visits(LONG_ARTICLE.encode()) == stock_visits(LONG_ARTICLE.encode())


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe caf\xe9 au lait, 50 cts",  # not UTF-8: walked as bytes
        "Zürich, 4. März".encode()[:-1] + "ä".encode()[:1],  # a character cut short
        b"\x00\x01 wire \x1b[0m control \x7f bytes \x00",
    ],
)
def test_bytes_score_every_language_as_py3langid(data: bytes) -> None:
    assert_scored_as_py3langid(data)


def test_the_models_state_depends_on_its_last_six_bytes() -> None:
    # (its deepest n-grams are six bytes long)
    assert language_identifier()._memory == 6


def test_a_dfa_that_remembers_its_whole_text_is_refused() -> None:
    # state 1 after an odd number of "a"s, 0 after an even number
    even, odd = np.zeros(256, dtype=np.uint32), np.ones(256, dtype=np.uint32)
    even[ord("a")], odd[ord("a")] = 1, 0
    with pytest.raises(ValueError, match="more than its last 16 bytes"):
        _memory(np.stack([even, odd]), np.array([0, 1], dtype=np.uint16))


def test_a_dfa_that_remembers_its_last_byte_has_a_memory_of_one() -> None:
    # state 1 + b after byte b, from any state: one row for all 257 states
    rows = np.arange(1, 257, dtype=np.uint32).reshape(1, 256)
    assert _memory(rows, np.zeros(257, dtype=np.uint16)) == 1


@settings(max_examples=50)
@given(st.text(alphabet=st.sampled_from("aeinrstATÉçşüß' .,\n") | st.characters(), max_size=120))
def test_any_text_scores_every_language_as_py3langid(text: str) -> None:
    assert_scored_as_py3langid(text)


@settings(max_examples=50)
@given(st.binary(max_size=120))
def test_any_bytes_are_walked_as_py3langid_walks_them(data: bytes) -> None:
    assert fast_visits(data) == stock_visits(data)
