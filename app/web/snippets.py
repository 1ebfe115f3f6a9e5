"""Snippets as markup: only `<mark>` survives, whatever the backend sent."""

from __future__ import annotations

import re

from markupsafe import Markup

_MARK = re.compile(r"(</?mark>)")


def keep_only_marks(snippet: str) -> Markup:
    """An escaped snippet whose only markup is `<mark>`; any other angle bracket is escaped.

    The backends already escape snippets; this keeps the page safe if one ever did not.

    >>> keep_only_marks("Ahmad <mark>Massoud</mark> <b>said</b> &amp; left")
    Markup('Ahmad <mark>Massoud</mark> &lt;b&gt;said&lt;/b&gt; &amp; left')
    """
    parts = _MARK.split(snippet)
    return Markup(
        "".join(
            part if _MARK.fullmatch(part) else part.replace("<", "&lt;").replace(">", "&gt;")
            for part in parts
        )
    )
