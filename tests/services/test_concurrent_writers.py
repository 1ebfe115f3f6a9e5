"""Concurrent ingests on the embedded default never split one person in two."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from app.ingest.sources import SourceItem
from app.services.archive import Archive
from app.services.articles import get_article
from app.services.ingest import ingest_item
from tests.conftest import SEED_PATH


def test_parallel_ingests_of_one_story_share_its_people(archive: Archive) -> None:
    seed = SEED_PATH.read_text(encoding="utf-8")
    items = [SourceItem(f"copy {n}", f"{seed}\nFile reference {n}.", "text") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda item: ingest_item(archive, item), items))
    people = set()
    for outcome in outcomes:
        detail = get_article(archive, outcome.article_id)
        assert detail is not None
        people.add(tuple(sorted((p.id, p.name) for p in detail.people)))
    # One set of person ids across all eight copies: nobody was created twice.
    assert len(people) == 1
    assert len(next(iter(people))) == 9
