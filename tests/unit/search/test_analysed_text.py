"""Text analysed ahead (`analyse_text`) is exactly what the schema's own analyzer indexes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.fields import FieldType

from app.search.whoosh_schema import (
    GAP,
    SCHEMA,
    SEPARATOR,
    AnalysedField,
    AnalysedText,
    Posting,
    analyse_text,
)

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
TEXTS = sorted(p for p in ARTICLES.iterdir() if p.suffix == ".txt")


def whoosh_analysed(name: str, text: str) -> AnalysedField:
    """The field as Whoosh itself analyses it: postings by `index`, words by `spellable_words`."""
    field = SCHEMA[name]
    return AnalysedField(len(text), tuple(field.index(text)), tuple(field.spellable_words(text)))


def assert_analysed_as_whoosh(title: str, body: str) -> None:
    expected = AnalysedText(whoosh_analysed("title", title), whoosh_analysed("body", body))
    assert analyse_text(title, body) == expected


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_a_gold_article_is_analysed_as_whoosh_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_analysed_as_whoosh(text.partition("\n")[0], text)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("", ""),
        # accents fold, case folds, and a possessive splits off its "s"
        ("Muttaqí's talks", "MUTTAQÍ met Muttaqi's envoy; Muttaqí's aides said talks went well."),
        # the gap word is dropped in any case, but keeps its position
        ("Saleh xgapx Amir", f"Amrullah Saleh{GAP}Amir Khan Muttaqi{GAP}XGAPX Zabihullah"),
        # numbers, decimals and dotted abbreviations stay one token
        ("U.S. GDP up 3.5 pct", "The U.S. economy grew 3.5 pct in 1987, after 2.1 pct in 1986."),
        # letters that fold to two (ß, æ, œ), Turkish dotted and dotless i, and a wildcard star
        ("İstanbul", "Straße, Æsir and cœur; Işık in İzmir; wild* cards and snake_case."),
        # stems repeat: one term, several positions, in order of first occurrence
        ("Rates", "Rates rose. Rating agencies rated rates; rating rose rates."),
    ],
)
def test_tricky_text_is_analysed_as_whoosh_does(title: str, body: str) -> None:
    assert_analysed_as_whoosh(title, body)


@given(st.text(alphabet=st.sampled_from("aeiouAÉíøßİı's .,-*_19\n") | st.characters(), max_size=80))
def test_any_text_is_analysed_as_whoosh_does(text: str) -> None:
    assert_analysed_as_whoosh(text, text)


def whoosh_values(name: str, value: str) -> list[Posting]:
    """What Whoosh's own indexing (tokenizer and format) makes of a values field."""
    return sorted(FieldType.index(SCHEMA[name], value))


@pytest.mark.parametrize(
    "values",
    [
        ("Ahmad Massoud", "Ahmed Massoud", "Amrullah Saleh"),
        ("Anadolu Agency", "aa"),
        ("Kabul", "Kabul", "Panjshir"),  # a value twice is one posting
        ("", "Kabul", ""),  # empty values are no values
        ("Muttaqí", "Işık", "Straße"),
        (),
    ],
)
def test_a_values_field_indexes_each_distinct_value_as_whoosh_does(values: tuple[str]) -> None:
    value = SEPARATOR.join(values)
    for name in ("person_key", "facet_place"):
        assert sorted(SCHEMA[name].index(value)) == whoosh_values(name, value)


# Lone surrogates are not text: every input path refuses them before anything is indexed.
TEXT = st.characters(blacklist_characters=SEPARATOR, blacklist_categories=("Cs",))


@given(st.lists(st.text(alphabet=TEXT), max_size=6))
def test_any_values_are_indexed_as_whoosh_does(values: list[str]) -> None:
    value = SEPARATOR.join(values)
    assert sorted(SCHEMA["facet_person"].index(value)) == whoosh_values("facet_person", value)
