"""Search latency at archive scale: the Whoosh backend against bare Whoosh, same index;
or, with `--backend postgres`, the PostgreSQL backend against the Whoosh backend.

Documents are built directly from Reuters-21578 SGML (title, body, dateline
place, PLACES/PEOPLE tags, TOPICS as section, date), not through the ingest
pipeline; copies with distinct ids and dates shifted by whole years reach
sizes beyond the 21,578 stories. Built indexes are cached in bench/results/;
PostgreSQL keeps one database per size (`newsarchive_bench_<size>`), loaded
through the backend's own `index` in batches.

    python -m bench.search --sizes 20000,200000 --queries 200
    python -m bench.search --backend postgres --sizes 20000,200000
    python -m bench.search --quick
    python -m bench.search --http            # over HTTP: see bench/search_http.py
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting

from app.db.session import create_db_engine, upgrade_database
from app.search.backend import SearchBackend
from app.search.postgres_backend import PostgresBackend
from app.search.query import parse_query
from app.search.types import FACET_FIELDS, IndexDocument, SearchRequest
from app.search.whoosh_backend import FACET_TOP, WhooshBackend, compile_query
from app.search.whoosh_schema import SCHEMA, document_fields, fold

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED_DIR", ROOT / ".." / "shared"))
REUTERS = SHARED / "corpora" / "reuters21578" / "raw"
STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\">(.*?)</REUTERS>", re.S)
BATCH = 5000
REUTERS_STORIES = 21578
#: Stories whose related articles are timed (ids of the original Reuters stories).
RELATED_ARTICLES = 40
POSTGRES_SERVER = os.environ.get(
    "NEWSARCHIVE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _tag(block: str, name: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def _labels(block: str, name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<D>(.*?)</D>", _tag(block, name)))


def read_reuters() -> list[IndexDocument]:
    """Every Reuters-21578 story as an IndexDocument (agency Reuters, English)."""
    documents = []
    for path in sorted(REUTERS.glob("reut2-*.sgm.gz")):
        text = gzip.decompress(path.read_bytes()).decode("latin-1")
        for match in STORY.finditer(text):
            block = match.group(2)
            stamp = datetime.strptime(_tag(block, "DATE")[:11].strip(), "%d-%b-%Y")
            topics = _labels(block, "TOPICS")
            dateline = _tag(block, "DATELINE").split(",")[0].strip().title()
            documents.append(
                IndexDocument(
                    id=int(match.group(1)),
                    title=_tag(block, "TITLE").title(),
                    body=_tag(block, "BODY").removesuffix("Reuter").strip(),
                    section=topics[0] if topics else None,
                    language="en",
                    agency="Reuters",
                    agency_code="RTRS",
                    dateline=dateline or None,
                    translator=None,
                    authors=(),
                    people=tuple(p.replace("-", " ").title() for p in _labels(block, "PEOPLE")),
                    person_aliases=(),
                    places=tuple(p.replace("-", " ").title() for p in _labels(block, "PLACES")),
                    organizations=(),
                    published_at=stamp.replace(tzinfo=UTC),
                    ingested_at=stamp.replace(tzinfo=UTC),
                )
            )
    return documents


def scaled(stories: list[IndexDocument], size: int) -> Iterator[IndexDocument]:
    """`size` documents: copy k of story i gets id k·N+i and its date shifted k years."""
    for n in range(size):
        copy, story = divmod(n, len(stories))
        doc = stories[story]
        moment = (doc.published_at or doc.ingested_at) + timedelta(days=365 * copy)
        yield replace(doc, id=copy * len(stories) + doc.id, published_at=moment, ingested_at=moment)


def load_index(stories: list[IndexDocument], size: int) -> Path:
    """The cached index of `size` documents, built on first use."""
    layout = repr(sorted((name, type(f).__name__) for name, f in SCHEMA.items()))
    path = RESULTS / f"index-{size}-{hashlib.sha1(layout.encode()).hexdigest()[:8]}"
    marker = path / "complete"
    if marker.exists():
        return path
    backend = WhooshBackend(path)
    backend.clear()
    backend.close()
    started = time.perf_counter()
    # One writer and one commit: many small commits would re-merge segments over and over.
    writer = whoosh_index.open_dir(str(path)).writer(limitmb=512)
    for doc in scaled(stories, size):
        writer.add_document(**document_fields(doc))
    writer.commit()
    marker.write_text(f"{size}\n")
    print(f"built {size} documents in {time.perf_counter() - started:.0f} s")
    return path


def load_postgres(stories: list[IndexDocument], size: int) -> str:
    """The URL of a database holding `size` documents, loaded on first use."""
    server = make_url(POSTGRES_SERVER)
    name = f"newsarchive_bench_{size}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    upgrade_database(engine)
    backend = PostgresBackend(engine)
    if backend.count() != size:
        backend.clear()
        started = time.perf_counter()
        batch: list[IndexDocument] = []
        for doc in scaled(stories, size):
            batch.append(doc)
            if len(batch) == BATCH:
                backend.index(batch)
                batch = []
        backend.index(batch)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE search_documents"))
        print(f"loaded {size} documents into PostgreSQL in {time.perf_counter() - started:.0f} s")
    engine.dispose()
    return url


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    request: SearchRequest


def make_queries(stories: list[IndexDocument], count: int) -> list[BenchQuery]:
    """A fixed mix: single words, two-word AND, phrases, fielded and filtered with dates."""
    rng = random.Random(21578)
    words = Counter(w for d in stories for w in re.findall(r"[a-z]{4,}", d.body.lower()))
    common = sorted(w for w, n in words.items() if n >= 50)
    rare = sorted(w for w, n in words.items() if 5 <= n < 50)
    titles = [d.title for d in stories if len(d.title.split()) >= 3]
    places = sorted({p for d in stories for p in d.places})
    people = sorted({p for d in stories for p in d.people})
    kinds: list[tuple[str, Callable[[], SearchRequest]]] = [
        ("single", lambda: SearchRequest(q=rng.choice(common + rare))),
        ("and", lambda: SearchRequest(q=f"{rng.choice(common)} {rng.choice(common)}")),
        ("phrase", lambda: SearchRequest(q=_title_phrase(rng, titles))),
        ("fielded+date", lambda: _fielded(rng, common, places, people)),
        ("filtered+date", lambda: _filtered(rng, common, places)),
    ]
    return [BenchQuery(kind, make()) for n in range(count) for kind, make in [kinds[n % 5]]]


def _title_phrase(rng: random.Random, titles: list[str]) -> str:
    words = re.findall(r"[A-Za-z]{3,}", rng.choice(titles))
    while len(words) < 2:
        words = re.findall(r"[A-Za-z]{3,}", rng.choice(titles))
    start = rng.randrange(len(words) - 1)
    return f'"{words[start]} {words[start + 1]}"'


def _date_range(rng: random.Random) -> tuple[date, date]:
    start = date(1987, rng.randint(2, 9), 1)
    return start, start + timedelta(days=rng.choice((7, 30, 120)))


def _fielded(
    rng: random.Random, common: list[str], places: list[str], people: list[str]
) -> SearchRequest:
    start, end = _date_range(rng)
    field = rng.choice((f'place:"{rng.choice(places)}"', f'person:"{rng.choice(people)}"'))
    return SearchRequest(q=f"{field} {rng.choice(common)}", date_from=start, date_to=end)


def _filtered(rng: random.Random, common: list[str], places: list[str]) -> SearchRequest:
    start, end = _date_range(rng)
    place = rng.choice(("Usa", "Uk", "Japan", "West Germany", rng.choice(places)))
    return SearchRequest(
        q=rng.choice(common), filters={"place": (place,)}, date_from=start, date_to=end
    )


def bare_search(searcher: object, request: SearchRequest) -> int:
    """The total of `bare_answer`: what the in-process comparison times."""
    total: int = bare_answer(searcher, request)["total"]
    return total


def bare_answer(
    searcher: object, request: SearchRequest, facet_fields: tuple[str, ...] = FACET_FIELDS
) -> dict[str, Any]:
    """The same search through Whoosh's own collector, `groupedby` facets and highlighter,
    as a JSON-ready answer: total, hits (id, title, highlighted body) and facet counts."""
    q = compile_query(parse_query(request.q))
    filters = [wq.Term(f"{n}_key", fold(v)) for n, vs in request.filters.items() for v in vs]
    if request.date_from or request.date_to:
        filters.append(wq.DateRange("date", _moment(request.date_from), _moment(request.date_to)))
    facets = {
        name: sorting.FieldFacet(f"facet_{name}", allow_overlap=name in ("person", "place"))
        for name in facet_fields
    }
    results = searcher.search(  # type: ignore[attr-defined]
        q,
        limit=request.per_page,
        filter=wq.And(filters) if filters else None,
        groupedby=facets,
        maptype=sorting.Count,
        terms=True,
    )
    return {
        "total": len(results),
        "hits": [
            {"id": hit["id"], "title": hit.get("title"), "snippet": hit.highlights("body")}
            for hit in results
        ],
        "facets": {
            name: sorted(results.groups(name).items(), key=lambda kv: -kv[1])[:FACET_TOP]
            for name in facet_fields
        },
    }


def _moment(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p / 100), len(ordered) - 1)]


def measure(run: Callable[[SearchRequest], int], queries: list[BenchQuery]) -> list[float]:
    for warm in ("market", "bank rate", '"oil prices"'):
        run(SearchRequest(q=warm))
    timings = []
    for item in queries:
        started = time.perf_counter()
        run(item.request)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(
    size: int,
    queries: list[BenchQuery],
    ours: list[float],
    bare: list[float],
    names: tuple[str, str] = ("backend", "bare"),
) -> None:
    print(f"\n{size} documents, {len(queries)} queries (ms)")
    print(f"{'queries':<16}{'engine':<12}{'p50':>8}{'p95':>8}{'p99':>8}")
    for kind in ["all", *sorted({q.kind for q in queries})]:
        chosen = [i for i, q in enumerate(queries) if kind in ("all", q.kind)]
        for name, times in zip(names, (ours, bare), strict=True):
            picked = [times[i] for i in chosen]
            figures = "".join(f"{percentile(picked, p):8.1f}" for p in (50, 95, 99))
            print(f"{kind:<16}{name:<12}{figures}")
    for p in (50, 95, 99):
        ratio = percentile(ours, p) / percentile(bare, p)
        print(f"p{p} ratio {names[0]}/{names[1]}: {ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="2,000 documents, 40 queries")
    parser.add_argument(
        "--backend",
        choices=("whoosh", "postgres"),
        default="whoosh",
        help="whoosh: against bare Whoosh; postgres: PostgreSQL against the Whoosh backend",
    )
    parser.add_argument("--http", action="store_true", help="time /api/search over HTTP")
    parser.add_argument("--http-size", type=int, default=5000, help="stories in the archive")
    parser.add_argument("--http-requests", type=int, default=3000, help="at most, per level")
    parser.add_argument("--http-seconds", type=float, default=15.0, help="at most, per level")
    parser.add_argument("--http-workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--http-concurrency",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[1, 8, 32],
        help="client threads, per level",
    )
    args = parser.parse_args()
    if not REUTERS.exists():
        raise SystemExit(f"Reuters-21578 not found in {REUTERS}: set NEWSARCHIVE_SHARED_DIR")
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    stories = read_reuters()
    queries = make_queries(stories, 40 if args.quick else args.queries)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (skews both engines)")
    if args.http:
        from bench.search_http import run  # it imports this module

        return run(queries, args)
    print("documents built directly from Reuters-21578 SGML, not through the ingest pipeline")
    for size in sizes:
        path = load_index(stories, size)
        if args.backend == "postgres":
            compare_postgres(load_postgres(stories, size), path, size, queries)
        else:
            compare(path, size, queries)


def compare(path: Path, size: int, queries: list[BenchQuery]) -> None:
    """Time both engines on the same index and check they agree on totals."""
    backend = WhooshBackend(path)
    searcher = whoosh_index.open_dir(str(path)).searcher()
    ours = measure(lambda r: backend.search(r).total, queries)
    bare = measure(lambda r: bare_search(searcher, r), queries)
    mismatched = sum(
        backend.search(q.request).total != bare_search(searcher, q.request) for q in queries
    )
    report(size, queries, ours, bare)
    print(f"queries whose totals differ between engines: {mismatched}")
    backend.close()
    searcher.close()


def compare_postgres(url: str, path: Path, size: int, queries: list[BenchQuery]) -> None:
    """Time the PostgreSQL and Whoosh backends on the same documents; count differing totals.
    Then time each backend's related articles for `RELATED_ARTICLES` Reuters stories."""
    engine = create_db_engine(url)
    postgres, whoosh = PostgresBackend(engine), WhooshBackend(path)
    ours = measure(lambda r: postgres.search(r).total, queries)
    theirs = measure(lambda r: whoosh.search(r).total, queries)
    mismatched = sum(
        postgres.search(q.request).total != whoosh.search(q.request).total for q in queries
    )
    report(size, queries, ours, theirs, names=("postgres", "whoosh"))
    print(f"queries whose totals differ between engines: {mismatched}")
    stories = random.Random(11).sample(range(1, min(size, REUTERS_STORIES) + 1), RELATED_ARTICLES)
    for name, backend in (("postgres", postgres), ("whoosh", whoosh)):
        times = sorted(time_related(backend, stories))
        print(
            f"related (10 a story), {name}: p50 {statistics.median(times):.1f} ms, "
            f"p95 {times[int(0.95 * len(times))]:.1f} ms, max {times[-1]:.1f} ms"
        )
    whoosh.close()
    engine.dispose()


def time_related(backend: SearchBackend, ids: list[int]) -> list[float]:
    """Milliseconds each `related(id, 10)` took, in the order of `ids`."""
    backend.related(ids[0], 10)  # warm up
    timings = []
    for article_id in ids:
        started = time.perf_counter()
        backend.related(article_id, 10)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


if __name__ == "__main__":
    main()
