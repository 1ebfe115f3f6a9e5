"""The language of an article, by py3langid (its model ships inside the package)."""

from __future__ import annotations

from typing import Any

import numpy as np
import py3langid
from numpy.typing import NDArray

from app.ingest.table_cache import cached_table

MIN_LETTERS = 20
SAMPLE_CHARS = 1200
_MAX_MEMORY = 16  # bytes: a DFA whose state depends on more is refused, not walked


def _memory(rows: NDArray[np.unsignedinteger], row_of: NDArray[np.unsignedinteger]) -> int:
    """The least n such that a DFA's state after any text depends only on its last n bytes.

    `rows[row_of[state], byte]` is the state that `byte` leads to, and walks start in
    state 0. Follows the pairs (state after x, state after c + x) for every byte c as x
    grows by every byte, until they have all met: then the state after x is the state
    after any text ending in x. A pair that has met moves as one, so it is dropped, and
    the successors of a pair depend only on the two states' rows, so pairs of rows are
    expanded once each.
    """
    after_x, after_cx = np.zeros(256, dtype=np.intp), rows[row_of[0]]
    for length in range(_MAX_MEMORY + 1):
        apart = after_x != after_cx
        if not apart.any():
            return length
        pairs = np.unique(row_of[after_x[apart]].astype(np.int64) << 32 | row_of[after_cx[apart]])
        after_x, after_cx = rows[pairs >> 32], rows[pairs & 0xFFFFFFFF]
    raise ValueError(f"the DFA's state depends on more than its last {_MAX_MEMORY} bytes")


class _CompactIdentifier(py3langid.langid.LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier, scoring exactly as it does, its DFA walked at every byte at once.

    py3langid walks its DFA over a text's bytes one at a time in Python, counting the
    feature (byte n-gram) of each state it enters. The DFA's state after a byte depends
    only on the last `_memory` bytes up to it (found at load: 6 for the shipped model), so
    walking those few bytes from state 0, for every position at once with numpy, gives
    every state of py3langid's walk. The features are counted and summed in the order the
    walk first meets them, as py3langid sums them, so the scores are the same to the bit.
    The features' weights are widened to float32 once here, where widening the model's
    float16 rows on every call cost as much as the product itself (float32 sums are what
    py3langid computes either way).
    """

    _nextmove: NDArray[np.unsignedinteger]
    _rowbase: NDArray[np.intp]
    _memory: int

    def __init__(
        self, nb_ptc: Any, nb_pc: Any, nb_classes: Any, tk_nextmove: Any, tk_output: Any, **kw: Any
    ) -> None:
        weights = np.asarray(nb_ptc, dtype=np.float32)
        output = np.asarray(tk_output, dtype=np.int32)
        super().__init__(weights, nb_pc, nb_classes, tk_nextmove, output, **kw)
        # one array under both names, which the table cache then stores once
        self._nextmove = self.tk_nextmove = np.asarray(tk_nextmove)
        row_of = np.asarray(self.tk_row)
        self._rowbase = row_of.astype(np.intp) << 8
        self._memory = _memory(self._nextmove.reshape(-1, 256), row_of)

    def visits(self, text: bytes) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
        """The features py3langid's walk meets in `text` and how often, in the order it first
        meets them: the keys and values of its `visit_counts`."""
        data = np.frombuffer(text, dtype=np.uint8).astype(np.intp)
        # the state after each byte: a walk from state 0 over the bytes that end there
        state = np.zeros(len(data), dtype=np.intp)
        for lag in reversed(range(min(self._memory, len(data)))):
            state[lag:] = self._nextmove[self._rowbase[state[lag:]] + data[: len(data) - lag]]
        # every visit as feature << 32 | position, sorted; states without a feature (-1) first
        key = np.sort(self.tk_output[state].astype(np.int64) << 32 | np.arange(len(data)))
        key = key[np.searchsorted(key, 0) :]
        feature = key >> 32
        change = np.empty(len(key) + 1, dtype=bool)
        change[0] = change[-1] = True
        np.not_equal(feature[1:], feature[:-1], out=change[1:-1])
        bounds = np.flatnonzero(change)  # where each feature's visits start, then the end
        first = bounds[:-1]
        order = np.argsort(key[first] & 0xFFFFFFFF)  # by the position of the first visit
        return feature[first][order], (bounds[1:] - first)[order]

    def _raw_score(self, text: bytes) -> NDArray[np.float32]:
        """py3langid's raw scores, summed over `visits` as its `_sparse_score` sums them."""
        features, counts = self.visits(text)
        if not len(features):
            fill = 0.0 if self._norm_probs else py3langid.langid.RAW_FLOOR
            return np.full(len(self.nb_classes), fill, dtype=np.float32)
        scores: NDArray[np.float32] = (
            np.log1p(counts.astype(np.float32)) @ self.nb_ptc[features] + self.nb_pc
        )
        return scores


@cached_table
def language_identifier() -> Any:
    """The py3langid identifier (loaded once, and kept in the table cache: reading its model,
    compressed, and building the walk's tables takes over half a second; call before forking
    to share it)."""
    return _CompactIdentifier.from_model_file(py3langid.langid.MODEL_FILE)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of `text`'s language; None when there is too little text to tell.

    >>> detect_language("Le chef d'un groupe afghan a proposé des négociations aux talibans.")
    'fr'
    """
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    code, _ = language_identifier().classify(sample)
    return str(code)
