"""`/api/health`: is the archive up, and is the index caught up."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.schemas import HealthOut
from app.deps import ArchiveDep
from app.services.articles import count_articles
from app.services.indexing import pending_count

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=HealthOut)
def health(archive: ArchiveDep) -> HealthOut:
    """Article count, backend name, documents indexed and articles waiting to be indexed."""
    return HealthOut(
        status="ok",
        articles=count_articles(archive),
        backend=archive.backend.name,
        indexed=archive.backend.count(),
        pending_index=pending_count(archive),
    )
