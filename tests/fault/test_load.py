"""32 clients search while 4 ingest, through one real server on the embedded default.

Whoosh has a single writer: concurrent ingests must queue for it, never fail on its lock,
and searches must keep being answered meanwhile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load import run_load, seed_archive
from bench.server import ForkedServer

pytestmark = pytest.mark.slow
SEARCHERS, INGESTERS, PER_CLIENT = 32, 4, 6


def test_concurrent_ingests_and_searches_all_succeed(tmp_path: Path) -> None:
    server = ForkedServer(tmp_path / "data")
    try:
        server.start()
        seed_archive(server.port, records=20)
        result = run_load(
            server.port,
            searchers=SEARCHERS,
            ingesters=INGESTERS,
            seconds=60,
            max_requests=PER_CLIENT,
        )
    finally:
        server.close()
    assert dict(result.search.statuses) == {200: SEARCHERS * PER_CLIENT}
    assert dict(result.ingest.statuses) == {201: INGESTERS * PER_CLIENT}
    assert result.lost == []
