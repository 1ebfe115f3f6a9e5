"""What the person page and the people index show, with links built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.search.types import SearchHit
from app.services.people import PeoplePage, PersonDetail
from app.services.timeline import count_by_month
from app.web.context import HitView, Link, hit_views, search_url, url_with
from app.web.timeline import Timeline, build_timeline, month_range

LATEST_ARTICLES = 20


@dataclass(frozen=True, slots=True)
class CoMentionLink:
    """Another person named alongside, linked to their page, with how many shared articles."""

    link: Link
    count: int


@dataclass(frozen=True, slots=True)
class PersonView:
    """Everything the person page renders."""

    person: PersonDetail
    search_url: str
    timeline: Timeline | None
    co_mentioned: tuple[CoMentionLink, ...]
    articles: tuple[HitView, ...]


def build_person_view(
    person: PersonDetail, dates: tuple[tuple[int, datetime], ...], latest: tuple[SearchHit, ...]
) -> PersonView:
    """The person page: a monthly timeline of `dates`, co-mentions, the `latest` articles."""
    name = person.summary.name

    def month_url(month: str) -> str:
        first, last = month_range(month)
        return url_with(
            "/",
            [("person", name), ("date_from", first.isoformat()), ("date_to", last.isoformat())],
        )

    return PersonView(
        person=person,
        search_url=url_with("/", [("person", name), ("sort", "newest")]),
        timeline=build_timeline(count_by_month(when for _, when in dates), len(dates), month_url),
        co_mentioned=tuple(
            CoMentionLink(Link(other.name, f"/people/{other.id}"), other.count)
            for other in person.co_mentioned
        ),
        articles=hit_views(latest, lambda other: search_url(person=other)),
    )


@dataclass(frozen=True, slots=True)
class PeopleView:
    """The people index: one page of people, the name searched, pagination links."""

    q: str
    people: PeoplePage
    first_number: int
    previous_url: str | None
    next_url: str | None
    api_url: str


def build_people_view(q: str, page: int, per_page: int, people: PeoplePage) -> PeopleView:
    """Links for one page of the people index."""
    base = [("q", q)] if q else []

    def page_url(number: int) -> str:
        return url_with("/people", [*base, ("page", str(number))] if number > 1 else base)

    last_page = max(1, -(-people.total // per_page))
    return PeopleView(
        q=q,
        people=people,
        first_number=(page - 1) * per_page + 1,
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if page < last_page else None,
        api_url=url_with("/api/people", [*base, ("page", str(page)), ("per_page", str(per_page))]),
    )
