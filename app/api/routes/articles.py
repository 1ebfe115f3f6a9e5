"""`/api/articles`: ingest, read, delete, related."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from app.api.body import RAW_TYPES, media_type, parse_article_json, read_body, stream_body
from app.api.schemas import ArticlePublic, BulkFailure, BulkResult, Problem, RelatedResponse
from app.deps import ArchiveDep, ArticleId, SettingsDep, WriteAccess
from app.ingest.sources import JsonArticle, SourceItem, stream_chunks
from app.services.articles import delete_article, get_article, related_articles
from app.services.bulk import LineIngest
from app.services.ingest import ingest_item

router = APIRouter(prefix="/api/articles", tags=["articles"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 404, 413, 415, 422)
}
ARTICLE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": JsonArticle.model_json_schema()},
        },
    }
}


@router.post(
    "",
    response_model=ArticlePublic,
    status_code=201,
    responses={200: {"model": ArticlePublic, "description": "already stored"}, **ERRORS},
    openapi_extra=ARTICLE_BODY,
    dependencies=[WriteAccess],
)
async def create_article(
    request: Request, response: Response, archive: ArchiveDep, settings: SettingsDep
) -> ArticlePublic:
    """Ingest one raw article (text, HTML or a JSON record); 200 when already stored."""
    kind = media_type(request)
    if kind not in (*RAW_TYPES, "application/json"):
        raise HTTPException(415, "send text/plain, text/html or application/json")
    data = await read_body(request, settings.max_body_bytes)
    if kind == "application/json":
        item = parse_article_json(data, "body")
        outcome = await run_in_threadpool(ingest_item, archive, item)
    else:
        item = SourceItem("body", data, RAW_TYPES[kind])
        outcome = await run_in_threadpool(ingest_item, archive, item)
    if not outcome.created:
        response.status_code = 200
    detail = await run_in_threadpool(get_article, archive, outcome.article_id)
    if detail is None:
        raise HTTPException(409, "the article was deleted while it was being ingested")
    return ArticlePublic.model_validate(detail)


@router.post(
    "/bulk",
    response_model=BulkResult,
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        }
    },
    dependencies=[WriteAccess],
)
async def create_articles(
    request: Request, archive: ArchiveDep, settings: SettingsDep
) -> BulkResult:
    """Ingest NDJSON records as they stream in, a batch per transaction; failures per line."""
    if media_type(request) not in ("application/x-ndjson", "application/jsonl"):
        raise HTTPException(415, "send application/x-ndjson, one JSON article per line")
    body = stream_body(request, settings.max_body_bytes)
    lines = LineIngest(archive)
    try:
        async for chunk in stream_chunks(body, "line"):
            if chunk.first_line + len(chunk.lines) - 1 > settings.max_bulk_lines:
                raise HTTPException(
                    413, f"more than {settings.max_bulk_lines} lines in one request"
                )
            await run_in_threadpool(lines.feed, chunk)
    finally:
        summary = await run_in_threadpool(lines.finish)
    failed = [BulkFailure(line=f.line or 0, error=f.reason) for f in summary.failures]
    return BulkResult(added=summary.added, duplicates=summary.duplicates, failed=failed)


@router.get("/{article_id}", response_model=ArticlePublic, responses=ERRORS)
def read_article(article_id: ArticleId, archive: ArchiveDep) -> ArticlePublic:
    """One stored article."""
    detail = get_article(archive, article_id)
    if detail is None:
        raise HTTPException(404, f"no article {article_id}")
    return ArticlePublic.model_validate(detail)


@router.delete("/{article_id}", status_code=204, responses=ERRORS, dependencies=[WriteAccess])
def remove_article(article_id: ArticleId, archive: ArchiveDep) -> Response:
    """Remove an article from the database and the index."""
    if not delete_article(archive, article_id):
        raise HTTPException(404, f"no article {article_id}")
    return Response(status_code=204)


@router.get("/{article_id}/related", response_model=RelatedResponse, responses=ERRORS)
def read_related(
    article_id: ArticleId, archive: ArchiveDep, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> RelatedResponse:
    """Articles most like this one, never itself."""
    hits = related_articles(archive, article_id, limit)
    if hits is None:
        raise HTTPException(404, f"no article {article_id}")
    return RelatedResponse.model_validate({"hits": hits})
