"""Shared fixtures: a real archive (SQLite file + Whoosh index) in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.archive import Archive, open_archive

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED_DIR", REPO.parent / "shared"))
DEMO_DIR = REPO / "app" / "demo" / "articles"
SEED_PATH = DEMO_DIR / "seed-article.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    """The sample Anadolu Agency article, page junk included, as scraped."""
    return SEED_PATH.read_bytes()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an empty archive under `tmp_path` (no environment, no .env)."""
    return Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture
def archive(settings: Settings) -> Iterator[Archive]:
    """An opened, migrated, empty archive."""
    opened = open_archive(settings)
    yield opened
    opened.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The whole app over a fresh archive, started and stopped like a server."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
