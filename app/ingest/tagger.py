"""Span-level named-entity tagger: rules over capitalisation, name lists and a gazetteer.

`find_entity_spans(text)` finds people (PER), places (LOC) and organisations (ORG) as
character spans. It runs in three passes over one document:

1. tokenise and cut runs of capitalised words ("chunks"), dropping sentence-initial
   common words, nationalities and titles (`Austrian`, `President`, `Mr.`), and splitting
   where a title or a name starts inside (`Apple CEO Steve Jobs`);
2. classify each chunk by the lists (given names, places, organisations, org head words)
   and by context cues (`said`, `district of`, `in`, a score, a following role noun);
3. settle what the lists could not decide with what the document itself says: a lone
   surname is a person when the full name appears (`Dashti` → `Fahim Dashti`), a guessed
   name beside a company is a company (`Northrop Grumman and EADS`), a phrase keeps one
   label throughout, and ALL-CAPS or Title-Case headlines reuse the labels found below.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from app.ingest.gazetteer import Gazetteer, load_gazetteer
from app.ingest.tokens import ABBREVIATIONS, Token, tokenize

EntityLabel = Literal["PER", "LOC", "ORG"]

_PARTICLES = {
    "de", "da", "di", "du", "del", "della", "dos", "das", "van", "von", "der", "den", "ter",
    "le", "la", "bin", "ibn", "al", "el", "y", "ul",
}  # fmt: skip
_CONNECTORS = {"of", "for", "&", "and"}
_COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
_LEADING_JUNK = _CONNECTORS | _PARTICLES | {"."}
_SAY = {"said", "says", "told", "added", "asked", "say", "stated", "wrote", "explained"}
_PLACE_HEADS = {
    "republic", "kingdom", "gulf", "bay", "sea", "state", "province", "isle", "islands",
    "cape", "lake", "river", "strait", "mount", "valley", "city",
}  # fmt: skip
_PLACE_NOUNS = {
    "province", "district", "valley", "region", "city", "town", "village", "county",
    "capital", "area", "border", "airport", "state", "island", "mountains", "river",
}  # fmt: skip
_PLACE_ENDINGS = {
    "sea", "ocean", "river", "lake", "mountains", "mountain", "valley", "island", "islands",
    "canal", "strait", "gulf", "bay", "desert", "peninsula", "pradesh", "oblast", "province",
    "region", "county", "district", "prefecture", "governorate",
}  # fmt: skip
_PLACE_PREPOSITIONS = {"in", "near", "at", "from", "to", "into", "across", "outside"}
_ORG_NEXT = {"party", "group", "movement", "company", "agency", "newspaper", "militia"}
_ROMAN = re.compile(r"^[IVX]+$")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named entity found in text: `text[start:end]` is its surface form."""

    start: int
    end: int
    label: EntityLabel


@dataclass(slots=True)
class _Chunk:
    first: int
    last: int
    label: EntityLabel | None = None
    titled: bool = False
    strong: bool = False
    has_common_word: bool = False


def find_entity_spans(text: str) -> list[EntitySpan]:
    """People, places and organisations in `text`, in text order.

    >>> text = "Ashraf Ghani's aide left Kabul."
    >>> [(text[s.start : s.end], s.label) for s in find_entity_spans(text)]
    [('Ashraf Ghani', 'PER'), ('Kabul', 'LOC')]
    """
    gaz = load_gazetteer()
    tokens = tokenize(text)
    lower_words = {t.text for t in tokens if t.text[0].islower()}
    chunks = [c for c in _chunks(tokens, gaz, lower_words) if c.last >= c.first]
    for chunk in chunks:
        chunk.label = _classify(chunk, tokens, gaz)
    _settle(chunks, tokens, gaz)
    spans = [
        EntitySpan(tokens[c.first].start, tokens[c.last].end, c.label)
        for c in chunks
        if c.label is not None
    ]
    spans.extend(_shouted(tokens, chunks, gaz))
    return sorted(spans, key=lambda s: s.start)


def _chunks(tokens: list[Token], gaz: Gazetteer, lower_words: set[str]) -> Iterator[_Chunk]:
    """Runs of capitalised tokens, trimmed of sentence-initial common words and titles."""
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if token.shout or not token.is_cap:
            i += 1
            continue
        j = i + 1
        while j < n and not tokens[j].shout:
            word = tokens[j].text
            following = tokens[j + 1] if j + 1 < n else None
            joins = following is not None and following.is_cap and following.line == token.line
            same_line_cap = tokens[j].is_cap and tokens[j].line == token.line
            glue = word in _PARTICLES or word in _CONNECTORS
            initial = word == "." and _is_abbreviation(tokens[j - 1].text)
            if not (same_line_cap or (joins and (glue or initial))):
                break
            j += 1
        yield from _trim(i, j - 1, tokens, gaz, lower_words)
        i = j


def _is_abbreviation(word: str) -> bool:
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _trim(
    first: int, last: int, tokens: list[Token], gaz: Gazetteer, lower_words: set[str]
) -> Iterator[_Chunk]:
    """Drop a sentence-initial common word and leading titles; split at `and`."""
    initial = first < last and tokens[first + 1].text == "."
    if tokens[first].sentence_start and not initial:
        word = tokens[first].text
        lowered = word.lower()
        if lowered in gaz.common_words or (
            lowered in lower_words and lowered not in gaz.given_names and lowered not in gaz.places
        ):
            first += 1
    titled = False
    while first <= last:
        if tokens[first].text in _LEADING_JUNK:
            # "CEO of Boeing Commercial Airplanes": what follows a title's "of" is no person
            titled = titled and tokens[first].text not in _CONNECTORS
            first += 1
            continue
        if _is_nationality(tokens, first, last, gaz):
            first += 1  # "Austrian Thomas Muster", "South African Amanda Coetzer"
            continue
        size = _title_length(tokens, first, last, gaz)
        if not size:
            break
        first += size
        titled = True
    for k in range(first + 1, last + 1):
        if _title_length(tokens, k, last, gaz) or _starts_name_after_org(tokens, k, last, gaz):
            yield from _trim(first, k - 1, tokens, gaz, lower_words)
            yield from _trim(k, last, tokens, gaz, lower_words)
            return
        if tokens[k].text == "and":
            yield from _trim(first, k - 1, tokens, gaz, lower_words)
            yield from _trim(k + 1, last, tokens, gaz, lower_words)
            return
    if first <= last:
        common = any(t.text.lower() in lower_words for t in tokens[first : last + 1])
        yield _Chunk(first, last, titled=titled, has_common_word=common)


def _starts_name_after_org(tokens: list[Token], k: int, last: int, gaz: Gazetteer) -> bool:
    """`Air Force James Roche`: a given name and surname right after an organisation word."""
    return (
        k < last
        and tokens[k].text.lower() in gaz.given_names
        and tokens[k - 1].text.lower() in gaz.org_words
    )


def _is_nationality(tokens: list[Token], first: int, last: int, gaz: Gazetteer) -> bool:
    """Whether the token at `first` is a nationality before a given name or a title."""
    if first >= last:
        return False
    word = tokens[first].text.lower()
    following = tokens[first + 1].text.lower()
    if word in _COMPASS and following in gaz.demonyms:
        return _is_nationality(tokens, first + 1, last, gaz)
    return word in gaz.demonyms and (
        following in gaz.given_names or _title_length(tokens, first + 1, last, gaz) > 0
    )


def _title_length(tokens: list[Token], first: int, last: int, gaz: Gazetteer) -> int:
    """How many tokens at `first` form a title (`Prime Minister`, `Mr .`), 0 if none."""
    for size in (3, 2, 1):
        if first + size - 1 >= last:
            continue
        words = [t.text for t in tokens[first : first + size]]
        if words[-1] == "." and size > 1:
            words = words[:-1]
        if " ".join(words).lower() in gaz.titles:
            return size
    return 0


def _words(chunk: _Chunk, tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens[chunk.first : chunk.last + 1]]


def _classify(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> EntityLabel | None:
    """Label one chunk from the lists and its context; None when undecided."""
    label = _classify_by_lists(chunk, tokens, gaz)
    words = _words(chunk, tokens)
    if label == "PER" and not chunk.titled and any(_is_not_in_names(w, gaz) for w in words):
        return None
    if label == "PER" and not chunk.strong and chunk.has_common_word:
        return None
    if label == "PER" and not chunk.strong and _is_role_holder(chunk, tokens, gaz):
        return "ORG"
    if label == "PER" and not chunk.strong and any(w.lower() in gaz.organizations for w in words):
        return None  # a product of a known maker: "Apple Macintosh", "Boeing Dreamliner"
    if label == "PER" and not chunk.titled and _is_score_pair(chunk, tokens):
        return "ORG"  # "Gloria Bistrita 2 Steaua 1": teams, not people
    return label


def _is_score_pair(chunk: _Chunk, tokens: list[Token]) -> bool:
    """Whether the chunk is followed by a score and another capitalised name on its line."""
    following = tokens[chunk.last + 1 : chunk.last + 3]
    line = tokens[chunk.last].line
    return (
        len(following) == 2
        and all(t.line == line for t in following)
        and following[0].text.isdigit()
        and following[1].is_cap
    )


def _is_role_holder(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> bool:
    """`Northrop Grumman CEO Ronald Sugar`: a phrase owning a role is an organisation."""
    if chunk.last + 1 >= len(tokens):
        return False
    after = tokens[chunk.last + 1].text.lower()
    return after in gaz.role_nouns or after in gaz.titles


def _is_not_in_names(word: str, gaz: Gazetteer) -> bool:
    """Words no personal name contains: nationalities, `MacBook`, `OS`, `A380`."""
    return (
        word.lower() in gaz.demonyms
        or _is_camel(word)
        or any(ch.isdigit() for ch in word)
        or (len(word) > 1 and word.isupper() and "." not in word)
    )


def _classify_by_lists(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> EntityLabel | None:
    words = _words(chunk, tokens)
    key = " ".join(words).lower()
    nxt = tokens[chunk.last + 1].text if chunk.last + 1 < len(tokens) else ""
    if key in gaz.organizations:
        return "ORG"
    if key in gaz.titles:
        return None  # a title left alone: "Civilian Deputy Undersecretary"
    if chunk.titled and not any(w.lower() in gaz.common_words for w in words):
        chunk.strong = True
        return "PER"
    if key in gaz.places and (key not in gaz.common_words or words[0].isupper()):
        # "March" and "May" are months, but "US" is a place
        if _is_speaker(chunk, tokens, gaz):
            return "PER"
        return "ORG" if _is_team(chunk, tokens, gaz) else "LOC"
    lowered = [w.lower() for w in words]
    if key in gaz.demonyms:
        return None
    org_ending = lowered[-1] in gaz.org_words and len(words) > 1  # "League" alone is a noun
    if org_ending or nxt.lower() in _ORG_NEXT or lowered[0] == "air":
        return "ORG"
    if any(w in {"of", "for", "&"} for w in lowered):
        return "LOC" if lowered[0] in _PLACE_HEADS else "ORG"
    if len(words) == 1:
        return _classify_single(chunk, tokens, gaz)
    if lowered[-1] in _PLACE_ENDINGS:
        return "LOC"  # "Caspian Sea", "Uttar Pradesh"
    if lowered[-1] in gaz.common_words:
        return None  # "Everett Factory", "Adam Air Flight": a thing named after someone
    initialled = len(words[0]) == 1 and words[1] == "." and lowered[-1] not in gaz.regions
    if lowered[0] in gaz.given_names or initialled:
        chunk.strong = True
        return "PER"
    if (lowered[0] in gaz.places or lowered[-1] in gaz.places) and lowered[-1] not in gaz.surnames:
        return "ORG"  # clubs and firms named after a town: "Borussia Dortmund", "Leeds United"
    if all(_is_name_like(w, gaz) for w in words if w != "." and w not in _PARTICLES):
        return "PER"
    return None


def _is_team(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> bool:
    """A town in a results line is its club (`Barcelona 2 Real Madrid 1`); a country is not."""
    if " ".join(_words(chunk, tokens)).lower() in gaz.countries:
        return False
    after = tokens[chunk.last + 1] if chunk.last + 1 < len(tokens) else None
    before = tokens[chunk.first - 1].text if chunk.first else ""
    scored = after is not None and after.line == tokens[chunk.last].line and after.text.isdigit()
    return scored or before in {"v", "vs", "beat"} or (after is not None and after.text == "v")


def _is_speaker(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> bool:
    """A listed surname that says something: `Clinton said`, not `Washington, D.C.`."""
    after = tokens[chunk.last + 1].text if chunk.last + 1 < len(tokens) else ""
    word = tokens[chunk.first].text.lower()
    return chunk.first == chunk.last and after in _SAY and word in gaz.surnames


def _classify_single(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> EntityLabel | None:
    word = tokens[chunk.first].text
    lowered = word.lower()
    if lowered in gaz.common_words or lowered in gaz.demonyms:
        return None
    before = tokens[chunk.first - 1].text.lower() if chunk.first else ""
    after = tokens[chunk.last + 1].text.lower() if chunk.last + 1 < len(tokens) else ""
    if word.isupper() and len(word) > 1 and not _ROMAN.match(word):
        return "ORG"
    if _is_camel(word):
        return "ORG"
    before_of = tokens[chunk.first - 2].text.lower() if before == "of" and chunk.first > 1 else ""
    if after in _PLACE_NOUNS or before in _PLACE_NOUNS or before_of in _PLACE_NOUNS:
        return "LOC"
    if after in _SAY and lowered in gaz.surnames:
        return "PER"
    if lowered not in gaz.places and _has_person_cue(chunk, tokens, gaz):
        return "PER"
    if (
        before in _PLACE_PREPOSITIONS
        and lowered not in gaz.surnames
        and lowered not in gaz.given_names
    ):
        return "LOC"
    return None


def _has_person_cue(chunk: _Chunk, tokens: list[Token], gaz: Gazetteer) -> bool:
    """Context that only people get: `said Martinez`, `Goosen (South Africa) 71`, and a
    scorer's minute, `Ronaldo (85th)` or `Schultz 4th`."""
    before = tokens[chunk.first - 1].text if chunk.first else ""
    after = [t.text for t in tokens[chunk.last + 1 : chunk.last + 6]] or [""]
    if before in _SAY or after[0] in _SAY:
        return True
    if after[0] == "(" and ")" in after[2:]:
        inside = after[1 : after.index(")")]
        return " ".join(inside).lower() in gaz.regions or bool(_ORDINAL.match(inside[0]))
    return bool(_ORDINAL.match(after[0]))


def _is_camel(word: str) -> bool:
    """`ToloNews`, `iPhone`, but not `McCain` or `MacDonald`."""
    inner = word[1:]
    if word.startswith(("Mc", "Mac", "O'", "O’", "De", "Di", "La", "Le")):
        return False
    return any(ch.isupper() for ch in inner) and not word.isupper() and "-" not in word


def _is_name_like(word: str, gaz: Gazetteer) -> bool:
    lowered = word.lower()
    return (
        word[:1].isupper()
        and not word.isupper()
        and lowered not in gaz.common_words
        and lowered not in gaz.org_words
        and any(ch.isalpha() for ch in word)
    )


def _settle(chunks: list[_Chunk], tokens: list[Token], gaz: Gazetteer) -> None:
    """Document-level decisions: companies, surname propagation, one label per phrase."""
    _relabel_companies(chunks, tokens, lambda c: c.label == "PER" and not c.strong)
    surnames = _surnames(chunks, tokens, gaz)
    _relabel_companies(chunks, tokens, lambda c: _is_unlabelled_name(c, tokens, gaz, surnames))
    votes: dict[str, Counter[EntityLabel]] = {}
    for chunk in chunks:
        # a person guessed only from the shape of the words does not outvote evidence
        guessed = chunk.label == "PER" and not chunk.strong
        if chunk.label is not None and not guessed:
            votes.setdefault(_phrase(chunk, tokens), Counter())[chunk.label] += 1
    for chunk in chunks:
        phrase = _phrase(chunk, tokens)
        if phrase in surnames and chunk.label != "ORG":
            chunk.label = "PER"
        elif phrase in votes:
            chunk.label = votes[phrase].most_common(1)[0][0]


def _is_unlabelled_name(
    chunk: _Chunk, tokens: list[Token], gaz: Gazetteer, surnames: set[str]
) -> bool:
    """An undecided chunk that could be a name: no surname, nationality or common word."""
    words = _words(chunk, tokens)
    return (
        chunk.label is None
        and _phrase(chunk, tokens) not in surnames
        and all(_is_name_like(w, gaz) and w.lower() not in gaz.demonyms for w in words)
    )


def _phrase(chunk: _Chunk, tokens: list[Token]) -> str:
    return " ".join(_words(chunk, tokens))


def _relabel_companies(
    chunks: list[_Chunk], tokens: list[Token], is_eligible: Callable[[_Chunk], bool]
) -> None:
    """Eligible chunks that head an organisation's name (`Northrop Grumman` of `Northrop
    Grumman Corp`) or stand beside one (`Northrop Grumman and EADS`) become organisations."""
    organizations = [
        _phrase(c, tokens) + " " for c in chunks if c.label == "ORG" and c.last > c.first
    ]
    for i, chunk in enumerate(chunks):
        if not is_eligible(chunk):
            continue
        phrase = _phrase(chunk, tokens) + " "
        neighbours = chunks[max(0, i - 1) : i] + chunks[i + 1 : i + 2]
        if any(org.startswith(phrase) for org in organizations) or any(
            _is_coordinated(chunk, other, tokens) for other in neighbours
        ):
            chunk.label = "ORG"


def _surnames(chunks: list[_Chunk], tokens: list[Token], gaz: Gazetteer) -> set[str]:
    """Name parts that stand for a person named in full elsewhere in the document."""
    found: set[str] = set()
    for chunk in chunks:
        words = _words(chunk, tokens)
        if chunk.label == "PER" and len(words) > 1:
            found.update(w for w in (words[0], words[-1]) if chunk.strong or not _is_listed(w, gaz))
            if len(words) > 2 and words[-2][:1].isupper():
                found.add(" ".join(words[-2:]))
    return found


def _is_coordinated(chunk: _Chunk, other: _Chunk, tokens: list[Token]) -> bool:
    """Whether `chunk` and the organisation `other` are joined by `and`, `or` or `&`."""
    if other.label != "ORG":
        return False
    left, right = (chunk, other) if chunk.first < other.first else (other, chunk)
    return right.first == left.last + 2 and tokens[left.last + 1].text in {"and", "or", "&"}


def _is_listed(word: str, gaz: Gazetteer) -> bool:
    lowered = word.lower()
    return lowered in gaz.places or lowered in gaz.organizations or lowered in gaz.demonyms


def _shouted(tokens: list[Token], chunks: list[_Chunk], gaz: Gazetteer) -> Iterator[EntitySpan]:
    """Entities in ALL-CAPS lines, matched against what the document says in mixed case."""
    known: dict[str, EntityLabel] = {}
    for chunk in chunks:
        if chunk.label is not None:
            words = _words(chunk, tokens)
            known[" ".join(words).lower()] = chunk.label
            if chunk.label == "PER" and len(words) > 1:
                known.setdefault(words[-1].lower(), "PER")
    i = 0
    while i < len(tokens):
        if not tokens[i].shout or not tokens[i].text[0].isalpha():
            i += 1
            continue
        for size in (4, 3, 2, 1):
            group = tokens[i : i + size]
            if len(group) < size or not all(t.shout and t.text[0].isalpha() for t in group):
                continue
            key = " ".join(t.text for t in group).lower()
            after = tokens[i + size] if i + size < len(tokens) else None
            dateline = (
                after is None or after.line != group[-1].line or after.text[0] in ",0123456789"
            )
            label = known.get(key) or _listed(key, gaz, single=size == 1 and not dateline)
            if label is not None:
                yield EntitySpan(group[0].start, group[-1].end, label)
                i += size
                break
        else:
            i += 1


def _listed(key: str, gaz: Gazetteer, *, single: bool) -> EntityLabel | None:
    """A listed organisation or place. A lone word in a headline is a place only if it is a
    region (in `COCOA PRICES RISE` the town of Cocoa, Florida is not meant); in a dateline
    (`AMSTERDAM 1996-08-22`, `KABUL, Sept 5`) any town will do."""
    if key in gaz.organizations:
        return "ORG"
    if key in gaz.regions or (key in gaz.places and not single):
        return "LOC"
    return None
