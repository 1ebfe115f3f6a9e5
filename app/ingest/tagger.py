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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import compress
from typing import Literal

from app.ingest.gazetteer import Gazetteer, load_gazetteer
from app.ingest.tokens import ABBREVIATIONS, Tokens, tokenize

EntityLabel = Literal["PER", "LOC", "ORG"]

_PARTICLES = {
    "de", "da", "di", "du", "del", "della", "dos", "das", "van", "von", "der", "den", "ter",
    "le", "la", "bin", "ibn", "al", "el", "y", "ul",
}  # fmt: skip
_CONNECTORS = {"of", "for", "&", "and"}
_COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
_LEADING_JUNK = _CONNECTORS | _PARTICLES | {"."}
_GLUE = _CONNECTORS | _PARTICLES  # joins capitalised words: "Gulf of Mexico", "Abu al Bara"
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
    words: list[str]  # the tokens' texts, `first` to `last`
    phrase: str  # the words joined by spaces
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
    lower_words = {w for w in set(tokens.text) if w[0].islower()}
    chunks = _chunks(tokens, gaz, lower_words)
    for chunk in chunks:
        chunk.label = _classify(chunk, tokens, gaz)
    _settle(chunks, tokens, gaz)
    spans = [
        EntitySpan(tokens.start(c.first), tokens.end[c.last], c.label)
        for c in chunks
        if c.label is not None
    ]
    spans.extend(_shouted(tokens, chunks, gaz))
    return sorted(spans, key=lambda s: s.start)


def _chunks(tokens: Tokens, gaz: Gazetteer, lower_words: set[str]) -> list[_Chunk]:
    """Runs of capitalised tokens, trimmed of sentence-initial common words and titles."""
    words, caps, lines, shout = tokens.text, tokens.cap, tokens.line, tokens.shout
    chunks: list[_Chunk] = []
    n = len(words)
    j = 0
    for i in compress(range(n), caps):
        if i < j or shout[i]:
            continue
        line = lines[i]
        j = i + 1
        # A run stays on its line, which does not shout, as token `i` does not.
        while j < n and lines[j] == line:
            if not caps[j]:
                word = words[j]
                glue = word in _GLUE or (word == "." and _is_abbreviation(words[j - 1]))
                joins = j + 1 < n and caps[j + 1] and lines[j + 1] == line
                if not (glue and joins):
                    break
            j += 1
        _trim(i, j - 1, tokens, gaz, lower_words, chunks)
    return chunks


def _is_abbreviation(word: str) -> bool:
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _trim(
    first: int,
    last: int,
    tokens: Tokens,
    gaz: Gazetteer,
    lower_words: set[str],
    chunks: list[_Chunk],
) -> None:
    """Add the run `first` to `last` to `chunks` without a sentence-initial common word
    and leading titles; split at `and`."""
    words = tokens.text
    initial = first < last and words[first + 1] == "."
    if not initial and tokens.sentence_start(first):
        lowered = words[first].lower()
        if lowered in gaz.common_words or (
            lowered in lower_words and lowered not in gaz.given_names and lowered not in gaz.places
        ):
            first += 1
    titled = False
    while first <= last:
        if words[first] in _LEADING_JUNK:
            # "CEO of Boeing Commercial Airplanes": what follows a title's "of" is no person
            titled = titled and words[first] not in _CONNECTORS
            first += 1
            continue
        if _is_nationality(words, first, last, gaz):
            first += 1  # "Austrian Thomas Muster", "South African Amanda Coetzer"
            continue
        size = _title_length(words, first, last, gaz)
        if not size:
            break
        first += size
        titled = True
    for k in range(first + 1, last + 1):
        # a title or a name after an organisation word starts a new chunk, but not as the
        # last word
        if k < last and (
            _title_length(words, k, last, gaz) or _starts_name_after_org(words, k, gaz)
        ):
            _trim(first, k - 1, tokens, gaz, lower_words, chunks)
            _trim(k, last, tokens, gaz, lower_words, chunks)
            return
        if words[k] == "and":
            _trim(first, k - 1, tokens, gaz, lower_words, chunks)
            _trim(k + 1, last, tokens, gaz, lower_words, chunks)
            return
    if first <= last:
        chunk_words = words[first : last + 1]
        common = any(w.lower() in lower_words for w in chunk_words)
        phrase = " ".join(chunk_words)
        chunks.append(
            _Chunk(first, last, chunk_words, phrase, titled=titled, has_common_word=common)
        )


def _starts_name_after_org(words: list[str], k: int, gaz: Gazetteer) -> bool:
    """`Air Force James Roche`: a given name (and a surname) right after an organisation word."""
    return words[k].lower() in gaz.given_names and words[k - 1].lower() in gaz.org_words


def _is_nationality(words: list[str], first: int, last: int, gaz: Gazetteer) -> bool:
    """Whether the word at `first` is a nationality before a given name or a title."""
    if first >= last:
        return False
    word = words[first].lower()
    following = words[first + 1].lower()
    if word in _COMPASS and following in gaz.demonyms:
        return _is_nationality(words, first + 1, last, gaz)
    return word in gaz.demonyms and (
        following in gaz.given_names or _title_length(words, first + 1, last, gaz) > 0
    )


def _title_length(words: list[str], first: int, last: int, gaz: Gazetteer) -> int:
    """How many words at `first` form a title (`Prime Minister`, `Mr .`), 0 if none; a
    title is never the last word."""
    for size in range(min(3, last - first), 0, -1):
        title = words[first : first + size]
        if title[-1] == "." and size > 1:
            title.pop()
        if " ".join(title).lower() in gaz.titles:
            return size
    return 0


def _classify(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> EntityLabel | None:
    """Label one chunk from the lists and its context; None when undecided."""
    label = _classify_by_lists(chunk, tokens, gaz)
    if label != "PER":
        return label
    words = chunk.words
    if not chunk.titled and any(_is_not_in_names(w, gaz) for w in words):
        return None
    if not chunk.strong and chunk.has_common_word:
        return None
    if not chunk.strong and _is_role_holder(chunk, tokens, gaz):
        return "ORG"
    if not chunk.strong and any(w.lower() in gaz.organizations for w in words):
        return None  # a product of a known maker: "Apple Macintosh", "Boeing Dreamliner"
    if not chunk.titled and _is_score_pair(chunk, tokens):
        return "ORG"  # "Gloria Bistrita 2 Steaua 1": teams, not people
    return label


def _is_score_pair(chunk: _Chunk, tokens: Tokens) -> bool:
    """Whether the chunk is followed by a score and another capitalised name on its line."""
    last, lines = chunk.last, tokens.line
    return (
        last + 2 < len(tokens)
        and lines[last + 1] == lines[last] == lines[last + 2]
        and tokens.text[last + 1].isdigit()
        and tokens.cap[last + 2]
    )


def _is_role_holder(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> bool:
    """`Northrop Grumman CEO Ronald Sugar`: a phrase owning a role is an organisation."""
    if chunk.last + 1 >= len(tokens):
        return False
    after = tokens.text[chunk.last + 1].lower()
    return after in gaz.role_nouns or after in gaz.titles


def _is_not_in_names(word: str, gaz: Gazetteer) -> bool:
    """Words no personal name contains: nationalities, `MacBook`, `OS`, `A380`."""
    return (
        word.lower() in gaz.demonyms
        or _is_camel(word)
        or any(ch.isdigit() for ch in word)
        or (len(word) > 1 and word.isupper() and "." not in word)
    )


def _classify_by_lists(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> EntityLabel | None:
    words = chunk.words
    key = chunk.phrase.lower()
    nxt = tokens.text[chunk.last + 1] if chunk.last + 1 < len(tokens) else ""
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


def _is_team(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> bool:
    """A town in a results line is its club (`Barcelona 2 Real Madrid 1`); a country is not."""
    if chunk.phrase.lower() in gaz.countries:
        return False
    words, last = tokens.text, chunk.last
    before = words[chunk.first - 1] if chunk.first else ""
    if last + 1 < len(tokens):
        after = words[last + 1]
        if after == "v" or (tokens.line[last + 1] == tokens.line[last] and after.isdigit()):
            return True
    return before in {"v", "vs", "beat"}


def _is_speaker(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> bool:
    """A listed surname that says something: `Clinton said`, not `Washington, D.C.`."""
    after = tokens.text[chunk.last + 1] if chunk.last + 1 < len(tokens) else ""
    word = chunk.words[0].lower()
    return chunk.first == chunk.last and after in _SAY and word in gaz.surnames


def _classify_single(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> EntityLabel | None:
    words = tokens.text
    word = words[chunk.first]
    lowered = word.lower()
    if lowered in gaz.common_words or lowered in gaz.demonyms:
        return None
    before = words[chunk.first - 1].lower() if chunk.first else ""
    after = words[chunk.last + 1].lower() if chunk.last + 1 < len(words) else ""
    if word.isupper() and len(word) > 1 and not _ROMAN.match(word):
        return "ORG"
    if _is_camel(word):
        return "ORG"
    before_of = words[chunk.first - 2].lower() if before == "of" and chunk.first > 1 else ""
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


def _has_person_cue(chunk: _Chunk, tokens: Tokens, gaz: Gazetteer) -> bool:
    """Context that only people get: `said Martinez`, `Goosen (South Africa) 71`, and a
    scorer's minute, `Ronaldo (85th)` or `Schultz 4th`."""
    before = tokens.text[chunk.first - 1] if chunk.first else ""
    after = tokens.text[chunk.last + 1 : chunk.last + 6] or [""]
    if before in _SAY or after[0] in _SAY:
        return True
    close = after.index(")") if ")" in after else 0
    if after[0] == "(" and close > 1:
        inside = after[1:close]
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


def _settle(chunks: list[_Chunk], tokens: Tokens, gaz: Gazetteer) -> None:
    """Document-level decisions: companies, surname propagation, one label per phrase."""
    _relabel_companies(chunks, tokens, lambda c: c.label == "PER" and not c.strong)
    surnames = _surnames(chunks, gaz)
    _relabel_companies(chunks, tokens, lambda c: _is_unlabelled_name(c, gaz, surnames))
    votes: dict[str, dict[EntityLabel, int]] = {}
    for chunk in chunks:
        # a person guessed only from the shape of the words does not outvote evidence
        guessed = chunk.label == "PER" and not chunk.strong
        if chunk.label is not None and not guessed:
            tally = votes.setdefault(chunk.phrase, {})
            tally[chunk.label] = tally.get(chunk.label, 0) + 1
    for chunk in chunks:
        if chunk.phrase in surnames and chunk.label != "ORG":
            chunk.label = "PER"
        elif chunk.phrase in votes:
            tally = votes[chunk.phrase]
            winner: EntityLabel = max(tally, key=tally.__getitem__)  # the first on a tie
            chunk.label = winner


def _is_unlabelled_name(chunk: _Chunk, gaz: Gazetteer, surnames: set[str]) -> bool:
    """An undecided chunk that could be a name: no surname, nationality or common word."""
    return (
        chunk.label is None
        and chunk.phrase not in surnames
        and all(_is_name_like(w, gaz) and w.lower() not in gaz.demonyms for w in chunk.words)
    )


def _relabel_companies(
    chunks: list[_Chunk], tokens: Tokens, is_eligible: Callable[[_Chunk], bool]
) -> None:
    """Eligible chunks that head an organisation's name (`Northrop Grumman` of `Northrop
    Grumman Corp`) or stand beside one (`Northrop Grumman and EADS`) become organisations."""
    organizations = [c.phrase + " " for c in chunks if c.label == "ORG" and c.last > c.first]
    for i, chunk in enumerate(chunks):
        if not is_eligible(chunk):
            continue
        phrase = chunk.phrase + " "
        neighbours = chunks[max(0, i - 1) : i] + chunks[i + 1 : i + 2]
        if any(org.startswith(phrase) for org in organizations) or any(
            _is_coordinated(chunk, other, tokens) for other in neighbours
        ):
            chunk.label = "ORG"


def _surnames(chunks: list[_Chunk], gaz: Gazetteer) -> set[str]:
    """Name parts that stand for a person named in full elsewhere in the document."""
    found: set[str] = set()
    for chunk in chunks:
        words = chunk.words
        if chunk.label == "PER" and len(words) > 1:
            found.update(w for w in (words[0], words[-1]) if chunk.strong or not _is_listed(w, gaz))
            if len(words) > 2 and words[-2][:1].isupper():
                found.add(" ".join(words[-2:]))
    return found


def _is_coordinated(chunk: _Chunk, other: _Chunk, tokens: Tokens) -> bool:
    """Whether `chunk` and the organisation `other` are joined by `and`, `or` or `&`."""
    if other.label != "ORG":
        return False
    left, right = (chunk, other) if chunk.first < other.first else (other, chunk)
    return right.first == left.last + 2 and tokens.text[left.last + 1] in {"and", "or", "&"}


def _is_listed(word: str, gaz: Gazetteer) -> bool:
    lowered = word.lower()
    return lowered in gaz.places or lowered in gaz.organizations or lowered in gaz.demonyms


def _shouted(tokens: Tokens, chunks: list[_Chunk], gaz: Gazetteer) -> Iterator[EntitySpan]:
    """Entities in ALL-CAPS lines, matched against what the document says in mixed case."""
    words, lines = tokens.text, tokens.line
    # the words of shouting lines: up to four in a row may name one entity
    shouted = [i for i in compress(range(len(words)), tokens.shout) if words[i][0].isalpha()]
    if not shouted:
        return
    in_caps = set(shouted)
    known: dict[str, EntityLabel] = {}
    for chunk in chunks:
        if chunk.label is not None:
            known[chunk.phrase.lower()] = chunk.label
            if chunk.label == "PER" and len(chunk.words) > 1:
                known.setdefault(chunk.words[-1].lower(), "PER")
    resume = 0
    for i in shouted:
        if i < resume:
            continue
        run = 1
        while run < 4 and i + run in in_caps:
            run += 1
        for size in range(run, 0, -1):
            last = i + size - 1
            key = " ".join(words[i : last + 1]).lower()
            label = known.get(key)
            if label is None:
                dateline = (
                    last + 1 == len(words)
                    or lines[last + 1] != lines[last]
                    or words[last + 1][0] in ",0123456789"
                )
                label = _listed(key, gaz, single=size == 1 and not dateline)
            if label is not None:
                yield EntitySpan(tokens.start(i), tokens.end[last], label)
                resume = last + 1
                break


def _listed(key: str, gaz: Gazetteer, *, single: bool) -> EntityLabel | None:
    """A listed organisation or place. A lone word in a headline is a place only if it is a
    region (in `COCOA PRICES RISE` the town of Cocoa, Florida is not meant); in a dateline
    (`AMSTERDAM 1996-08-22`, `KABUL, Sept 5`) any town will do."""
    if key in gaz.organizations:
        return "ORG"
    if key in gaz.regions or (key in gaz.places and not single):
        return "LOC"
    return None
