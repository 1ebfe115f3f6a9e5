"""Turning raw bytes into clean article lines: decoding, unicode repair, page junk."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata

from app.ingest.record import IngestError

MAX_TEXT_CHARS = 2_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
# Runs of spaces to squeeze into one space; a lone space is left alone, as matching it
# only to put it back is most of the cost.
_SPACES = re.compile(rf"{_SPACE}(?:{_SPACE}+|(?<! ))")


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


# Each alternative opens with one letter, which lets the regex engine skip to candidates
# (`Ã` followed by C1 or Latin-1 characters is one alternative: `[ -ÿ]` covers both).
_MOJIBAKE = re.compile("Â[\u0080-\u00bf]|â€[\u0080-\u00bf™œ\u009d˜“”]|Ã[ -ÿ]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as Windows-1252: `GhaniÃ¢â‚¬â„¢s` → `Ghani’s`.

    >>> repair_mojibake("Ashraf Ghaniâ€™s administration, cafÃ© prices")
    'Ashraf Ghani’s administration, café prices'
    """
    if not _MOJIBAKE.search(text):
        return text
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text
    return repaired if len(_MOJIBAKE.findall(repaired)) < len(_MOJIBAKE.findall(text)) else text


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# What `is_text_like` counts as printable: `str.isprintable`, and line breaks and tabs.
_ASCII_PRINTABLE = b"\t\n\r" + bytes(range(0x20, 0x7F))
_ASCII_LETTERS = string.ascii_letters.encode("ascii")


def is_text_like(text: str) -> bool:
    """True when most characters are printable: binary noise decoded as text is not."""
    sample = text[:20_000]
    if not sample:
        return False
    # ASCII is counted in C, by deleting what counts; only other characters one by one
    ascii_part = sample.encode("ascii", "ignore")
    others = _NON_ASCII.findall(sample)
    printable = len(ascii_part) - len(ascii_part.translate(None, _ASCII_PRINTABLE))
    printable += sum(map(str.isprintable, others))
    letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    letters += sum(map(str.isalpha, others))
    return printable / len(sample) > 0.95 and letters / len(sample) > 0.1


def normalize_text(text: str) -> str:
    """NFC-normalise, unify line endings, drop control characters and squeeze spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SPACES.sub(" ", _CONTROL.sub("", text))
    # squeezed at once: the spaces squeezed never include a line break
    return "\n".join(line.strip() for line in text.split("\n"))


def content_hash(text: str) -> str:
    """A stable identity for article content: SHA-256 of the normalised text."""
    return "sha256:" + hashlib.sha256(normalize_text(text).strip().encode("utf-8")).hexdigest()


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of normalised text: one a line, or hard-wrapped lines joined.

    Wire copy wrapped at ~70 columns marks paragraphs by blank lines or an indent:
    >>> w = "Showers continued throughout the week in\\nthe Bahia cocoa zone, easing a drought.\\n"
    >>> split_paragraphs(w + "    The dry period means the temporao will be late.")[1]
    'The dry period means the temporao will be late.'
    """
    text = _CONTROL.sub(
        "", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    )
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(text):
        if _is_hard_wrapped(block.split("\n")):
            # an indent starts a paragraph; the wrapped lines within one are joined
            block = "\n".join(p.replace("\n", " ") for p in _INDENT.split(block))
        # squeezed a block at a time: the spaces squeezed never include a line break
        paragraphs.extend(line.strip() for line in _SPACES.sub(" ", block).split("\n"))
    return tuple(p for p in paragraphs if p)


_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")
_INDENT = re.compile(r"\n(?=[ \t]+\S)")
_WRAP_COLUMNS = 90
_WRAP_MIN_COLUMNS = 35
_SENTENCE_END = (".", "!", "?", '"', "”", ":", "»")


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Lines cut at a fixed width: short, and most of them ending mid-sentence."""
    inner = [line.strip() for line in lines[:-1] if line.strip()]
    if not inner or any(len(line) > _WRAP_COLUMNS for line in lines):
        return False
    mid_sentence = sum(not line.endswith(_SENTENCE_END) for line in inner)
    full_width = sum(len(line) >= _WRAP_MIN_COLUMNS for line in inner)
    return mid_sentence > 0.4 * len(inner) and full_width >= 0.8 * len(inner)


_JUNK_LINE = re.compile(
    r"^(?:Most\s+(?:Viewed|Read|Popular|Shared)\d*|Related(?:\s+(?:Articles?|Stories|News|Topics))?"
    r"|Read\s+(?:more|also|next)|See\s+also|Also\s+read|Share(?:\s+(?:this|on\s+\w+))*|Tweet|Print"
    r"|E-?mail|Advertisement|Sponsored|Trending(?:\s+now)?|Comments?|Loading\.*|Tags?:.*"
    r"|\(END\)|\(ENDS?\)|-+\s*ENDS?\s*-+|ENDS|BULLETIN|URGENT|FLASH|ADVISORY|(?:ATTENTION|Eds?:|EDS:)\s.{0,200}|BC-[\w\-]+.{0,100}"
    r"|(?:Subscribe|Sign\s+up)\b.{0,80}|Follow\s+us\b.{0,60}|Click\s+here\b.{0,80}"
    r"|(?:(?:Facebook|Twitter|WhatsApp|LinkedIn|Telegram|Reddit|Email|Pinterest)\s*)+"
    r"|(?:©|\(c\)|Copyright\b).{0,200}"
    r"|(?:Photo|Image|Picture|Video|Foto)s?(?:\s+credit)?\s*[:/©].{0,150})$",
    re.IGNORECASE,
)
# Credits closing a line: `… All rights reserved.`, `… / AFP`, `… via Getty Images`.
_CREDIT_TAIL = re.compile(
    r"^(?:.{0,120}\bAll\s+rights\s+reserved\.?"
    r"|.{0,100}(?:/\s*(?:AFP|AP|Reuters|AA|EPA|Getty\s+Images)|via\s+Getty\s+Images|Getty\s+Images)"
    r"\)?\.?)$",
    re.IGNORECASE,
)
# How those credits end, within a line's last 10 characters (9 and a final line break):
# testing that first spares trying the costly pattern above on every line.
_CREDIT_END = re.compile(r"(?:reserved\.?|(?:AFP|AP|Reuters|AA|EPA|Images)\)?\.?)$", re.IGNORECASE)
_CREDIT_END_CHARS = 10
MAX_JUNK_CHARS = 250
_CRUMB_SEPARATOR = re.compile(r"\s+[>›»|]\s+")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")


def is_junk_line(line: str) -> bool:
    """True for page furniture: 'Most Viewed', share bars, photo credits, copyright, stray dots.

    >>> is_junk_line(". . (HAS), ..")
    True
    >>> is_junk_line("The Taliban have yet to respond.")
    False
    """
    if len(line) > MAX_JUNK_CHARS:
        return False
    if _JUNK_LINE.match(line) or (
        _CREDIT_END.search(line, len(line) - _CREDIT_END_CHARS) and _CREDIT_TAIL.match(line)
    ):
        return True
    visible = line.replace(" ", "")
    return len(visible) < 40 and sum(map(str.isalnum, visible)) < 0.5 * len(visible)


_LINK_BLOCK = re.compile(
    r"^(?:Most\s+(?:Viewed|Read|Popular|Shared)\d*|Related(?:\s+(?:Articles?|Stories|News))?"
    r"|Read\s+(?:more|also|next)|See\s+also|Also\s+read|More\s+(?:from|on|stories).{0,40}"
    r"|Recommended(?:\s+for\s+you)?|You\s+may\s+also\s+like|Trending(?:\s+now)?)\s*:?$",
    re.IGNORECASE,
)
_MAX_LINK_WORDS = 20


def drop_link_blocks(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Remove 'Related' and 'Most Viewed' blocks: the header and the headlines under it.

    Only once the story has started: above it the headline itself looks like a listed
    link, so there only the header line goes (as page junk).

    >>> drop_link_blocks(("Story text.", "Related", "Floods hit Vienna", "Rain eases", "Text."))
    ('Story text.', 'Text.')
    """
    kept: list[str] = []
    in_block = story_started = False
    for line in lines:
        if _LINK_BLOCK.match(line):
            in_block = story_started
            continue
        prose = line.endswith((".", "!", "?", '"', "”")) or len(line.split()) > _MAX_LINK_WORDS
        if in_block and not prose:
            continue
        in_block = False
        story_started = story_started or prose
        kept.append(line)
    return tuple(kept)


def split_breadcrumbs(line: str) -> tuple[str, ...] | None:
    """`Home > World > Asia` → its parts; None unless the line is a short crumb trail."""
    parts = _CRUMB_SEPARATOR.split(line)
    # `Fed holds rates | Reuters` is a headline with a signature, not a trail
    fewest = 3 if "|" in line else 2
    if len(parts) < fewest or any(len(p.split()) > 3 for p in parts):
        return None
    return tuple(parts)


def split_glued_teaser(line: str, headline: str) -> str | None:
    """The prefix glued to a truncated teaser of `headline`, e.g. a section name.

    >>> split_glued_teaser("WorldAfghanistan: Massoud proposes…", "Afghanistan: Massoud proposes")
    'World'
    """
    if not _TRUNCATED.search(line):
        return None
    teaser = _TRUNCATED.sub("", line).rstrip()
    start = line.find(headline[:20]) if len(headline) >= 20 else -1
    if start < 0 or not headline.startswith(teaser[start:]):
        return None
    return teaser[:start].strip(" |-:")


_CODE_LINE = re.compile(
    r"^\s*(?:def |class |import |from \S+ import |#include|function\b|var |let |const |public "
    r"|private |return\b|if\s*\(|for\s*\(|while\s*\(|<\?php|package |using "
    # so that prose fails fast: a statement's closing `;` is looked for before an `=` or a
    # parenthesis, and runs that could only fail by giving characters back are possessive
    r"|[{}]\s*$|.*\{\s*$|(?=.*;\s*$)[^=()\n]*+[=()]|[\w.\[\]]++\s*[-+*/]?=\s*\S|//|/\*|\*/|#!)"
)
_FIELD_SEPARATORS = (",", "\t", ";", "|")


def describe_non_news(text: str) -> str | None:
    """Why `text` cannot be a news article (source code, a table of values), or None if it can be.

    >>> describe_non_news("id,name,price\\n1,apple,0.5\\n2,pear,0.7\\n3,plum,0.2")
    'the input looks like a CSV or table of values, not news text'
    """
    lines = [line for line in text[:50_000].splitlines() if line.strip()][:200]
    if len(lines) < 3:
        return None
    if len(list(filter(_CODE_LINE.match, lines))) > 0.3 * len(lines):
        return "the input looks like source code, not news text"
    if sum(line.rstrip().endswith((".", "!", "?")) for line in lines) > 0.3 * len(lines):
        return None
    for separator in _FIELD_SEPARATORS:
        # a table has the separator on every line: prose lacks it within its first lines
        if not all(separator in line for line in lines):
            continue
        counts = [line.count(separator) for line in lines]
        if max(counts) - min(counts) <= 1 and _is_short_fields(lines, separator):
            return "the input looks like a CSV or table of values, not news text"
    return None


def _is_short_fields(lines: list[str], separator: str) -> bool:
    """Most fields of most lines are short: a table's cells, not prose with commas."""
    fields = [field for line in lines for field in line.split(separator)]
    return sum(len(field.split()) <= 4 for field in fields) > 0.8 * len(fields)
