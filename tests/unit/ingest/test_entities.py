"""extract_entities on the seed article, and the tagger's noise control on real sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ingest.entities import extract_entities, role_of
from app.ingest.record import ArticleRecord, PersonMention, Translator
from app.ingest.tagger import EntitySpan, find_entity_spans

# The seed article (Anadolu Agency) with headline first, byline/translator/junk lines removed.
SEED = Path(__file__).parents[2] / "fixtures" / "entities" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed() -> ArticleRecord:
    title, body = SEED.read_text(encoding="utf-8").split("\n\n", 1)
    record = ArticleRecord(
        raw="",
        title=title,
        body=body,
        authors=("Shafiq Ahmad",),
        translator=Translator("Mourad Belhaj", "en"),
    )
    return extract_entities(record)


def test_seed_people_are_the_nine_named_people(seed: ArticleRecord) -> None:
    assert [(p.name, p.aliases) for p in seed.people] == [
        ("Fahim Dashti", ()),
        ("Ahmad Massoud", ("Ahmed Massoud",)),  # headline spells him Ahmed
        ("Noor Rahman Akhlaqi", ()),
        ("Amir Khan Muttaqi", ()),
        ("Amrullah Saleh", ()),
        ("Ashraf Ghani", ()),  # only as "Ashraf Ghani’s administration"
        ("Bismillah Mohammadi", ()),
        ("Fahim Fetrat", ()),
        ("Zabihullah Mujahid", ()),
    ]


def test_seed_lone_surnames_count_as_mentions(seed: ArticleRecord) -> None:
    counts = {p.name: p.mentions for p in seed.people}
    assert counts["Fahim Dashti"] == 4  # "Dashti" three more times
    assert counts["Noor Rahman Akhlaqi"] == 2  # "Akhlaqi confirmed ..."


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Ahmad Massoud", "leader of the resistance group in Panshir"),
        ("Zabihullah Mujahid", "Taliban spokesman"),
        ("Amir Khan Muttaqi", "Taliban commander"),
        ("Fahim Dashti", "spokesman for the Panshir resistance group"),
        ("Amrullah Saleh", "first vice-president of Ashraf Ghani’s administration"),
        ("Bismillah Mohammadi", "defense minister"),  # "his defense minister"
        ("Fahim Fetrat", "journalist from the region"),
        ("Ashraf Ghani", None),
    ],
)
def test_seed_roles(seed: ArticleRecord, name: str, role: str | None) -> None:
    assert {p.name: p.role for p in seed.people}[name] == role


def test_seed_places_and_organizations(seed: ArticleRecord) -> None:
    assert [p.name for p in seed.places] == [
        "Panshir", "Afghanistan", "Bazarak", "Andarab", "Kabul", "Paryan", "Rukha", "US",
    ]  # fmt: skip
    assert (seed.organizations[0].name, seed.organizations[0].mentions) == ("Taliban", 14)
    assert {o.name for o in seed.organizations} == {
        "Taliban", "Facebook", "Jamiat-e-Islami", "ToloNews", "Twitter",
    }  # fmt: skip


def test_writers_are_not_people_in_the_article() -> None:
    record = ArticleRecord(
        raw="",
        body="Shafiq Ahmad reported that Ahmad Massoud spoke. Mourad Belhaj translated.",
        authors=("Shafiq Ahmad",),
        translator=Translator("Mourad Belhaj"),
    )
    assert extract_entities(record).people == (PersonMention("Ahmad Massoud"),)


def test_other_languages_keep_only_listed_places_and_organizations() -> None:
    # German capitalises every noun: "Das Kabinett" is no person
    record = ArticleRecord(
        raw="",
        body="Das Kabinett in Berlin billigte den Plan. Kabul wird von den Taliban kontrolliert.",
        language="de",
    )
    result = extract_entities(record)
    assert result.people == ()
    assert [p.name for p in result.places] == ["Berlin", "Kabul"]
    assert [o.name for o in result.organizations] == ["Taliban"]


def _labelled(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in find_entity_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # possessive dropped from the name
        (
            "first vice-president of Ashraf Ghani’s administration",
            [("Ashraf Ghani", "PER")],
        ),
        # the title is the role, not part of the name
        (
            "Mr. Lee Hsien Loong opened the terminal.",
            [("Lee Hsien Loong", "PER")],
        ),
        # sentence-initial common words and pronouns are not names
        ("He said the Taliban have yet to respond.", [("Taliban", "ORG")]),
        # places named by cue words are places, not people
        (
            "The Taliban have taken the district of Paryan, near Bazarak.",
            [("Taliban", "ORG"), ("Paryan", "LOC"), ("Bazarak", "LOC")],
        ),
        # an organisation title inside a capitalised run is cut off the name (MEANTIME)
        (
            "Apple CEO Steve Jobs unveiled the new product.",
            [("Apple", "ORG"), ("Steve Jobs", "PER")],
        ),
        # news agencies are organisations, never people
        (
            "Anadolu Agency and Reuters reported it.",
            [("Anadolu Agency", "ORG"), ("Reuters", "ORG")],
        ),
        # nationality words are neither people nor places
        ("Uzbek striker Igor Shkvyrin scored.", [("Igor Shkvyrin", "PER")]),
        # a lone surname is a person once the full name appears in the text
        (
            "Fahim Dashti was killed. Akhlaqi confirmed Dashti's death.",
            [("Fahim Dashti", "PER"), ("Dashti", "PER")],
        ),
        # a person-shaped name beside an organisation is a company (MEANTIME, Wikinews, CC BY)
        (
            "Last month, Northrop Grumman and EADS defeated Boeing to win a massive order.",
            [("Northrop Grumman", "ORG"), ("EADS", "ORG"), ("Boeing", "ORG")],
        ),
        # "Chicago-based" qualifies the company, it is no name part; Aeroflot is in no list
        (
            "The sale is the result of a deal begun between Aeroflot and Chicago-based Boeing.",
            [("Boeing", "ORG")],
        ),
        # a thing named after someone is not a person (MEANTIME)
        (
            "Boeing have unveiled their new 787 Dreamliner at their Everett Factory near Seattle.",
            [("Boeing", "ORG"), ("Seattle", "LOC")],
        ),
        # a lone unknown name is a person when it speaks (hand-written)
        ('"We will appeal the ruling," said Okonkwo.', [("Okonkwo", "PER")]),
        # results tables: a country in brackets, a scorer's minute (hand-written)
        (
            "Mkhize (South Africa) 71 74\nScorers: Vardanyan (12th), Okafor 67th.",
            [("Mkhize", "PER"), ("South Africa", "LOC"), ("Vardanyan", "PER"), ("Okafor", "PER")],
        ),
        # empty brackets are no cue, and no crash either (hand-written, once an IndexError)
        (
            "Scorers: Okafor ( ) 67th ), Vardanyan (12th).",
            [("Vardanyan", "PER")],
        ),
        # ALL-CAPS headlines reuse what the body says
        (
            "SOCCER - JAPAN BEAT SYRIA\nJapan beat Syria 2-1 on Friday.",
            [("JAPAN", "LOC"), ("SYRIA", "LOC"), ("Japan", "LOC"), ("Syria", "LOC")],
        ),
    ],
)
def test_find_entity_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert _labelled(text) == expected


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "This proposal was made by Ahmad Massoud, leader of the resistance group in Panshir, "
            "where the Taliban launched an offensive",
            "Ahmad Massoud",
            "leader of the resistance group in Panshir",
        ),
        # the appositive ends where the sentence's verb starts (MEANTIME, Wikinews)
        (
            "Scott Carson, president and CEO of Boeing Commercial Airplanes said, "
            "`` This has been a wonderful day",
            "Scott Carson",
            "president and CEO of Boeing Commercial Airplanes",
        ),
        # a title before the name, with the words that qualify it
        (
            "a large business forum that President Vladimir Putin had set up",
            "Vladimir Putin",
            "President",
        ),
        (
            "Boeing Commercial Airplanes CEO Scott Carson said",
            "Scott Carson",
            "Boeing Commercial Airplanes CEO",
        ),
        (
            "He met former defense minister Bismillah Mohammadi.",
            "Bismillah Mohammadi",
            "former defense minister",
        ),
        # the honorific says nothing; the abbreviated title keeps its full stops (hand-written)
        ("Finance Minister Mr. Ahmad Zahid said", "Ahmad Zahid", "Finance Minister"),
        ("Lt. Gen. Sami Sadat said", "Sami Sadat", "Lt. Gen."),
        # a full stop ends the sentence that held the role noun
        ("He met the minister. Zabihullah Mujahid said", "Zabihullah Mujahid", None),
        # a list of names is no appositive
        ("Amrullah Saleh, Ashraf Ghani and others fled.", "Amrullah Saleh", None),
    ],
)
def test_role_of(text: str, name: str, role: str | None) -> None:
    start = text.index(name)
    assert role_of(text, EntitySpan(start, start + len(name), "PER")) == role


# Words that steer the tagger into its rarer paths: titles, particles, connectors, ALL CAPS.
_WORDS = st.sampled_from(
    ["Mr.", "President", "Ahmad", "Massoud", "of", "and", "de", "Panshir", "TALIBAN", "'s",
     "said", ",", ".", "\n", "Boeing", "Wi-Fi", "A.", "the", "Chicago-based", "(", ")", '"', "1996"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_WORDS, max_size=30).map(" ".join)))
def test_any_text_gives_ordered_spans_inside_it(text: str) -> None:
    spans = find_entity_spans(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    people = extract_entities(ArticleRecord(raw=text, title=text, body=text)).people
    assert all(p.name and p.mentions >= 1 for p in people)
