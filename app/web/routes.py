"""Server-rendered pages: search, article, person, people. They work without JavaScript."""

from __future__ import annotations

from dataclasses import replace
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.deps import ArchiveDep, ArticleId, PersonId, SearchRequestDep
from app.search.query import QuerySyntaxError
from app.search.types import SearchPage, SearchRequest
from app.services.archive import Archive
from app.services.articles import article_hits, get_article, get_raw, related_articles
from app.services.people import get_person, list_people
from app.services.search import search_articles
from app.services.timeline import person_article_dates
from app.web.article_view import build_article_view
from app.web.context import build_search_view, url_with
from app.web.explanation import explain_no_results
from app.web.person_view import LATEST_ARTICLES, build_people_view, build_person_view
from app.web.snippets import keep_only_marks

environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
)
environment.filters["keep_only_marks"] = keep_only_marks
templates = Jinja2Templates(env=environment)
PEOPLE_PER_PAGE = 30
RELATED_ARTICLES = 5


def drop_empty_params(request: Request) -> None:
    """Redirect `/?q=x&date_from=&sort=` to `/?q=x&sort=...`: a form sends its empty fields.

    Without this, a plain HTML form submitted with an empty date box would fail
    the shared parameters' validation; the redirect also keeps shared URLs short.
    """
    pairs = request.query_params.multi_items()
    kept = [(name, value) for name, value in pairs if value.strip()]
    if len(kept) < len(pairs):
        raise HTTPException(
            303, "see the cleaned URL", headers={"Location": url_with(request.url.path, kept)}
        )


router = APIRouter(include_in_schema=False, dependencies=[Depends(drop_empty_params)])


def _render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _not_found(request: Request, what: str) -> Response:
    return _render(request, "not_found.html", {"what": what}, status_code=404)


def error_page(request: Request, status: int, detail: str) -> Response:
    """A web page's failure (bad parameters, a page that is not there, an unexpected error,
    a timeout) as a page."""
    context = {"title": HTTPStatus(status).phrase, "detail": detail}
    return _render(request, "error.html", context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, search: SearchRequestDep, archive: ArchiveDep) -> Response:
    """The search page: form, facets, timeline, results with highlights, pagination."""
    error = None
    try:
        page = search_articles(archive, search)
    except QuerySyntaxError as exc:
        error = str(exc)
        page = SearchPage(search.q, 0, search.page, search.per_page, 0.0, None, (), {})
    reasons = (
        () if page.total or error else explain_no_results(search, lambda r: _count(archive, r))
    )
    context = {"view": build_search_view(search, page), "error": error, "reasons": reasons}
    return _render(request, "search.html", context, status_code=400 if error else 200)


def _count(archive: Archive, request: SearchRequest) -> int:
    return search_articles(archive, replace(request, page=1, per_page=1)).total


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: ArticleId, archive: ArchiveDep) -> Response:
    """One article: metadata panel, body, linked people and places, related articles."""
    article = get_article(archive, article_id)
    if article is None:
        return _not_found(request, f"article {article_id}")
    related = related_articles(archive, article_id, RELATED_ARTICLES) or ()
    return _render(request, "article.html", {"view": build_article_view(article, related)})


@router.get("/articles/{article_id}/raw", response_class=PlainTextResponse)
def article_raw(request: Request, article_id: ArticleId, archive: ArchiveDep) -> Response:
    """The raw input exactly as received, as plain text (never rendered as HTML)."""
    raw = get_raw(archive, article_id)
    if raw is None:
        return _not_found(request, f"article {article_id}")
    return PlainTextResponse(raw[0], headers={"X-Content-Type-Options": "nosniff"})


@router.get("/people", response_class=HTMLResponse)
def people_page(
    request: Request,
    archive: ArchiveDep,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The people index: most mentioned first, searchable by any spelling."""
    with archive.sessions() as session:
        people = list_people(session, q=q, page=page, per_page=PEOPLE_PER_PAGE)
    view = build_people_view(q, page, PEOPLE_PER_PAGE, people)
    return _render(request, "people.html", {"view": view})


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: PersonId, archive: ArchiveDep) -> Response:
    """One person: spellings, roles, articles over time, co-mentioned people, latest articles."""
    with archive.sessions() as session:
        person = get_person(session, person_id)
        dates = person_article_dates(session, person_id)
    if person is None:
        return _not_found(request, f"person {person_id}")
    latest = article_hits(archive, tuple(article_id for article_id, _ in dates[:LATEST_ARTICLES]))
    return _render(request, "person.html", {"view": build_person_view(person, dates, latest)})
