"""The first acceptance: the seed wire article ingested, stored, shown and found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import SEED_PATH

EXPECTED = {
    "title": (
        "Afghanistan: Ahmed Massoud proposes talks to the Taliban to end the conflict in Panshir"
    ),
    "section": "World",
    "agency": {"code": "AA", "name": "Anadolu Agency"},
    "authors": ["Shafiq Ahmad"],
    "translator": {"name": "Mourad Belhaj", "from_language": "en"},
    "subheadings": [
        "The spokesperson for the Panshir resistance group allegedly killed by the Taliban"
    ],
    "language": "en",
}
JUNK = ("Most Viewed", "(HAS)", "WorldAfghanistan", "Translated from", "AA / Kabul")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_ingest_then_show_gives_the_contract_article(runner: CliRunner) -> None:
    ingested = runner.invoke(cli, ["ingest", str(SEED_PATH)])
    assert ingested.exit_code == 0, ingested.output
    assert "added 1, duplicates 0, failed 0" in ingested.output

    shown = runner.invoke(cli, ["show", "1", "--json"])
    assert shown.exit_code == 0, shown.output
    article = json.loads(shown.output)
    assert {key: article[key] for key in EXPECTED} == EXPECTED
    assert article["dateline"]["place"] == "Kabul"
    assert article["dateline"]["country"] == "Afghanistan"
    assert article["dateline"]["country_code"] == "AF"
    assert not any(junk in article["body"] or junk in article["title"] for junk in JUNK)
    people = {person["name"]: person for person in article["people"]}
    massoud = [p for p in article["people"] if "Massoud" in p["name"]]
    assert len(massoud) == 1, "Ahmad and Ahmed Massoud are one person"
    assert {massoud[0]["name"], *massoud[0]["aliases"]} == {"Ahmad Massoud", "Ahmed Massoud"}
    assert {"Amrullah Saleh", "Zabihullah Mujahid"} <= set(people)
    assert article["content_hash"].startswith("sha256:")


def test_the_same_file_twice_is_stored_once(runner: CliRunner) -> None:
    runner.invoke(cli, ["ingest", str(SEED_PATH)])
    again = runner.invoke(cli, ["ingest", str(SEED_PATH)])
    assert again.exit_code == 0
    assert "added 0, duplicates 1, failed 0" in again.output
    assert runner.invoke(cli, ["show", "2"]).exit_code == 1


def test_cli_search_finds_the_article_with_highlights(runner: CliRunner) -> None:
    runner.invoke(cli, ["ingest", str(SEED_PATH)])
    found = runner.invoke(cli, ["search", "massoud", "--json"])
    assert found.exit_code == 0, found.output
    page = json.loads(found.output)
    assert page["total"] == 1
    assert "<mark>Massoud</mark>" in page["hits"][0]["snippet"]
    table = runner.invoke(cli, ["search", "massoud"])
    assert "Afghanistan: Ahmed Massoud proposes talks" in table.output
