"""The FastAPI application: routers, static files, error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.api.errors import document_problems, install_error_handlers
from app.api.routes import ROUTERS
from app.api.routes.health import router as health_router
from app.config import Settings
from app.deps import ReadAccess
from app.middleware import (
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
    TimeoutMiddleware,
)
from app.services.archive import Archive, open_archive
from app.web.routes import error_page
from app.web.routes import router as web_router

STATIC_DIR = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings, archive: Archive | None = None) -> FastAPI:
    """Build the app over the archive the settings describe (opened at start-up)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = archive is None
        app.state.archive = archive or open_archive(settings)
        try:
            yield
        finally:
            if owned:
                app.state.archive.close()

    app = FastAPI(
        title="newsarchive",
        version=__version__,
        description="Ingest, extract, store and search news articles.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app, error_page)
    # Health stays open for probes; every other read needs a key when reads are protected.
    for router in ROUTERS:
        app.include_router(router, dependencies=[] if router is health_router else [ReadAccess])
    app.include_router(web_router, dependencies=[ReadAccess])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    generate_schema = app.openapi
    app.openapi = lambda: document_problems(generate_schema())  # type: ignore[method-assign]
    app.add_middleware(
        TimeoutMiddleware, seconds=settings.request_timeout_seconds, error_page=error_page
    )
    app.add_middleware(RequestContextMiddleware, error_page=error_page)
    # Outermost: the headers go on every response, the 500 of an unexpected error included.
    app.add_middleware(SecurityHeadersMiddleware)
    return app
