"""The demo archive, shared read-only by the page tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.web.demo import shared_demo_archive


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the demo articles and the hostile one; tests only read from it."""
    settings = shared_demo_archive(tmp_path_factory)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client
