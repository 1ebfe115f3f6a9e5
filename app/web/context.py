"""What the search page shows, every link already built (no query-string logic in templates)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from app.search.query import QuerySyntaxError, parse_query
from app.search.types import FILTER_FIELDS, SearchHit, SearchPage, SearchRequest
from app.web.interpretation import describe_query
from app.web.languages import language_name
from app.web.timeline import Timeline, build_timeline, month_range

Params = list[tuple[str, str]]
DATE_FIELDS: tuple[str, ...] = ("date_from", "date_to")
SORT_LABELS: dict[str, str] = {
    "relevance": "Relevance",
    "newest": "Newest first",
    "oldest": "Oldest first",
}
CHIP_LABELS: dict[str, str] = {"date_from": "from", "date_to": "to"}
PAGE_WINDOW = 2


def request_params(request: SearchRequest) -> Params:
    """The query-string pairs that reproduce a search request (page excluded).

    >>> request_params(SearchRequest(q="massoud", filters={"agency": ("AA",)}, sort="newest"))
    [('q', 'massoud'), ('agency', 'AA'), ('sort', 'newest')]
    >>> request_params(SearchRequest(q="massoud", collapse=True))
    [('q', 'massoud'), ('collapse', 'story')]
    """
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
    if request.collapse:
        params.append(("collapse", "story"))
    return params


def result_noun(total: int, collapse: bool) -> str:
    """What `total` results are: `article(s)`, or `story`/`stories` when collapsed by story."""
    if collapse:
        return "story" if total == 1 else "stories"
    return "article" if total == 1 else "articles"


def url_with(path: str, params: Params) -> str:
    """`path` with `params` as its query string: `/` and `[("q", "a b")]` → `/?q=a+b`."""
    return f"{path}?{urlencode(params)}" if params else path


def search_url(**filters: str) -> str:
    """A fresh search for filter values: `search_url(person="Ahmad Massoud")`."""
    return url_with("/", list(filters.items()))


@dataclass(frozen=True, slots=True)
class Link:
    """A text and where it leads."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class FacetLink:
    """One facet value with its count and the URL that toggles it."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True, slots=True)
class Chip:
    """An active filter and the URL that removes it."""

    field: str
    label: str
    value: str
    remove_url: str


@dataclass(frozen=True, slots=True)
class PageLink:
    """A page number in the pagination bar; None for a gap (…)."""

    number: int | None
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class HitView:
    """A result with its people as links that narrow the search to them."""

    hit: SearchHit
    people: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class SearchView:
    """Everything the search page renders."""

    request: SearchRequest
    page: SearchPage
    noun: str
    hits: tuple[HitView, ...]
    first_number: int
    facets: dict[str, tuple[FacetLink, ...]]
    chips: tuple[Chip, ...]
    hidden: Params
    sort_options: tuple[tuple[str, str], ...]
    pages: tuple[PageLink, ...]
    previous_url: str | None
    next_url: str | None
    last_page_url: str
    suggestion_url: str | None
    clear_url: str | None
    api_url: str
    last_page: int
    interpretation: str | None
    timeline: Timeline | None


def hit_views(hits: tuple[SearchHit, ...], person_url: Callable[[str], str]) -> tuple[HitView, ...]:
    """Hits with each person linked through `person_url`."""
    return tuple(HitView(hit, tuple(Link(p, person_url(p)) for p in hit.people)) for hit in hits)


def interpret(request: SearchRequest) -> str | None:
    """The search in words: `massoud -taliban` → `“massoud” and not “taliban”`, then filters."""
    try:
        parts = [describe_query(parse_query(request.q))] if request.q.strip() else []
    except QuerySyntaxError:
        return None
    for name in FILTER_FIELDS:
        parts.extend(f"{name}: {_shown(name, value)}" for value in request.filters.get(name, ()))
    if request.date_from:
        parts.append(f"from {request.date_from.isoformat()}")
    if request.date_to:
        parts.append(f"to {request.date_to.isoformat()}")
    return "; ".join(parts) if parts else None


def _shown(field: str, value: str) -> str:
    return language_name(value) if field == "language" else value


def page_links(current: int, last: int, url: Callable[[int], str]) -> tuple[PageLink, ...]:
    """The first and last page and those near the current one, gaps as `None`.

    Page 6 of 12 gives 1 … 4 5 6 7 8 … 12.
    """
    shown = sorted(
        {1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)}
    )
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, "", False))
        links.append(PageLink(number, url(number), number == current))
    return tuple(links)


def build_search_view(request: SearchRequest, page: SearchPage) -> SearchView:
    """Links for facets, chips, pagination, timeline and the suggestion of one result page."""
    base = request_params(request)

    def toggled(field: str, value: str) -> str:
        pair = (field, value)
        return url_with("/", [p for p in base if p != pair] if pair in base else [*base, pair])

    def narrowed(field: str, value: str) -> str:
        pair = (field, value)
        return url_with("/", base if pair in base else [*base, pair])

    def page_url(number: int) -> str:
        return url_with("/", [*base, ("page", str(number))] if number > 1 else base)

    def month_url(month: str) -> str:
        first, last = month_range(month)
        kept = [p for p in base if p[0] not in DATE_FIELDS]
        return url_with(
            "/", [*kept, ("date_from", first.isoformat()), ("date_to", last.isoformat())]
        )

    facets = {
        field: tuple(
            FacetLink(
                fc.value,
                _shown(field, fc.value),
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
        Chip(
            field,
            CHIP_LABELS.get(field, field),
            _shown(field, value),
            toggled(field, value),
        )
        for field, value in base
        if field in FILTER_FIELDS or field in DATE_FIELDS
    )
    last_page = max(1, -(-page.total // request.per_page))
    suggestion_url = None
    if page.suggestion:
        suggestion_url = url_with("/", [("q", page.suggestion), *[p for p in base if p[0] != "q"]])
    return SearchView(
        request=request,
        page=page,
        noun=result_noun(page.total, request.collapse),
        hits=hit_views(page.hits, lambda name: narrowed("person", name)),
        first_number=(request.page - 1) * request.per_page + 1,
        facets=facets,
        chips=chips,
        hidden=[p for p in base if p[0] in FILTER_FIELDS or p[0] == "per_page"],
        sort_options=tuple(SORT_LABELS.items()),
        pages=page_links(request.page, last_page, page_url) if page.total else (),
        previous_url=page_url(min(request.page, last_page + 1) - 1) if request.page > 1 else None,
        next_url=page_url(request.page + 1) if request.page < last_page else None,
        last_page_url=page_url(last_page),
        suggestion_url=suggestion_url,
        clear_url=url_with("/", [p for p in base if p[0] == "q"]) if chips else None,
        api_url=url_with("/api/search", [*base, ("page", str(request.page))]),
        last_page=last_page,
        interpretation=interpret(request),
        timeline=build_timeline(page.facets.get("month", ()), page.total, month_url),
    )
