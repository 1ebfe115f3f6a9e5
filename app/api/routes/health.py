"""`/api/health`: is the archive up, and is the index caught up."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.api.schemas import HealthOut
from app.deps import ArchiveDep
from app.services.archive import ArchiveState, check_archive

router = APIRouter(prefix="/api", tags=["health"])


class HealthReport(HealthOut):
    """Health with the state of each store: `ok`, or `unavailable` with `status: degraded`."""

    database: Literal["ok", "unavailable"]
    index: Literal["ok", "unavailable"]


def _report(state: ArchiveState, backend: str) -> HealthReport:
    return HealthReport(
        status="ok" if state.database_ok and state.index_ok else "degraded",
        articles=state.articles,
        backend=backend,
        indexed=state.indexed,
        pending_index=state.pending_index,
        database="ok" if state.database_ok else "unavailable",
        index="ok" if state.index_ok else "unavailable",
    )


@router.get(
    "/health",
    response_model=HealthReport,
    responses={503: {"model": HealthReport, "description": "the database or index is down"}},
)
async def health(archive: ArchiveDep) -> JSONResponse:
    """Article count, backend, documents indexed, articles waiting to be indexed, and the
    state of the database and the index; 503 when either is unavailable."""
    report = _report(await run_in_threadpool(check_archive, archive), archive.backend.name)
    status = 200 if report.status == "ok" else 503
    return JSONResponse(report.model_dump(mode="json"), status_code=status)
