"""Search over HTTP: `/api/search` of a real archive against a bare FastAPI + Whoosh app.

The archive holds N Reuters-21578 stories ingested through the normal bulk path (cached
in bench/results/); the bare app opens that archive's Whoosh index read-only and answers
`GET /search` with Whoosh's own searcher, `groupedby` facets and highlighter. Both are
served by uvicorn on a free loopback port and driven by keep-alive client threads with
the same query mix. Run through `python -m bench.search --http`.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query
from whoosh import index as whoosh_index

from app.config import Settings
from app.search.types import SearchRequest
from app.services.archive import open_archive
from app.services.bulk import ingest_paths
from bench.ingest import read_stories, varied, write_ndjson
from bench.load import Tally, percentile
from bench.search import RESULTS, BenchQuery, bare_answer
from bench.server import REPO, Client, free_port

INDEX_ENV = "NEWSARCHIVE_BENCH_INDEX_DIR"
BARE_FACETS = ("agency", "section")


def build_archive(size: int) -> Path:
    """The data folder of an archive holding `size` Reuters stories, ingested on first use."""
    data_dir = RESULTS / f"http-archive-{size}"
    marker = data_dir / "complete"
    if marker.exists():
        return data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    source = data_dir / "reuters.ndjson"
    write_ndjson(islice(varied(list(read_stories()), size), size), source)
    started = time.perf_counter()
    archive = open_archive(Settings(_env_file=None, data_dir=data_dir))
    try:
        summary = ingest_paths(archive, [str(source)])
    finally:
        archive.close()
    source.unlink()
    print(f"ingested {summary.added} stories in {time.perf_counter() - started:.0f} s")
    marker.write_text(f"{size}\n")
    return data_dir


def bare_app() -> FastAPI:
    """A straightforward FastAPI + Whoosh app over the index in $NEWSARCHIVE_BENCH_INDEX_DIR:
    one shared searcher, so the handler runs on the event loop (Whoosh readers are not
    thread-safe), and facets on two fields only."""
    searcher = whoosh_index.open_dir(os.environ[INDEX_ENV], readonly=True).searcher()
    app = FastAPI()

    @app.get("/search")
    async def search(
        q: str = "",
        place: Annotated[list[str], Query()] = [],  # noqa: B006 (FastAPI copies defaults)
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> dict[str, Any]:
        filters = {"place": tuple(place)} if place else {}
        request = SearchRequest(q=q, filters=filters, date_from=date_from, date_to=date_to)
        return bare_answer(searcher, request, BARE_FACETS)

    return app


def query_string(request: SearchRequest) -> str:
    """The request as URL parameters both apps accept: `q`, filters, `date_from`, `date_to`."""
    params = [("q", request.q)]
    params += [(name, value) for name, values in request.filters.items() for value in values]
    params += [(n, d.isoformat()) for n, d in (("date_from", request.date_from),
                                               ("date_to", request.date_to)) if d]  # fmt: skip
    return urlencode(params)


@dataclass(frozen=True, slots=True)
class Setup:
    """One way of serving: a name, the command and the path searches go to."""

    name: str
    command: list[str]
    path: str


def setups(workers: int) -> list[Setup]:
    """The app as `newsarchive serve`, the app under uvicorn workers, the bare app."""
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "--no-access-log", "--port"]
    many = ["--workers", str(workers)]
    serve = [sys.executable, "-m", "app", "serve", "--port", "{port}"]
    return [
        Setup(
            "bare FastAPI + Whoosh", [*uvicorn, "{port}", "bench.search_http:bare_app"], "/search"
        ),
        Setup("newsarchive serve", serve, "/api/search"),
        Setup(
            f"app, --workers {workers}",
            [*uvicorn, "{port}", *many, "app.asgi:create"],
            "/api/search",
        ),
    ]


@dataclass
class Running:
    """A server process started for one setup."""

    process: subprocess.Popen[bytes]
    port: int


def start(setup: Setup, data_dir: Path) -> Running:
    """Start `setup` on a free port and wait until a search answers 200."""
    port = free_port()
    env = {
        **os.environ,
        "NEWSARCHIVE_DATA_DIR": str(data_dir),
        "NEWSARCHIVE_LOG_LEVEL": "WARNING",
        INDEX_ENV: str(data_dir / "index"),
    }
    command = [part.replace("{port}", str(port)) for part in setup.command]
    with (RESULTS / "http-server.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 120
    with Client(port, timeout=5) as client:
        while client.request("GET", f"{setup.path}?q=market").status != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{setup.name} did not come up: see {log.name}")
            time.sleep(0.1)
    return Running(process, port)


def stop(running: Running) -> None:
    """SIGTERM and wait."""
    running.process.terminate()
    running.process.wait(timeout=30)


def drive(
    port: int, paths: list[str], clients: int, requests: int, seconds: float
) -> tuple[float, Tally]:
    """`clients` keep-alive threads share `requests` searches, stopping after `seconds`;
    returns the wall time and the tally."""
    tally, tickets = Tally(), itertools.count()
    until = time.monotonic() + seconds

    def loop() -> None:
        with Client(port) as client:
            for ticket in tickets:
                if ticket >= requests or time.monotonic() > until:
                    return
                started = time.perf_counter()
                reply = client.request("GET", paths[ticket % len(paths)])
                tally.add(time.perf_counter() - started, reply.status)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, tally


def totals(port: int, paths: list[str]) -> list[int]:
    """The `total` each search answers, one after another."""
    with Client(port) as client:
        return [json.loads(client.request("GET", path).body)["total"] for path in paths]


def time_setup(
    setup: Setup, data_dir: Path, queries: list[BenchQuery], options: Any
) -> tuple[list[int], list[tuple[int, float, Tally]]]:
    """The totals of every query, then (concurrency, wall seconds, tally) for each level,
    on one server for all levels."""
    paths = [f"{setup.path}?{query_string(q.request)}" for q in queries]
    running = start(setup, data_dir)
    try:
        drive(running.port, paths, 4, len(paths), options.http_seconds)  # warm every worker
        answered = totals(running.port, paths)
        rows = []
        for clients in options.http_concurrency:
            wall, tally = drive(
                running.port, paths, clients, options.http_requests, options.http_seconds
            )
            rows.append((clients, wall, tally))
    finally:
        stop(running)
    return answered, rows


def run(queries: list[BenchQuery], options: Any) -> None:
    """Build (or reuse) the archive, then time every setup at every concurrency."""
    data_dir = build_archive(options.http_size)
    print(
        f"\n{options.http_size} Reuters stories ingested; {len(queries)} queries in turn; at most "
        f"{options.http_requests} requests or {options.http_seconds:.0f} s per level"
    )
    print("| serving | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    answers = []
    for setup in setups(options.http_workers):
        answered, rows = time_setup(setup, data_dir, queries, options)
        answers.append(answered)
        for clients, wall, tally in rows:
            ms = [1000 * s for s in tally.latencies]
            errors = sum(tally.statuses.values()) - tally.statuses[200]
            print(
                f"| {setup.name} | {clients} | {len(ms)} | {len(ms) / wall:.0f} "
                f"| {percentile(ms, 0.5):.1f} | {percentile(ms, 0.95):.1f} "
                f"| {percentile(ms, 0.99):.1f} | {errors} |",
                flush=True,
            )
    differ = sum(len(set(totals)) > 1 for totals in zip(*answers, strict=True))
    print(f"queries whose totals differ between the bare app and the app: {differ}")
