"""Search inside PostgreSQL: `tsvector` + GIN for matching, SQL aggregation for facets.

`index` writes `search_documents` rows (PostgreSQL generates the vectors) and
keeps the `search_terms` vocabulary counts in step, in one transaction. A
search runs in one read-only REPEATABLE READ transaction, so the page, the
total and the facets describe the same snapshot.
"""

from __future__ import annotations

import html
import math
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Row,
    RowMapping,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.exc import IntegrityError

from app.db.locks import lock_names
from app.search.pg_query import (
    WEIGHTS,
    Predicate,
    TsQuery,
    as_predicate,
    compile_query,
    expandable_prefixes,
    highlight_text,
    to_tsquery,
)
from app.search.pg_schema import (
    CONFIG,
    MARK_END,
    MARK_START,
    document_row,
    search_documents,
    search_terms,
)
from app.search.pg_text import edit_distance, fold, quote, surface_words, value_key
from app.search.query import And, Node, Or, Phrase, QuerySyntaxError, Term, parse_query
from app.search.snippets import make_snippet
from app.search.types import (
    FILTER_FIELDS,
    Cursor,
    FacetCount,
    IndexDocument,
    SearchHit,
    SearchPage,
    SearchRequest,
)

#: `ts_rank_cd` weights for D (body), C (places, dateline), B (people), A (title).
RANK_WEIGHTS = "{0.2, 0.3, 0.5, 1.0}"
#: Divide the rank by 1 + log(document length), as BM25 discounts long articles.
RANK_NORMALIZATION = 1
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=25, ShortWord=3"
)
#: What `html.escape(..., quote=False)` replaces, `&` first, applied in SQL before `ts_headline`.
HTML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
RANDOM_PAGE_COST = "1.1"
FACET_TOP = 15
PREFIX_LIMIT = 256
SUGGESTION_CANDIDATES = 100
SIMILARITY_THRESHOLD = "0.2"
RELATED_TERMS = 15
#: A word in more documents than this share of the archive (and than `RELATED_COMMON_DOCS`)
#: tells little about what an article is like, and its lookup matches the most rows. At
#: 200,000 documents, skipping them took `related` for 40 articles from a median of 127 ms
#: to 90 ms and the slowest from 522 ms to 284 ms, with 89% of the top ten unchanged
#: (counting from statistics too; Lucene's MoreLikeThis has such a cap, `maxDocFreqPct`).
RELATED_COMMON_SHARE = 0.05
RELATED_COMMON_DOCS = 1000
SPELLABLE_FIELDS: frozenset[str | None] = frozenset(
    {None, "title", "body", "person", "place", "dateline", "author", "translator"}
)
WRITE_ATTEMPTS = 3
TOTAL = ""

sd = search_documents


class PostgresBatch:
    """`IndexBatch` on PostgreSQL: every `add` commits (the rows are already on the server)."""

    def __init__(self, backend: PostgresBackend) -> None:
        self._backend = backend

    def add(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents by id, searchable at once."""
        self._backend.index(documents)

    def commit(self) -> None:
        """Nothing is left to commit."""

    def cancel(self) -> None:
        """Nothing is left to drop: what was added is committed."""

    def use_idle_cores(self) -> None:
        """Nothing to take: the server indexes each `add` with its own processes."""

    def catch_up(self) -> None:
        """Nothing to wait for: every `add` is done when it returns."""


class PostgresBackend:
    """`SearchBackend` over the archive's own PostgreSQL database."""

    name = "postgres"
    analyse_text = None

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError(
                "the postgres search backend needs a PostgreSQL database, "
                f"not {engine.dialect.name}: set NEWSARCHIVE_SEARCH_BACKEND=whoosh"
            )
        self._engine = engine

    # Writing

    def index(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents by id, with their vocabulary, in one transaction."""
        rows = list({doc.id: document_row(doc) for doc in documents}.values())
        if rows:
            self._write(lambda conn: self._replace(conn, rows))

    def batch(self) -> PostgresBatch:
        """Writes for many documents; each `add` is one transaction, searchable at once."""
        return PostgresBatch(self)

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        if ids:
            self._write(lambda conn: _count_words(conn, _remove(conn, list(ids)), -1))

    def clear(self) -> None:
        """Remove every document and the vocabulary."""
        with self._engine.begin() as conn:
            conn.execute(text("TRUNCATE search_documents, search_terms"))

    def _write(self, action: Any) -> None:
        """Run `action` in a transaction, retrying when another process inserted the same id."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._engine.begin() as conn:
                    action(conn)
                return
            except IntegrityError:
                if attempt == WRITE_ATTEMPTS:
                    raise

    @staticmethod
    def _replace(conn: Connection, rows: list[dict[str, Any]]) -> None:
        old = _remove(conn, [row["id"] for row in rows])
        conn.execute(insert(sd), rows)
        _count_words(conn, old, -1)
        _count_words(conn, rows, +1)

    # Reading

    def count(self) -> int:
        """How many documents the index holds."""
        with self._engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(sd)) or 0)

    def is_healthy(self) -> bool:
        """Always: the tables are the database's own, created by its migrations."""
        return True

    def close(self) -> None:
        """Nothing to release: the engine belongs to the archive."""

    def search(self, request: SearchRequest) -> SearchPage:
        """Answer one search request; raises `QuerySyntaxError` for a bad query."""
        started = time.perf_counter()
        tree = parse_query(request.q)
        conditions = _filter_conditions(request)
        page, per_page = max(request.page, 1), max(request.per_page, 1)
        with self._snapshot() as conn:
            expansions = _expand_prefixes(conn, expandable_prefixes(tree))
            compiled = compile_query(tree, expansions)
            where = and_(as_predicate(compiled), *conditions)
            rank = compiled.text if isinstance(compiled, TsQuery) else None
            score = _score(rank or highlight_text(tree, expansions))
            if request.collapse:
                where = _first_of_each_story(where, score, request)
            beyond = and_(where, *_past_cursor(request))
            rows = _page_rows(conn, beyond, score, request, per_page + 1, (page - 1) * per_page)
            ordered = [(row.id, row.score) for row in rows[:per_page]]
            hits = _hits(conn, ordered, highlight_text(tree, expansions))
            next_cursor = (
                Cursor(rows[per_page - 1].sort_date, rows[per_page - 1].id)
                if len(rows) > per_page and request.sort != "relevance"
                else None
            )
            total, facets = _facets(conn, where)
            suggestion = (
                None if total and _all_words_found(tree) else _suggest(conn, tree, request.q)
            )
        return SearchPage(
            query=request.q,
            total=total,
            page=page,
            per_page=per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            hits=hits,
            facets=facets,
            next_cursor=next_cursor,
        )

    def related(self, article_id: int, limit: int) -> tuple[SearchHit, ...]:
        """Articles sharing the most distinctive words and the people of `article_id`."""
        if limit <= 0:
            return ()
        with self._snapshot() as conn:
            own = conn.execute(
                select(sd.c.title, sd.c.body, sd.c.people).where(sd.c.id == article_id)
            ).first()
            if own is None:
                return ()
            weights = _key_terms(conn, f"{own.title}\n{own.body}")
            strongest = max(weights.values(), default=1.0)
            operands = {quote(w): weight for w, weight in weights.items()}
            operands.update({quote(person, ":B"): strongest for person in own.people})
            if not operands:
                return ()
            shared = _shared_weight(operands).subquery("shared")
            score = func.sum(shared.c.weight)
            ordered = conn.execute(
                select(shared.c.id, score.label("score"))
                .where(shared.c.id != article_id)
                .group_by(shared.c.id)
                .order_by(score.desc(), shared.c.id)
                .limit(limit)
            ).all()
            return _hits(conn, [(row.id, row.score) for row in ordered], None)

    @contextmanager
    def _snapshot(self) -> Iterator[Connection]:
        """A read-only REPEATABLE READ transaction planned for solid-state storage."""
        with self._engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as conn:
            # The default cost (4) assumes spinning disks and makes the planner read every
            # vector in a sequential scan instead of the GIN bitmap, ~4x slower for a common
            # word; for this transaction only.
            conn.execute(select(func.set_config("random_page_cost", RANDOM_PAGE_COST, True)))
            yield conn


# Writing helpers


def _remove(conn: Connection, ids: list[int]) -> list[RowMapping]:
    """Lock the ids (in order, so writers never deadlock) and delete their rows; returns
    their text. The ids are locked by name, not by row, so a writer about to insert an id
    that another one is inserting too waits for it instead of failing on the key."""
    lock_names(conn, (f"search-document:{i}" for i in ids))
    old = (
        conn.execute(
            select(sd.c.id, sd.c.title, sd.c.body, sd.c.person_text)
            .where(sd.c.id.in_(ids))
            .order_by(sd.c.id)
            .with_for_update()
        )
        .mappings()
        .all()
    )
    if old:
        conn.execute(delete(sd).where(sd.c.id.in_([row["id"] for row in old])))
    return list(old)


def _document_words(row: Mapping[Any, Any]) -> set[str]:
    return surface_words((row["title"], row["body"], row["person_text"]))


def _count_words(conn: Connection, rows: Sequence[Mapping[Any, Any]], sign: int) -> None:
    """Add `sign` to the document count of every word of `rows` (in word order: no deadlock)."""
    counts = Counter(word for row in rows for word in _document_words(row))
    if not counts:
        return
    words = sorted(counts)
    conn.execute(
        text(
            "INSERT INTO search_terms (word, docs) "
            "SELECT word, docs FROM unnest(CAST(:words AS text[]), CAST(:docs AS integer[])) "
            "AS t(word, docs) ORDER BY word "
            "ON CONFLICT (word) DO UPDATE SET docs = search_terms.docs + excluded.docs"
        ),
        {"words": words, "docs": [sign * counts[word] for word in words]},
    )


# Searching helpers


def _filter_conditions(request: SearchRequest) -> list[Predicate]:
    conditions: list[Predicate] = []
    keys: list[str] = []
    for name, values in request.filters.items():
        if name not in FILTER_FIELDS:
            raise QuerySyntaxError(
                f"unknown filter {name!r}: use one of {', '.join(FILTER_FIELDS)}"
            )
        keys += [value_key(name, value) for value in values]
    if keys:
        conditions.append(sd.c["keys"].contains(keys))
    if request.date_from is not None:
        conditions.append(sd.c.sort_date >= _day_start(request.date_from))
    if request.date_to is not None:
        conditions.append(sd.c.sort_date < _day_start(request.date_to + timedelta(days=1)))
    return conditions


def _past_cursor(request: SearchRequest) -> list[Predicate]:
    """Where a date-sorted list continues after `request.after` (nothing without one)."""
    if request.after is None or request.sort == "relevance":
        return []
    position = tuple_(sd.c.sort_date, sd.c.id)
    after = tuple_(literal(request.after.date), literal(request.after.id))
    return [position > after if request.sort == "oldest" else position < after]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, day_time(), tzinfo=UTC)


def _score(query: str | None) -> ColumnElement[float]:
    if query is None:
        return literal(0.0)
    return func.ts_rank_cd(
        text(f"'{RANK_WEIGHTS}'::float4[]"), sd.c.document, to_tsquery(query), RANK_NORMALIZATION
    )


def _expand_prefixes(conn: Connection, prefixes: set[str]) -> dict[str, tuple[str, ...]]:
    """Vocabulary words starting with each prefix (the first `PREFIX_LIMIT` in order)."""
    expansions: dict[str, tuple[str, ...]] = {}
    for prefix in prefixes:
        pattern = prefix.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        expansions[prefix] = tuple(
            conn.scalars(
                select(search_terms.c.word)
                .where(search_terms.c.word.like(pattern), search_terms.c.docs > 0)
                .order_by(search_terms.c.word)
                .limit(PREFIX_LIMIT)
            )
        )
    return expansions


def _order(score: ColumnElement[float], request: SearchRequest) -> tuple[Any, ...]:
    """The request's order: by date, else by score; ties by id, as in Whoosh."""
    if request.sort == "newest":
        return (sd.c.sort_date.desc(), sd.c.id.desc())
    if request.sort == "oldest":
        return (sd.c.sort_date.asc(), sd.c.id.asc())
    return (score.desc(), sd.c.id.asc())


def _first_of_each_story(
    where: Predicate, score: ColumnElement[float], request: SearchRequest
) -> Predicate:
    """The documents of `where` that the request's order puts first in their story.

    Chosen over the whole result set, before any cursor: every page of a
    collapsed list keeps the same document of each story, and the total and
    facets count stories.
    """
    place = func.row_number().over(partition_by=sd.c.story, order_by=_order(score, request))
    ranked = select(sd.c.id, place.label("place")).where(where).subquery("ranked")
    return sd.c.id.in_(select(ranked.c.id).where(ranked.c.place == 1))


def _page_rows(
    conn: Connection,
    where: Predicate,
    score: ColumnElement[float],
    request: SearchRequest,
    limit: int,
    offset: int,
) -> list[Row[Any]]:
    """`(id, score, sort_date)` rows of one page in order (one extra row tells if more follow)."""
    return list(
        conn.execute(
            select(sd.c.id, score.label("score"), sd.c.sort_date)
            .where(where)
            .order_by(*_order(score, request))
            .limit(limit)
            .offset(offset)
        )
    )


def _hits(
    conn: Connection, ordered: list[tuple[int, float]], highlight: str | None
) -> tuple[SearchHit, ...]:
    """Hits for `(id, score)` pairs in order, snippets marked by `ts_headline`."""
    if not ordered:
        return ()
    escaped: ColumnElement[str] = sd.c.body
    for character, entity in HTML_ENTITIES:
        escaped = func.replace(escaped, character, entity)
    headline = (
        func.ts_headline(CONFIG, escaped, to_tsquery(highlight), HEADLINE_OPTIONS)
        if highlight
        else literal(None)
    )
    rows = conn.execute(
        select(
            sd.c.id,
            sd.c.title,
            sd.c.body,
            sd.c.agency,
            sd.c.dateline,
            sd.c.published_at,
            sd.c.people,
            headline.label("headline"),
        ).where(sd.c.id.in_([i for i, _ in ordered]))
    ).mappings()
    by_id = {row["id"]: row for row in rows}
    return tuple(_hit(by_id[i], score) for i, score in ordered if i in by_id)


def _hit(row: RowMapping, score: float) -> SearchHit:
    published_at = row["published_at"]
    return SearchHit(
        id=row["id"],
        title=row["title"],
        snippet=_snippet(row["body"], row["headline"]),
        score=round(score, 4),
        agency=row["agency"],
        dateline=row["dateline"],
        published_at=published_at.astimezone(UTC) if published_at else None,
        people=tuple(row["people"]),
    )


def _snippet(body: str, headline: str | None) -> str:
    """The marked headline of the escaped body, with `…` where it was cut."""
    if headline is None or MARK_START not in headline:
        return make_snippet(body, lambda _: False)
    escaped = html.escape(body, quote=False)
    plain = headline.replace(MARK_START, "").replace(MARK_END, "").strip()
    marked = headline.strip().replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    lead = "" if escaped.lstrip().startswith(plain) else "… "
    tail = "" if escaped.rstrip().endswith(plain) else " …"
    return f"{lead}{marked}{tail}"


def _facets(conn: Connection, where: Predicate) -> tuple[int, dict[str, tuple[FacetCount, ...]]]:
    """The total and the top values of every facet over the matching set, in one query."""
    matched = (
        select(sd.c.people, sd.c.places, sd.c.agency, sd.c.section, sd.c.language)
        .add_columns(sd.c.translator, sd.c.month)
        .where(where)
        .cte("matched")
    )
    pairs = union_all(
        select(literal("person").label("facet"), func.unnest(matched.c.people).label("value")),
        select(literal("place"), func.unnest(matched.c.places)),
        *(
            select(literal(name), matched.c[name])
            for name in ("agency", "section", "language", "translator", "month")
        ),
        select(literal(TOTAL), literal(TOTAL)).select_from(matched),
    ).subquery("pairs")
    counted = (
        select(
            pairs.c.facet,
            pairs.c.value,
            func.count().label("n"),
            func.row_number()
            .over(
                partition_by=pairs.c.facet,
                order_by=(func.count().desc(), pairs.c.value.collate("C")),
            )
            .label("place_in_facet"),
        )
        .where(pairs.c.value.is_not(None))
        .group_by(pairs.c.facet, pairs.c.value)
        .subquery("counted")
    )
    rows = conn.execute(
        select(counted.c.facet, counted.c.value, counted.c.n)
        .where(counted.c.place_in_facet <= FACET_TOP)
        .order_by(counted.c.facet, counted.c.place_in_facet)
    ).all()
    total = next((row.n for row in rows if row.facet == TOTAL), 0)
    facets: dict[str, tuple[FacetCount, ...]] = {
        name: tuple(FacetCount(r.value, r.n) for r in rows if r.facet == name)
        for name in (*FILTER_FIELDS, "month")
    }
    return int(total), facets


# Suggestions and related articles


def _spellable_words(node: Node) -> list[str]:
    """Words a suggestion may correct: free text, not prefixes or whole-value keys."""
    match node:
        case Term(word, name) if name in SPELLABLE_FIELDS:
            return [word]
        case Phrase(words, name) if name in SPELLABLE_FIELDS:
            return list(words)
        case And(children) | Or(children):
            return [w for child in children for w in _spellable_words(child)]
    return []


def _all_words_found(node: Node) -> bool:
    """True when every match of `node` holds all its spellable words (so none is unknown)."""
    match node:
        case Term(_, name) | Phrase(_, name) if name in SPELLABLE_FIELDS:
            return name is None or name in WEIGHTS  # a word of the `document` vector
        case And(children):
            return all(_all_words_found(child) for child in children)
    return not _spellable_words(node)


def _suggest(conn: Connection, tree: Node, query: str) -> str | None:
    """The query with unknown words replaced by their closest vocabulary word, else None."""
    words = sorted({w for w in _spellable_words(tree) if w.isalpha()})
    if not words:
        return None
    unknown = conn.scalars(
        text(
            "SELECT w FROM unnest(CAST(:words AS text[])) AS w WHERE NOT EXISTS "
            "(SELECT 1 FROM search_documents WHERE document @@ plainto_tsquery(:config, w))"
        ),
        {"words": words, "config": CONFIG},
    ).all()
    corrected = query
    for word in unknown:
        best = _closest(conn, fold(word))
        if best is not None:
            best = best.title() if word.istitle() else best.upper() if word.isupper() else best
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best, corrected)
    return corrected if corrected != query else None


def _closest(conn: Connection, word: str) -> str | None:
    """The nearest vocabulary word by edit distance (same first letter), then frequency."""
    threshold = func.set_config("pg_trgm.similarity_threshold", SIMILARITY_THRESHOLD, True)
    conn.execute(select(threshold))
    candidates = conn.execute(
        select(search_terms.c.word, search_terms.c.docs)
        .where(
            search_terms.c.word.op("%")(word),
            search_terms.c.docs > 0,
            func.left(search_terms.c.word, 1) == word[:1],
        )
        .order_by(func.similarity(search_terms.c.word, word).desc(), search_terms.c.word)
        .limit(SUGGESTION_CANDIDATES)
    ).all()
    most = 1 if len(word) <= 4 else 2
    scored = [
        (distance, abs(len(row.word) - len(word)), -row.docs, row.word)
        for row in candidates
        if (distance := edit_distance(word, row.word)) <= most
    ]
    return min(scored)[3] if scored else None


def _shared_weight(operands: Mapping[str, float]) -> CompoundSelect[Any]:
    """`(id, weight)` for each operand a document matches, one GIN lookup per operand.

    Summed by id, that is a "more like this" score; no document vector is read
    for an unweighted word, which GIN answers exactly.
    """
    return union_all(
        *(
            select(sd.c.id, literal(weight).label("weight")).where(as_predicate(TsQuery(operand)))
            for operand, weight in operands.items()
        )
    )


def _key_terms(conn: Connection, content: str) -> dict[str, float]:
    """The most distinctive words of `content` by (1 + log tf) × idf, with those weights."""
    counts = Counter(w for w in re.findall(r"\w+", fold(content)) if len(w) > 2 and w.isalpha())
    if not counts:
        return {}
    total = _document_count(conn)
    common = max(RELATED_COMMON_DOCS, RELATED_COMMON_SHARE * total)
    frequencies: dict[str, int] = {
        row.word: row.docs
        for row in conn.execute(
            select(search_terms.c.word, search_terms.c.docs).where(
                search_terms.c.word.in_(list(counts))
            )
        )
    }
    weight = {
        word: (1 + math.log(n)) * _idf(frequencies.get(word, 1), total)
        for word, n in counts.items()
        if frequencies.get(word, 1) <= common
    }
    return {w: weight[w] for w in sorted(weight, key=lambda w: (-weight[w], w))[:RELATED_TERMS]}


def _document_count(conn: Connection) -> int:
    """How many documents the archive holds, as PostgreSQL's statistics estimate it (close
    enough for an idf; counting 200,000 rows took 10 to 12 ms a call, reading the estimate
    under 1 ms), or counted while the table has no estimate yet."""
    estimate = conn.scalar(
        text("SELECT reltuples FROM pg_class WHERE oid = 'search_documents'::regclass")
    )
    if estimate is not None and estimate > 0:
        return int(estimate)
    return int(conn.scalar(select(func.count()).select_from(sd)) or 1)


def _idf(doc_freq: int, doc_count: int) -> float:
    """Robertson–Spärck Jones inverse document frequency, never negative."""
    return math.log(1.0 + (doc_count - doc_freq + 0.5) / (doc_freq + 0.5))
