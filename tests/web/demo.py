"""A real archive of the bundled demo articles plus a hostile one, built in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.ingest.pipeline import extract_article
from app.ingest.sources import SourceItem, iter_sources
from app.services.archive import open_archive
from app.services.indexing import index_pending
from app.services.ingest import store_records
from tests.conftest import DEMO_DIR

# Hand-written wire copy whose title and body carry markup that must stay inert text.
HOSTILE_TITLE = "<script>alert(1)</script> Kabul talks stall"
HOSTILE = (
    f"{HOSTILE_TITLE}\n\n"
    "KABUL (AP) — Negotiators <img src=x onerror=alert(2)> met on Sunday in Kabul, "
    "officials said, as the talks with Ahmad Massoud <script>alert(3)</script> stalled again. "
    "Ahmad Massoud said the Taliban had not answered."
)


def build_demo_archive(data_dir: Path) -> Settings:
    """Settings for a new archive in `data_dir` holding the demo articles and `HOSTILE`.

    Stored in one transaction and indexed in one batch (the services' own
    steps), which is several times faster than one commit per article.
    """
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    items = [item for item in iter_sources([str(DEMO_DIR)], "auto") if isinstance(item, SourceItem)]
    items.append(SourceItem("hostile.txt", HOSTILE, "text"))
    archive = open_archive(settings)
    try:
        records = [
            extract_article(
                item.data,
                format=item.format,
                url=item.url,
                published_at=item.published_at,
                source=item.source,
            )
            for item in items
        ]
        with archive.sessions() as session:
            store_records(session, records)
            session.commit()
        index_pending(archive)
    finally:
        archive.close()
    return settings


def shared_demo_archive(factory: pytest.TempPathFactory) -> Settings:
    """The demo archive built once per test session (page and browser tests only read it)."""
    data_dir = factory.getbasetemp() / "demo-archive"
    built = data_dir / "built"
    if not built.exists():
        build_demo_archive(data_dir)
        built.touch()
    return Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
