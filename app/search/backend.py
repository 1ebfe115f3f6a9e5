"""The one interface every search engine implements, and how to pick one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from app.search.types import IndexDocument, SearchHit, SearchPage, SearchRequest

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.config import Settings


class IndexBatch(Protocol):
    """Index writes made searchable together, at each `commit` (bulk ingest)."""

    def add(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents (by id); searchable from the next `commit` on."""
        ...

    def commit(self) -> None:
        """Make everything added so far searchable."""
        ...

    def cancel(self) -> None:
        """Drop what was added since the last commit, where the engine still can."""
        ...

    def use_idle_cores(self) -> None:
        """The caller does nothing but wait for commits from now on: the batch may take
        the cores it otherwise leaves to the caller's own work."""
        ...

    def catch_up(self) -> None:
        """Wait until work the batch handed on (to other processes) has caught up with what
        was added: a caller may add more meanwhile, to the same commit."""
        ...


class SearchBackend(Protocol):
    """A full-text engine over `IndexDocument`s, answering `SearchRequest`s.

    The database is the truth; a backend only holds what `index` gave it and
    can always be rebuilt with `clear` + `index`.
    """

    name: str

    @property
    def analyse_text(self) -> Callable[[str, str], object] | None:
        """Pure work on an article's (title, body) that bulk ingest runs ahead in its
        worker processes; the result rides along as `IndexDocument.analysed`."""
        ...

    def index(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace documents (by id) and make them searchable."""
        ...

    def batch(self) -> IndexBatch:
        """A batch of writes, for many documents at once."""
        ...

    def delete(self, ids: Sequence[int]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        ...

    def search(self, request: SearchRequest) -> SearchPage:
        """Answer one search; raises `QuerySyntaxError` for a bad query."""
        ...

    def related(self, article_id: int, limit: int) -> tuple[SearchHit, ...]:
        """Articles most like `article_id`, never itself."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...

    def clear(self) -> None:
        """Remove every document (before a rebuild)."""
        ...

    def is_healthy(self) -> bool:
        """False when the index was found missing or corrupt and recreated empty.

        The caller then rebuilds it from the database (`clear` + `index`);
        `clear` makes the backend healthy again.
        """
        ...

    def close(self) -> None:
        """Release files, searchers and connections."""
        ...


def get_backend(settings: Settings, engine: Engine) -> SearchBackend:
    """The backend the settings name: Whoosh under the data folder, or PostgreSQL."""
    if settings.resolved_search_backend == "postgres":
        from app.search.postgres_backend import PostgresBackend

        return PostgresBackend(engine)
    from app.search.whoosh_backend import WhooshBackend

    return WhooshBackend(settings.index_dir)
