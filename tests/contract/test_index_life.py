"""Writing to a backend: re-index by id, delete, clear, count."""

from __future__ import annotations

from dataclasses import replace

from app.search.types import SearchRequest
from app.services.archive import Archive
from app.services.indexing import index_articles, load_documents, reindex
from tests.contract.corpus import corpus


def _ids(archive: Archive, q: str) -> list[int]:
    page = archive.backend.search(SearchRequest(q=q, per_page=100))
    return [hit.id for hit in page.hits]


def test_count_is_the_number_of_articles(fresh_archive: Archive) -> None:
    assert fresh_archive.backend.count() == len(corpus())


def test_delete_removes_from_results_facets_and_count(fresh_archive: Archive) -> None:
    saleh = _ids(fresh_archive, "saleh")
    fresh_archive.backend.delete([saleh[0], 999_999])  # an unknown id is ignored
    assert _ids(fresh_archive, "saleh") == saleh[1:]
    assert fresh_archive.backend.count() == len(corpus()) - 1
    page = fresh_archive.backend.search(SearchRequest(q="saleh"))
    assert sum(f.count for f in page.facets["month"]) == len(saleh) - 1


def test_clear_empties_and_reindex_restores(fresh_archive: Archive) -> None:
    fresh_archive.backend.clear()
    assert fresh_archive.backend.count() == 0
    assert fresh_archive.backend.search(SearchRequest()).total == 0
    assert fresh_archive.backend.is_healthy()
    assert reindex(fresh_archive) == len(corpus())
    assert fresh_archive.backend.search(SearchRequest()).total == len(corpus())


def test_indexing_an_article_again_replaces_it(fresh_archive: Archive) -> None:
    [article_id] = _ids(fresh_archive, "roadblocks")
    index_articles(fresh_archive, [article_id, article_id])
    assert _ids(fresh_archive, "roadblocks") == [article_id]
    assert fresh_archive.backend.count() == len(corpus())


def test_a_batch_replaces_by_id_and_is_searchable_once_committed(fresh_archive: Archive) -> None:
    [article_id] = _ids(fresh_archive, "roadblocks")
    with fresh_archive.sessions() as session:
        [document] = load_documents(session, [article_id])
    batch = fresh_archive.backend.batch()
    batch.add([document])
    batch.add([replace(document, body="Checkpoints went up on the Salang pass.")])
    batch.commit()
    assert _ids(fresh_archive, "roadblocks") == []
    assert _ids(fresh_archive, "checkpoints") == [article_id]
    assert fresh_archive.backend.count() == len(corpus())


def test_a_batch_that_caught_up_still_takes_documents_into_its_commit(
    fresh_archive: Archive,
) -> None:
    [roadblocks] = _ids(fresh_archive, "roadblocks")
    with fresh_archive.sessions() as session:
        [document] = load_documents(session, [roadblocks])
    batch = fresh_archive.backend.batch()
    batch.add([replace(document, body="Checkpoints went up on the Salang pass.")])
    batch.use_idle_cores()
    batch.catch_up()
    batch.add([replace(document, id=999_999, body="Convoys waited at the Salang checkpoints.")])
    batch.commit()
    assert sorted(_ids(fresh_archive, "checkpoints")) == [roadblocks, 999_999]
    assert fresh_archive.backend.count() == len(corpus()) + 1


def test_text_analysed_ahead_indexes_as_the_text_itself(fresh_archive: Archive) -> None:
    analyse = fresh_archive.backend.analyse_text
    [article_id] = _ids(fresh_archive, "roadblocks")
    with fresh_archive.sessions() as session:
        [document] = load_documents(session, [article_id])
    ahead = analyse(document.title, document.body) if analyse else None
    # Text analysed ahead stands in for the text; text that changed since is analysed again.
    stale = analyse("An older headline", "An older body.") if analyse else None
    fresh_archive.backend.index([replace(document, id=article_id, analysed=ahead)])
    assert _ids(fresh_archive, '"roadblocks"') == [article_id]
    fresh_archive.backend.index([replace(document, analysed=stale)])
    assert _ids(fresh_archive, "roadblocks") == [article_id]
    assert _ids(fresh_archive, "older") == []
