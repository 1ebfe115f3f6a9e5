"""Searching the archive: one function behind the API, the page and the CLI."""

from __future__ import annotations

import time
from dataclasses import replace

from app.search.types import SearchPage, SearchRequest
from app.services.archive import Archive


def search_articles(archive: Archive, request: SearchRequest) -> SearchPage:
    """Run a search; raises `QuerySyntaxError` for a query that cannot be parsed."""
    started = time.perf_counter()
    page = archive.backend.search(request)
    return replace(page, took_ms=round((time.perf_counter() - started) * 1000, 2))
