"""The table cache: a built table is read back from disk, never stale, never an error."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.ingest import gazetteer, geocoder, language, near_duplicates
from app.ingest.table_cache import cache_dir, cached_table, sources_digest, table_path

INGEST = Path(gazetteer.__file__).parent


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSARCHIVE_CACHE_DIR", str(folder))
    return folder


def agencies_table() -> dict[str, str]:
    """A small table whose every build is counted."""
    builds.append(1)
    return {"AA": "Anadolu Agency", "AP": "Associated Press"}


builds: list[int] = []


def test_a_table_is_built_once_then_read_from_its_file_by_later_runs() -> None:
    builds.clear()
    first_run, second_run = cached_table(agencies_table), cached_table(agencies_table)
    assert first_run() == {"AA": "Anadolu Agency", "AP": "Associated Press"}
    assert table_path(f"{__name__}.agencies_table").is_file()
    assert second_run() == first_run()
    assert len(builds) == 1


def test_a_damaged_file_is_built_again_and_replaced() -> None:
    builds.clear()
    path = table_path(f"{__name__}.agencies_table")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05 half a pickle")
    assert cached_table(agencies_table)()["AA"] == "Anadolu Agency"
    assert len(builds) == 1
    assert pickle.loads(path.read_bytes())["AP"] == "Associated Press"


def test_a_new_build_replaces_the_files_of_earlier_ones() -> None:
    path = table_path(f"{__name__}.agencies_table")
    earlier = path.with_name(f"{__name__}.agencies_table-0123456789abcdef.pickle")
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(pickle.dumps({"AA": "Associated Press"}))
    assert cached_table(agencies_table)()["AA"] == "Anadolu Agency"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_cache_folder_that_cannot_be_written_still_gives_the_table(private_cache: Path) -> None:
    private_cache.write_text("a file where the folder should be")
    assert cached_table(agencies_table)()["AP"] == "Associated Press"
    assert list(private_cache.parent.iterdir()) == [private_cache]


def test_the_cache_folder_defaults_to_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSARCHIVE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/home/reporter/.cache")
    assert cache_dir() == Path("/home/reporter/.cache/newsarchive")


def test_changed_code_or_data_names_another_file(tmp_path: Path) -> None:
    package = tmp_path / "ingest"
    shutil.copytree(INGEST, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = sources_digest(package)
    assert sources_digest(package) == before
    with (package / "data" / "places.txt").open("a", encoding="utf-8") as places:
        places.write("Panjshir Valley\n")
    after_data = sources_digest(package)
    (package / "geocoder.py").write_text("# a new geocoder\n", encoding="utf-8")
    assert len({before, after_data, sources_digest(package)}) == 3


@pytest.mark.parametrize("cached", [gazetteer.load_gazetteer, geocoder._cities])
def test_the_pipelines_cached_tables_are_the_tables_it_builds(cached: Any) -> None:
    built = cached.__wrapped__()
    assert cached_table(cached.__wrapped__)() == built  # built and written
    assert cached_table(cached.__wrapped__)() == built  # read back


def test_the_language_identifier_read_back_scores_as_the_one_built() -> None:
    build = language.language_identifier.__wrapped__
    built = build()
    cached_table(build)()  # built and written
    read_back = cached_table(build)()
    for text in (
        "Afghan resistance leader Ahmad Massoud offered talks to the Taliban on Monday.",
        "Le chef d'un groupe afghan a proposé des négociations aux talibans.",
        "Der Anführer des afghanischen Widerstands hat den Taliban Gespräche angeboten.",
    ):
        assert read_back.classify(text) == built.classify(text)


def test_the_minhash_permutations_read_back_are_datasketchs() -> None:
    build = near_duplicates._permutations.__wrapped__
    cached_table(build)()  # built and written
    for read_back, built in zip(cached_table(build)(), build(), strict=True):
        assert np.array_equal(read_back, built)


def test_signing_a_story_with_the_table_cache_filled_does_not_import_datasketch(
    private_cache: Path,
) -> None:
    cached_table(near_duplicates._permutations.__wrapped__)()
    script = (
        "import sys; from app.ingest.near_duplicates import sign_body; "
        "assert sign_body('Oil ministers met in Geneva on Monday to discuss output quotas "
        "for the coming year, officials said.') is not None; "
        "print('datasketch' in sys.modules)"
    )
    env = {**os.environ, "NEWSARCHIVE_CACHE_DIR": str(private_cache)}
    shown = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"
