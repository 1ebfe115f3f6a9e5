"""The `newsarchive` command line, through Typer's runner over a real archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import DEMO_DIR, SEED_PATH


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_ingest_lists_each_failure_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    good = {"text": "Apple unveils iPhone 4\n\nSteve Jobs unveiled the phone in San Francisco."}
    (tmp_path / "bad.ndjson").write_text(json.dumps(good) + "\n{oops\n")
    result = runner.invoke(
        cli,
        [
            "ingest",
            str(SEED_PATH),
            str(tmp_path / "*.txt"),
            str(tmp_path / "bad.ndjson"),
            "missing.txt",
        ],
    )
    assert result.exit_code == 1
    assert "added 2, duplicates 0, failed 4" in result.output
    for origin in ("empty.txt", "binary.txt", "bad.ndjson:2", "missing.txt"):
        assert origin in result.output
    assert "Traceback" not in result.output


def test_ingest_reads_folders_ndjson_and_stdin(runner: CliRunner) -> None:
    folder = runner.invoke(cli, ["ingest", str(DEMO_DIR)])
    assert folder.exit_code == 0, folder.output
    assert "added 61, duplicates 0, failed 0" in folder.output
    piped = runner.invoke(cli, ["ingest", "-"], input=SEED_PATH.read_text())
    assert "added 0, duplicates 1, failed 0" in piped.output


def test_extract_prints_ndjson_and_stores_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["extract", str(SEED_PATH), "--json"])
    assert result.exit_code == 0, result.output
    article = json.loads(result.output.splitlines()[0])
    assert article["id"] is None
    assert article["source_path"] == str(SEED_PATH)
    assert article["agency"] == {"code": "AA", "name": "Anadolu Agency"}
    assert not (tmp_path / "data").exists()


def test_reindex_rebuilds_the_index_from_the_database(runner: CliRunner) -> None:
    runner.invoke(cli, ["ingest", str(SEED_PATH)])
    result = runner.invoke(cli, ["reindex"])
    assert result.exit_code == 0
    assert "reindexed 1 articles" in result.output
    assert json.loads(runner.invoke(cli, ["search", "panshir", "--json"]).output)["total"] == 1


def test_bad_query_and_unknown_id_are_clear_errors(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["search", "(unbalanced"])
    assert result.exit_code == 2
    assert "bad query" in result.output
    shown = runner.invoke(cli, ["show", "7"])
    assert shown.exit_code == 1
    assert "no article 7" in shown.output


def test_db_upgrade_creates_the_database(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0
    assert (tmp_path / "data" / "archive.db").exists()
