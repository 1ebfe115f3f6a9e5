"""What the templates show, with every link already built (no query-string logic in templates)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from app.search.types import FILTER_FIELDS, SearchPage, SearchRequest

Params = list[tuple[str, str]]


def request_params(request: SearchRequest) -> Params:
    """The query-string pairs that reproduce a search request."""
    params: Params = [("q", request.q)] if request.q else []
    for name in FILTER_FIELDS:
        params.extend((name, value) for value in request.filters.get(name, ()))
    if request.date_from:
        params.append(("date_from", request.date_from.isoformat()))
    if request.date_to:
        params.append(("date_to", request.date_to.isoformat()))
    if request.sort != "relevance":
        params.append(("sort", request.sort))
    if request.per_page != 20:
        params.append(("per_page", str(request.per_page)))
    return params


def url_with(path: str, params: Params) -> str:
    """`path` with `params` as its query string."""
    return f"{path}?{urlencode(params)}" if params else path


@dataclass(frozen=True, slots=True)
class FacetLink:
    """One facet value with its count and the URL that toggles it."""

    value: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True, slots=True)
class Chip:
    """An active filter and the URL that removes it."""

    field: str
    value: str
    remove_url: str


@dataclass(frozen=True, slots=True)
class SearchView:
    """Everything the search page renders."""

    request: SearchRequest
    page: SearchPage
    facets: dict[str, tuple[FacetLink, ...]]
    chips: tuple[Chip, ...]
    previous_url: str | None
    next_url: str | None
    suggestion_url: str | None
    api_url: str
    last_page: int


def build_search_view(request: SearchRequest, page: SearchPage) -> SearchView:
    """Links for facets, chips, pagination and the suggestion of one result page."""
    base = [(k, v) for k, v in request_params(request)]

    def toggled(field: str, value: str) -> str:
        pair = (field, value)
        params = [p for p in base if p != pair] if pair in base else [*base, pair]
        return url_with("/", params)

    facets = {
        field: tuple(
            FacetLink(
                fc.value,
                fc.count,
                fc.value in request.filters.get(field, ()),
                toggled(field, fc.value),
            )
            for fc in counts
        )
        for field, counts in page.facets.items()
        if field in FILTER_FIELDS
    }
    chips = tuple(
        Chip(field, value, toggled(field, value))
        for field in FILTER_FIELDS
        for value in request.filters.get(field, ())
    )
    last_page = max(1, -(-page.total // request.per_page))

    def page_url(number: int) -> str:
        return url_with("/", [*base, ("page", str(number))] if number > 1 else base)

    suggestion_url = None
    if page.suggestion:
        suggestion_url = url_with("/", [("q", page.suggestion), *[p for p in base if p[0] != "q"]])
    return SearchView(
        request=request,
        page=page,
        facets=facets,
        chips=chips,
        previous_url=page_url(request.page - 1) if request.page > 1 else None,
        next_url=page_url(request.page + 1) if request.page < last_page else None,
        suggestion_url=suggestion_url,
        api_url=url_with("/api/search", [*base, ("page", str(request.page))]),
        last_page=last_page,
    )
