"""One error shape for the API, `application/problem+json`; web pages get theirs as HTML."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from app.api.schemas import Problem
from app.ingest.record import IngestError
from app.search.query import QuerySyntaxError

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("newsarchive.errors")
#: Paths answered with problems whatever the client: the API and its schema.
API_PATHS = ("/api/", "/openapi.json")
#: Renders a web page's failure (status, detail) as an HTML page.
ErrorPage = Callable[[Request, int, str], Response]
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_response(status: int, detail: str) -> JSONResponse:
    """A problem body for `status` with a human-readable `detail`."""
    title = HTTPStatus(status).phrase
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type=PROBLEM_JSON,
    )


def _describe(error: RequestValidationError) -> tuple[int, str]:
    """400 when the URL (path, query, headers) is wrong, else 422 for an unusable body."""
    parts = []
    in_url = False
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        in_url = in_url or (location[:1] != ["body"])
        parts.append(f"{'.'.join(location)}: {item.get('msg', 'invalid')}")
    return (400 if in_url else 422), "; ".join(parts) or "invalid request"


def is_api_request(request: Request) -> bool:
    """Whether the request is for the API (and its schema), not for a web page."""
    path = request.url.path
    return path == "/api" or path.startswith(API_PATHS)


def failure_response(
    request: Request, status: int, detail: str, error_page: ErrorPage | None
) -> Response:
    """A problem response, or, for a web page when `error_page` is given, that page (the
    problem still, should the page itself fail)."""
    if error_page is not None and not is_api_request(request):
        try:
            return error_page(request, status, detail)
        except Exception:
            logger.exception("the error page failed")
    return problem_response(status, detail)


def install_error_handlers(app: FastAPI, error_page: ErrorPage | None = None) -> None:
    """Turn every expected failure into a problem response, or, for a web page (any path
    outside the API) when `error_page` is given, into that HTML page, with the same status.

    Unexpected errors become a 500 problem in `app.middleware.RequestContextMiddleware`,
    where the request id is known.
    """

    def answer(
        request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        response = failure_response(request, status, detail, error_page)
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return answer(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, *_describe(exc))

    @app.exception_handler(QuerySyntaxError)
    async def query_error(request: Request, exc: QuerySyntaxError) -> Response:
        return answer(request, 400, f"bad query: {exc}")

    @app.exception_handler(IngestError)
    async def ingest_error(request: Request, exc: IngestError) -> Response:
        return answer(request, 422, f"unusable article: {exc}")


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Make an OpenAPI schema say what the handlers do: every error is a problem.

    Each documented 4xx/5xx response gets `application/problem+json` content, and each
    operation a `default` problem response (limits, timeouts and validation can answer
    any operation with one). Idempotent; changes `schema` in place and returns it.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema()
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code[:1] in ("4", "5"):
                    response["content"] = _PROBLEM_CONTENT
            responses["default"] = {"description": "A problem", "content": _PROBLEM_CONTENT}
    return schema
