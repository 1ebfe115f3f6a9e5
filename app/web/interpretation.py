"""The query as the archive understood it, in words, and back as query text."""

from __future__ import annotations

from app.search.query import And, MatchAll, Node, Not, Or, Phrase, Prefix, Term

FIELD_LABELS: dict[str, str] = {
    "title": "in the title",
    "body": "in the text",
    "person": "as a person",
    "agency": "as the agency",
    "place": "as a place",
    "dateline": "in the dateline",
    "section": "as the section",
    "translator": "as the translator",
    "author": "as an author",
    "language": "as the language",
}


def describe_query(node: Node) -> str:
    """A parsed query in plain words.

    >>> from app.search.query import parse_query
    >>> describe_query(parse_query('person:"Ahmed Massoud" -taliban'))
    '“Ahmed Massoud” as a person and not “taliban”'
    """
    match node:
        case MatchAll():
            return "every article"
        case Term(text, field) | Prefix(text, field):
            quoted = f"“{text}”" if isinstance(node, Term) else f"words starting with “{text}”"
            return f"{quoted} {FIELD_LABELS[field]}" if field else quoted
        case Phrase(words, field):
            quoted = f"“{' '.join(words)}”"
            return f"{quoted} {FIELD_LABELS[field]}" if field else quoted
        case Not(child):
            return f"not {_grouped(child)}"
        case And(children):
            return " and ".join(_grouped(child) for child in children)
        case Or(children):
            return " or ".join(_grouped(child) for child in children)
    raise TypeError(f"not a query node: {node!r}")


def _grouped(node: Node) -> str:
    text = describe_query(node)
    return f"({text})" if isinstance(node, And | Or) else text


def query_text(node: Term | Phrase | Prefix) -> str:
    """The query-language text of one leaf: `person:"Ahmad Massoud"`, `negotiat*`."""
    match node:
        case Term(text, field):
            body = text
        case Phrase(words, field):
            body = f'"{" ".join(words)}"'
        case Prefix(text, field):
            body = f"{text}*"
    return f"{field}:{body}" if field else body


def required_leaves(node: Node) -> tuple[Term | Phrase | Prefix, ...]:
    """The leaves every match must contain: all of a top-level AND, or the lone leaf."""
    match node:
        case Term() | Phrase() | Prefix():
            return (node,)
        case And(children):
            return tuple(c for c in children if isinstance(c, Term | Phrase | Prefix))
    return ()


def phrase_query(text: str, field: str | None = None) -> str:
    """A query for exactly `text` (quotes inside dropped): `dateline:"New York"`."""
    body = f'"{text.replace(chr(34), " ").strip()}"'
    return f"{field}:{body}" if field else body
