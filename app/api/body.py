"""Reading request bodies within limits, by content type."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import HTTPException, Request

from app.ingest.record import IngestError, InputFormat
from app.ingest.sources import SourceItem, item_from_json

RAW_TYPES: dict[str, InputFormat] = {"text/plain": "text", "text/html": "html"}


def check_body_headers(request: Request, limit: int) -> None:
    """Refuse a body before reading it: compressed (415) or declared past `limit` (413).

    Compressed bodies (`Content-Encoding: gzip` …) are refused because unpacking them
    would let a few kilobytes expand past every limit (a zip bomb).
    """
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise HTTPException(415, f"Content-Encoding {encoding!r} is not accepted; send it unpacked")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is larger than {limit} bytes")


async def stream_body(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The body as it arrives, or 413 as soon as it grows past `limit` bytes, declared or
    not (see `check_body_headers`)."""
    check_body_headers(request, limit)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body is larger than {limit} bytes")
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or 413 past `limit` bytes (see `stream_body`)."""
    return b"".join([chunk async for chunk in stream_body(request, limit)])


def media_type(request: Request) -> str:
    """The request's media type without parameters, lower case."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_article_json(data: bytes | str, origin: str) -> SourceItem:
    """A JSON article record; 422 when it is not one."""
    try:
        value: Any = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise HTTPException(422, f"the body is not valid JSON: {error}") from None
    try:
        return item_from_json(value, origin)
    except IngestError as error:
        raise HTTPException(422, f"invalid article record: {error}") from None
