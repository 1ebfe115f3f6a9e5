"""`/api/search`: the query language, filters, facets, highlights."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.schemas import Problem, SearchResponse
from app.deps import ArchiveDep, SearchRequestDep
from app.services.search import search_articles

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResponse, responses={400: {"model": Problem}})
def search(request: SearchRequestDep, archive: ArchiveDep) -> SearchResponse:
    """Search the archive; a query that cannot be parsed is a 400 problem."""
    return SearchResponse.model_validate(search_articles(archive, request))
