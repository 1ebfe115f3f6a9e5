"""The language of an article, by py3langid (its model ships inside the package)."""

from __future__ import annotations

import py3langid

MIN_LETTERS = 20
SAMPLE_CHARS = 1200


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of `text`'s language; None when there is too little text to tell.

    >>> detect_language("Le chef d'un groupe afghan a proposé des négociations aux talibans.")
    'fr'
    """
    sample = text[:SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return None
    code, _ = py3langid.classify(sample)
    return str(code)
