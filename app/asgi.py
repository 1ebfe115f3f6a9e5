"""A module-level app factory for multi-process serving, settings from the environment:

    NEWSARCHIVE_DATA_DIR=... uvicorn app.asgi:create --factory --workers 2 --no-access-log

Each worker process calls `create` and opens the archive itself, as `newsarchive serve` does.
"""

from __future__ import annotations

from fastapi import FastAPI

from app.config import get_settings
from app.logs import configure_logging
from app.main import create_app


def create() -> FastAPI:
    """The app over the archive that the NEWSARCHIVE_* environment describes."""
    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
