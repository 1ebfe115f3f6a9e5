"""Load on loopback: concurrent searches while other clients ingest, against a real server.

Prints requests/s and latency percentiles per kind of request, the 5xx count and how many
acknowledged articles are missing afterwards (both must be 0).

    python -m bench.load                          # 32 searchers, 4 ingesters, 20 s
    python -m bench.load --searchers 8 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.server import REPO, Client, Server, tagged_article

DEMO_NDJSON = REPO / "app" / "demo" / "articles" / "wikinews.ndjson"
QUERIES: tuple[dict[str, str], ...] = (
    {"q": "Panshir"},
    {"q": "Taliban negotiations"},
    {"q": '"Ahmad Massoud"'},
    {"q": "person:Massoud"},
    {"q": "agency:AA"},
    {"q": "contract -Boeing"},
    {"q": "negotiat*"},
    {"q": "(talks OR negotiations) AND Taliban"},
    {"q": "", "sort": "newest"},
    {"q": "election", "sort": "oldest", "per_page": "50"},
    {"q": "masood"},  # a misspelling: the suggestion path
    {"q": "", "language": "en", "page": "2"},
)


@dataclass
class Tally:
    """Latencies (seconds) and status counts for one kind of request, shared by threads."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1

    def server_errors(self) -> int:
        """5xx answers and dropped connections."""
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


@dataclass
class LoadResult:
    """What one load run measured and what the archive holds afterwards."""

    seconds: float
    search: Tally
    ingest: Tally
    acknowledged: dict[str, int]
    lost: list[str]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank).

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.0
    """
    ordered = sorted(values)
    return ordered[max(0, round(fraction * len(ordered) + 0.5) - 1)] if ordered else 0.0


def search_loop(port: int, number: int, tally: Tally, until: float, limit: int) -> None:
    """Run searches from `QUERIES` in turn until the deadline or `limit` requests."""
    with Client(port) as client:
        for n in range(limit):
            if time.monotonic() > until:
                return
            params = QUERIES[(number + n) % len(QUERIES)]
            started = time.perf_counter()
            reply = client.request("GET", f"/api/search?{urlencode(params)}")
            tally.add(time.perf_counter() - started, reply.status)


def ingest_loop(
    port: int, prefix: str, tally: Tally, acknowledged: dict[str, int], until: float, limit: int
) -> None:
    """POST distinct articles until the deadline or `limit` requests; record acknowledgements."""
    with Client(port) as client:
        for n in range(limit):
            if time.monotonic() > until:
                return
            tag = f"{prefix}x{n}"
            started = time.perf_counter()
            reply = client.request("POST", "/api/articles", tagged_article(tag), "text/plain")
            tally.add(time.perf_counter() - started, reply.status)
            if reply.status in (200, 201):
                acknowledged[tag] = json.loads(reply.body)["id"]


def missing_articles(port: int, acknowledged: dict[str, int]) -> list[str]:
    """Tags of acknowledged articles that are not stored once and found by search."""
    lost = []
    with Client(port) as client:
        for tag, article_id in acknowledged.items():
            hits = json.loads(client.request("GET", f"/api/search?q={tag}").body)["hits"]
            if [hit["id"] for hit in hits] != [article_id]:
                lost.append(tag)
    return lost


def run_load(
    port: int, *, searchers: int, ingesters: int, seconds: float, max_requests: int
) -> LoadResult:
    """Run `searchers` + `ingesters` client threads against the server on `port`."""
    search, ingest = Tally(), Tally()
    acknowledged: dict[str, int] = {}
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=search_loop, args=(port, n, search, until, max_requests))
        for n in range(searchers)
    ] + [
        threading.Thread(
            target=ingest_loop, args=(port, f"ld{n}", ingest, acknowledged, until, max_requests)
        )
        for n in range(ingesters)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return LoadResult(elapsed, search, ingest, acknowledged, missing_articles(port, acknowledged))


def seed_archive(port: int, records: int = 60) -> None:
    """The first `records` demo articles, in bulk, and one ingest so that the pipeline's
    first-use loading is done before anything is timed."""
    lines = DEMO_NDJSON.read_bytes().splitlines()[:records]
    with Client(port, timeout=120) as client:
        bulk = client.request(
            "POST", "/api/articles/bulk", b"\n".join(lines), "application/x-ndjson"
        )
        assert bulk.status == 200, bulk.body
        warm = client.request("POST", "/api/articles", tagged_article("warmup"), "text/plain")
        assert warm.status in (200, 201), warm.body


def print_table(result: LoadResult, searchers: int, ingesters: int) -> None:
    """One row per kind of request."""
    print(f"load on loopback: {searchers} searchers + {ingesters} ingesters, "
          f"{result.seconds:.1f} s")  # fmt: skip
    print("| requests | clients | count | req/s | p50 ms | p95 ms | p99 ms | 5xx | lost |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, tally, clients in (
        ("search", result.search, searchers),
        ("ingest", result.ingest, ingesters),
    ):
        ms = [1000 * s for s in tally.latencies]
        lost = len(result.lost) if name == "ingest" else 0
        print(
            f"| {name} | {clients} | {len(ms)} | {len(ms) / result.seconds:.1f} "
            f"| {percentile(ms, 0.5):.0f} | {percentile(ms, 0.95):.0f} "
            f"| {percentile(ms, 0.99):.0f} | {tally.server_errors()} | {lost} |"
        )
    mean = statistics.fmean(result.search.latencies) * 1000 if result.search.latencies else 0.0
    print(f"statuses: search {dict(result.search.statuses)}, ingest {dict(result.ingest.statuses)};"
          f" mean search {mean:.0f} ms")  # fmt: skip


def main() -> None:
    """Serve a fresh archive, seed it, run the load and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searchers", type=int, default=32)
    parser.add_argument("--ingesters", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=100_000, help="per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = Server(Path(folder) / "data")
        server.start()
        try:
            seed_archive(server.port)
            result = run_load(
                server.port,
                searchers=args.searchers,
                ingesters=args.ingesters,
                seconds=args.seconds,
                max_requests=args.max_requests,
            )
        finally:
            server.stop()
    print_table(result, args.searchers, args.ingesters)


if __name__ == "__main__":
    main()
