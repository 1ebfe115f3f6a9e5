"""Schemathesis against the app's own OpenAPI schema: no 5xx, no response off the schema.

The app runs as a real server over a temporary archive holding the demo articles. (An
in-process ASGI client would share Python's global `random` with Hypothesis, which
reseeds it for every example; Whoosh names its segments with that generator.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from app.config import Settings
from app.ingest.sources import SourceFailure, iter_sources
from app.main import create_app
from app.services.archive import open_archive
from app.services.ingest import ingest_item
from bench.server import Server
from tests.conftest import DEMO_DIR

# The bulk body is documented as a string of NDJSON lines: send it as is, like text/plain.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in create_app(Settings(_env_file=None)).openapi()["paths"].items()  # type: ignore[call-arg]
    for method in item
)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenApiSchema]:
    """The schema as the running server publishes it, over the demo articles."""
    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    archive = open_archive(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    try:
        for item in iter_sources([str(DEMO_DIR)], "auto"):
            assert not isinstance(item, SourceFailure)
            ingest_item(archive, item)
    finally:
        archive.close()
    server = Server(data_dir)
    server.start()
    yield schemathesis.openapi.from_url(f"http://127.0.0.1:{server.port}/openapi.json")
    server.stop()


@pytest.mark.parametrize(
    ("method", "path"),
    OPERATIONS,
)
def test_the_api_keeps_its_own_contract(api_schema: OpenApiSchema, method: str, path: str) -> None:
    @given(case=api_schema[path][method].as_strategy())
    @settings(
        max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def call(case: schemathesis.Case) -> None:
        # A schema cannot say that a string is not news text, or that a page is deeper than
        # the configured `max_page`: those are 4xx problems for schema-valid input.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    call()


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if "_id}" in op[1]], ids=str)
def test_ids_past_64_bits_are_bad_requests(
    api_schema: OpenApiSchema, method: str, path: str
) -> None:
    # Larger than any 64-bit database integer: refused before it reaches the database.
    case = api_schema[path][method].Case(
        path_parameters=dict.fromkeys(("article_id", "person_id"), 2**63)
    )
    response = case.call()
    assert response.status_code == 400
    assert response.json()["status"] == 400
