"""When a person's articles appeared: dates newest first and counts per month."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Article, ArticlePerson
from app.search.types import FacetCount


def person_article_dates(session: Session, person_id: int) -> tuple[tuple[int, datetime], ...]:
    """`(article id, date)` of every article naming the person, newest first.

    The date is the publication date, else the ingestion date, as search filters use.
    """
    when = func.coalesce(Article.published_at, Article.ingested_at)
    rows = session.execute(
        select(Article.id, Article.published_at, Article.ingested_at)
        .join(ArticlePerson, ArticlePerson.article_id == Article.id)
        .where(ArticlePerson.person_id == person_id)
        .order_by(when.desc(), Article.id.desc())
    )
    return tuple((article_id, published or ingested) for article_id, published, ingested in rows)


def count_by_month(dates: Iterable[datetime]) -> tuple[FacetCount, ...]:
    """Articles per `YYYY-MM`, oldest month first: three dates in two months → two counts."""
    counts = Counter(when.strftime("%Y-%m") for when in dates)
    return tuple(FacetCount(month, counts[month]) for month in sorted(counts))
