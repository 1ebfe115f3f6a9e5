"""An archive guarded by API keys, served in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

KEY = "k3y-for-tests-0123456789"
OTHER_KEY = "second-key-for-a-second-client"
AUTH = {"Authorization": f"Bearer {KEY}"}


def keyed_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for an empty archive under `tmp_path` with two API keys."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", api_keys=(KEY, OTHER_KEY), **overrides
    )


@pytest.fixture
def keyed_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app with API keys configured and reads left open."""
    with TestClient(create_app(keyed_settings(tmp_path)), raise_server_exceptions=False) as client:
        yield client
