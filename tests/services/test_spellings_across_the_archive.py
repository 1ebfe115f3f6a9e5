"""One person or place under several spellings across articles: stored once, found by any."""

from __future__ import annotations

import json
from pathlib import Path

from app.ingest.sources import SourceItem
from app.search.types import SearchRequest
from app.services.archive import Archive
from app.services.bulk import BatchWriter, ingest_paths
from app.services.indexing import load_documents, pending_count
from app.services.ingest import ingest_item, prepare_item
from app.services.people import list_people
from app.services.search import search_articles

FIRST = (
    "Resistance leader offers talks over Panshir\n\n"
    "KABUL (AP) — Ahmad Massoud, leader of the resistance group in Panshir, said on Sunday "
    "he was ready for talks with the Taliban if their offensive in Panshir stopped.\n\n"
    "Massoud said his fighters would keep defending the valley."
)
SECOND = (
    "Taliban say they control Panjshir valley\n\n"
    "KABUL (Reuters) - The Taliban said on Monday they had taken the Panjshir valley, "
    "while Ahmed Massoud said in a message that his forces were still fighting.\n\n"
    "Fighters loyal to Ahmed Massoud retreated into the mountains north of Panjshir."
)


def ingest(archive: Archive, text: str) -> int:
    return ingest_item(archive, SourceItem("test", text, "text")).article_id


def titles(archive: Archive, query: str) -> set[str]:
    page = search_articles(archive, SearchRequest(q=query))
    return {hit.title for hit in page.hits}


def test_two_spellings_of_one_person_become_one_person_found_by_either(archive: Archive) -> None:
    ingest(archive, FIRST)
    ingest(archive, SECOND)
    with archive.sessions() as session:
        massouds = list_people(session, q="massoud").items
    assert len(massouds) == 1
    assert {massouds[0].name, *massouds[0].aliases} == {"Ahmad Massoud", "Ahmed Massoud"}
    assert massouds[0].article_count == 2
    both = {FIRST.split("\n")[0], SECOND.split("\n")[0]}
    # The first article never spelled him "Ahmed", yet the person query finds it.
    assert titles(archive, 'person:"Ahmed Massoud"') == both
    assert titles(archive, 'person:"Ahmad Massoud"') == both
    assert pending_count(archive) == 0


def test_a_new_spelling_of_a_place_reaches_articles_indexed_before(archive: Archive) -> None:
    ingest(archive, FIRST)
    ingest(archive, SECOND)
    both = {FIRST.split("\n")[0], SECOND.split("\n")[0]}
    assert titles(archive, "place:Panjshir") == both
    assert titles(archive, "place:Panshir") == both


def test_a_bulk_run_indexes_again_what_a_later_batch_respells(
    archive: Archive, tmp_path: Path
) -> None:
    # One article per batch, one index commit at the end: the first article is still in the
    # open index writer when the second teaches the archive "Ahmed" and "Panjshir".
    lines = [json.dumps({"text": text}) for text in (FIRST, SECOND)]
    (tmp_path / "two.ndjson").write_text("\n".join(lines) + "\n")
    summary = ingest_paths(archive, [str(tmp_path / "two.ndjson")], workers=0, batch_size=1)
    assert summary.added == 2
    both = {FIRST.split("\n")[0], SECOND.split("\n")[0]}
    assert titles(archive, 'person:"Ahmed Massoud"') == both
    assert titles(archive, "place:Panjshir") == both
    assert pending_count(archive) == 0


def test_an_index_document_carries_every_spelling_the_archive_knows(archive: Archive) -> None:
    first, second = ingest(archive, FIRST), ingest(archive, SECOND)
    with archive.sessions() as session:
        documents = load_documents(session, [second, first])
    assert [d.id for d in documents] == [first, second]
    older, newer = documents
    # The person keeps the name seen first; the other spelling rides along as an alias.
    assert older.people == newer.people == ("Ahmad Massoud",)
    assert older.person_aliases == newer.person_aliases == ("Ahmed Massoud",)
    assert older.places == ("Panshir",)
    assert older.place_aliases == ("Panjshir",)
    assert newer.places == ("Panjshir",)
    assert newer.place_aliases == ("Panshir",)
    assert older.dateline == "Kabul, Afghanistan"
    assert older.body.startswith("Ahmad Massoud, leader of the resistance group")
    assert older.story_id == first


def test_a_bulk_index_commit_builds_documents_with_spellings_learned_since_storing(
    archive: Archive,
) -> None:
    writer = BatchWriter(archive, batch_size=1, index_seconds=3600)
    for text in (FIRST, SECOND):
        writer.add(prepare_item(SourceItem("test", text, "text"), archive.backend.analyse_text))
    # Both stored, one transaction each; neither indexed before the index commit.
    assert pending_count(archive) == 2
    assert titles(archive, "Massoud") == set()
    writer.commit_index()
    writer.wait_index()
    both = {FIRST.split("\n")[0], SECOND.split("\n")[0]}
    assert titles(archive, 'person:"Ahmed Massoud"') == both
    assert titles(archive, "place:Panjshir") == both
    # The first article went in already knowing "Ahmed": nothing is left to index again.
    assert pending_count(archive) == 0


def test_an_article_respelled_while_its_index_commit_runs_is_indexed_again(
    archive: Archive,
) -> None:
    writer = BatchWriter(archive, batch_size=1, index_seconds=3600)
    writer.add(prepare_item(SourceItem("test", FIRST, "text"), archive.backend.analyse_text))
    # The first article's document is built now and goes in on a background thread ...
    writer.commit_index()
    # ... while the second article teaches the archive "Ahmed" and "Panjshir".
    writer.add(prepare_item(SourceItem("test", SECOND, "text"), archive.backend.analyse_text))
    writer.finish()
    both = {FIRST.split("\n")[0], SECOND.split("\n")[0]}
    assert titles(archive, 'person:"Ahmed Massoud"') == both
    assert titles(archive, "place:Panshir") == both
    assert pending_count(archive) == 0
