"""Why a search found nothing: which word or which filter shut every article out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.search.query import QuerySyntaxError, parse_query
from app.search.types import SearchRequest
from app.web.context import request_params, result_noun, url_with
from app.web.interpretation import describe_query, query_text, required_leaves

Counter = Callable[[SearchRequest], int]
MAX_WORDS_TRIED = 6


@dataclass(frozen=True, slots=True)
class Reason:
    """One finding, with a link to the search that does find something (if any)."""

    text: str
    url: str | None


def explain_no_results(request: SearchRequest, count: Counter) -> tuple[Reason, ...]:
    """Reasons an empty result is empty, found by re-running looser searches through `count`.

    An empty archive says so; otherwise each required word that matches no
    article at all is named, and each filter whose removal would find articles
    is offered as a link.
    """
    if count(SearchRequest()) == 0:
        return (Reason("The archive holds no articles yet.", None),)
    reasons = [*_missing_words(request.q, count), *_excluding_filters(request, count)]
    if not reasons:
        reasons.extend(_any_word(request, count))
    return tuple(reasons)


def _any_word(request: SearchRequest, count: Counter) -> list[Reason]:
    """Every word matches somewhere, but never all together: offer any of them."""
    try:
        leaves = required_leaves(parse_query(request.q)) if request.q.strip() else ()
    except QuerySyntaxError:
        return []
    if len(leaves) < 2:
        return []
    looser = replace(request, q=" OR ".join(query_text(leaf) for leaf in leaves), page=1)
    found = count(looser)
    return (
        [_found("match any of the words, but none matches them all", found, looser)]
        if found
        else []
    )


def _missing_words(q: str, count: Counter) -> list[Reason]:
    try:
        leaves = required_leaves(parse_query(q)) if q.strip() else ()
    except QuerySyntaxError:
        return []
    return [
        Reason(f"No article matches {describe_query(leaf)}.", None)
        for leaf in leaves[:MAX_WORDS_TRIED]
        if count(SearchRequest(q=query_text(leaf))) == 0
    ]


def _excluding_filters(request: SearchRequest, count: Counter) -> list[Reason]:
    reasons = []
    for field, values in request.filters.items():
        for value in values:
            others = tuple(v for v in values if v != value)
            filters = {f: v for f, v in request.filters.items() if f != field}
            looser = replace(
                request, filters={**filters, field: others} if others else filters, page=1
            )
            found = count(looser)
            if found:
                reasons.append(_found(f"without {field} “{value}”", found, looser))
    if request.date_from or request.date_to:
        looser = replace(request, date_from=None, date_to=None, page=1)
        found = count(looser)
        if found:
            reasons.append(_found("without the date range", found, looser))
    return reasons


def _found(what: str, found: int, looser: SearchRequest) -> Reason:
    noun = result_noun(found, looser.collapse)
    return Reason(f"{found} {noun} {what}", url_with("/", request_params(looser)))
