"""One error shape everywhere: `application/problem+json`."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.ingest.record import IngestError
from app.search.query import QuerySyntaxError

PROBLEM_JSON = "application/problem+json"


def problem_response(status: int, detail: str) -> JSONResponse:
    """A problem body for `status` with a human-readable `detail`."""
    title = HTTPStatus(status).phrase
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type=PROBLEM_JSON,
    )


def _describe(error: RequestValidationError) -> tuple[int, str]:
    parts = []
    in_body = False
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        in_body = in_body or (location[:1] == ["body"])
        parts.append(f"{'.'.join(location)}: {item.get('msg', 'invalid')}")
    return (422 if in_body else 400), "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Turn every expected failure into a problem response.

    Unexpected errors become a 500 problem in `app.middleware.RequestContextMiddleware`,
    where the request id is known.
    """

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        response = problem_response(exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, detail = _describe(exc)
        return problem_response(status, detail)

    @app.exception_handler(QuerySyntaxError)
    async def query_error(_: Request, exc: QuerySyntaxError) -> JSONResponse:
        return problem_response(400, f"bad query: {exc}")

    @app.exception_handler(IngestError)
    async def ingest_error(_: Request, exc: IngestError) -> JSONResponse:
        return problem_response(422, f"unusable article: {exc}")
