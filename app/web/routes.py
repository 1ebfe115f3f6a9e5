"""Server-rendered pages: search, article, person. They work without JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from app.deps import ArchiveDep, SearchRequestDep
from app.search.query import QuerySyntaxError
from app.search.types import SearchPage
from app.services.articles import article_hits, get_article, get_raw, related_articles
from app.services.people import get_person
from app.services.search import search_articles
from app.web.context import build_search_view

templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
)
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, search: SearchRequestDep, archive: ArchiveDep) -> Response:
    """The search page: form, results with highlights, facets, pagination."""
    error = None
    try:
        page = search_articles(archive, search)
    except QuerySyntaxError as exc:
        error = str(exc)
        page = SearchPage(search.q, 0, search.page, search.per_page, 0.0, None, (), {})
    view = build_search_view(search, page)
    return templates.TemplateResponse(
        request, "search.html", {"view": view, "error": error}, status_code=400 if error else 200
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, archive: ArchiveDep) -> Response:
    """One article with its metadata panel and related articles."""
    article = get_article(archive, article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    related = related_articles(archive, article_id, 5) or ()
    return templates.TemplateResponse(
        request, "article.html", {"article": article, "related": related}
    )


@router.get("/articles/{article_id}/raw", response_class=PlainTextResponse)
def article_raw(article_id: int, archive: ArchiveDep) -> Response:
    """The raw input exactly as received, as plain text (never rendered as HTML)."""
    raw = get_raw(archive, article_id)
    if raw is None:
        raise HTTPException(404, f"no article {article_id}")
    return PlainTextResponse(raw[0], headers={"X-Content-Type-Options": "nosniff"})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: int, archive: ArchiveDep) -> Response:
    """One person: spellings, roles, co-mentioned people, latest articles."""
    with archive.sessions() as session:
        person = get_person(session, person_id)
    if person is None:
        raise HTTPException(404, f"no person {person_id}")
    articles = article_hits(archive, person.article_ids[:20])
    return templates.TemplateResponse(
        request, "person.html", {"person": person, "articles": articles}
    )
