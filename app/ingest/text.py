"""Turning raw bytes into clean article lines: decoding, unicode repair, page junk."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from app.ingest.record import IngestError

MAX_TEXT_CHARS = 2_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def decode_bytes(data: bytes) -> str:
    """Decode input bytes: UTF-8 (with or without BOM), else Windows-1252.

    >>> decode_bytes("Muttaqí".encode("cp1252"))
    'Muttaqí'
    """
    if not data.strip():
        raise IngestError("the input is empty")
    if b"\x00" in data[:8192]:
        raise IngestError("the input is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def is_text_like(text: str) -> bool:
    """True when most characters are printable: binary noise decoded as text is not."""
    sample = text[:20_000]
    if not sample:
        return False
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t")
    letters = sum(1 for ch in sample if ch.isalpha())
    return printable / len(sample) > 0.95 and letters / len(sample) > 0.3


def normalize_text(text: str) -> str:
    """NFC-normalise, unify line endings, drop control characters and squeeze spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def content_hash(text: str) -> str:
    """A stable identity for article content: SHA-256 of the normalised text."""
    return "sha256:" + hashlib.sha256(normalize_text(text).strip().encode("utf-8")).hexdigest()


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Non-empty lines of normalised text, one paragraph each."""
    return tuple(line for line in normalize_text(text).split("\n") if line)
