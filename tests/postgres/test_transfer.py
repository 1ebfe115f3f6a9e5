"""Moving an archive: SQLite → NDJSON → PostgreSQL, and SQLite → PostgreSQL in one command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from tests.conftest import DEMO_DIR

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite archive holding the demo articles (the tests only read it)."""
    folder = tmp_path_factory.mktemp("sqlite")
    result = CliRunner().invoke(
        cli, ["ingest", str(DEMO_DIR)], env={"NEWSARCHIVE_DATA_DIR": str(folder)}
    )
    assert "added 61," in result.output
    return folder


@pytest.fixture
def runner(sqlite_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner over the SQLite archive, unless a call names another database."""
    monkeypatch.setenv("NEWSARCHIVE_DATA_DIR", str(sqlite_dir))
    monkeypatch.delenv("NEWSARCHIVE_DATABASE_URL", raising=False)
    monkeypatch.delenv("NEWSARCHIVE_SEARCH_BACKEND", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _search(runner: CliRunner, query: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = runner.invoke(cli, ["search", query, "--json", "--limit", "100"], env=env)
    assert result.exit_code == 0, result.output
    page: dict[str, object] = json.loads(result.output)
    return page


def _articles(runner: CliRunner, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["export"], env=env)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return lines


def test_export_then_import_gives_the_same_articles_and_answers(
    runner: CliRunner, empty_postgres_url: str, tmp_path: Path
) -> None:
    exported = tmp_path / "archive.ndjson"
    assert runner.invoke(cli, ["export", str(exported)]).exit_code == 0
    postgres = {"NEWSARCHIVE_DATABASE_URL": empty_postgres_url}
    imported = runner.invoke(cli, ["import", str(exported)], env=postgres)
    assert "added 61, duplicates 0, failed 0" in imported.output
    again = runner.invoke(cli, ["import", str(exported)], env=postgres)
    assert "added 0, duplicates 61, failed 0" in again.output
    assert _articles(runner, postgres) == _articles(runner)
    for query in ("massoud", '"Steve Jobs"', "person:Massoud"):
        on_sqlite, on_postgres = _search(runner, query), _search(runner, query, postgres)
        assert on_postgres["total"] == on_sqlite["total"]
        assert {h["id"] for h in on_postgres["hits"]} == {h["id"] for h in on_sqlite["hits"]}  # type: ignore[attr-defined]


def test_migrate_to_copies_the_archive_in_one_command(
    runner: CliRunner, empty_postgres_url: str
) -> None:
    result = runner.invoke(cli, ["migrate-to", empty_postgres_url])
    assert "added 61, duplicates 0, failed 0" in result.output, result.output
    postgres = {"NEWSARCHIVE_DATABASE_URL": empty_postgres_url}
    assert _articles(runner, postgres) == _articles(runner)
    added = runner.invoke(cli, ["ingest", "-"], input="Fresh news\n\nA new story.", env=postgres)
    assert "added 1," in added.output  # the id sequence moved past the copied ids


def test_an_unreadable_line_is_reported_with_its_number(
    runner: CliRunner, empty_postgres_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ndjson"
    broken.write_text('{"title": "no body"}\n\n{oops\n')
    result = runner.invoke(
        cli, ["import", str(broken)], env={"NEWSARCHIVE_DATABASE_URL": empty_postgres_url}
    )
    assert result.exit_code == 1
    assert "failed: line 1" in result.output and "failed: line 3" in result.output
    assert "added 0, duplicates 0, failed 2" in result.output
