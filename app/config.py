"""Settings, read from `NEWSARCHIVE_*` environment variables and a `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; built by `get_settings()` and injected, never global."""

    model_config = SettingsConfigDict(env_prefix="NEWSARCHIVE_", env_file=".env", extra="ignore")

    data_dir: Path = Path("newsarchive-data")
    database_url: str | None = None
    search_backend: Literal["whoosh", "postgres"] | None = None
    api_keys: Annotated[tuple[str, ...], NoDecode] = ()
    read_requires_key: bool = False
    max_body_bytes: int = Field(10 * 1024 * 1024, ge=1)
    max_bulk_lines: int = Field(10_000, ge=1)
    max_per_page: int = Field(100, ge=1, le=100)
    max_page: int = Field(1000, ge=1, le=10_000)
    # Never above the query parser's own cap (app.search.query.MAX_QUERY_LENGTH).
    max_query_length: int = Field(1000, ge=1, le=1000)
    request_timeout_seconds: float = Field(30.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(key.strip() for key in value.split(",") if key.strip())
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'archive.db'}"

    @property
    def resolved_search_backend(self) -> Literal["whoosh", "postgres"]:
        """`whoosh` for SQLite, `postgres` for PostgreSQL, unless set explicitly."""
        if self.search_backend is not None:
            return self.search_backend
        return "postgres" if self.resolved_database_url.startswith("postgresql") else "whoosh"

    @property
    def index_dir(self) -> Path:
        """Where the embedded Whoosh index lives."""
        return self.data_dir / "index"


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
