"""The archive's tables: articles (the truth), people with their spellings, entity mentions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, UTCDateTime


class Article(Base):
    """One ingested article with its extracted metadata and the raw input it came from."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(80), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agency_code: Mapped[str | None] = mapped_column(String(32))
    agency_name: Mapped[str | None] = mapped_column(String(200))
    dateline_place: Mapped[str | None] = mapped_column(String(200))
    dateline_country: Mapped[str | None] = mapped_column(String(200))
    dateline_country_code: Mapped[str | None] = mapped_column(String(8))
    dateline_lat: Mapped[float | None] = mapped_column(Float)
    dateline_lon: Mapped[float | None] = mapped_column(Float)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    editors: Mapped[list[str]] = mapped_column(JSON, default=list)
    translator_name: Mapped[str | None] = mapped_column(String(200))
    translator_from_language: Mapped[str | None] = mapped_column(String(16))
    subheadings: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    raw_format: Mapped[str] = mapped_column(String(8))
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    needs_indexing: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)

    people: Mapped[list[ArticlePerson]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticlePerson.position"
    )
    entities: Mapped[list[ArticleEntity]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleEntity.id"
    )


class Person(Base):
    """A person known to the archive under one canonical name and any number of spellings."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)

    aliases: Mapped[list[PersonAlias]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonAlias.id"
    )
    articles: Mapped[list[ArticlePerson]] = relationship(back_populates="person")


class PersonAlias(Base):
    """One spelling of a person's name seen in the archive (the canonical one included)."""

    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)

    person: Mapped[Person] = relationship(back_populates="aliases")


class ArticlePerson(Base):
    """A person mentioned in an article: how often, under which spellings, in which role."""

    __tablename__ = "article_people"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    mentions: Mapped[int] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(Text)
    spellings: Mapped[list[str]] = mapped_column(JSON, default=list)

    article: Mapped[Article] = relationship(back_populates="people")
    person: Mapped[Person] = relationship(back_populates="articles")


class ArticleEntity(Base):
    """A place or organisation named in an article."""

    __tablename__ = "article_entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    mentions: Mapped[int] = mapped_column(Integer)

    article: Mapped[Article] = relationship(back_populates="entities")


class _BandColumns:
    """An article's LSH band key of its body signature: equal keys find near duplicates.

    The table is clustered on its key (on SQLite, WITHOUT ROWID: one tree to
    insert into), with no foreign key and no index on the article: deleting an
    article deletes its bands by their keys, which its signature gives
    (`app.services.stories.forget_bands`).
    """

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class StoryBand(_BandColumns, Base):
    """A band of an article filed before the last merge (`merge_recent_bands`)."""

    __tablename__ = "story_bands"
    __table_args__ = ({"sqlite_with_rowid": False},)


class RecentStoryBand(_BandColumns, Base):
    """A band of an article filed since the last merge.

    New bands go into this small tree, whose pages a batch of random keys
    rewrites cheaply, and are moved into `story_bands` in key order once they
    are a fair share of it: a batch inserted into the large tree would touch
    nearly every one of its pages.
    """

    __tablename__ = "story_bands_recent"
    __table_args__ = ({"sqlite_with_rowid": False},)


class StorySignature(Base):
    """An article's body signature (packed MinHash values), to confirm a band match."""

    __tablename__ = "story_signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class SourceFile(Base):
    """A file already ingested: unchanged (size, mtime) means it can be skipped unread.

    `content_hash` is the article's for a one-article file, None for a file of
    many (NDJSON, JSON), which is remembered only once every item in it is stored.
    """

    __tablename__ = "source_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str | None] = mapped_column(String(80))
    articles: Mapped[int] = mapped_column(Integer)
