"""Input that is not news: a clear IngestError or a record with issues, never a crash."""

from __future__ import annotations

import pytest

from app.ingest.pipeline import extract_article
from app.ingest.record import IngestError

PYTHON_SOURCE = """import json
from pathlib import Path


def load(path):
    data = json.loads(Path(path).read_text())
    for row in data:
        if row["kind"] == "article":
            yield row
    return None
"""
JAVASCRIPT_SOURCE = """const express = require('express');
const app = express();
app.get('/', (req, res) => {
  res.send('Hello World!');
});
app.listen(3000);
"""
CSV_TABLE = """id,title,agency,published
1,Taliban name caretaker government,AP,2021-09-07
2,Gold steadies as dollar slips,Reuters,2021-09-03
3,Kabul airport reopens,AFP,2021-09-04
"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        # control characters among the bytes: not text in any encoding
        (bytes(range(1, 256)) * 40, "binary or not readable"),
        (PYTHON_SOURCE.encode(), "source code"),
        (JAVASCRIPT_SOURCE.encode(), "source code"),
        (CSV_TABLE.encode(), "CSV"),
        ("x" * 9_000_000, "too large"),
    ],
)
def test_unusable_input_is_refused_with_a_reason(data: bytes | str, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        extract_article(data)


def test_a_20_megabyte_page_is_refused_quickly() -> None:
    page = (
        "<html><body>" + "<p>Filler paragraph of a bloated page.</p>" * 500_000 + "</body></html>"
    )
    assert len(page) > 20_000_000
    with pytest.raises(IngestError, match="too large"):
        extract_article(page, format="html")


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><script>alert('x')</script></body></html>",
        "<<<>>><p><p><div></span>",
    ],
)
def test_a_page_without_article_text_is_refused(html: str) -> None:
    with pytest.raises(IngestError, match="no article text"):
        extract_article(html, format="html")


def test_mojibake_is_repaired_and_noted() -> None:
    text = (
        "Ghani’s aides leave Kabul\n\nKABUL (AP) — Ashraf Ghani’s aides left the café "
        "near the palace on Sunday, witnesses said.\n"
    )
    record = extract_article(text.encode("utf-8").decode("cp1252"))
    assert record.title == "Ghani’s aides leave Kabul"
    assert "Ashraf Ghani’s aides left the café" in record.body
    assert [issue.step for issue in record.issues] == ["split_lines"]


@pytest.mark.parametrize(
    "text",
    [
        # a headline and nothing else
        "Taliban name caretaker government",
        # one long paragraph with no headline line
        "KABUL (AP) — " + "The Taliban named a caretaker government on Tuesday. " * 20,
        # a dateline for a place no gazetteer knows
        "Storm hits island\n\nPORT ZZYZX, Sept 5 (Reuters) - A storm hit the island on Sunday.",
    ],
)
def test_messy_articles_become_records_with_issues(text: str) -> None:
    record = extract_article(text)
    assert record.issues
    assert record.content_hash.startswith("sha256:")


def test_a_latin1_byte_falls_back_to_windows_1252() -> None:
    data = b"Price of tea rises\n\nLONDON (Reuters) - Tea rose to \xa33 a kilo, traders said."
    assert extract_article(data).body == "Tea rose to £3 a kilo, traders said."


def test_a_wire_table_of_rates_is_news() -> None:
    # mostly digits, yet a real wire item: rates under a headline
    text = "HONG KONG EXCHS NOON - APR 7\n\nus 7.8015 - 7.8035\nuk 12.622 - 12.634\nus/uk 1.618"
    assert extract_article(text).title == "HONG KONG EXCHS NOON - APR 7"
