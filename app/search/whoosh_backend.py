"""The embedded search engine: Whoosh stores, analyses and matches; numpy counts.

Whoosh keeps the inverted index on disk. Everything that is per-document and
hot (article ids, dates, field lengths, facet values) is read once per
segment into numpy columns, so filters, facets, date ranges, BM25F scoring
and ordering are vectorised passes over the matched document numbers
instead of Whoosh collectors. The index layout and its documents live in
`whoosh_schema`; the writer's posting pool, the file storage Whoosh reads
through and a large commit's sub-writer are in `whoosh_pool`, `whoosh_storage`
and `whoosh_subwriter`.
"""

from __future__ import annotations

import gc
import pickle
import re
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.support.levenshtein import distance
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long, long_to_datetime
from whoosh.writing import CLEAR, NO_MERGE

from app.search.facets import (
    BoolArray,
    FacetColumn,
    FacetPart,
    facet_part,
    merge_facet_parts,
    month_part,
)
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
from app.search.ranking import FloatArray, IntArray, bm25, idf, top_order
from app.search.snippets import make_snippet
from app.search.types import (
    FACET_FIELDS,
    FILTER_FIELDS,
    Cursor,
    IndexDocument,
    SearchHit,
    SearchPage,
    SearchRequest,
)
from app.search.whoosh_pool import tune_writer
from app.search.whoosh_schema import (
    DEFAULT_FIELDS,
    KEY_FIELDS,
    SCHEMA,
    SPELLING_FIELDS,
    TEXT_FIELDS,
    Vocabulary,
    analyze,
    fold,
    layout,
    pack_text,
    spelling_field,
    value_key,
)
from app.search.whoosh_storage import MappedStorage
from app.search.whoosh_subwriter import FINISH_SECONDS, SubWriter, commit_with

FACET_TOP = 15
# Every month is counted: the timeline draws the whole result set, not its busiest months.
FACET_LIMITS: dict[str, int | None] = dict.fromkeys(FILTER_FIELDS, FACET_TOP) | {"month": None}
PREFIX_LIMIT = 256
RERANK_DEPTH = 100
BLOCK_POSTINGS = 128  # Whoosh's posting block size
MAX_UNMERGED_SEGMENTS = 12
#: Memory a writer sorts postings in before it spills them to disk: 128 MB indexes a
#: bulk window as fast as 256 MB did, with 160 MB less on the heap.
WRITER_MB = 128
LOCK_WAIT_SECONDS = 60.0
#: Documents a batch holds before it shares new ones with a sub-writer, and its memory.
SUBWRITER_AFTER = 1000
SUBWRITER_MB = 64
#: How often a commit waiting for a sub-writer that is behind looks whether the cores came free.
TAKE_BACK_POLL_SECONDS = 0.05


_POSITION_SPAN = 1 << 32
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


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
            return wq.Term(f"{name}_key", value_key(value))
        case Term(text, name) | Phrase(text, name):
            words = analyze(text if isinstance(text, str) else " ".join(text))
            return _words_query(str(name), words)
        case Prefix(text, name) if name in KEY_FIELDS:
            return wq.Prefix(f"{name}_key", value_key(text))
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
    return wq.Prefix(name, text, boost=DEFAULT_FIELDS.get(name, 1.0))


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
    facets: dict[str, FacetPart]


def _read_segment(reader: Any) -> _SegmentColumns:
    size = reader.doc_count_all()
    ids = np.fromiter(reader.column_reader("id"), dtype=np.int64, count=size)
    stories = np.fromiter(reader.column_reader("story"), dtype=np.int64, count=size)
    dates = np.fromiter(reader.column_reader("date"), dtype=np.int64, count=size)
    lengths = {name: _field_lengths(reader, name, size) for name in TEXT_FIELDS}
    facets = {"month": month_part(dates)}
    for name in FILTER_FIELDS:
        column = f"facet_{name}"
        doc_parts: list[IntArray] = [np.empty(0, dtype=np.int64)]
        values: list[str] = []
        for value in reader.lexicon(column):
            docs = _postings(reader, column, value).docs
            doc_parts.append(docs)
            values += [value.decode("utf-8")] * len(docs)
        facets[name] = facet_part(np.concatenate(doc_parts), values)
    return _SegmentColumns(ids, stories, dates, lengths, facets)


@dataclass(frozen=True, slots=True)
class _Postings:
    """One term's postings in one segment: local doc numbers, frequencies, encoded positions."""

    docs: IntArray
    tf: FloatArray
    values: list[bytes]


def _field_lengths(reader: Any, name: str, size: int) -> FloatArray:
    """Every doc's length in `name`, read from the one-byte-per-doc length column at once."""
    lengths = np.zeros(size, dtype=np.float64)
    column = reader._perdoc._cached_reader(f"_{name}_len", LENGTHS_COLUMN)
    if column is not None:
        raw = column._dbfile.get(column._basepos, column._count)
        lengths[: len(raw)] = _BYTE_LENGTHS[np.frombuffer(raw, dtype=np.uint8)]
    return lengths


def _postings(
    reader: Any, name: str, text: bytes | str, within: IntArray | None = None
) -> _Postings:
    """Decode a term's posting blocks in bulk (deleted documents included).

    With `within` (sorted local docs), blocks holding none of them are skipped
    on their header alone, like a skip list: the result then covers those docs only.
    """
    try:
        matcher = reader.postings(name, text)
    except TermNotFound:
        return _Postings(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64), [])
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
        matcher.reset()
    if not isinstance(matcher, W3LeafMatcher):
        triples = list(_walk(matcher))
        return _Postings(
            np.array([t[0] for t in triples], dtype=np.int64),
            np.array([t[1] for t in triples], dtype=np.float64),
            [t[2] for t in triples],
        )
    deltas: list[int] = []
    weights: list[float] = []
    lengths: list[int] = []
    values: list[bytes] = []
    previous = -1
    # Whole blocks at once instead of one posting per call: the format is pinned.
    while not matcher._atend:
        skip = within is not None and not _holds_any(within, previous, matcher._maxid)
        previous = matcher._maxid
        if skip:
            matcher._next_block()
            continue
        matcher._read_data()
        block_deltas, block_weights, block_values = matcher._data
        deltas.extend(block_deltas)
        lengths.append(len(block_deltas))
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([block_weights or 1.0] * len(block_deltas))
        else:
            weights.extend(block_weights)
        if block_values is not None:
            values.extend(block_values)
        matcher._next_block()
    return _Postings(_block_ids(deltas, lengths), np.array(weights, dtype=np.float64), values)


def _holds_any(docs: IntArray, after: int, last: int) -> bool:
    """Whether sorted `docs` has one in `(after, last]`."""
    i = int(np.searchsorted(docs, after, side="right"))
    return i < len(docs) and docs[i] <= last


def _block_ids(deltas: list[int], lengths: list[int]) -> IntArray:
    """Doc numbers from delta-coded blocks, each block starting from zero again."""
    if not deltas:
        return np.empty(0, dtype=np.int64)
    coded = np.array(deltas, dtype=np.int64)
    ids = np.cumsum(coded)
    sizes = np.array(lengths, dtype=np.int64)
    last = ids[np.cumsum(sizes) - 1]
    carried = np.concatenate(([0], last[:-1]))
    result: IntArray = ids - np.repeat(carried, sizes)
    return result


def _walk(matcher: Any) -> Iterator[tuple[int, float, bytes]]:
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


def _positions(values: list[bytes], where: IntArray) -> tuple[IntArray, IntArray]:
    """Positions of the postings at `where`, flattened, and how many each posting holds.

    A value is the count then the pickled position deltas (whoosh.formats.Positions).
    """
    deltas: list[int] = []
    counts: list[int] = []
    for i in where.tolist():
        value = values[i][_INT_SIZE:]
        decoded = pickle.loads(value if value.endswith(b".") else value + b".")
        deltas.extend(decoded)
        counts.append(len(decoded))
    return _block_ids(deltas, counts), np.array(counts, dtype=np.int64)


def _phrase_docs(words: list[_Postings], within: IntArray | None) -> IntArray:
    """Local docs (among sorted `within`, if given) where the words stand one after another.

    Positions of the common docs are decoded into flat arrays; keys `(candidate, position
    - k)` of word k are intersected with numpy, so the Python loop only unpickles.
    """
    common = words[0].docs if within is None else np.intersect1d(words[0].docs, within)
    for word in words[1:]:
        common = np.intersect1d(common, word.docs, assume_unique=True)
    if not len(common):
        return np.empty(0, dtype=np.int64)
    keys: IntArray | None = None
    for k, word in enumerate(words):
        positions, counts = _positions(word.values, np.searchsorted(word.docs, common))
        owners = np.repeat(np.arange(len(common), dtype=np.int64), counts)
        shifted = np.unique(owners * _POSITION_SPAN + positions - k)
        keys = shifted if keys is None else np.intersect1d(keys, shifted, assume_unique=True)
    assert keys is not None
    result: IntArray = common[np.unique(keys // _POSITION_SPAN)]
    return result


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
    corrections: dict[str, str | None] = field(default_factory=dict)

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
        name: merge_facet_parts([(p.facets[name], offset) for p, offset in parts], len(live_all))
        for name in FACET_FIELDS
    }
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


class _Evaluator:
    """Walks a Whoosh query, answering each leaf from decoded posting blocks.

    Each node yields a boolean mask over the snapshot's documents; every
    positive leaf adds its BM25F contribution to one shared `score` column.
    """

    def __init__(self, snapshot: _Snapshot) -> None:
        self.snap = snapshot
        self.searcher = snapshot.searcher
        self.doc_count = max(snapshot.doc_count(), 1)
        self.cache: dict[tuple[int, str, str], _Postings] = {}
        self.score = np.zeros(snapshot.size, dtype=np.float64)

    def empty(self) -> BoolArray:
        return np.zeros(self.snap.size, dtype=np.bool_)

    def run(self, q: wq.Query, scoring: bool = True) -> BoolArray:
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, q.boost if scoring else 0.0)
        if isinstance(q, wq.Phrase):
            return self.phrase(q, scoring)
        if isinstance(q, wq.Prefix):
            return self.prefix(q, scoring)
        if isinstance(q, wq.Every):
            return self.snap.live.copy()
        if isinstance(q, wq.AndNot):
            return self.run(q.a, scoring) & ~self.run(q.b, scoring=False)
        if isinstance(q, wq.AndMaybe):
            return self.run(q.a, scoring)
        if isinstance(q, wq.And | wq.Or):
            masks = [self.run(child, scoring) for child in q.subqueries]
            combined = masks[0]
            for mask in masks[1:]:
                if isinstance(q, wq.And):
                    combined &= mask
                else:
                    combined |= mask
            return combined
        return self.empty()

    def postings(self, leaf: int, name: str, text: str) -> _Postings:
        """A term's postings in one leaf, decoded once per search."""
        key = (leaf, name, text)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = _postings(self.snap.leaves[leaf][0].reader(), name, text)
        return found

    def term(self, name: str, text: str, boost: float) -> BoolArray:
        """Docs holding the term; adds its BM25 weight to the score column."""
        result = self.empty()
        for n, (_, offset) in enumerate(self.snap.leaves):
            found = self.postings(n, name, text)
            result[found.docs + offset] = True
            if boost:
                self.add_score(name, text, boost, found, offset)
        return result

    def add_score(
        self,
        name: str,
        text: str,
        boost: float,
        found: _Postings,
        offset: int,
        only: IntArray | None = None,
    ) -> None:
        """Add one term's BM25 weight for its docs (only those in `only`, if given)."""
        docs, tf = found.docs + offset, found.tf
        if only is not None:
            kept = np.isin(docs, only, assume_unique=True)
            docs, tf = docs[kept], tf[kept]
        lengths = self.snap.lengths.get(name)
        if lengths is None:
            self.score[docs] += boost
            return
        weight = boost * idf(self.searcher.doc_frequency(name, text), self.doc_count)
        average = self.searcher.avg_field_length(name, 1.0) or 1.0
        self.score[docs] += bm25(tf, lengths[docs], average, weight)

    def phrase(self, q: wq.Phrase, scoring: bool) -> BoolArray:
        result = self.empty()
        for n, (_, offset) in enumerate(self.snap.leaves):
            words = self.phrase_postings(n, q, None)
            found = _phrase_docs(words, None) + offset
            result[found] = True
            if scoring:
                for text, posting in zip(q.words, words, strict=True):
                    self.add_score(q.fieldname, text, q.boost, posting, offset, only=found)
        return result

    def phrase_postings(self, leaf: int, q: wq.Phrase, within: IntArray | None) -> list[_Postings]:
        """The words' postings, rarest first; later words skip blocks without candidates."""
        rarest_first = sorted(
            range(len(q.words)), key=lambda i: self.searcher.doc_frequency(q.fieldname, q.words[i])
        )
        reader = self.snap.leaves[leaf][0].reader()
        found: dict[int, _Postings] = {}
        candidates = within
        for i in rarest_first:
            posting = self.cache.get((leaf, q.fieldname, q.words[i]))
            blocks = self.searcher.doc_frequency(q.fieldname, q.words[i]) / BLOCK_POSTINGS
            if posting is None and (candidates is None or len(candidates) * 4 > blocks):
                posting = self.postings(leaf, q.fieldname, q.words[i])
            elif posting is None:
                # Far fewer candidates than blocks: skip the blocks that hold none.
                posting = _postings(reader, q.fieldname, q.words[i], within=candidates)
            found[i] = posting
            candidates = (
                posting.docs
                if candidates is None
                else np.intersect1d(candidates, posting.docs, assume_unique=True)
            )
        return [found[i] for i in range(len(q.words))]

    def phrase_docs(self, q: wq.Phrase, within: IntArray) -> IntArray:
        """Global docs among sorted `within` holding the phrase, checked on positions."""
        parts = [np.empty(0, dtype=np.int64)]
        for n, (leaf, offset) in enumerate(self.snap.leaves):
            size = leaf.reader().doc_count_all()
            local = within[(within >= offset) & (within < offset + size)] - offset
            words = self.phrase_postings(n, q, local)
            parts.append(_phrase_docs(words, local) + offset)
        return np.concatenate(parts)

    def prefix(self, q: wq.Prefix, scoring: bool) -> BoolArray:
        """Docs holding a word that starts with the prefix (the first `PREFIX_LIMIT` words).

        A field with a spelling vocabulary expands the prefix over its unstemmed
        words (`negotiat*`: negotiations, negotiate), then matches their terms.
        """
        result = self.empty()
        for leaf, offset in self.snap.leaves:
            reader = leaf.reader()
            for text in _prefix_terms(reader, q.fieldname, q.text):
                result[_postings(reader, q.fieldname, text).docs + offset] = True
        if scoring:
            self.score[result] += q.boost
        return result

    def verify(self, q: wq.Query, docs: IntArray) -> BoolArray:
        """Which of `docs` hold any of the phrases in `q` (a phrase or an Or of them)."""
        phrases = q.subqueries if isinstance(q, wq.Or) else [q]
        found = np.zeros(self.snap.size, dtype=np.bool_)
        for phrase in phrases:
            found[self.phrase_docs(phrase, within=docs)] = True
        result: BoolArray = found[docs]
        return result


def _prefix_terms(reader: Any, name: str, prefix: str) -> set[str]:
    """The field's index terms of the words starting with `prefix`."""
    if name not in SPELLING_FIELDS:
        return set(islice(reader.expand_prefix(name, prefix), PREFIX_LIMIT))
    words = islice(reader.expand_prefix(spelling_field(name), prefix), PREFIX_LIMIT)
    return {term for word in words for term in analyze(word.decode("utf-8"))}


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


def _moment(when: datetime) -> int:
    """A UTC datetime as the index's date column holds it (microseconds since year 1)."""
    return int(datetime_to_long(when.astimezone(UTC).replace(tzinfo=None)))


def _cursor_after(snap: _Snapshot, doc: int) -> Cursor:
    """The cursor that continues a date-sorted list after global doc `doc`."""
    return Cursor(long_to_datetime(int(snap.dates[doc])).replace(tzinfo=UTC), int(snap.ids[doc]))


def _day_start(day: date) -> int:
    return int(datetime_to_long(datetime(day.year, day.month, day.day)))


def _open_index(path: Path) -> tuple[Any, bool]:
    """Open the index at `path`, or recreate it empty when missing, corrupt or laid out
    differently (an older version's index, which the archive then rebuilds)."""
    with warnings.catch_warnings():
        # Whoosh leaves an unreadable table-of-contents file open; close it quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            storage = MappedStorage(str(path))
            if path.is_dir() and storage.index_exists():
                ix = storage.open_index()
                if layout(ix.schema) == layout(SCHEMA):
                    with ix.searcher() as searcher:
                        searcher.doc_count()
                    return ix, True
        except Exception:
            pass
        gc.collect()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return MappedStorage(str(path)).create_index(SCHEMA), False


def _merge_policy(writer: Any, clear: bool) -> Any:
    """Merge only once small segments pile up: a merge on every single-article commit
    costs half a second, while a few extra segments cost searches almost nothing."""
    if clear:
        return CLEAR
    return None if len(writer.segments) >= MAX_UNMERGED_SEGMENTS else NO_MERGE


class WhooshBatch:
    """One writer held from the first `add` to `commit`, so a bulk ingest writes few,
    large segments: Whoosh's cost per segment (every distinct term written, later
    merged) dwarfs its cost per document. Holds the backend's write lock meanwhile.

    Once it holds `SUBWRITER_AFTER` documents, new ones go to a sub-writer
    process, whose segment the commit lists too. While the caller still stores
    (in the same process, under the same interpreter lock), all of them do: the
    writer then only replaces and merges, and the caller's process is left to
    store. Once the caller leaves it the cores (`use_idle_cores`), every other
    chunk does, so that both writers finish their segments at the same time, and
    a commit takes back what a sub-writer that fell behind was not yet sent.
    (Splitting every commit evenly instead only halved the segments: at 200,000
    articles, 708 s against 545 s.)"""

    def __init__(self, backend: WhooshBackend) -> None:
        self._backend = backend
        self._writer: Any = None
        self._subwriter: SubWriter | None = None
        self._vocabulary = Vocabulary()
        self._top_id = 0
        self._added: set[int] = set()
        self._idle_cores = threading.Event()

    def use_idle_cores(self) -> None:
        """Split large commits evenly with the sub-writer from now on (the commit under way
        included)."""
        self._idle_cores.set()

    def add(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents by id; searchable from the next `commit`."""
        writer = self._open()
        if self._shares(documents):
            try:
                _delete_committed(writer, [d.id for d in documents if d.id <= self._top_id])
                self._sub().add(documents)
            except BaseException:
                self.cancel()
                raise
            self._added.update(doc.id for doc in documents)
            return
        for doc in documents:
            if doc.id in self._added:
                # A writer cannot delete what it added itself: commit, then replace.
                self.commit()
            writer = self._open()
            try:
                # Ids above every committed one need no delete.
                self._vocabulary.add_document(writer, doc, replace=doc.id <= self._top_id)
            except BaseException:
                self.cancel()
                raise
            self._added.add(doc.id)

    def _shares(self, documents: Sequence[IndexDocument]) -> bool:
        """Whether these documents go to the sub-writer (the writer deleting the versions
        they replace): none added since the last commit, in a large batch (or a large
        chunk, while the caller still stores); with idle cores, only while the sub-writer
        has no more than the writer."""
        if not self._added.isdisjoint(doc.id for doc in documents):
            return False
        shared = self._subwriter.count if self._subwriter is not None else 0
        if self._idle_cores.is_set():
            return len(self._added) >= SUBWRITER_AFTER and 2 * shared <= len(self._added)
        return max(len(self._added), len(documents)) >= SUBWRITER_AFTER

    def _sub(self) -> SubWriter:
        if self._subwriter is None:
            self._subwriter = SubWriter(self._backend._path, SUBWRITER_MB)
        return self._subwriter

    def _open(self) -> Any:
        if self._writer is None:
            self._backend._write_lock.acquire()
            try:
                self._writer = self._backend._acquire_writer()
                self._top_id = self._backend._top_id(self._writer)
            except BaseException:
                self._backend._write_lock.release()
                raise
            self._added = set()
        return self._writer

    def commit(self) -> None:
        """Make every document added so far searchable and let other writers in."""
        if self._writer is None:
            return
        writer, self._writer, self._added = self._writer, None, set()
        subwriter, self._subwriter = self._subwriter, None

        def last_adds() -> None:
            if subwriter is not None:
                self._take_back(writer, subwriter)
            self._vocabulary.write(writer)

        try:
            commit_with(writer, subwriter, _merge_policy(writer, clear=False), last_adds)
        except BaseException:
            if subwriter is not None:
                subwriter.cancel()
            if not writer.is_closed:
                writer.cancel()
            raise
        finally:
            self._backend._write_lock.release()

    def catch_up(self) -> None:
        """Wait until the sub-writer has been sent every document added (taking back, once
        the cores are free, what it has not): the commit then waits for it the least."""
        if self._subwriter is not None:
            self._take_back(self._writer, self._subwriter)

    def _take_back(self, writer: Any, subwriter: SubWriter) -> None:
        """Wait until the sub-writer has been sent every document. From the moment the
        caller leaves the cores (even midway), take back what it has not been sent, a batch
        at a time, until the writer's segment holds as many documents as the sub-writer's:
        finishing a segment costs more than adding its documents, so both then finish about
        together, and the commit never waits, a core idle, for a sub-writer that fell
        behind while the caller was storing. (Their old versions are deleted already.)"""
        deadline = time.monotonic() + FINISH_SECONDS
        while subwriter.behind() and time.monotonic() < deadline:
            if not self._idle_cores.wait(TAKE_BACK_POLL_SECONDS):
                continue
            if writer.doc_count() >= subwriter.count:
                return
            for doc in subwriter.take_back():
                self._vocabulary.add_document(writer, doc, replace=False)

    def cancel(self) -> None:
        """Drop what was added since the last commit."""
        if self._writer is None:
            return
        writer, self._writer, self._added = self._writer, None, set()
        subwriter, self._subwriter = self._subwriter, None
        self._vocabulary = Vocabulary()
        try:
            if subwriter is not None:
                subwriter.cancel()
            writer.cancel()
        finally:
            self._backend._write_lock.release()


def _delete_committed(writer: Any, ids: Sequence[int]) -> None:
    """Delete the committed documents of these ids (unknown ones are ignored), through one
    searcher."""
    if not ids:
        return
    with writer.searcher() as searcher:
        for article_id in ids:
            docnum = searcher.document_number(id=article_id)
            if docnum is not None:
                writer.delete_document(docnum)


class WhooshBackend:
    """`SearchBackend` over an on-disk Whoosh index in `index_dir`."""

    name = "whoosh"
    analyse_text = staticmethod(pack_text)

    def __init__(self, index_dir: Path) -> None:
        self._path = index_dir
        self._ix, self._healthy = _open_index(index_dir)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._segments: dict[str, _SegmentColumns] = {}
        self._snapshot: _Snapshot | None = None
        self._top_ids: dict[str, int] = {}

    # Writing

    def index(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents by id and commit."""
        if documents:
            batch = self.batch()
            batch.add(documents)
            batch.commit()

    def batch(self) -> WhooshBatch:
        """Writes that become searchable together, at each `commit` (one writer until then)."""
        return WhooshBatch(self)

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        if ids:
            self._write(lambda w: _delete_committed(w, ids))

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
            writer.commit(mergetype=_merge_policy(writer, clear))

    def _top_id(self, writer: Any) -> int:
        """The largest id the committed index holds (deleted or not; 0 when empty)."""
        reader = writer.reader()
        try:
            top = 0
            for leaf, _ in reader.leaf_readers():
                if leaf.segment() is None:  # the empty index's reader
                    continue
                key = leaf.segment().segment_id()
                if key not in self._top_ids:
                    self._top_ids[key] = max(leaf.column_reader("id"), default=0)
                top = max(top, self._top_ids[key])
            return top
        finally:
            reader.close()

    def _acquire_writer(self) -> Any:
        """A writer, waiting for other processes' writes rather than failing on the lock."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return tune_writer(self._ix.writer(limitmb=WRITER_MB), WRITER_MB)
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
            mask = evaluator.run(q) & snap.live & self._filter_mask(snap, request)
            if request.collapse:
                mask = self._collapse(snap, mask, evaluator.score, request)
            docs = np.flatnonzero(mask)
            score = evaluator.score
            pool = self._past_cursor(snap, docs, request)
            order = self._order(snap, pool, score, request, page * per_page)
            if request.sort == "relevance" and isinstance(q, wq.AndMaybe):
                order = self._rerank(evaluator, q.b, pool, score, order)
            shown = pool[order[(page - 1) * per_page : page * per_page]]
            is_match = _matcher_for(q)
            hits = tuple(self._hit(snap, int(d), score[d], is_match) for d in shown)
            facets = {
                name: snap.facets[name].count(mask, docs, FACET_LIMITS.get(name))
                for name in FACET_FIELDS
            }
            suggestion = self._suggest(snap, tree, request.q)
            more = len(pool) > page * per_page and len(shown) > 0
            next_cursor = (
                _cursor_after(snap, int(shown[-1]))
                if more and request.sort != "relevance"
                else None
            )
        return SearchPage(
            query=request.q,
            total=len(docs),
            page=page,
            per_page=per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            hits=hits,
            facets=facets,
            next_cursor=next_cursor,
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
            evaluator = _Evaluator(snap)
            mask = evaluator.run(q) & snap.live & (snap.ids != article_id)
            docs = np.flatnonzero(mask)
            order = top_order(-evaluator.score[docs], snap.ids[docs], limit)
            return tuple(
                self._hit(snap, int(d), evaluator.score[d], lambda _: False) for d in docs[order]
            )

    def _filter_mask(self, snap: _Snapshot, request: SearchRequest) -> BoolArray:
        mask = np.ones(snap.size, dtype=np.bool_)
        for name, values in request.filters.items():
            if name not in FILTER_FIELDS:
                raise QuerySyntaxError(
                    f"unknown filter {name!r}: use one of {', '.join(FILTER_FIELDS)}"
                )
            for value in values:
                mask &= self._value_mask(snap, name, value_key(value))
        if request.date_from is not None:
            mask &= snap.dates >= _day_start(request.date_from)
        if request.date_to is not None:
            mask &= snap.dates < _day_start(request.date_to + timedelta(days=1))
        return mask

    @staticmethod
    def _past_cursor(snap: _Snapshot, docs: IntArray, request: SearchRequest) -> IntArray:
        """The docs a date-sorted list reaches after `request.after` (all without one)."""
        if request.after is None or request.sort == "relevance":
            return docs
        moment, last_id = _moment(request.after.date), request.after.id
        dates, ids = snap.dates[docs], snap.ids[docs]
        if request.sort == "oldest":
            reached: BoolArray = (dates > moment) | ((dates == moment) & (ids > last_id))
        else:
            reached = (dates < moment) | ((dates == moment) & (ids < last_id))
        return docs[reached]

    def _value_mask(self, snap: _Snapshot, name: str, key: str) -> BoolArray:
        """Docs whose `name` has the whole value `key` (cached per snapshot)."""
        cached = snap.filters.get((name, key))
        if cached is None:
            cached = np.zeros(snap.size, dtype=np.bool_)
            for leaf, offset in snap.leaves:
                cached[_postings(leaf.reader(), f"{name}_key", key).docs + offset] = True
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
        """The nearest known word (fewest edits, then closest length, then most used)."""
        if word in snap.corrections:
            return snap.corrections[word]
        maxdist, prefix = (1, 1) if len(word) <= 4 else (2, 2)
        candidates: set[tuple[str, str]] = set()
        for name in SPELLING_FIELDS:
            spelled = spelling_field(name)
            for leaf, _ in snap.leaves:
                found = leaf.reader().terms_within(spelled, word, maxdist, prefix=prefix)
                candidates.update((spelled, candidate) for candidate in found)
        ranked = sorted((distance(word, c), abs(len(c) - len(word)), c, f) for f, c in candidates)
        best = None
        if ranked:
            closest = [r for r in ranked if r[:2] == ranked[0][:2]]
            # A vocabulary word's weight is how many documents used it.
            best = max(closest, key=lambda r: (snap.searcher.frequency(r[3], r[2]), r[2]))[2]
        snap.corrections[word] = best
        return best
