"""People, places and organisations of one article, merged across spellings, with roles.

Built on the span tagger (`tagger.find_entity_spans`) and the name keys (`names`):
`extract_entities` is the pipeline step.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.ingest.gazetteer import load_gazetteer
from app.ingest.names import fold_word, is_same_person, is_same_place
from app.ingest.record import ArticleRecord, EntityMention, PersonMention
from app.ingest.tagger import EntitySpan, find_entity_spans
from app.ingest.tokens import ABBREVIATIONS

_APPOSITIVE = re.compile(r",\s+([^,.;:()\n]+)")
_WORD = re.compile(r"[\w’'-]+")
_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx"}  # say nothing about what a person does
_LEADING_DETERMINER = re.compile(r"^(?:a|an|the|his|her|its|their)\s+", re.IGNORECASE)
_ROLE_MODIFIERS = {
    "deputy", "former", "senior", "chief", "vice", "acting", "foreign", "defense", "defence",
    "interior", "finance", "prime", "first", "top", "local", "then", "assistant", "general",
}  # fmt: skip
_CLAUSE_WORDS = {
    "said", "says", "told", "added", "was", "is", "has", "had", "will", "would", "who",
    "which", "where", "when", "announced", "confirmed",
}  # fmt: skip
_MAX_ROLE_WORDS = 12
_MAX_TITLE_WORDS = 5
_LOOKBEHIND = 100  # characters searched for the word before a name: far more than any word


@dataclass
class _Person:
    spellings: Counter[str] = field(default_factory=Counter)
    short_mentions: int = 0
    role: str | None = None

    @property
    def name(self) -> str:
        return max(self.spellings, key=lambda s: (self.spellings[s], len(s)))


def extract_entities(record: ArticleRecord) -> ArticleRecord:
    """Fill `people`, `places` and `organizations` from the title, subheadings and body.

    Authors and the translator are left out of `people`: they wrote the article, they
    are not in it. The tagger reads English capitalisation; in other languages (German
    capitalises every noun) only places and organisations the word lists know are kept.
    """
    text = "\n\n".join(p for p in (record.title, *record.subheadings, record.body) if p)
    spans = find_entity_spans(text)
    if record.language not in (None, "en"):
        spans = [s for s in spans if _is_listed(text[s.start : s.end])]
    writers = [*record.authors, *([record.translator.name] if record.translator else [])]
    people = _people(text, [s for s in spans if s.label == "PER"], writers)
    return replace(
        record,
        people=people,
        places=_counted([text[s.start : s.end] for s in spans if s.label == "LOC"], is_same_place),
        organizations=_counted(
            [text[s.start : s.end] for s in spans if s.label == "ORG"], _is_same_text
        ),
    )


def _is_listed(name: str) -> bool:
    gaz = load_gazetteer()
    return name.lower() in gaz.places or name.lower() in gaz.organizations


def _people(text: str, spans: list[EntitySpan], writers: list[str]) -> tuple[PersonMention, ...]:
    """One PersonMention per person: full-name spellings merged, lone surnames attached."""
    people: list[_Person] = []
    singles: list[tuple[str, EntitySpan]] = []
    for span in spans:
        name = text[span.start : span.end]
        if any(is_same_person(name, writer) for writer in writers):
            continue
        if " " not in name:
            singles.append((name, span))
            continue
        person = next((p for p in people if is_same_person(p.name, name)), None)
        if person is None:
            person = _Person()
            people.append(person)
        person.spellings[name] += 1
        person.role = person.role or role_of(text, span)
    for name, span in singles:
        person = _owner(name, people)
        if person is None:
            person = _Person()
            people.append(person)
            person.spellings[name] += 1
        else:
            person.short_mentions += 1
        person.role = person.role or role_of(text, span)
    mentions = [
        PersonMention(
            name=p.name,
            aliases=tuple(sorted(s for s in p.spellings if s != p.name)),
            mentions=sum(p.spellings.values()) + p.short_mentions,
            role=p.role,
        )
        for p in people
    ]
    return tuple(sorted(mentions, key=lambda m: (-m.mentions, m.name)))


def _owner(word: str, people: list[_Person]) -> _Person | None:
    """The full-named person a lone name word refers to (`Dashti` → `Fahim Dashti`)."""
    key = fold_word(word)
    matches = [
        p
        for p in people
        if any(key in (fold_word(s.split()[-1]), fold_word(s.split()[0])) for s in p.spellings)
    ]
    return max(matches, key=lambda p: sum(p.spellings.values()), default=None)


def role_of(text: str, span: EntitySpan) -> str | None:
    """The appositive or title describing the person at `span`, if any.

    >>> text = "Taliban spokesman Zabihullah Mujahid said"
    >>> role_of(text, EntitySpan(18, 36, "PER"))
    'Taliban spokesman'
    """
    return _appositive(text, span.end) or _title_before(text, span.start)


def _appositive(text: str, end: int) -> str | None:
    """`Fahim Dashti, spokesman for the Panshir resistance group, was killed` → the middle."""
    match = _APPOSITIVE.match(text, end)
    if match is None:
        return None
    words = _LEADING_DETERMINER.sub("", match.group(1).strip()).split()
    # "Scott Carson, president and CEO of Boeing Commercial Airplanes said, ..."
    clause = next((i for i, w in enumerate(words) if w in _CLAUSE_WORDS), len(words))
    words = words[:clause]
    if not words or len(words) > _MAX_ROLE_WORDS:
        return None
    return " ".join(words) if any(_is_role_noun(w) for w in words[:3]) else None


def _title_before(text: str, start: int) -> str | None:
    """`Taliban spokesman Zabihullah Mujahid` → `Taliban spokesman`.

    The title or role noun right before the name, with the capitalised words and role
    modifiers that qualify it (`Boeing Commercial Airplanes CEO`, `former defense minister`).
    """
    gaz = load_gazetteer()
    count = 0
    pos = end = start
    while count < _MAX_TITLE_WORDS:
        found = _word_before(text, pos)
        if found is None:
            break
        word_start, word_end = found
        if "\n" in text[word_end:pos]:
            break
        word = text[word_start:word_end]
        lowered = word.lower()
        if "." in text[word_end:pos] and word not in ABBREVIATIONS:
            break  # a full stop ends the sentence before the name, unless it abbreviates
        if not count and lowered in _HONORIFICS:
            pos = end = word_start
            continue
        describes = _is_role_noun(word) or lowered in gaz.titles
        if not count and not describes:
            return None
        qualifies = word[0].isupper() and lowered not in gaz.common_words
        if not (describes or qualifies or lowered in _ROLE_MODIFIERS):
            break
        count += 1
        pos = word_start
    return text[pos:end].strip() or None


def _word_before(text: str, pos: int) -> tuple[int, int] | None:
    """Where the word before `pos` starts and ends, past white space and a full stop.

    Matched on the lookbehind reversed: a regex search for a word at its end would try
    every start in it.
    """
    start = max(0, pos - _LOOKBEHIND)
    head = text[start:pos].rstrip()
    if head.endswith("."):
        head = head[:-1]
    match = _WORD.match(head[::-1])
    if match is None:
        return None
    end = start + len(head)
    return end - match.end(), end


def _is_role_noun(word: str) -> bool:
    gaz = load_gazetteer()
    lowered = word.lower()
    return lowered in gaz.role_nouns or lowered.rsplit("-", 1)[-1] in gaz.role_nouns


def _counted(names: list[str], same: Callable[[str, str], bool]) -> tuple[EntityMention, ...]:
    """Mentions counted per entity, spellings that are `same` merged (`Panshir`/`Panjshir`)."""
    groups: list[dict[str, int]] = []
    # A spelling seen before joins the group it joined then: groups keep their first
    # spelling and new ones come last, so the search would end there again (unless the
    # spelling is not even `same` as itself, as a place name without letters).
    group_of: dict[str, dict[str, int]] = {}
    for name in names:
        group = group_of.get(name)
        if group is None:
            group = next((g for g in groups if same(next(iter(g)), name)), None)
            if group is None:
                group = {}
                groups.append(group)
                if same(name, name):
                    group_of[name] = group
            else:
                group_of[name] = group
        group[name] = group.get(name, 0) + 1
    mentions = [
        EntityMention(name=max(g, key=lambda s: (g[s], len(s))), mentions=sum(g.values()))
        for g in groups
    ]
    return tuple(sorted(mentions, key=lambda m: (-m.mentions, m.name)))


def _is_same_text(a: str, b: str) -> bool:
    return a.lower() == b.lower()
