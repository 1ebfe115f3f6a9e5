"""Moving an archive: export every article as NDJSON, import it elsewhere, or both at once.

An exported line holds everything the database knows about one article (ids,
raw input, extracted fields, people, entities, ingest issues), so importing it
rebuilds the same article without running the pipeline again. Import skips
content already stored, keeps an article's id when the target has it free,
and indexes with the target's own search backend.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.db.locks import lock_names
from app.db.models import Article
from app.ingest.near_duplicates import sign_body
from app.ingest.record import (
    Agency,
    ArticleRecord,
    Dateline,
    EntityMention,
    PersonMention,
    Translator,
)
from app.services.archive import Archive
from app.services.indexing import index_articles, load_articles
from app.services.ingest import article_row, find_by_hash, person_lock_names, store_records
from app.services.stories import NewMember, file_stories, merge_recent_bands

BATCH = 200
#: Columns an import computes again rather than copies (the story is re-filed from the body).
DERIVED_COLUMNS = ("needs_indexing", "story_id")


@dataclass
class ImportSummary:
    """How an import went: articles added, already present, and failed lines with reasons."""

    added: int = 0
    duplicates: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def export_line(article: Article) -> dict[str, Any]:
    """One article as an export record (JSON-ready)."""
    columns = {c.key: getattr(article, c.key) for c in Article.__table__.columns}
    for name in ("published_at", "ingested_at"):
        columns[name] = columns[name].isoformat() if columns[name] else None
    for derived in DERIVED_COLUMNS:
        del columns[derived]
    columns["people"] = [
        {
            "name": link.person.name,
            "aliases": [a.alias for a in link.person.aliases if a.alias != link.person.name],
            "mentions": link.mentions,
            "role": link.role,
        }
        for link in article.people
    ]
    for kind, key in (("place", "places"), ("organization", "organizations")):
        columns[key] = [
            {"name": e.name, "mentions": e.mentions} for e in article.entities if e.kind == kind
        ]
    return columns


def iter_export(archive: Archive) -> Iterator[dict[str, Any]]:
    """Every article of the archive as an export record, in id order."""
    with archive.sessions() as session:
        ids = list(session.scalars(select(Article.id).order_by(Article.id)))
    for start in range(0, len(ids), BATCH):
        with archive.sessions() as session:
            yield from (export_line(a) for a in load_articles(session, ids[start : start + BATCH]))


def _record(data: dict[str, Any]) -> ArticleRecord:
    """The finished record an export line describes (`KeyError`/`TypeError` if malformed)."""
    return ArticleRecord(
        raw=data["raw"],
        format=data["raw_format"],
        url=data["url"],
        source=data["source"],
        published_at=_when(data["published_at"]),
        title=data["title"],
        section=data["section"],
        agency=Agency(data["agency_code"] or "", data["agency_name"])
        if data["agency_name"]
        else None,
        dateline=Dateline(
            data["dateline_place"],
            data["dateline_country"],
            data["dateline_country_code"],
            data["dateline_lat"],
            data["dateline_lon"],
        )
        if data["dateline_place"]
        else None,
        authors=tuple(data["authors"]),
        editors=tuple(data["editors"]),
        translator=Translator(data["translator_name"], data["translator_from_language"])
        if data["translator_name"]
        else None,
        subheadings=tuple(data["subheadings"]),
        body=data["body"],
        language=data["language"],
        people=tuple(
            PersonMention(p["name"], tuple(p["aliases"]), p["mentions"], p["role"])
            for p in data.get("people", [])
        ),
        places=tuple(EntityMention(e["name"], e["mentions"]) for e in data.get("places", [])),
        organizations=tuple(
            EntityMention(e["name"], e["mentions"]) for e in data.get("organizations", [])
        ),
        content_hash=data["content_hash"],
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _store(session: Session, data: dict[str, Any]) -> int | None:
    """Add one export record to the session; its id, or None when already stored."""
    record = _record(data)
    if find_by_hash(session, record.content_hash) is not None:
        return None
    lock_names(session, person_lock_names(record))
    row = article_row(record, _when(data.get("ingested_at")) or datetime.now(UTC))
    row["issues"] = list(data.get("issues", []))
    row["story_id"] = data.get("story_id")
    wanted = data.get("id")
    if isinstance(wanted, int) and session.get(Article, wanted) is None:
        row["id"] = wanted
    (article_id,) = store_records(session, [record], [row]).ids
    file_stories(session, [NewMember(article_id, row["story_id"], sign_body(record.body))])
    return article_id


def import_lines(archive: Archive, lines: Iterable[str]) -> ImportSummary:
    """Import NDJSON export lines (blank lines skipped), committing and indexing in batches."""
    summary = ImportSummary()
    batch: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            batch.append((number, line))
        if len(batch) >= BATCH:
            _import_batch(archive, batch, summary)
            batch = []
    _import_batch(archive, batch, summary)
    _advance_id_sequence(archive)
    return summary


def _import_batch(archive: Archive, batch: list[tuple[int, str]], summary: ImportSummary) -> None:
    added: list[int] = []
    with archive.sessions() as session:
        for number, line in batch:
            try:
                with session.begin_nested():
                    article_id = _store(session, json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                summary.failed.append((number, f"not an export record: {error!r}"))
                continue
            if article_id is None:
                summary.duplicates += 1
            else:
                added.append(article_id)
        session.commit()
    merge_recent_bands(archive)
    summary.added += len(added)
    index_articles(archive, added)


def _advance_id_sequence(archive: Archive) -> None:
    """After ids were given explicitly, PostgreSQL's sequence must move past them."""
    if archive.engine.dialect.name != "postgresql":
        return
    with archive.engine.begin() as conn:
        top = conn.scalar(select(func.max(Article.id)))
        if top is not None:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('articles', 'id'), :top)"),
                {"top": top},
            )


def migrate(source: Archive, target: Archive) -> ImportSummary:
    """Copy every article of `source` into `target` (as export then import would)."""
    return import_lines(target, (json.dumps(line) for line in iter_export(source)))
