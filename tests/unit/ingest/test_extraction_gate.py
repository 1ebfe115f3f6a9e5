"""Corpus gate: extraction accuracy on the research corpora never drops below its floors.

The floors live in bench/extraction_floors.json, shared with `python -m bench.extraction`,
which prints the same scores over every document.
"""

from __future__ import annotations

import pytest

from bench.corpora import corpora_dir
from bench.extraction import Score, load_floors, score_all

pytestmark = pytest.mark.corpus

# Every 8th document of Reuters-21578 and the TempEval-3 silver set keeps the gate fast.
SAMPLE = 8


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    if not corpora_dir().is_dir():
        pytest.skip(f"research corpora not found at {corpora_dir()} (set NEWSARCHIVE_SHARED_DIR)")
    return {result.metric: result for result in score_all(SAMPLE)}


@pytest.mark.parametrize(("metric", "floor"), sorted(load_floors().items()))
def test_extraction_accuracy_meets_its_floor(
    scores: dict[str, Score], metric: str, floor: float
) -> None:
    result = scores[metric]
    assert result.total > 0, f"{metric}: no gold items were read"
    assert result.accuracy >= floor, (
        f"{metric}: {result.accuracy:.2%} < floor {floor:.0%}; first misses:\n"
        + "\n".join(result.misses)
    )
