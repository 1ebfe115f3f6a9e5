"""`uvicorn app.asgi:create --factory`: workers build the app from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.asgi import create


def test_the_factory_serves_the_archive_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(tmp_path / "elsewhere"))
    with TestClient(create()) as client:
        assert client.get("/api/health").json()["articles"] == 0
    assert (tmp_path / "elsewhere" / "archive.db").exists()
