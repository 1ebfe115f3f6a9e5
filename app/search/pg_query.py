"""Compiling the neutral query tree to PostgreSQL: one `tsquery` where possible, SQL around it.

Plain words search the weighted `document` vector (title A, people B, places
and dateline C, body D), so `title:`, `person:` and `body:` are weight
restrictions of the same `tsquery`, and a query of such words becomes one
`document @@ to_tsquery(...)` answered by one GIN index. `place:` and
`dateline:` share weight C and are rechecked on their own vectors;
`author:` and `translator:` have vectors of their own; `agency:`,
`section:` and `language:` match whole folded values in `keys`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true

from app.search.pg_schema import CONFIG, search_documents
from app.search.pg_text import fold, quote, value_key
from app.search.query import And, MatchAll, Node, Not, Or, Phrase, Prefix, Term

WEIGHTS: dict[str, str] = {"title": "A", "person": "B", "place": "C", "dateline": "C", "body": "D"}
#: An unfielded prefix looks in titles, people and bodies, as Whoosh's does.
PREFIX_WEIGHTS = "ABD"
RECHECKED: dict[str, str] = {"place": "place_vector", "dateline": "dateline_vector"}
OWN_VECTOR: dict[str, str] = {"author": "author_vector", "translator": "translator_vector"}
KEY_FIELDS: frozenset[str] = frozenset({"agency", "section", "language"})
#: Prefixes expanded through the vocabulary (title, body and people words).
EXPANDED: frozenset[str | None] = frozenset({None, "title", "body", "person"})

Predicate = ColumnElement[bool]


@dataclass(frozen=True, slots=True)
class TsQuery:
    """`to_tsquery` source text matched against the `document` vector."""

    text: str


Part = TsQuery | Predicate


def to_tsquery(text: str) -> ColumnElement[object]:
    """`to_tsquery` in the archive's text search configuration."""
    return func.to_tsquery(CONFIG, text)


def matches(vector: str, text: str) -> Predicate:
    """`vector @@ to_tsquery(text)`."""
    return search_documents.c[vector].bool_op("@@")(to_tsquery(text))


def as_predicate(part: Part) -> Predicate:
    """A compiled part as a SQL condition."""
    return matches("document", part.text) if isinstance(part, TsQuery) else part


def expandable_prefixes(node: Node) -> set[str]:
    """Folded prefixes the vocabulary must expand: `negotiat*` → `{'negotiat'}`."""
    match node:
        case Prefix(text, name) if name in EXPANDED:
            return {fold(text)}
        case And(children) | Or(children):
            return {p for child in children for p in expandable_prefixes(child)}
        case Not(child):
            return expandable_prefixes(child)
    return set()


def compile_query(node: Node, expansions: Mapping[str, tuple[str, ...]]) -> Part:
    """The SQL for a parsed tree; `expansions` maps each expandable prefix to its words.

    >>> compile_query(Term("talks", "title"), {})
    TsQuery(text="'talks':A")
    """
    match node:
        case MatchAll():
            return true()
        case Term(text, name):
            return _words(text, name)
        case Phrase(words, name):
            return _words(" ".join(words), name)
        case Prefix(text, name):
            return _prefix(text, name, expansions)
        case And(children):
            return _combine([compile_query(c, expansions) for c in children], " & ", and_)
        case Or(children):
            return _combine([compile_query(c, expansions) for c in children], " | ", or_)
        case Not(child):
            part = compile_query(child, expansions)
            return TsQuery(f"!({part.text})") if isinstance(part, TsQuery) else not_(part)
    raise TypeError(f"not a query node: {node!r}")


def _words(text: str, name: str | None) -> Part:
    if name is None:
        return TsQuery(quote(text))
    if name in KEY_FIELDS:
        return search_documents.c["keys"].contains([value_key(name, text)])
    if name in OWN_VECTOR:
        return matches(OWN_VECTOR[name], quote(text))
    weighted = TsQuery(quote(text, ":" + WEIGHTS[name]))
    if name in RECHECKED:
        return and_(as_predicate(weighted), matches(RECHECKED[name], quote(text)))
    return weighted


def _prefix(text: str, name: str | None, expansions: Mapping[str, tuple[str, ...]]) -> Part:
    if name in KEY_FIELDS:
        pattern = value_key(str(name), text).replace("\\", "\\\\").replace("%", r"\%")
        key = func.unnest(search_documents.c["keys"]).table_valued("value").render_derived()
        return exists(select(1).select_from(key).where(key.c.value.like(pattern + "%")))
    if name in OWN_VECTOR or name in RECHECKED:
        return matches(OWN_VECTOR.get(str(name)) or RECHECKED[str(name)], quote(fold(text), ":*"))
    words = expansions.get(fold(text), ())
    if not words:
        return false()
    weights = PREFIX_WEIGHTS if name is None else WEIGHTS[name]
    return TsQuery("(" + " | ".join(quote(word, ":" + weights) for word in words) + ")")


def _combine(parts: list[Part], operator: str, combine: Callable[..., Predicate]) -> Part:
    queries = [p.text for p in parts if isinstance(p, TsQuery)]
    others = [p for p in parts if not isinstance(p, TsQuery)]
    if not others:
        return TsQuery("(" + operator.join(queries) + ")")
    if queries:
        others.insert(0, as_predicate(TsQuery("(" + operator.join(queries) + ")")))
    return combine(*others)


def highlight_text(node: Node, expansions: Mapping[str, tuple[str, ...]]) -> str | None:
    """A `tsquery` of every positive text word, for `ts_headline` (None: nothing to mark)."""
    operands = _positive_operands(node, expansions)
    return " | ".join(operands) if operands else None


def _positive_operands(node: Node, expansions: Mapping[str, tuple[str, ...]]) -> list[str]:
    match node:
        case Term(text, name) if name not in KEY_FIELDS:
            return [quote(text)]
        case Phrase(words, name) if name not in KEY_FIELDS:
            return [quote(" ".join(words))]
        case Prefix(text, name) if name in EXPANDED:
            return [quote(word) for word in expansions.get(fold(text), ())]
        case Prefix(text, name) if name not in KEY_FIELDS:
            return [quote(fold(text), ":*")]
        case And(children) | Or(children):
            return [o for child in children for o in _positive_operands(child, expansions)]
    return []
