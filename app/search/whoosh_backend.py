"""The embedded search engine: Whoosh stores, analyses and matches; numpy counts.

Whoosh keeps the inverted index on disk. Everything that is per-document and
hot (article ids, dates, field lengths, facet values) is read once per
segment into numpy columns, so filters, facets, date ranges, BM25F scoring
and ordering are vectorised passes over the matched document numbers
instead of Whoosh collectors. This is the only module that imports whoosh.
"""

from __future__ import annotations

import gc
import re
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import fields, index
from whoosh import query as wq
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.support.charset import accent_map
from whoosh.support.levenshtein import distance
from whoosh.util.times import datetime_to_long
from whoosh.writing import CLEAR

from app.search.facets import BoolArray, FacetColumn, build_facet_column, month_column
from app.search.query import (
    And,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    QuerySyntaxError,
    Term,
    parse_query,
)
from app.search.ranking import IntArray, bm25, idf, top_order
from app.search.snippets import make_snippet
from app.search.types import (
    FACET_FIELDS,
    FILTER_FIELDS,
    IndexDocument,
    SearchHit,
    SearchPage,
    SearchRequest,
)

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
SPELLING_FIELDS: tuple[str, ...] = ("title", "body", "person")
SEPARATOR = "\x1f"
FACET_TOP = 15
PREFIX_LIMIT = 256
RERANK_DEPTH = 100
LOCK_WAIT_SECONDS = 60.0


def _text_analyzer() -> Any:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StemFilter()


def _values_field() -> fields.FieldType:
    """A field of whole values separated by `SEPARATOR`, kept verbatim."""
    return fields.FieldType(
        format=fields.formats.Existence(), analyzer=RegexTokenizer(rf"[^{SEPARATOR}]+")
    )


def build_schema() -> fields.Schema:
    """The index layout: searchable text, whole-value keys, facet values, columns."""
    analyzer = _text_analyzer()
    schema = fields.Schema(
        id=fields.NUMERIC(int, bits=64, stored=True, unique=True, sortable=True),
        story=fields.NUMERIC(int, bits=64, sortable=True),
        date=fields.DATETIME(sortable=True),
        hit=fields.STORED(),
        **{
            name: fields.TEXT(
                analyzer=analyzer,
                stored=name in ("title", "body"),
                field_boost=DEFAULT_FIELDS.get(name, 1.0),
                spelling=name in SPELLING_FIELDS,
            )
            for name in sorted(TEXT_FIELDS)
        },
    )
    for name in FILTER_FIELDS:
        schema.add(f"{name}_key", _values_field())
    for name in FACET_FIELDS:
        schema.add(f"facet_{name}", _values_field())
    return schema


SCHEMA = build_schema()
_EPOCH = np.datetime64("0001-01-01T00:00:00", "us")
_ANALYZER = SCHEMA["body"].analyzer
_FOLD = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def analyze(text: str) -> list[str]:
    """Index terms of `text`: `"Muttaqí's talks"` → `['muttaqi', 's', 'talk']`."""
    return [token.text for token in _ANALYZER(text, mode="query")]


def fold(text: str) -> str:
    """Case- and accent-folded, whitespace-collapsed: `" Agence  France-Presse"` → ..."""
    return " ".join(token.text for token in _FOLD(text))


def _key(text: str) -> str:
    return fold(text) or text.strip().lower()


def _joined(values: Sequence[str | None]) -> str:
    return SEPARATOR.join(v.replace(SEPARATOR, " ") for v in values if v)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


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
        "month": (_naive_utc(doc.date).strftime("%Y-%m"),),
    }
    return {
        "id": doc.id,
        "story": doc.story_id or doc.id,
        "date": _naive_utc(doc.date),
        "hit": (doc.agency, doc.dateline, doc.published_at, doc.people),
        "title": doc.title,
        "body": doc.body,
        "person": " ; ".join(people),
        "place": " ; ".join(places),
        "dateline": doc.dateline or "",
        "author": " ; ".join(doc.authors),
        "translator": doc.translator or "",
        **{f"{k}_key": _joined([_key(v) for v in vs if v]) for k, vs in keys.items()},
        **{f"facet_{k}": _joined(vs) for k, vs in facets.items()},
    }


# Compiling the neutral tree to Whoosh queries.


def compile_query(node: Node) -> wq.Query:
    """The Whoosh query for a parsed tree.

    >>> compile_query(parse_query("agency:AA"))
    Term('agency_key', 'aa')
    """
    match node:
        case MatchAll():
            return wq.Every()
        case Term(text, None) | Phrase(text, None):
            words = analyze(text if isinstance(text, str) else " ".join(text))
            return _any_field(dict.fromkeys(DEFAULT_FIELDS, words))
        case Term(text, name) | Phrase(text, name) if name in KEY_FIELDS:
            value = text if isinstance(text, str) else " ".join(text)
            return wq.Term(f"{name}_key", _key(value))
        case Term(text, name) | Phrase(text, name):
            words = analyze(text if isinstance(text, str) else " ".join(text))
            return _words_query(str(name), words)
        case Prefix(text, name) if name in KEY_FIELDS:
            return wq.Prefix(f"{name}_key", _key(text))
        case Prefix(text, name):
            targets = SPELLING_FIELDS if name is None else (str(name),)
            return _any_of([_prefix_query(target, fold(text)) for target in targets])
        case And(children):
            return _compile_and(children)
        case Or(children):
            return _any_of([compile_query(child) for child in children])
        case Not(child):
            return wq.AndNot(wq.Every(), compile_query(child))
    raise TypeError(f"not a query node: {node!r}")


def _words_query(name: str, words: list[str]) -> wq.Query:
    boost = DEFAULT_FIELDS.get(name, 1.0)
    if not words:
        return wq.NullQuery
    if len(words) == 1:
        return wq.Term(name, words[0], boost=boost)
    return wq.Phrase(name, words, boost=boost)


def _prefix_query(name: str, text: str) -> wq.Query:
    spelled = SCHEMA[name].spelling_fieldname(name) if name in SPELLING_FIELDS else name
    return wq.Prefix(spelled, text, boost=DEFAULT_FIELDS.get(name, 1.0))


def _any_field(words_by_field: dict[str, list[str]]) -> wq.Query:
    return _any_of([_words_query(name, words) for name, words in words_by_field.items()])


def _any_of(queries: list[wq.Query]) -> wq.Query:
    live = [q for q in queries if q is not wq.NullQuery]
    if not live:
        return wq.NullQuery
    return live[0] if len(live) == 1 else wq.Or(live)


def _compile_and(children: tuple[Node, ...]) -> wq.Query:
    positive = [compile_query(c) for c in children if not isinstance(c, Not)]
    negative = [compile_query(c.child) for c in children if isinstance(c, Not)]
    required = (
        wq.Every() if not positive else positive[0] if len(positive) == 1 else wq.And(positive)
    )
    if negative:
        return wq.AndNot(required, _any_of(negative))
    plain = [c.text for c in children if isinstance(c, Term) and c.field is None]
    words = analyze(" ".join(plain))
    if len(plain) == len(children) and len(words) > 1:
        # Adjacent words earn a bonus over the same words scattered.
        bonus = _any_of([wq.Phrase(name, words) for name in ("title", "body", "person")])
        return wq.AndMaybe(required, bonus)
    return required


# Per-segment and per-snapshot numpy columns.


@dataclass(frozen=True, slots=True)
class _SegmentColumns:
    ids: IntArray
    stories: IntArray
    dates: IntArray
    lengths: dict[str, np.ndarray[Any, np.dtype[np.float64]]]
    facets: dict[str, tuple[IntArray, list[str]]]


def _read_segment(reader: Any) -> _SegmentColumns:
    size = reader.doc_count_all()
    ids = np.fromiter(reader.column_reader("id"), dtype=np.int64, count=size)
    stories = np.fromiter(reader.column_reader("story"), dtype=np.int64, count=size)
    moments = np.array(list(reader.column_reader("date")), dtype="datetime64[us]")
    dates = (moments - _EPOCH).astype(np.int64)
    lengths = {
        name: np.fromiter(
            (reader.doc_field_length(d, name, 0) or 0 for d in range(size)),
            dtype=np.float64,
            count=size,
        )
        for name in TEXT_FIELDS
    }
    facets: dict[str, tuple[IntArray, list[str]]] = {}
    for name in FILTER_FIELDS:
        column = f"facet_{name}"
        doc_parts: list[IntArray] = []
        values: list[str] = []
        for value in reader.lexicon(column):
            docs = _postings(reader, column, value)[0]
            doc_parts.append(docs)
            values += [value.decode("utf-8")] * len(docs)
        docs_all = np.concatenate(doc_parts) if doc_parts else np.empty(0, dtype=np.int64)
        facets[name] = (docs_all, values)
    return _SegmentColumns(ids, stories, dates, lengths, facets)


def _postings(
    reader: Any, name: str, text: bytes | str
) -> tuple[IntArray, np.ndarray[Any, np.dtype[np.float64]]]:
    """Document numbers and term frequencies of one term in one segment, deleted included."""
    try:
        matcher = reader.postings(name, text)
    except TermNotFound:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher):
        pairs = list(_walk(matcher))
        return (
            np.array([p[0] for p in pairs], dtype=np.int64),
            np.array([p[1] for p in pairs], dtype=np.float64),
        )
    id_parts, weight_parts = [], []
    # Decode whole posting blocks at once instead of one posting per call.
    while not matcher._atend:
        matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        id_parts.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        count = len(deltas)
        if weights is None or isinstance(weights, float):
            weight_parts.append(np.full(count, weights or 1.0, dtype=np.float64))
        else:
            weight_parts.append(np.asarray(weights, dtype=np.float64))
        matcher._next_block()
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def _walk(matcher: Any) -> Iterator[tuple[int, float]]:
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


@dataclass(slots=True)
class _Snapshot:
    """One searcher generation with its numpy columns and filter bitsets."""

    searcher: Any
    leaves: list[tuple[Any, int]]
    live: BoolArray
    ids: IntArray
    stories: IntArray
    dates: IntArray
    lengths: dict[str, np.ndarray[Any, np.dtype[np.float64]]]
    facets: dict[str, FacetColumn]
    filters: dict[tuple[str, str], BoolArray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.live)

    def doc_count(self) -> int:
        return int(self.searcher.doc_count())


def _concat(arrays: list[Any], dtype: type[Any]) -> Any:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


def _build_snapshot(searcher: Any, cache: dict[str, _SegmentColumns]) -> _Snapshot:
    leaves = [
        (leaf, offset)
        for leaf, offset in searcher.leaf_searchers()
        if leaf.reader().segment() is not None  # an empty index has no segment
    ]
    parts: list[tuple[_SegmentColumns, int]] = []
    live_parts: list[BoolArray] = []
    seen: set[str] = set()
    for leaf, offset in leaves:
        reader = leaf.reader()
        segid = reader.segment().segment_id()
        seen.add(segid)
        if segid not in cache:
            cache[segid] = _read_segment(reader)
        parts.append((cache[segid], offset))
        live = np.ones(reader.doc_count_all(), dtype=np.bool_)
        live[list(reader.deleted_docs_set)] = False
        live_parts.append(live)
    for stale in set(cache) - seen:
        del cache[stale]

    live_all = _concat(live_parts, np.bool_)
    dates = _concat([p.dates for p, _ in parts], np.int64)
    facets = {
        name: build_facet_column(
            (p.facets[name][0] + offset, p.facets[name][1]) for p, offset in parts
        )
        for name in FILTER_FIELDS
    }
    facets["month"] = month_column(dates, live_all)
    return _Snapshot(
        searcher=searcher,
        leaves=leaves,
        live=live_all,
        ids=_concat([p.ids for p, _ in parts], np.int64),
        stories=_concat([p.stories for p, _ in parts], np.int64),
        dates=dates,
        lengths={
            name: _concat([p.lengths[name] for p, _ in parts], np.float64) for name in TEXT_FIELDS
        },
        facets=facets,
    )


# Evaluating a compiled query as dense masks and scores over one snapshot.

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(slots=True)
class _Matches:
    mask: BoolArray
    score: FloatArray


class _Evaluator:
    """Walks a Whoosh query, answering each leaf from decoded posting blocks."""

    def __init__(self, snapshot: _Snapshot) -> None:
        self.snap = snapshot
        self.searcher = snapshot.searcher
        self.doc_count = max(snapshot.doc_count(), 1)

    def empty(self) -> _Matches:
        size = self.snap.size
        return _Matches(np.zeros(size, dtype=np.bool_), np.zeros(size, dtype=np.float64))

    def run(self, q: wq.Query) -> _Matches:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.Phrase):
            return self.phrase(q)
        if isinstance(q, wq.Prefix):
            return self.prefix(q)
        if isinstance(q, wq.Every):
            return _Matches(self.snap.live.copy(), np.zeros(self.snap.size, dtype=np.float64))
        if isinstance(q, wq.AndNot):
            positive, negative = self.run(q.a), self.run(q.b)
            positive.mask &= ~negative.mask
            return positive
        if isinstance(q, wq.AndMaybe):
            return self.run(q.a)
        if isinstance(q, wq.And | wq.Or):
            return self.combine(q)
        return self.empty()

    def combine(self, q: wq.And | wq.Or) -> _Matches:
        children = [self.run(child) for child in q.subqueries]
        result = children[0]
        for child in children[1:]:
            if isinstance(q, wq.And):
                result.mask &= child.mask
            else:
                result.mask |= child.mask
            result.score += child.score
        return result

    def term(self, name: str, text: str, boost: float) -> _Matches:
        result = self.empty()
        lengths = self.snap.lengths.get(name)
        weight = boost * idf(self.searcher.doc_frequency(name, text), self.doc_count)
        average = self.searcher.avg_field_length(name, 1.0) or 1.0
        for leaf, offset in self.snap.leaves:
            docs, tf = _postings(leaf.reader(), name, text)
            docs += offset
            result.mask[docs] = True
            if lengths is not None:
                result.score[docs] += bm25(tf, lengths[docs], average, weight)
            else:
                result.score[docs] += boost
        return result

    def phrase(self, q: wq.Phrase) -> _Matches:
        result = self.empty()
        result.mask[:] = True
        for word in q.words:
            part = self.term(q.fieldname, word, q.boost)
            result.mask &= part.mask
            result.score += part.score
        if not result.mask.any():
            return result
        exact = np.zeros(self.snap.size, dtype=np.bool_)
        for leaf, offset in self.snap.leaves:
            found = np.fromiter(q.matcher(leaf).all_ids(), dtype=np.int64)
            exact[found + offset] = True
        result.mask &= exact
        return result

    def prefix(self, q: wq.Prefix) -> _Matches:
        result = self.empty()
        for leaf, offset in self.snap.leaves:
            reader = leaf.reader()
            for n, text in enumerate(reader.expand_prefix(q.fieldname, q.text)):
                if n >= PREFIX_LIMIT:
                    break
                docs = _postings(reader, q.fieldname, text)[0] + offset
                result.mask[docs] = True
        result.score[result.mask] += q.boost
        return result

    def verify(self, q: wq.Query, docs: IntArray) -> BoolArray:
        """Which of the sorted global `docs` match `q` (checked one by one)."""
        found = np.zeros(len(docs), dtype=np.bool_)
        for leaf, offset in self.snap.leaves:
            size = leaf.reader().doc_count_all()
            inside = np.flatnonzero((docs >= offset) & (docs < offset + size))
            matcher = q.matcher(leaf)
            for i in inside:
                local = int(docs[i]) - offset
                if not matcher.is_active():
                    break
                matcher.skip_to(local)
                found[i] = matcher.is_active() and matcher.id() == local
        return found


def _highlight_terms(q: wq.Query) -> tuple[frozenset[str], tuple[str, ...]]:
    """Index terms and folded prefixes the snippet should mark (never negated ones)."""
    words: set[str] = set()
    prefixes: list[str] = []

    def visit(node: wq.Query) -> None:
        if isinstance(node, wq.Term) and node.fieldname in TEXT_FIELDS:
            words.add(node.text)
        elif isinstance(node, wq.Phrase):
            words.update(node.words)
        elif isinstance(node, wq.Prefix):
            prefixes.append(node.text)
        elif isinstance(node, wq.AndNot | wq.AndMaybe):
            visit(node.a)
        elif isinstance(node, wq.And | wq.Or):
            for child in node.subqueries:
                visit(child)

    visit(q)
    return frozenset(words), tuple(prefixes)


_FORMS: dict[str, tuple[str, frozenset[str]]] = {}
_FORMS_LIMIT = 500_000


def _word_forms(word: str) -> tuple[str, frozenset[str]]:
    """A body word's folded form and index terms, remembered across searches."""
    forms = _FORMS.get(word)
    if forms is None:
        if len(_FORMS) > _FORMS_LIMIT:
            _FORMS.clear()
        forms = _FORMS[word] = (fold(word), frozenset(analyze(word)))
    return forms


def _matcher_for(q: wq.Query) -> Callable[[str], bool]:
    words, prefixes = _highlight_terms(q)

    def is_match(word: str) -> bool:
        folded, terms = _word_forms(word)
        return not words.isdisjoint(terms) or (bool(prefixes) and folded.startswith(prefixes))

    return is_match


def _spellable_words(node: Node) -> list[str]:
    """Words a suggestion may correct: free text, not prefixes or whole-value keys."""
    match node:
        case Term(text, name) if name is None or name in TEXT_FIELDS:
            return [text]
        case Phrase(words, name) if name is None or name in TEXT_FIELDS:
            return list(words)
        case And(children) | Or(children):
            return [w for child in children for w in _spellable_words(child)]
    return []


def _day_start(day: date) -> int:
    return int(datetime_to_long(datetime(day.year, day.month, day.day)))


def _open_index(path: Path) -> tuple[Any, bool]:
    """Open the index at `path`, or recreate it empty when missing or corrupt."""
    with warnings.catch_warnings():
        # Whoosh leaves an unreadable table-of-contents file open; close it quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            if index.exists_in(str(path)):
                ix = index.open_dir(str(path))
                if sorted(ix.schema.names()) == sorted(SCHEMA.names()):
                    with ix.searcher() as searcher:
                        searcher.doc_count()
                    return ix, True
        except Exception:
            pass
        gc.collect()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return index.create_in(str(path), SCHEMA), False


class WhooshBackend:
    """`SearchBackend` over an on-disk Whoosh index in `index_dir`."""

    name = "whoosh"

    def __init__(self, index_dir: Path) -> None:
        self._path = index_dir
        self._ix, self._healthy = _open_index(index_dir)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._segments: dict[str, _SegmentColumns] = {}
        self._snapshot: _Snapshot | None = None

    # Writing

    def index(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents by id and commit."""
        if documents:
            self._write(lambda w: [w.update_document(**document_fields(d)) for d in documents])

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        if ids:
            self._write(lambda w: [w.delete_by_term("id", article_id) for article_id in ids])

    def clear(self) -> None:
        """Empty the index (the start of a rebuild), which makes it healthy again."""
        self._write(lambda w: None, clear=True)
        self._healthy = True

    def _write(self, action: Callable[[Any], object], clear: bool = False) -> None:
        with self._write_lock:
            writer = self._acquire_writer()
            try:
                action(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=CLEAR if clear else None)

    def _acquire_writer(self) -> Any:
        """A writer, waiting for other processes' writes rather than failing on the lock."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return self._ix.writer(limitmb=128)
            except LockError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # Reading

    def count(self) -> int:
        """How many documents the index holds."""
        with self._read_lock:
            return self._current().doc_count()

    def is_healthy(self) -> bool:
        """False from recreating a missing or corrupt index until the next `clear`."""
        return self._healthy

    def close(self) -> None:
        """Close the searcher; the backend reopens one if used again."""
        with self._read_lock:
            if self._snapshot is not None:
                self._snapshot.searcher.close()
                self._snapshot = None
            self._segments.clear()

    def _current(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is not None and snapshot.searcher.up_to_date():
            return snapshot
        # A fresh searcher, not `searcher.refresh()`: whoosh3 3.54's refresh keeps
        # the previous generation's segments, so deleted or merged documents return.
        if snapshot is not None:
            snapshot.searcher.close()
        self._snapshot = _build_snapshot(self._ix.searcher(), self._segments)
        return self._snapshot

    def search(self, request: SearchRequest) -> SearchPage:
        """Answer one search request; raises `QuerySyntaxError` for a bad query."""
        started = time.perf_counter()
        tree = parse_query(request.q)
        q = compile_query(tree)
        page, per_page = max(request.page, 1), max(request.per_page, 1)
        with self._read_lock:
            snap = self._current()
            evaluator = _Evaluator(snap)
            matches = evaluator.run(q)
            mask = matches.mask & snap.live & self._filter_mask(snap, request)
            if request.collapse:
                mask = self._collapse(snap, mask, matches.score, request)
            docs = np.flatnonzero(mask)
            order = self._order(snap, docs, matches.score, request, page * per_page)
            if request.sort == "relevance" and isinstance(q, wq.AndMaybe):
                order = self._rerank(evaluator, q.b, docs, matches.score, order)
            shown = docs[order[(page - 1) * per_page : page * per_page]]
            is_match = _matcher_for(q)
            hits = tuple(self._hit(snap, int(d), matches.score[d], is_match) for d in shown)
            facets = {name: snap.facets[name].count(mask, FACET_TOP) for name in FACET_FIELDS}
            suggestion = self._suggest(snap, tree, request.q)
        return SearchPage(
            query=request.q,
            total=len(docs),
            page=page,
            per_page=per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            hits=hits,
            facets=facets,
        )

    def related(self, article_id: int, limit: int) -> tuple[SearchHit, ...]:
        """Articles sharing the most distinctive words and people with `article_id`."""
        with self._read_lock:
            snap = self._current()
            own = np.flatnonzero((snap.ids == article_id) & snap.live)
            if not len(own) or limit <= 0:
                return ()
            stored = snap.searcher.stored_fields(int(own[0]))
            text = f"{stored['title']}\n{stored['body']}"
            key_terms = snap.searcher.key_terms_from_text("body", text, numterms=15)
            people = [_words_query("person", analyze(p)) for p in stored["hit"][3]]
            q = _any_of(
                [
                    wq.Term(f, t, boost=w * DEFAULT_FIELDS[f])
                    for t, w in key_terms
                    for f in ("title", "body")
                ]
                + people
            )
            matches = _Evaluator(snap).run(q)
            mask = matches.mask & snap.live & (snap.ids != article_id)
            docs = np.flatnonzero(mask)
            order = top_order(-matches.score[docs], snap.ids[docs], limit)
            return tuple(
                self._hit(snap, int(d), matches.score[d], lambda _: False) for d in docs[order]
            )

    def _filter_mask(self, snap: _Snapshot, request: SearchRequest) -> BoolArray:
        mask = np.ones(snap.size, dtype=np.bool_)
        for name, values in request.filters.items():
            if name not in FILTER_FIELDS:
                raise QuerySyntaxError(
                    f"unknown filter {name!r}: use one of {', '.join(FILTER_FIELDS)}"
                )
            for value in values:
                mask &= self._value_mask(snap, name, _key(value))
        if request.date_from is not None:
            mask &= snap.dates >= _day_start(request.date_from)
        if request.date_to is not None:
            mask &= snap.dates < _day_start(request.date_to + timedelta(days=1))
        return mask

    def _value_mask(self, snap: _Snapshot, name: str, key: str) -> BoolArray:
        """Docs whose `name` has the whole value `key` (cached per snapshot)."""
        cached = snap.filters.get((name, key))
        if cached is None:
            cached = np.zeros(snap.size, dtype=np.bool_)
            for leaf, offset in snap.leaves:
                cached[_postings(leaf.reader(), f"{name}_key", key)[0] + offset] = True
            snap.filters[(name, key)] = cached
        return cached

    @classmethod
    def _collapse(
        cls, snap: _Snapshot, mask: BoolArray, score: FloatArray, request: SearchRequest
    ) -> BoolArray:
        """Keep, of each story's matching docs, the one the request's order puts first."""
        docs = np.flatnonzero(mask)
        ranked = docs[cls._order(snap, docs, score, request, len(docs))]
        first = np.unique(snap.stories[ranked], return_index=True)[1]
        kept = np.zeros_like(mask)
        kept[ranked[first]] = True
        return kept

    @staticmethod
    def _order(
        snap: _Snapshot, docs: IntArray, score: FloatArray, request: SearchRequest, stop: int
    ) -> IntArray:
        if request.sort == "newest":
            return top_order(-snap.dates[docs].astype(np.float64), -snap.ids[docs], stop)
        if request.sort == "oldest":
            return top_order(snap.dates[docs].astype(np.float64), snap.ids[docs], stop)
        return top_order(-score[docs], snap.ids[docs], stop)

    @staticmethod
    def _rerank(
        evaluator: _Evaluator, bonus: wq.Query, docs: IntArray, score: FloatArray, order: IntArray
    ) -> IntArray:
        """Double the score of the leading docs where the words stand together."""
        window = order[: len(order) + RERANK_DEPTH]
        candidates = np.sort(docs[window])
        together = candidates[evaluator.verify(bonus, candidates)]
        score[together] *= 2.0
        stop = len(order)
        extended = top_order(-score[docs], evaluator.snap.ids[docs], stop + RERANK_DEPTH)
        return extended[:stop]

    @staticmethod
    def _hit(
        snap: _Snapshot, docnum: int, score: float, is_match: Callable[[str], bool]
    ) -> SearchHit:
        stored = snap.searcher.stored_fields(docnum)
        agency, dateline, published_at, people = stored["hit"]
        return SearchHit(
            id=int(stored["id"]),
            title=stored["title"],
            snippet=make_snippet(stored["body"], is_match),
            score=round(float(score), 4),
            agency=agency,
            dateline=dateline,
            published_at=published_at,
            people=tuple(people),
        )

    def _suggest(self, snap: _Snapshot, tree: Node, text: str) -> str | None:
        """The query with likely misspellings corrected, or None when all words are known."""
        corrected = text
        changed = False
        for word in _spellable_words(tree):
            terms = analyze(word)
            if len(terms) != 1 or not word.isalpha():
                continue
            if any(snap.searcher.doc_frequency(f, terms[0]) for f in DEFAULT_FIELDS):
                continue
            best = self._closest(snap, fold(word))
            if best is not None:
                best = best.title() if word.istitle() else best.upper() if word.isupper() else best
                corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best, corrected)
                changed = True
        return corrected if changed else None

    @staticmethod
    def _closest(snap: _Snapshot, word: str) -> str | None:
        maxdist = 1 if len(word) <= 4 else 2
        scored: list[tuple[int, int, int, str]] = []
        for name in SPELLING_FIELDS:
            spelled = SCHEMA[name].spelling_fieldname(name)
            for leaf, _ in snap.leaves:
                for candidate in leaf.reader().terms_within(spelled, word, maxdist, prefix=1):
                    frequency = snap.searcher.doc_frequency(spelled, candidate)
                    scored.append(
                        (
                            distance(word, candidate),
                            abs(len(candidate) - len(word)),
                            -frequency,
                            candidate,
                        )
                    )
        return min(scored)[3] if scored else None
