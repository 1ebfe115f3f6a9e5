"""Accuracy gate: the tagger's exact-span F1 on the gold corpora never drops below the
floors pinned in bench/entity_floors.json (written by `python -m bench.entities --write-floors`).
"""

from __future__ import annotations

import json

import pytest

from bench.entities import CORPORA, FLOORS_PATH, evaluate
from bench.entity_corpora import shared_dir

pytestmark = pytest.mark.corpus

FLOORS: dict[str, float] = json.loads(FLOORS_PATH.read_text())


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_f1_stays_above_pinned_floors(corpus: str) -> None:
    if not (shared_dir() / "corpora" / CORPORA[corpus][0]).exists():
        pytest.skip(f"gold corpus {CORPORA[corpus][0]} absent: ../shared is not checked out")
    scores = evaluate(corpus)
    below = {
        label: round(score.f1, 3)
        for label, score in scores.items()
        if score.f1 < FLOORS[f"{corpus}/{label}"]
    }
    assert not below, f"F1 fell below the pinned floors on {corpus}: {below}"
