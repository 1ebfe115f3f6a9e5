"""Wire-copy lines: datelines, agency leads, bylines, credit trailers and translator notes.

Each `extract_*` function reads one line (or the start of one paragraph) and returns
what it found, or None when the line is not of that kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.ingest.agencies import find_agency, is_signature
from app.ingest.dates import MONTH, match_date, parse_date
from app.ingest.record import Agency, Translator


@dataclass(frozen=True, slots=True)
class WireDateline:
    """A parsed dateline: `KABUL, Afghanistan, Sept. 5 (AP) — rest of the paragraph`."""

    place: str
    region: str | None
    agency: Agency | None
    date: date | None
    month_day: tuple[int, int] | None
    rest: str


@dataclass(frozen=True, slots=True)
class Credits:
    """People a credit line names, by role."""

    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    agency: Agency | None = None
    published: date | None = None


_UPPER_WORD = r"[A-Z][A-Z'’./\-]*(?![a-zà-ÿ])"
_TITLE_WORD = r"[A-Z][a-zà-ÿ'’\-]+\.?"
_PARTICLE = r"(?:de|da|del|do|dos|la|le|el|al|es|sur|upon|am|an|im)"
_UPPER_PLACE = rf"{_UPPER_WORD}(?:[ \-](?:{_UPPER_WORD}|{_PARTICLE.upper()})){{0,4}}"
_TITLE_PLACE = rf"{_TITLE_WORD}(?:[ \-](?:{_TITLE_WORD}|{_PARTICLE})){{0,3}}"
_NOT_DATE = rf"(?!(?i:{MONTH})\s*\d)"
_REGION = rf"{_NOT_DATE}[A-Z][A-Za-z.'’]*\.?(?:[ \-]{_NOT_DATE}[A-Z][A-Za-z.'’]*){{0,2}}"
_DATE = (
    rf"(?i:{MONTH})\s*\d{{1,2}}(?:\s*,?\s*\d{{4}})?"
    rf"|\d{{1,2}}\s+(?i:{MONTH})(?:\s+\d{{4}})?|\d{{4}}-\d\d-\d\d"
)
_DASH = r"(?:—|–|--|-|_|:)"
_DATELINE = re.compile(
    rf"^(?P<place>{_UPPER_PLACE}|{_TITLE_PLACE})"
    r"(?:\s*\((?P<paren_region>[A-Z][^()]{1,30})\)(?=\s*\()|\s*\[(?P<bracket_region>[A-Z][^\[\]]{1,30})\])?"
    rf"(?:\s*,\s*(?P<region>{_REGION}))?"
    rf"(?:\s*,?\s+(?P<date>{_DATE})\.?)?"
    r"\s*,?\s*(?:\((?P<agency>[^()]{2,40})\)|/(?P<slash_agency>[A-Z][^/]{1,30})/)?"
    rf"\.?\s*(?P<dash>{_DASH})?\s*(?P<rest>.*)$",
    re.DOTALL,
)
_AGENCY_LEAD = re.compile(
    rf"^\(?(?P<agency>[A-Za-z][\w.\- ]{{0,30}}?)\)?\s*{_DASH}\s+(?P<rest>\S.*)$"
)
_NAME_WORD = (
    r"(?:(?:Ma?c|O['’]|D['’]|d['’])?[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*|[A-Z]\."
    r"|(?:d['’])?[A-Z]{2,}(?:['’\-][A-Z]+)*)"
)
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|van|von|der|la|bin|al|ibn|di|da|le|y)){{1,4}}"
_IS_NAME = re.compile(rf"^{_NAME}$")
_NAME_SEPARATOR = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)", re.IGNORECASE)
_BYLINE = re.compile(r"^By\s+(?P<names>.+?)\s*$", re.IGNORECASE)
#: Where a byline may end and a dateline start: before a capital after a space, or between a
#: lower-case letter and capitals, which scraped pages join without one.
_BYLINE_END = re.compile(r"\s+(?=[A-Z])|(?<=[a-zà-ÿ])(?=[A-Z]{2})")
_GLUED_CAPITALS = re.compile(r"[a-zà-ÿ][A-Z]{2}")
_GLUED_BYLINE_CHARS = 120
_JOB_WORD = (
    r"(?:Associated Press|AP|PA|Reuters|AFP|Bloomberg|UPI|dpa|Staff|Senior|Chief|Political|Business"
    r"|Economics|Transport|Health|Science|Diplomatic|Sports?|Special|Foreign|White House|Legal"
    r"|Medical|Technology|Education|Environment|Energy|Religion|National|Investigative|Security"
    r"|Defen[cs]e|Markets?|Entertainment)"
)
_JOB_TITLES = ("Writer", "Correspondent", "Reporter", "Editor")
_WRITER_TITLE = re.compile(
    rf"(?:,\s*|\s+)(?:the\s+)?(?P<title>(?:{_JOB_WORD}\s+){{0,3}}"
    rf"(?:{'|'.join(_JOB_TITLES)})(?:\s+of\s+The\s+Wall\s+Street\s+Journal)?)\s*$"
)
# How a writer's title ends: searching a whole paragraph for one is costly, testing its end is not.
_WRITER_TITLE_ENDS = (*_JOB_TITLES, "Journal")
_JOB_AGENCY = re.compile(r"^(?:Associated Press|[A-Za-z]+)")
_NAME_AGENCY = re.compile(r"^(?P<name>[^,|/]{4,60}?)\s*[,|/]\s*(?P<agency>[A-Za-z][\w .\-]{1,40})$")
_BYLINE_DATE = re.compile(
    r"\s*[|,•·]\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{4}-\d\d-\d\d)$"
)
_AGENCY_PLACE_AUTHOR = re.compile(
    r"^(?P<agency>[^/]{2,40}?)\s*/\s*(?P<place>[^/]{2,60}?)\s*/\s*(?P<names>[^/]{4,120})$"
)
_TRAILER = re.compile(
    r"^\(\s*(?P<credits>(?:[A-Za-z ]+ by|Compiled by|Reporting by)\b.*?)\s*\)?\.?$"
)
_EMBEDDED_TRAILER = re.compile(
    r"\s*(?P<trailer>\((?:Additional\s+)?(?:Reporting|Writing|Editing)\s+by\s[^()]+\)\.?)\s*$"
)
_CREDIT_PART = re.compile(
    r"(?P<role>(?:Additional\s+)?reporting|Writing|Editing|Compiled|Compiling|Produced|Reported"
    r"|Story|Written)"
    r"\s+by\s+(?P<names>.+)",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(r"^(?P<credits>(?:Compiled|Writing|Written|Story) by .+?)\.?$")
# `…; Editing by`, `…, editing by`, and credits run together: `Story by Jane Doe Video produced by`
_CREDIT_SPLIT = re.compile(
    r"\s*;\s*|,\s*(?=(?:additional\s+)?[a-z]+ing\s+by\b)|\s+(?=[A-Z][a-z]+(?:\s+[a-z]+)?\s+by\b)"
)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w .\-]*$")
_FOLLOW = re.compile(
    rf"^[\"“]?Follow\s+(?P<name>{_NAME})\s+on\s+(?:Twitter|X|Facebook|Instagram)\b", re.IGNORECASE
)
# A contributor's closing note: `Jane Doe is director of …`, `Jane Doe, a former …`.
_BIO = re.compile(
    rf"^(?P<name>{_NAME})(?:\s+(?:is|was|edits|writes|reported\s+from)\s+|,\s+(?:an?|the|former)\s+)"
)
_SIGNOFF = re.compile(r"^[—–-]*\s*(?P<agency>[A-Za-z][\w .\-]{1,40}?)\s*\.?$")

_LANGUAGES = {
    "en": ("english", "anglais", "inglés", "ingles", "englischen", "inglese", "inglês"),
    "fr": ("french", "français", "francais", "francés", "französischen", "francese", "francês"),
    "es": ("spanish", "espagnol", "español", "spanischen", "spagnolo", "espanhol"),
    "de": ("german", "allemand", "alemán", "deutschen", "tedesco", "alemão"),
    "it": ("italian", "italien", "italiano", "italienischen"),
    "pt": ("portuguese", "portugais", "portugués", "portugiesischen", "portoghese", "português"),
    "ar": ("arabic", "arabe", "árabe", "arabischen", "arabo"),
    "tr": ("turkish", "turc", "turco", "türkischen"),
    "ru": ("russian", "russe", "ruso", "russischen", "russo"),
    "zh": ("chinese", "chinois", "chino", "chinesischen", "cinese"),
    "fa": ("persian", "farsi", "persan", "persa", "persischen", "persiano"),
}
_LANGUAGE_CODES = {name: code for code, names in _LANGUAGES.items() for name in names}
# How every translator's credit below starts: one test spares trying all nine on each line.
_TRANSLATOR_START = re.compile(r"(?:Tra|Aus|Übe)", re.IGNORECASE)
_TRANSLATOR = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^Translated\s+from\s+(?:the\s+)?(?P<lang>\w+)\s+by\s+(?P<name>.+)$",
        r"^Translated\s+by\s+(?P<name>.+?)(?:\s+from\s+(?:the\s+)?(?P<lang>\w+))?$",
        r"^Traduit\s+(?:de\s+l['’]|du\s+|de\s+)(?P<lang>\w+)\s+par\s+(?P<name>.+)$",
        r"^Traducido\s+del?\s+(?P<lang>\w+)\s+por\s+(?P<name>.+)$",
        r"^Traduzido\s+do\s+(?P<lang>\w+)\s+por\s+(?P<name>.+)$",
        r"^Aus\s+dem\s+(?P<lang>\w+)\s+übersetzt\s+von\s+(?P<name>.+)$",
        r"^Übersetzt\s+aus\s+dem\s+(?P<lang>\w+)\s+von\s+(?P<name>.+)$",
        r"^Tradott[oa]\s+dall['’]?\s*(?P<lang>\w+)\s+da\s+(?P<name>.+)$",
        r"^Traduzione\s+dall['’]?\s*(?P<lang>\w+)\s+(?:a\s+cura\s+)?di\s+(?P<name>.+)$",
    )
)


def clean_name(name: str) -> str:
    """A person's name as a byline gives it, tidied: `TED D'AFFLISIO` → `Ted D'Afflisio`."""
    name = " ".join(name.strip(" .,;:*").split())
    return name.title() if name.isupper() else name


def split_names(text: str) -> tuple[str, ...] | None:
    """`Jane Doe, John Roe and Ann Poe` → the three names; None if any part is not a name."""
    parts = [clean_name(p) for p in _NAME_SEPARATOR.split(text.strip(" .")) if p.strip()]
    if not parts or not all(_IS_NAME.match(p) for p in parts):
        return None
    return tuple(parts)


def extract_dateline(paragraph: str) -> WireDateline | None:
    """The dateline opening a paragraph, with the rest of the paragraph.

    >>> d = extract_dateline("KABUL, Afghanistan (AP) — The Taliban said…")
    >>> (d.place, d.region, d.agency.code, d.rest)
    ('KABUL', 'Afghanistan', 'AP', 'The Taliban said…')
    >>> extract_dateline("The Taliban said on Sunday - again - that…") is None
    True
    """
    found = _DATELINE.match(paragraph)
    if found is None:
        return None
    place, rest = found["place"], found["rest"].strip()
    tag = found["agency"] or found["slash_agency"]
    agency = find_agency(tag) if tag else None
    if tag and agency is None:
        return None
    full_date, month_day = None, None
    if found["date"]:
        full_date, month_day, read = match_date(found["date"].strip())
        if read != len(found["date"].strip()):
            return None
    dated = full_date is not None or month_day is not None
    upper = place.isupper() and len(place) > 2
    if find_agency(place) and not found["region"] and not dated:
        return None
    if not (agency or dated or (upper and found["dash"])):
        return None
    if not rest and full_date is None:
        return None
    if not agency and not found["dash"] and rest:
        return None
    region = found["region"] or found["paren_region"] or found["bracket_region"]
    return WireDateline(place, region and region.strip(), agency, full_date, month_day, rest)


def extract_agency_lead(paragraph: str) -> tuple[Agency, str] | None:
    """An agency opening a paragraph: `AP - A company founded…` → (AP, `A company founded…`)."""
    found = _AGENCY_LEAD.match(paragraph)
    if found is None:
        return None
    agency = find_agency(found["agency"])
    return (agency, found["rest"]) if agency else None


def extract_agency_place_author(
    line: str,
) -> tuple[Agency, str, str | None, tuple[str, ...]] | None:
    """Anadolu's credit line `AA / Kabul, Afghanistan / Shafiq Ahmad` → its four parts."""
    found = _AGENCY_PLACE_AUTHOR.match(line)
    if found is None:
        return None
    agency = find_agency(found["agency"])
    names = split_names(found["names"])
    if agency is None or names is None:
        return None
    place, _, region = found["place"].partition(",")
    return agency, place.strip(), region.strip() or None, names


def extract_byline(line: str) -> Credits | None:
    """`By Jane Doe and John Roe`, `By JANE DOE, Reuters`, `Jane Doe, Reuters` → the authors.

    >>> byline = extract_byline("By Janie Gabbett, Reuters")
    >>> byline.authors, byline.agency
    (('Janie Gabbett',), Agency(code='Reuters', name='Reuters'))
    """
    found = _BYLINE.match(line)
    text = found["names"] if found else line
    agency = None
    dated = _BYLINE_DATE.search(text) if found else None
    if dated:
        text = text[: dated.start()]
    job = _WRITER_TITLE.search(text) if text.rstrip().endswith(_WRITER_TITLE_ENDS) else None
    if job:
        text = text[: job.start()]
        prefix = _JOB_AGENCY.match(job["title"])
        agency = find_agency(prefix.group()) if prefix else None
    name_agency = _NAME_AGENCY.match(text)
    if name_agency and find_agency(name_agency["agency"]):
        text, agency = name_agency["name"], find_agency(name_agency["agency"])
        # `By keith grant, Reuters`: the agency credit vouches for a lower-case name
        text = text.title() if text.islower() else text
    elif not found and not job:
        return None
    names = split_names(text)
    published = parse_date(dated["date"]) if dated else None
    return Credits(authors=names, agency=agency, published=published) if names else None


def split_glued_byline(line: str) -> tuple[str, str] | None:
    """A byline with the dateline paragraph after it on one line, as two lines: `By Jane Doe
    KABUL (AP) —…`, or a bare name joined to the dateline with no space, as scraped pages
    join them (`Jane DoeKABUL (AP) —…`). The dateline must name an agency or a date.

    >>> split_glued_byline("By Kathy Gannon KABUL, Afghanistan (AP) — The Taliban said…")
    ('By Kathy Gannon', 'KABUL, Afghanistan (AP) — The Taliban said…')
    >>> split_glued_byline("Kathy GannonKABUL, Afghanistan (AP) — The Taliban said…")
    ('Kathy Gannon', 'KABUL, Afghanistan (AP) — The Taliban said…')
    >>> split_glued_byline("By Monday KABUL had fallen (AP) — the Taliban said") is None
    True
    """
    by = line[:3].lower() == "by "
    if not by and not _GLUED_CAPITALS.search(line, 0, _GLUED_BYLINE_CHARS):
        return None
    for found in _BYLINE_END.finditer(line, 0, _GLUED_BYLINE_CHARS):
        head, rest = line[: found.start()], line[found.end() :]
        if by:
            credits = extract_byline(head)
            if credits is None:
                continue
        elif found.group() or len(split_names(head) or ()) != 1:
            continue
        dateline = extract_dateline(rest)
        if dateline and dateline.rest and (dateline.agency or dateline.date or dateline.month_day):
            return head, rest
    return None


def extract_credit_trailer(line: str) -> Credits | None:
    """A Reuters-style trailer naming reporters and editors.

    >>> extract_credit_trailer("(Reporting by Jane Doe in Kabul; Editing by John Roe)")
    Credits(authors=('Jane Doe',), editors=('John Roe',), agency=None, published=None)
    """
    found = _TRAILER.match(line) or _CREDIT_LINE.match(line)
    if found is None:
        return None
    authors: list[str] = []
    editors: list[str] = []
    for part in _CREDIT_SPLIT.split(found["credits"]):
        credit = _CREDIT_PART.match(part.strip())
        if credit is None:
            continue
        # `Reporting by Kabul newsroom and Jane Doe`: a desk is no person
        names = [
            clean_name(_IN_PLACE.sub("", name))
            for name in _NAME_SEPARATOR.split(credit["names"].strip(" ."))
        ]
        people = [name for name in names if _IS_NAME.match(name)]
        (editors if credit["role"].casefold() == "editing" else authors).extend(people)
    if not authors and not editors:
        return None
    return Credits(tuple(dict.fromkeys(authors)), tuple(dict.fromkeys(editors)))


def split_embedded_trailer(paragraph: str) -> tuple[str, Credits] | None:
    """A credit trailer closing the last paragraph: (the paragraph without it, its credits)."""
    found = _EMBEDDED_TRAILER.search(paragraph)
    credits = extract_credit_trailer(found["trailer"]) if found else None
    if found is None or credits is None:
        return None
    return paragraph[: found.start()], credits


def extract_follow_credit(line: str) -> str | None:
    """The author a closing `Follow Jane Doe on Twitter @janedoe` line names."""
    found = _FOLLOW.match(line)
    return clean_name(found["name"]) if found else None


def extract_contributor_bio(line: str, earlier: str) -> str | None:
    """The writer a closing note introduces: `Jane Doe is the former mayor of …`.

    Someone the story already talked about (`Doe is expected in court`) is no writer.
    """
    found = _BIO.match(line)
    if found is None or len(line.split()) > 45:
        return None
    name = clean_name(found["name"])
    return None if name.split()[-1] in earlier else name


def extract_signoff(line: str) -> Agency | None:
    """An agency signing off the story on a line of its own: `Reuter`."""
    found = _SIGNOFF.match(line.strip())
    return find_agency(found["agency"]) if found and is_signature(found["agency"]) else None


def extract_translator(line: str) -> Translator | None:
    """A translator's credit in English, French, Spanish, Portuguese, German or Italian.

    >>> extract_translator("* Translated from English by Mourad Belhaj")
    Translator(name='Mourad Belhaj', from_language='en')
    >>> extract_translator("Traduit de l'anglais par Claire Dupont")
    Translator(name='Claire Dupont', from_language='en')
    """
    text = line.strip().lstrip("*").strip().rstrip(".")
    if not _TRANSLATOR_START.match(text):
        return None
    for pattern in _TRANSLATOR:
        found = pattern.match(text)
        if found is None:
            continue
        names = split_names(found["name"])
        if names is None:
            return None
        language = found["lang"]
        code = _LANGUAGE_CODES.get(language.casefold()) if language else None
        return Translator(" and ".join(names), code)
    return None
