"""The Whoosh index layout, and the documents that go into it.

Title and body hold most of a document's terms. `analyse_text` turns them
into index terms ahead of time (in bulk ingest, in the worker processes), so
the one index writer only sorts and writes them. The spelling vocabulary
(what suggestions and word prefixes expand over) is counted once per commit
rather than written once per document.
"""

from __future__ import annotations

import pickle
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint
from whoosh.util.times import datetime_to_long

from app.pickling import pickled_by_fields
from app.search.types import FACET_FIELDS, FILTER_FIELDS, IndexDocument

#: Fields a plain word searches, with their BM25F weights.
DEFAULT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "person": 2.0,
    "place": 1.5,
    "dateline": 1.0,
    "body": 1.0,
}
#: `field:value` names searched word by word (analysed like the body).
TEXT_FIELDS: frozenset[str] = frozenset(
    {"title", "body", "person", "place", "dateline", "author", "translator"}
)
#: `field:value` names matched on the whole value (case- and accent-folded).
KEY_FIELDS: frozenset[str] = frozenset({"agency", "section", "language"})
#: Text fields whose unstemmed words make the spelling vocabulary.
SPELLING_FIELDS: tuple[str, ...] = ("title", "body", "person")
#: Text fields an article's own text fills (and `analyse_text` can prepare).
ARTICLE_TEXT_FIELDS: tuple[str, ...] = ("title", "body")
SEPARATOR = "\x1f"

#: Stands between the names of a list so that no phrase runs from one name into the next.
GAP = " xgapx "
_GAP_WORD = GAP.strip()


def _text_analyzer() -> Any:
    # The gap word is dropped but keeps its position: "Saleh Amir" is no phrase in
    # "Amrullah Saleh xgapx Amir Khan Muttaqi".
    gap = StopFilter(stoplist=frozenset({_GAP_WORD}), minsize=1, renumber=False)
    return RegexTokenizer() | LowercaseFilter() | gap | CharsetFilter(accent_map) | StemFilter()


#: Whoosh's posting tuple for one term of one field: (term, frequency, weight, positions).
Posting = tuple[bytes, int, float, bytes]


class ValuesField(fields.FieldType):  # type: ignore[misc]
    """A field of whole values separated by `SEPARATOR`, kept verbatim.

    Its tokenizer finds the values (for queries); indexing splits them off
    directly, as that tokenizer would, without a token object per value.
    """

    def __init__(self) -> None:
        super().__init__(
            format=fields.formats.Existence(), analyzer=RegexTokenizer(rf"[^{SEPARATOR}]+")
        )

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        """The postings of each distinct value (what `Existence.word_values` makes)."""
        if not isinstance(value, str):
            return iter(super().index(value, **kwargs))
        boost = self.format.field_boost
        return ((v.encode("utf-8"), 1, boost, b"") for v in set(value.split(SEPARATOR)) if v)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AnalysedField:
    """One field's text worked out ahead: its index terms and its spelling words."""

    length: int
    terms: tuple[Posting, ...]
    words: tuple[str, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AnalysedText:
    """An article's title and body worked out ahead, by `analyse_text`."""

    title: AnalysedField
    body: AnalysedField


class PreparedTextField(fields.TEXT):  # type: ignore[misc]
    """A text field that also takes its value already analysed (an `AnalysedField`)."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        """The value's postings: analysed now, or as prepared ahead."""
        if isinstance(value, AnalysedField):
            return iter(value.terms)
        return iter(super().index(value, **kwargs))


def spelling_field(name: str) -> str:
    """The field holding the spelling vocabulary of text field `name`."""
    return f"spell_{name}"


def build_schema() -> fields.Schema:
    """The index layout: searchable text, whole-value keys, facet values, columns.

    A document's story and date are only ever read as columns, so they are
    columns alone, not indexed (each would be one more term per document in
    every commit and merge); dates as Whoosh's microseconds since year 1. Ids
    are columns too, and indexed at full precision only (without Whoosh's range
    tiers): updates delete by exact id.
    """
    analyzer = _text_analyzer()
    schema = fields.Schema(
        id=fields.NUMERIC(int, bits=64, stored=True, unique=True, sortable=True, shift_step=0),
        story=fields.COLUMN(columns.NumericColumn("q")),
        date=fields.COLUMN(columns.NumericColumn("q")),
        hit=fields.STORED(),
        **{
            name: PreparedTextField(
                analyzer=analyzer,
                stored=name in ARTICLE_TEXT_FIELDS,
                field_boost=DEFAULT_FIELDS.get(name, 1.0),
            )
            for name in sorted(TEXT_FIELDS)
        },
    )
    for name in SPELLING_FIELDS:
        schema.add(spelling_field(name), fields.SpellField(analyzer))
    for name in FILTER_FIELDS:
        schema.add(f"{name}_key", ValuesField())
    for name in FACET_FIELDS:
        schema.add(f"facet_{name}", ValuesField())
    return schema


SCHEMA = build_schema()
_ANALYZER = SCHEMA["body"].analyzer
_FOLD = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def layout(schema: fields.Schema) -> list[tuple[str, str, int | None, bool]]:
    """What must match for an index on disk to be written and read with `SCHEMA`."""
    return sorted(
        (name, type(field).__name__, getattr(field, "shift_step", None), bool(field.stored))
        for name, field in schema.items()
    )


def analyze(text: str) -> list[str]:
    """Index terms of `text`: `"Muttaqí's talks"` → `['muttaqi', 's', 'talk']`."""
    return [token.text for token in _ANALYZER(text, mode="query")]


def fold(text: str) -> str:
    """Case- and accent-folded, whitespace-collapsed: `" Agence  France-Presse"` → ..."""
    return " ".join(token.text for token in _FOLD(text))


@lru_cache(maxsize=1 << 16)
def value_key(text: str) -> str:
    """How a whole value is matched: folded, else trimmed and lower-cased (cached: agencies,
    people and places recur across a batch)."""
    return fold(text) or text.strip().lower()


_TOKENS = RegexTokenizer().expression
#: `_TOKENS` with its group not capturing, so that `findall` gives whole tokens.
_TOKEN_TEXTS = re.compile(_TOKENS.pattern.replace("(", "(?:"), _TOKENS.flags)
_POSITIONS = Positions()


@lru_cache(maxsize=1 << 16)
def _word_and_term(token: str) -> tuple[str, str] | None:
    """A token's spelling word and index term as the text analyzer makes them (None: the gap)."""
    word = token.lower()
    if word == _GAP_WORD:
        return None
    word = word.translate(accent_map)
    return word, stem(word)


def _analysed_field(name: str, text: str) -> AnalysedField:
    """What `SCHEMA[name].index` and `.spellable_words` make of `text`, in one pass.

    Whoosh runs a generator per filter per token; here each distinct token is
    lowered, folded and stemmed once (cached), and positions are grouped per term
    in the order terms first occur, encoded by the field's own format (a single
    position, the most common case, from a cache).
    """
    positions: dict[str, list[int]] = {}
    words: set[str] = set()
    for position, analysed in enumerate(map(_word_and_term, _TOKEN_TEXTS.findall(text))):
        if analysed is not None:
            words.add(analysed[0])
            positions.setdefault(analysed[1], []).append(position)
    form = SCHEMA[name].format
    boost = form.field_boost
    one = _one_position if type(form) is Positions else form.encode
    terms = tuple(
        (
            term.encode("utf-8"),
            len(poses),
            len(poses) * boost,
            one(poses[0]) if len(poses) == 1 else form.encode(poses),
        )
        for term, poses in positions.items()
    )
    return AnalysedField(len(text), terms, tuple(sorted(words)))


@lru_cache(maxsize=1 << 12)
def _one_position(position: int) -> bytes:
    """How Whoosh's `Positions` format encodes a term found once, at `position`."""
    encoded: bytes = _POSITIONS.encode([position])
    return encoded


def analyse_text(title: str, body: str) -> AnalysedText:
    """An article's title and body as index terms and spelling words (pure, any process).

    >>> analyse_text("Talks", "Talks began.").body.words
    ('began', 'talks')
    """
    return AnalysedText(_analysed_field("title", title), _analysed_field("body", body))


def pack_text(title: str, body: str) -> bytes:
    """`analyse_text`, pickled: a quarter of its size in memory while it waits, in bulk
    ingest, for its index commit (it comes from this program's own workers, never from
    outside).

    >>> unpack_text(pack_text("Talks", "Talks began.")) == analyse_text("Talks", "Talks began.")
    True
    """
    return pickle.dumps(analyse_text(title, body), protocol=pickle.HIGHEST_PROTOCOL)


def unpack_text(packed: object) -> AnalysedText | None:
    """What `pack_text` packed (or an `AnalysedText` as it is); None for anything else."""
    analysed = pickle.loads(packed) if isinstance(packed, bytes) else packed
    return analysed if isinstance(analysed, AnalysedText) else None


def _joined(values: Sequence[str | None]) -> str:
    return SEPARATOR.join(v.replace(SEPARATOR, " ") for v in values if v)


def naive_utc(moment: datetime) -> datetime:
    """`moment` in UTC without a time zone (how Whoosh stores dates)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _prepared(doc: IndexDocument) -> dict[str, AnalysedField]:
    """The document's fields analysed ahead, where they still match its text."""
    analysed = unpack_text(doc.analysed)
    if analysed is None:
        return {}
    ahead = {"title": analysed.title, "body": analysed.body}
    texts = {"title": doc.title, "body": doc.body}
    return {name: value for name, value in ahead.items() if value.length == len(texts[name])}


def document_fields(doc: IndexDocument) -> dict[str, object]:
    """What Whoosh stores for one article."""
    people = (*doc.people, *doc.person_aliases)
    places = (*doc.places, *doc.place_aliases)
    keys = {
        "agency": (doc.agency, doc.agency_code),
        "person": people,
        "place": places,
        "section": (doc.section,),
        "language": (doc.language,),
        "translator": (doc.translator,),
    }
    facets = {
        "agency": (doc.agency,),
        "person": doc.people,
        "place": doc.places,
        "section": (doc.section,),
        "language": (doc.language,),
        "translator": (doc.translator,),
        "month": (naive_utc(doc.date).strftime("%Y-%m"),),
    }
    prepared = _prepared(doc)
    return {
        "id": doc.id,
        "story": doc.story_id or doc.id,
        "date": datetime_to_long(naive_utc(doc.date)),
        "hit": (doc.agency, doc.dateline, doc.published_at, doc.people),
        "title": prepared.get("title", doc.title),
        "_stored_title": doc.title,
        "body": prepared.get("body", doc.body),
        "_stored_body": doc.body,
        **{
            name: _analysed_field(name, text)
            for name, text in (
                ("person", GAP.join(people)),
                ("place", GAP.join(places)),
                ("dateline", doc.dateline or ""),
                ("author", GAP.join(doc.authors)),
                ("translator", doc.translator or ""),
            )
        },
        **{f"{k}_key": _joined([value_key(v) for v in vs if v]) for k, vs in keys.items()},
        **{f"facet_{k}": _joined(vs) for k, vs in facets.items()},
    }


def spelling_words(fields_of_doc: Mapping[str, object]) -> dict[str, Iterable[str]]:
    """The distinct unstemmed words of a document's spelling fields (from `document_fields`)."""
    words: dict[str, Iterable[str]] = {}
    for name in SPELLING_FIELDS:
        value = fields_of_doc[name]
        if isinstance(value, AnalysedField):
            words[name] = value.words
        else:
            words[name] = SCHEMA[name].spellable_words(value)
    return words


class Vocabulary:
    """The spelling words of documents added since a writer opened, counted.

    Each word is written once per commit, weighted by how many documents use
    it, where Whoosh would write it once per document.
    """

    def __init__(self) -> None:
        self._counts: dict[str, Counter[str]] = {name: Counter() for name in SPELLING_FIELDS}

    def add_document(self, writer: Any, doc: IndexDocument, replace: bool = True) -> None:
        """Add a document to an open writer (replacing its id's, unless known to be new),
        counting its words."""
        values = document_fields(doc)
        if replace:
            writer.update_document(**values)
        else:
            writer.add_document(**values)
        for name, words in spelling_words(values).items():
            self._counts[name].update(words)

    def write(self, writer: Any) -> None:
        """Put the counted words into the writer (just before it commits), and start over."""
        for name, counts in self._counts.items():
            for word, count in counts.items():
                # The pool entry Whoosh's own spelling writes: (field, term, doc 0, weight,
                # value), the value being the count as the field's Frequency format encodes it.
                entry = (spelling_field(name), word.encode("utf-8"), 0, count, pack_uint(count))
                writer.pool.add(entry)
            counts.clear()
