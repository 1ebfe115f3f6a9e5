"""The query language, parsed once into a small backend-neutral tree.

Grammar (case-sensitive operators, implicit AND between terms)::

    query   := or_expr?
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (("AND")? unary)*
    unary   := ("NOT" | "-") unary | atom
    atom    := "(" or_expr ")" | [field ":"] (phrase | word | word "*")

Each backend compiles the tree to its own engine, so both mean the same thing
by the same query. Words keep their surface form here; analysis (stemming,
accent folding) is the backend's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

QUERY_FIELDS: frozenset[str] = frozenset(
    {
        "title",
        "body",
        "person",
        "agency",
        "place",
        "dateline",
        "section",
        "translator",
        "author",
        "language",
    }
)
MAX_QUERY_LENGTH = 1000
MAX_DEPTH = 20


class QuerySyntaxError(ValueError):
    """The query cannot be parsed; the message says what is wrong and where."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word, optionally restricted to a field: `panshir`, `agency:AA`."""

    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must appear in this order: `"Ahmad Massoud"`."""

    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Prefix:
    """Every word starting with `text`: `negotiat*`."""

    text: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class And:
    """All children must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child must match."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The child must not match (only meaningful inside an `And`)."""

    child: Node


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every article (the empty query)."""


Node = Term | Phrase | Prefix | And | Or | Not | MatchAll

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<phrase>"[^"]*"?)
  | (?P<field>[A-Za-z_]+):(?=\S)
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        value = match.group()
        if kind == "ws":
            continue
        if kind == "phrase" and (len(value) < 2 or not value.endswith('"')):
            raise QuerySyntaxError(
                f"unterminated phrase: the quote at position {match.start()} is never closed"
            )
        if kind == "field" and value[:-1].lower() not in QUERY_FIELDS:
            kind, value = "word", value
        if kind == "word" and value in _OPERATORS:
            kind = value
        elif kind == "word" and value == "-" and text[match.end() : match.end() + 1] in ('"', "("):
            kind = "NOT"
        elif kind == "word" and value.startswith("-") and len(value) > 1:
            tokens.append(_Token("NOT", "-", match.start()))
            value = value[1:]
        tokens.append(_Token(kind, value, match.start()))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise QuerySyntaxError(f"unexpected {token.text!r} at position {token.pos}")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("OR", "rparen"):
            if token.kind == "AND":
                self.take()
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            previous = self.tokens[-1]
            raise QuerySyntaxError(
                f"{previous.text!r} at position {previous.pos} needs a term after it"
            )
        if token.kind in _OPERATORS or token.kind == "rparen":
            raise QuerySyntaxError(f"unexpected {token.text!r} at position {token.pos}")
        self.take()
        if token.kind == "lparen":
            return self.group(token)
        if token.kind == "field":
            return self.fielded(token)
        return _leaf(token, None)

    def group(self, opening: _Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"parentheses nested deeper than {MAX_DEPTH} levels")
        node = self.or_expr()
        closing = self.peek()
        if closing is None or closing.kind != "rparen":
            raise QuerySyntaxError(f"the parenthesis at position {opening.pos} is never closed")
        self.take()
        self.depth -= 1
        return node

    def fielded(self, token: _Token) -> Node:
        name = token.text[:-1].lower()
        target = self.peek()
        if target is None or target.kind not in ("word", "phrase", "lparen"):
            raise QuerySyntaxError(f"{token.text!r} at position {token.pos} needs a value")
        self.take()
        if target.kind == "lparen":
            return _with_field(self.group(target), name)
        return _leaf(target, name)


def _leaf(token: _Token, field: str | None) -> Node:
    if token.kind == "phrase":
        words = tuple(token.text[1:-1].split())
        if not words:
            raise QuerySyntaxError(f"empty phrase at position {token.pos}")
        return Phrase(words, field)
    text = token.text
    if text.endswith("*") and _WORD_CHARS.search(text[:-1]):
        return Prefix(text.rstrip("*"), field)
    if not _WORD_CHARS.search(text):
        raise QuerySyntaxError(f"{text!r} at position {token.pos} is not a word")
    return Term(text, field)


def _with_field(node: Node, name: str) -> Node:
    """Apply `name` to every leaf without a field of its own: `person:(a OR b)`."""
    match node:
        case Term() | Phrase() | Prefix() if node.field is None:
            return replace(node, field=name)
        case And(children):
            return And(tuple(_with_field(child, name) for child in children))
        case Or(children):
            return Or(tuple(_with_field(child, name) for child in children))
        case Not(child):
            return Not(_with_field(child, name))
    return node


def _drop_noise(tokens: list[_Token]) -> list[_Token]:
    """Strip tokens that carry no word at all (`—`, `...`) so they never fail a query."""
    return [t for t in tokens if t.kind != "word" or _WORD_CHARS.search(t.text)]


def parse_query(text: str) -> Node:
    """Parse the query language into a tree.

    >>> parse_query('person:"Ahmed Massoud" -taliban')  # doctest: +NORMALIZE_WHITESPACE
    And(children=(Phrase(words=('Ahmed', 'Massoud'), field='person'),
                  Not(child=Term(text='taliban', field=None))))
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    return _Parser(_drop_noise(_tokenize(text))).parse()


def query_words(node: Node) -> list[str]:
    """The positive words of a query, in order (for suggestions and highlights)."""
    match node:
        case Term(text):
            return [text]
        case Phrase(words):
            return list(words)
        case Prefix(text):
            return [text]
        case And(children) | Or(children):
            return [word for child in children for word in query_words(child)]
    return []
