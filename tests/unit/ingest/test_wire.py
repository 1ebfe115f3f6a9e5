"""Wire lines: datelines, agency leads, bylines, credit trailers and translator notes."""

from __future__ import annotations

from datetime import date

import pytest

from app.ingest.agencies import AGENCIES, find_agency
from app.ingest.record import Agency, Translator
from app.ingest.wire import (
    Credits,
    extract_agency_lead,
    extract_agency_place_author,
    extract_byline,
    extract_credit_trailer,
    extract_dateline,
    extract_translator,
    split_glued_byline,
)

AP = Agency("AP", "Associated Press")
REQUIRED_AGENCIES = (
    *("AP", "Reuters", "AFP", "AA", "dpa", "EFE", "ANSA", "Xinhua", "Kyodo", "Yonhap", "TASS"),
    *("RIA", "PTI", "ANI", "IANS", "UNI", "Bernama", "Antara", "PA", "CP", "AAP", "UPI"),
    *("Bloomberg", "IRNA", "WAFA", "MENA", "KUNA", "Belga", "APA", "SDA", "CTK", "PAP"),
)
REUTERS = Agency("Reuters", "Reuters")
AFP = Agency("AFP", "Agence France-Presse")


@pytest.mark.parametrize(
    ("paragraph", "place", "region", "agency", "when", "rest"),
    [
        (
            "KABUL, Afghanistan (AP) — The Taliban named a caretaker cabinet.",
            "KABUL",
            "Afghanistan",
            "AP",
            None,
            "The Taliban named a caretaker cabinet.",
        ),
        # Reuters writes the month abbreviated without a dot and no year
        (
            "KABUL, Sept 5 (Reuters) - Taliban fighters pushed into Panjshir.",
            "KABUL",
            None,
            "Reuters",
            (9, 5),
            "Taliban fighters pushed into Panjshir.",
        ),
        (
            "Kabul (AFP) - Gunfire echoed across the city.",
            "Kabul",
            None,
            "AFP",
            None,
            "Gunfire echoed across the city.",
        ),
        (
            "SEOUL, Sept. 5 (Yonhap) -- North Korea fired two missiles.",
            "SEOUL",
            None,
            "Yonhap",
            (9, 5),
            "North Korea fired two missiles.",
        ),
        # PTI puts no dash after the agency
        (
            "New Delhi, Sep 5 (PTI) The Centre extended the scheme.",
            "New Delhi",
            None,
            "PTI",
            (9, 5),
            "The Centre extended the scheme.",
        ),
        (
            "ANKARA (AA) - Turkey's central bank held rates.",
            "ANKARA",
            None,
            "AA",
            None,
            "Turkey's central bank held rates.",
        ),
        # Reuters-21578 (1987): no agency, a date and a dash
        (
            "SALVADOR, Feb 26 - Showers continued throughout the week.",
            "SALVADOR",
            None,
            None,
            (2, 26),
            "Showers continued throughout the week.",
        ),
        # US style: a state abbreviation for region
        (
            "SPRINGFIELD, Ill. (AP) - Lawmakers passed the budget.",
            "SPRINGFIELD",
            "Ill.",
            "AP",
            None,
            "Lawmakers passed the budget.",
        ),
        # CoNLL-2003: the dateline is a line of its own with an ISO date
        ("LONDON 1996-08-30", "LONDON", None, None, date(1996, 8, 30), ""),
        # TimeBank AP copy ends the dateline with an underscore
        (
            "CAGUAS, Puerto Rico (AP)_ Kidnappers kept their promise.",
            "CAGUAS",
            "Puerto Rico",
            "AP",
            None,
            "Kidnappers kept their promise.",
        ),
        # UPI: region and date together
        (
            "HEMPSTEAD, N.Y., Sept. 26 (UPI) — Jill Stein was escorted away.",
            "HEMPSTEAD",
            "N.Y.",
            "UPI",
            (9, 26),
            "Jill Stein was escorted away.",
        ),
        # AFP at Breitbart: region in parentheses
        (
            "Nagpur (India) (AFP) – Mohammad Nabi hit a brisk fifty.",
            "Nagpur",
            "India",
            "AFP",
            None,
            "Mohammad Nabi hit a brisk fifty.",
        ),
        # TempEval-3 silver: full date with a spaced comma, then the agency
        (
            "KUALA LUMPUR, April 1 , 1997 (AFP) - Shares dipped.",
            "KUALA LUMPUR",
            None,
            "AFP",
            date(1997, 4, 1),
            "Shares dipped.",
        ),
        (
            "AMSTERDAM, 2 March - The Dutch Central Bank accepted bids.",
            "AMSTERDAM",
            None,
            None,
            (3, 2),
            "The Dutch Central Bank accepted bids.",
        ),
        (
            "LOS ANGELES/PHILADELPHIA (Reuters) - Two studios merged.",
            "LOS ANGELES/PHILADELPHIA",
            None,
            "Reuters",
            None,
            "Two studios merged.",
        ),
    ],
)
def test_extract_dateline(
    paragraph: str,
    place: str,
    region: str | None,
    agency: str | None,
    when: tuple[int, int] | date | None,
    rest: str,
) -> None:
    found = extract_dateline(paragraph)
    assert found is not None
    assert (found.place, found.region, found.rest) == (place, region, rest)
    assert (found.agency.code if found.agency else None) == agency
    assert (found.date if isinstance(when, date) else found.month_day) == when


@pytest.mark.parametrize(
    "paragraph",
    [
        "The Taliban have yet to respond to the message released earlier in the evening.",
        "Local media reported that the same Taliban also took control of Rukha district.",
        # an unknown tag in parentheses is not an agency
        "SPACE.com (SPACE.com) - A second team of rocketeers announced a launch date.",
        "On Sunday (local time) - officials said - nothing moved.",
        # a place alone with nothing after it is not a dateline
        "WASHINGTON",
    ],
)
def test_story_text_is_no_dateline(paragraph: str) -> None:
    assert extract_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("paragraph", "agency", "rest"),
    [
        (
            "AP - A company founded by a chemistry researcher won a grant.",
            "AP",
            "A company founded by a chemistry researcher won a grant.",
        ),
        ("Reuters - Oil prices rose on Monday.", "Reuters", "Oil prices rose on Monday."),
        (
            "AFP - The French president met his counterpart.",
            "AFP",
            "The French president met his counterpart.",
        ),
        ("The Associated Press — Voters lined up early.", "AP", "Voters lined up early."),
    ],
)
def test_extract_agency_lead(paragraph: str, agency: str, rest: str) -> None:
    found = extract_agency_lead(paragraph)
    assert found is not None
    assert (found[0].code, found[1]) == (agency, rest)


@pytest.mark.parametrize(
    ("signature", "code"),
    [
        ("(AP)", "AP"),
        ("AP -", "AP"),
        ("Reuters", "Reuters"),
        ("Reuter", "Reuters"),
        ("AA", "AA"),
        ("Anadolu Agency", "AA"),
        ("Agence France-Presse", "AFP"),
        ("dpa", "dpa"),
        ("ITAR-TASS", "TASS"),
        ("The Canadian Press", "CP"),
        ("Press Trust of India", "PTI"),
        ("ČTK", "CTK"),
    ],
)
def test_every_signature_normalises_to_one_agency(signature: str, code: str) -> None:
    agency = find_agency(signature)
    assert agency is not None
    assert agency.code == code


def test_agency_table_is_large_and_unambiguous() -> None:
    codes = [info.code for info in AGENCIES]
    assert len(codes) >= 30
    assert len(set(codes)) == len(codes)
    assert set(REQUIRED_AGENCIES) <= set(codes)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", Credits(("Jane Doe",))),
        ("By Jane Doe and John Roe", Credits(("Jane Doe", "John Roe"))),
        ("By Jane Doe, John Roe and Ann Poe", Credits(("Jane Doe", "John Roe", "Ann Poe"))),
        ("By Janie Gabbett, Reuters", Credits(("Janie Gabbett",), agency=REUTERS)),
        # Reuters-21578 writes some bylines in capitals
        ("BY TED D'AFFLISIO, Reuters", Credits(("Ted D'Afflisio",), agency=REUTERS)),
        ("Jane Arraf, Reuters", Credits(("Jane Arraf",), agency=REUTERS)),
        ("By Jane Arraf | Reuters", Credits(("Jane Arraf",), agency=REUTERS)),
        # a page byline that carries the date
        ("By Jane Doe | Sept. 5, 2021", Credits(("Jane Doe",), published=date(2021, 9, 5))),
        (
            "By Jane Doe, AFP, 2021-09-05",
            Credits(("Jane Doe",), agency=AFP, published=date(2021, 9, 5)),
        ),
        # AP's header byline names the writer's title too
        ("By HILARIO DE LEON Associated Press Writer", Credits(("Hilario De Leon",), agency=AP)),
        (
            "By Richard Gibson Staff Reporter of The Wall Street Journal",
            Credits(("Richard Gibson",)),
        ),
        ("The Taliban have yet to respond.", None),
        ("By the end of the day, the valley had fallen.", None),
    ],
)
def test_extract_byline(line: str, expected: Credits | None) -> None:
    assert extract_byline(line) == expected


@pytest.mark.parametrize(
    ("line", "byline", "dateline"),
    [
        (
            "By Kathy Gannon KABUL, Afghanistan (AP) — The Taliban named a government.",
            "By Kathy Gannon",
            "KABUL, Afghanistan (AP) — The Taliban named a government.",
        ),
        (
            "By HILARIO DE LEON Associated Press Writer MANILA, Philippines (AP) — Rain fell.",
            "By HILARIO DE LEON Associated Press Writer",
            "MANILA, Philippines (AP) — Rain fell.",
        ),
        (
            "By Jane Doe, Reuters LONDON, Sept 5 (Reuters) - Shares fell on Monday.",
            "By Jane Doe, Reuters",
            "LONDON, Sept 5 (Reuters) - Shares fell on Monday.",
        ),
        # scraped pages join the byline's element and the story's with no space
        (
            "By Rahim Faiez and Kathy GannonKABUL, Afghanistan (AP) — The Taliban said.",
            "By Rahim Faiez and Kathy Gannon",
            "KABUL, Afghanistan (AP) — The Taliban said.",
        ),
        (
            "Kathy GannonKABUL, Afghanistan (AP) — The Taliban said.",
            "Kathy Gannon",
            "KABUL, Afghanistan (AP) — The Taliban said.",
        ),
    ],
)
def test_a_byline_glued_to_the_dateline_is_split_from_it(
    line: str, byline: str, dateline: str
) -> None:
    assert split_glued_byline(line) == (byline, dateline)


@pytest.mark.parametrize(
    "line",
    [
        "By Kathy Gannon",
        "KABUL, Afghanistan (AP) — The Taliban named a government.",
        "By the end of the day KABUL, Afghanistan (AP) — had fallen.",
        # a name before a dateline with a space is story text, not a byline
        "President Obama WASHINGTON (AP) — said talks resumed.",
        # a byline before a line that is no dateline (no agency, no date)
        "By Kathy Gannon Kabul fell to the Taliban on Sunday.",
        "The Taliban said on Sunday that talks with the resistance had failed.",
    ],
)
def test_a_line_without_a_byline_glued_to_a_dateline_stays_whole(line: str) -> None:
    assert split_glued_byline(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "(Reporting by Jane Doe in Kabul; Additional reporting by Al Roe; Editing by Ann Poe)",
            Credits(("Jane Doe", "Al Roe"), ("Ann Poe",)),
        ),
        (
            "(Writing by Jane Doe; Editing by John Roe and Ann Poe)",
            Credits(("Jane Doe",), ("John Roe", "Ann Poe")),
        ),
        ("Compiled by Jane Doe", Credits(("Jane Doe",))),
        # a page's credits run together on one line
        ("Story by Jane Doe Video produced by John Roe", Credits(("Jane Doe",))),
        ("(Reporting by Jane Doe, editing by John Roe)", Credits(("Jane Doe",), ("John Roe",))),
        ("(Reuters)", None),
    ],
)
def test_extract_credit_trailer(line: str, expected: Credits | None) -> None:
    assert extract_credit_trailer(line) == expected


def test_extract_agency_place_author() -> None:
    assert extract_agency_place_author("AA / Kabul, Afghanistan / Shafiq Ahmad") == (
        Agency("AA", "Anadolu Agency"),
        "Kabul",
        "Afghanistan",
        ("Shafiq Ahmad",),
    )
    assert extract_agency_place_author("Home / World / Asia") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("* Translated from English by Mourad Belhaj", Translator("Mourad Belhaj", "en")),
        ("Translated by Jane Doe", Translator("Jane Doe", None)),
        ("Translated by Jane Doe from the Turkish", Translator("Jane Doe", "tr")),
        ("Traduit de l'anglais par Claire Dupont", Translator("Claire Dupont", "en")),
        ("Traduit de l’arabe par Karim Haddad", Translator("Karim Haddad", "ar")),
        ("Traducido del inglés por María López", Translator("María López", "en")),
        ("Aus dem Englischen übersetzt von Jonas Weber", Translator("Jonas Weber", "en")),
        ("Tradotto dall'inglese da Giulia Rossi", Translator("Giulia Rossi", "en")),
        ("Traduzido do inglês por João Silva", Translator("João Silva", "en")),
        ("The translated text was published by the ministry.", None),
    ],
)
def test_extract_translator(line: str, expected: Translator | None) -> None:
    assert extract_translator(line) == expected
