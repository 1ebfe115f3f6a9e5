"""The language of an article, by py3langid (its model ships inside the package)."""

from __future__ import annotations

from array import array
from functools import cache
from typing import Any

import numpy as np
import py3langid

MIN_LETTERS = 20
SAMPLE_CHARS = 1200


class _CompactIdentifier(py3langid.langid.LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier, scoring exactly as it does, with its tables laid out for speed.

    The byte-by-byte walk reads each state's row offset and feature from compact
    arrays rather than lists of boxed ints spread over the heap, so it stays in the
    CPU cache between articles; and the features' weights are widened to float32
    once here, where widening the model's float16 rows on every call cost as much
    as the product itself (float32 sums are what py3langid computes either way).
    """

    _rowbase: array[int]

    def __init__(
        self, nb_ptc: Any, nb_pc: Any, nb_classes: Any, tk_nextmove: Any, tk_output: Any, **kw: Any
    ) -> None:
        weights = np.asarray(nb_ptc, dtype=np.float32)
        super().__init__(weights, nb_pc, nb_classes, tk_nextmove, array("i", tk_output), **kw)
        self._rowbase = array("I", self._rowbase)


@cache
def language_identifier() -> Any:
    """The py3langid identifier (loaded once; call before forking to share it)."""
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
