"""Gold entity spans from the research corpora in ../shared/corpora, as plain text + char spans.

CoNLL-2003 (IOB1) and CoNLL++ (IOB2) token files and MEANTIME's Wikinews XML are
detokenised into readable text (one sentence a line) with a char offset per token, so a
tagger that reads plain text can be scored on exact spans.
"""

from __future__ import annotations

import gzip
import os
import tarfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

Span = tuple[int, int, str]
LABELS = ("PER", "LOC", "ORG")

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One document: its text and the gold (start, end, label) spans in it.

    `annotated` lists the char ranges the annotators looked at, when they did not label
    every mention (MEANTIME marks only entities taking part in its events); predictions
    outside them are not scored. None means the whole text was annotated.
    """

    text: str
    spans: frozenset[Span]
    annotated: frozenset[tuple[int, int]] | None = None

    def is_scored(self, span: Span) -> bool:
        """Whether a predicted span falls where the gold annotation can judge it."""
        if self.annotated is None:
            return True
        return any(a < span[1] and span[0] < b for a, b in self.annotated)


def shared_dir() -> Path:
    """The sibling `shared` folder (env NEWSARCHIVE_SHARED_DIR overrides)."""
    override = os.environ.get("NEWSARCHIVE_SHARED_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / ".." / "shared"


def detokenize(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Tokens → text, one sentence a line, with each token's (start, end) offsets.

    >>> detokenize([["Ghani", "'s", "men", "(", "AA", ")", "."]])[0]
    "Ghani's men (AA)."
    """
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for sentence in sentences:
        if parts:
            parts.append("\n")
            pos += 1
        row: list[tuple[int, int]] = []
        glue = True
        open_quote = False
        for token in sentence:
            closing = token == '"' and open_quote
            if not glue and token not in _NO_SPACE_BEFORE and not closing:
                parts.append(" ")
                pos += 1
            parts.append(token)
            row.append((pos, pos + len(token)))
            pos += len(token)
            glue = token in _NO_SPACE_AFTER or (token == '"' and not open_quote)
            if token == '"':
                open_quote = not open_quote
        offsets.append(row)
    return "".join(parts), offsets


def decode_iob(tags: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """Token index spans from IOB1 or IOB2 tags: `(first, last_exclusive, label)`.

    >>> list(decode_iob(["I-PER", "I-PER", "O", "B-LOC"]))
    [(0, 2, 'PER'), (3, 4, 'LOC')]
    """
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        kind, _, name = tag.partition("-")
        if label and (kind != "I" or name != label):
            yield start, i, label
            label = ""
        if kind in ("B", "I") and not label:
            start, label = i, name


def read_conll(path: Path) -> list[GoldDoc]:
    """CoNLL-2003 / CoNLL++ documents (PER, LOC, ORG spans; MISC dropped)."""
    docs: list[GoldDoc] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def flush_doc() -> None:
        if sentences:
            docs.append(_conll_doc(sentences))
            sentences.clear()

    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()
            if not fields:
                if current:
                    sentences.append(current)
                    current = []
                continue
            if fields[0] == "-DOCSTART-":
                flush_doc()
                continue
            current.append((fields[0], fields[-1]))
    if current:
        sentences.append(current)
    flush_doc()
    return docs


def _conll_doc(sentences: list[list[tuple[str, str]]]) -> GoldDoc:
    text, offsets = detokenize([[word for word, _ in s] for s in sentences])
    spans: set[Span] = set()
    for sentence, row in zip(sentences, offsets, strict=True):
        for first, last, label in decode_iob([tag for _, tag in sentence]):
            if label in LABELS:
                spans.add((row[first][0], row[last - 1][1], label))
    return GoldDoc(text, frozenset(spans))


_NOT_NAMES = {"PRO", "NOM", "PTV", "CONJ"}


def find_name(words: list[str], name: str) -> tuple[int, int] | None:
    """Token range of a person's name (else surname, else given name) in a MEANTIME mention.

    MEANTIME mentions carry titles and appositives ("EADS chief executive Louis Gallois",
    "Jobs , aged 55"); the entity's descriptor gives the name the annotators meant.

    >>> find_name(["Apple", "CEO", "Steve", "Jobs"], "Steve Jobs")
    (2, 4)
    >>> find_name(["Jobs", ",", "aged", "55"], "Steve Jobs")
    (0, 1)
    """
    target = name.lower().replace("'", "' ").split()
    lowered = [w.lower() for w in words]
    for needle in (target, target[-1:], target[:1] if len(words) == 1 else []):
        size = len(needle)
        for i in range(len(words) - size + 1 if needle else 0):
            found = words[i : i + size]
            if lowered[i : i + size] == needle and all(w[:1].isupper() for w in found):
                return i, i + size
    return None


def read_meantime(path: Path) -> list[GoldDoc]:
    """MEANTIME English (Wikinews) documents with the names inside their PER mentions."""
    docs: list[GoldDoc] = []
    with tarfile.open(path) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if "intra_cross-doc_annotation" not in member.name or not member.name.endswith(".xml"):
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                docs.append(_meantime_doc(ET.parse(handle).getroot()))
    return docs


def _meantime_doc(root: ET.Element) -> GoldDoc:
    tokens = [(t.get("t_id", ""), t.get("sentence", ""), t.text or "") for t in root.iter("token")]
    by_sentence: dict[str, list[tuple[str, str]]] = {}
    for t_id, sentence, word in tokens:
        by_sentence.setdefault(sentence, []).append((t_id, word))
    text, offsets = detokenize([[w for _, w in s] for s in by_sentence.values()])
    where = {
        t_id: off
        for sentence, row in zip(by_sentence.values(), offsets, strict=True)
        for (t_id, _), off in zip(sentence, row, strict=True)
    }
    word_of = {t_id: word for t_id, _, word in tokens}
    markables = root.find("Markables")
    relations = root.find("Relations")
    if markables is None or relations is None:
        return GoldDoc(text, frozenset())
    types = {e.get("m_id"): e.get("ent_type") for e in markables.iter("ENTITY")}
    names = {e.get("m_id"): e.get("TAG_DESCRIPTOR", "") for e in markables.iter("ENTITY")}
    mentions = {m.get("m_id"): m for m in markables.iter("ENTITY_MENTION")}
    spans: set[Span] = set()
    annotated: set[tuple[int, int]] = set()
    for relation in relations.iter("REFERS_TO"):
        target = relation.find("target")
        kind = types.get(target.get("m_id")) if target is not None else None
        for source in relation.iter("source") if kind else ():
            mention = mentions.get(source.get("m_id"))
            ids = [a.get("t_id", "") for a in mention.iter("token_anchor")] if mention else []
            if not ids:
                continue
            annotated.add((where[ids[0]][0], where[ids[-1]][1]))
            if kind != "PER" or mention.get("syntactic_type") in _NOT_NAMES:
                continue
            part = find_name([word_of[i] for i in ids], names.get(target.get("m_id"), ""))
            if part:
                spans.add((where[ids[part[0]]][0], where[ids[part[1] - 1]][1], "PER"))
    return GoldDoc(text, frozenset(spans), frozenset(annotated))


@dataclass(frozen=True, slots=True)
class Score:
    """Exact-span counts for one label."""

    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_neg)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_spans(
    docs: Sequence[GoldDoc], predicted: Sequence[set[Span]], labels: Sequence[str] = LABELS
) -> dict[str, Score]:
    """Exact-span precision/recall per label: a span counts only if start, end and label match."""
    result: dict[str, Score] = {}
    for label in labels:
        tp = fp = fn = 0
        for doc, guess in zip(docs, predicted, strict=True):
            gold = {s for s in doc.spans if s[2] == label}
            mine = {s for s in guess if s[2] == label and doc.is_scored(s)}
            tp += len(gold & mine)
            fp += len(mine - gold)
            fn += len(gold - mine)
        result[label] = Score(tp, fp, fn)
    return result
