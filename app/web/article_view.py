"""What the article page shows: metadata with links, the body in blocks, entities as links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from app.search.types import SearchHit
from app.services.articles import ArticleDetail
from app.web.context import HitView, Link, hit_views, search_url
from app.web.interpretation import phrase_query
from app.web.languages import language_name


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of the body: a `paragraph` or a `subheading`."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """One row of the metadata panel: a label, linked values, then plain text (if any)."""

    label: str
    links: tuple[Link, ...]
    text: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything the article page renders."""

    article: ArticleDetail
    metadata: tuple[Field, ...]
    blocks: tuple[Block, ...]
    people: tuple[tuple[Link, str | None], ...]
    places: tuple[Link, ...]
    organizations: tuple[Link, ...]
    related: tuple[HitView, ...]
    original_url: str | None


def linkable_url(url: str | None) -> str | None:
    """`url` when it is safe to link (http or https), else None: a stored
    `javascript:` URL is shown nowhere as a link.

    >>> linkable_url("https://en.wikinews.org/wiki/Apple"), linkable_url("javascript:alert(1)")
    ('https://en.wikinews.org/wiki/Apple', None)
    """
    if url is None:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def body_blocks(body: str, subheadings: tuple[str, ...]) -> tuple[Block, ...]:
    """Paragraphs, with those that are subheadings marked so; subheadings not in the body lead.

    `"Intro\\n\\nSub\\n\\nMore"` with subheading `Sub` → paragraph, subheading, paragraph.
    """
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    headings = set(subheadings)
    leading = tuple(Block("subheading", s) for s in subheadings if s not in paragraphs)
    return leading + tuple(
        Block("subheading" if p in headings else "paragraph", p) for p in paragraphs
    )


def metadata_fields(article: ArticleDetail) -> tuple[Field, ...]:
    """The metadata panel, each value that names something searchable linked to that search."""
    fields: list[Field] = []
    if article.section:
        fields.append(
            Field("Section", (Link(article.section, search_url(section=article.section)),))
        )
    if article.agency:
        name = (
            f"{article.agency.name} ({article.agency.code})"
            if article.agency.code
            else article.agency.name
        )
        fields.append(Field("Agency", (Link(name, search_url(agency=article.agency.name)),)))
    if article.dateline:
        place = article.dateline
        where = ", ".join(p for p in (place.place, place.country) if p)
        fields.append(
            Field("Dateline", (Link(where, search_url(q=phrase_query(place.place, "dateline"))),))
        )
    if article.authors:
        fields.append(
            Field(
                "By",
                tuple(Link(a, search_url(q=phrase_query(a, "author"))) for a in article.authors),
            )
        )
    if article.translator:
        translator = article.translator
        source = (
            f"from {language_name(translator.from_language)}" if translator.from_language else None
        )
        link = Link(translator.name, search_url(translator=translator.name))
        fields.append(Field("Translated by", (link,), source))
    if article.published_at:
        fields.append(Field("Published", (), article.published_at.date().isoformat()))
    if article.ingested_at:
        fields.append(Field("Ingested", (), article.ingested_at.date().isoformat()))
    if article.language:
        fields.append(
            Field(
                "Language",
                (Link(language_name(article.language), search_url(language=article.language)),),
            )
        )
    return tuple(fields)


def build_article_view(article: ArticleDetail, related: tuple[SearchHit, ...]) -> ArticleView:
    """The article page: people to their pages, places and organisations to a search."""
    return ArticleView(
        article=article,
        original_url=linkable_url(article.url),
        metadata=metadata_fields(article),
        blocks=body_blocks(article.body, article.subheadings),
        people=tuple(
            (
                Link(p.name, f"/people/{p.id}" if p.id is not None else search_url(person=p.name)),
                p.role,
            )
            for p in article.people
        ),
        places=tuple(Link(p.name, search_url(place=p.name)) for p in article.places),
        organizations=tuple(
            Link(o.name, search_url(q=phrase_query(o.name))) for o in article.organizations
        ),
        related=hit_views(related, lambda name: search_url(person=name)),
    )
