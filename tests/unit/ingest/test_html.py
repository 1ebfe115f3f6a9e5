"""HTML pages: main text and page metadata, then the same wire parsing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.ingest.html import extract_page
from app.ingest.pipeline import extract_article

PAGE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "html-page-ap.html"


def test_page_metadata_reaches_the_record() -> None:
    record = extract_article(PAGE.read_bytes(), format="html")
    assert (record.title, record.site_name, record.url) == (
        "Storm knocks out power to thousands in Louisiana",
        "Example News",
        "https://news.example.org/2021/09/05/louisiana-storm",
    )
    assert record.authors == ("Melinda Deslatte",)
    # the page gives a day; the day becomes midnight UTC
    assert record.published_at == datetime(2021, 9, 5, tzinfo=UTC)
    assert record.raw == PAGE.read_text("utf-8")


def test_scripts_styles_and_navigation_never_reach_the_text() -> None:
    page = extract_page(PAGE.read_text("utf-8"))
    assert page is not None
    for markup in ("alert(", "tracking", "color: red", "Home", "Copyright"):
        assert markup not in page.text


def test_values_given_with_the_record_win_over_the_page() -> None:
    record = extract_article(
        PAGE.read_bytes(),
        format="html",
        url="https://archive.example.org/1",
        published_at=datetime(2021, 9, 6, tzinfo=UTC),
    )
    assert record.url == "https://archive.example.org/1"
    assert record.published_at == datetime(2021, 9, 6, tzinfo=UTC)


def test_a_page_without_main_text_gives_none() -> None:
    assert extract_page("<html><head><script>var a = 1;</script></head></html>") is None
