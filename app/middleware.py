"""ASGI middleware around every request: request id and access log, time limit,
security headers."""

from __future__ import annotations

import logging
import time

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import ErrorPage, failure_response
from app.logs import REQUEST_ID_HEADER, choose_request_id, reset_request_id, set_request_id

logger = logging.getLogger("newsarchive.access")


class RequestContextMiddleware:
    """Gives each request an id (the client's `X-Request-ID` if safe), echoes it in the
    response, logs one structured line per request, and turns an unexpected error into a
    500 problem (a page, for a web page) logged with its traceback and request id (never a
    traceback to the client).
    """

    def __init__(self, app: ASGIApp, error_page: ErrorPage | None = None) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(REQUEST_ID_HEADER.lower().encode(), b"")
        request_id = choose_request_id(incoming.decode("latin-1"))
        token = set_request_id(request_id)
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.lower().encode(), request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error")
            if status is not None:
                raise
            detail = "internal error; the archive is unchanged"
            response = failure_response(Request(scope), 500, detail, self.error_page)
            await response(scope, receive, send_with_id)
        finally:
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            reset_request_id(token)


class TimeoutMiddleware:
    """Abandons a request (reading its body included) after `seconds` with a 503 problem (a
    page, for a web page).

    An ingest cut short may still have been stored; retrying it is safe, because the
    same content comes back as `200` with the stored article.
    """

    def __init__(self, app: ASGIApp, seconds: float, error_page: ErrorPage | None = None) -> None:
        self.app = app
        self.seconds = seconds
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            with anyio.fail_after(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            logger.warning("request timed out", extra={"timeout_s": self.seconds})
            if response_started:
                return
            detail = f"the request took longer than {self.seconds:g} s and was abandoned"
            response = failure_response(Request(scope), 503, detail, self.error_page)
            response.headers["Retry-After"] = "1"
            await response(scope, receive, send)


# The pages load only their own script and stylesheet: no inline script, no script URL
# (`javascript:`), no plugin, no framing. The Swagger and ReDoc pages load theirs from a CDN.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_EVERY_RESPONSE = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)
_EVERY_RESPONSE_NAMES = frozenset(name for name, _ in _EVERY_RESPONSE)
_OWN_POLICY_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Adds `nosniff`, no framing and a same-origin referrer policy to every response, and a
    strict Content-Security-Policy to all but the API docs pages, so that markup which
    slipped through escaping still cannot run script."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = not scope["path"].startswith(_OWN_POLICY_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in _EVERY_RESPONSE_NAMES
                ]
                headers.extend(_EVERY_RESPONSE)
                if with_policy:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
