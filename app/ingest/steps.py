"""The pipeline steps: small pure functions `ArticleRecord -> ArticleRecord`.

Each step consumes the working `lines` it recognises. Subheadings stay in the body
as paragraphs of their own (without their leading dash), so the article reads in
order, and are also listed in `record.subheadings`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.ingest.agencies import find_agency, is_signature
from app.ingest.dates import infer_year, parse_date_line, to_utc
from app.ingest.geocoder import geocode
from app.ingest.html import extract_page
from app.ingest.language import detect_language
from app.ingest.record import Agency, ArticleRecord
from app.ingest.text import (
    content_hash,
    drop_link_blocks,
    is_junk_line,
    repair_mojibake,
    split_breadcrumbs,
    split_glued_teaser,
    split_paragraphs,
)
from app.ingest.wire import (
    WireDateline,
    extract_agency_lead,
    extract_agency_place_author,
    extract_byline,
    extract_contributor_bio,
    extract_credit_trailer,
    extract_dateline,
    extract_follow_credit,
    extract_signoff,
    extract_translator,
    split_embedded_trailer,
    split_glued_byline,
    split_names,
)

MAX_TITLE_CHARS = 250
HEAD_LINES = 4
TAIL_LINES = 4
_SUBHEADING = re.compile(r"^[–—-]\s+(?P<text>\S.{0,200})$")
_TITLE_AGENCY = re.compile(
    r"^(?P<title>.+?)(?:\s*\((?P<tag>[^()]{2,30})\)|\s+[|–—-]\s+(?P<suffix>[^|–—-]{2,30}))$"
)
_GLUED_SECTION = re.compile(
    r"^(?P<section>World|Politics|Business|Economy|Sports?|Europe|Asia|Africa|Americas|Middle East"
    r"|Technology|Science|Health|Culture|Opinion|Analysis|Turkey|Life|Environment)"
    # `WorldAfghanistan: …` is a glued section; `WorldCom director …` is a company
    r"(?=[A-Z][\w’' -]{2,30}:\s)"
)


def split_lines(record: ArticleRecord) -> ArticleRecord:
    """Working lines from the raw input: text paragraphs, or an HTML page's main text."""
    if record.format != "html":
        text = repair_mojibake(record.raw)
        if text != record.raw:
            record = record.with_issue("split_lines", "repaired UTF-8 text decoded as Windows-1252")
        return replace(record, lines=split_paragraphs(text))
    page = extract_page(record.raw)
    if page is None:
        return record.with_issue("split_lines", "the HTML page has no main text")
    lines = split_paragraphs(page.text)
    if page.title and lines and lines[0] == page.title:
        lines = lines[1:]
    authors = split_names(page.author.replace(";", ",")) if page.author else None
    return replace(
        record,
        lines=lines,
        title=record.title or page.title,
        authors=authors or record.authors,
        published_at=record.published_at or (to_utc(page.published) if page.published else None),
        site_name=record.site_name or page.site_name,
        url=record.url or page.url,
    )


def drop_page_junk(record: ArticleRecord) -> ArticleRecord:
    """Remove page furniture: link blocks, share bars, photo credits, copyright lines."""
    lines = tuple(line for line in drop_link_blocks(record.lines) if not is_junk_line(line))
    return record if lines == record.lines else replace(record, lines=lines)


def extract_section(record: ArticleRecord) -> ArticleRecord:
    """The section a page files the story under: crumbs, or a name glued to a teaser.

    `WorldAfghanistan: Ahmed Massoud proposes…` above the full headline gives `World`
    and the teaser line is dropped.
    """
    lines = record.lines
    if len(lines) < 2:
        return record
    crumbs = split_breadcrumbs(lines[0])
    if crumbs:
        return replace(record, section=record.section or crumbs[-1], lines=lines[1:])
    section = split_glued_teaser(lines[0], lines[1])
    if section is not None:
        return replace(record, section=record.section or section or None, lines=lines[1:])
    glued = _GLUED_SECTION.match(lines[0])
    if glued:
        rest = lines[0][glued.end() :]
        return replace(record, section=record.section or glued["section"], lines=(rest, *lines[1:]))
    return record


def split_glued_bylines(record: ArticleRecord) -> ArticleRecord:
    """A head line holding a byline and the dateline paragraph after it becomes two lines, for
    the credit and dateline steps to read: `By Jane Doe KABUL (AP) — …`."""
    for index, line in enumerate(record.lines[:HEAD_LINES]):
        split = split_glued_byline(line)
        if split:
            lines = (*record.lines[:index], *split, *record.lines[index + 1 :])
            return replace(record, lines=lines)
    return record


def extract_title(record: ArticleRecord) -> ArticleRecord:
    """The first remaining line is the headline, unless it is a dateline paragraph or a
    byline (`By Jane Doe`).

    A trailing agency tag or suffix is moved to `agency`: `Fed holds rates (Reuters)`,
    `Fed holds rates | Reuters`.
    """
    title, lines = record.title, record.lines
    if not title:
        if (
            not lines
            or len(lines[0]) > MAX_TITLE_CHARS
            or _opens_story(lines[0])
            or _is_byline(lines[0])
        ):
            return record.with_issue("extract_title", "no headline line found")
        title, lines = lines[0], lines[1:]
    agency = record.agency
    tagged = _TITLE_AGENCY.match(title)
    if tagged:
        signature = tagged["tag"] or tagged["suffix"]
        # a suffix after a dash must be exactly how an agency signs: not `Iran - a year on`
        if (tagged["tag"] or is_signature(signature)) and find_agency(signature):
            title, agency = tagged["title"], agency or find_agency(signature)
    return replace(record, title=title, lines=lines, agency=agency)


def _is_byline(line: str) -> bool:
    return line[:3].lower() == "by " and extract_byline(line) is not None


def _opens_story(line: str) -> bool:
    """A dateline with its agency or date and a sentence after it starts the story, not a title."""
    dateline = extract_dateline(line)
    if dateline is None or not any(ch.islower() for ch in dateline.rest):
        return False
    return bool(dateline.agency or dateline.date or dateline.month_day)


def extract_date_line(record: ArticleRecord) -> ArticleRecord:
    """A line above the story that is only a date (`Published: Sept. 5, 2021`) dates the article."""
    for index, line in enumerate(record.lines[:HEAD_LINES]):
        published = parse_date_line(line)
        if published:
            lines = record.lines[:index] + record.lines[index + 1 :]
            return replace(
                record, lines=lines, published_at=record.published_at or to_utc(published)
            )
    return record


def extract_head_credits(record: ArticleRecord) -> ArticleRecord:
    """Credit lines between headline and story: bylines, `AA / Kabul / Name`, date lines."""
    lines, head = record.lines, record.lines[:HEAD_LINES]
    kept: list[str] = []
    for index, line in enumerate(head):
        updated = _read_head_line(record, line, lines[index + 1 : index + 2])
        if updated is None:
            kept.append(line)
        else:
            record = updated
    if len(kept) == len(head):
        return record
    return replace(record, lines=(*kept, *lines[HEAD_LINES:]))


def _read_head_line(
    record: ArticleRecord, line: str, following: tuple[str, ...]
) -> ArticleRecord | None:
    """The record updated with what one head line says, or None if it is story text."""
    credit = extract_agency_place_author(line)
    if credit:
        agency, place, region, authors = credit
        return replace(
            record,
            agency=record.agency or agency,
            dateline=record.dateline or geocode(place, region),
            authors=record.authors or authors,
        )
    byline = extract_byline(line)
    if byline:
        return replace(
            record,
            authors=record.authors or byline.authors,
            agency=record.agency or byline.agency,
            published_at=record.published_at
            or (to_utc(byline.published) if byline.published else None),
        )
    bare = split_names(line) if len(line.split()) <= 4 and line[-1].isalpha() else None
    if bare and len(bare) == 1 and following and extract_dateline(following[0]):
        return replace(record, authors=record.authors or bare)
    return None


def extract_wire_dateline(record: ArticleRecord) -> ArticleRecord:
    """The dateline opening the story (`KABUL, Sept. 5 (Reuters) -`), cut from its paragraph.

    An agency lead (`AP - …`) gives the agency when there is no dateline.
    """
    if record.dateline is not None:
        return record
    lines = list(record.lines)
    for index, line in enumerate(lines[: HEAD_LINES - 1]):
        lead = extract_agency_lead(line)
        if lead:
            # `Canadian Press - KINSHASA (AP) -`: the dateline's agency filed the story
            line = lines[index] = lead[1]
        dateline = extract_dateline(line)
        if dateline:
            lines[index : index + 1] = [dateline.rest] if dateline.rest else []
            return _with_dateline(record, tuple(lines), dateline, lead)
        if lead:
            return replace(record, agency=record.agency or lead[0], lines=tuple(lines))
    return record


def _with_dateline(
    record: ArticleRecord,
    lines: tuple[str, ...],
    dateline: WireDateline,
    lead: tuple[Agency, str] | None,
) -> ArticleRecord:
    geocoded = geocode(dateline.place, dateline.region)
    published = dateline.date
    if published is None and dateline.month_day:
        published = infer_year(dateline.month_day, record.raw)
    record = replace(
        record,
        lines=lines,
        dateline=geocoded,
        dateline_date=published.isoformat() if published else None,
        agency=dateline.agency or record.agency or (lead[0] if lead else None),
        published_at=record.published_at or (to_utc(published) if published else None),
    )
    if geocoded.lat is None:
        return record.with_issue(
            "extract_wire_dateline", f"{geocoded.place!r} is not in the gazetteer"
        )
    return record


def extract_tail_credits(record: ArticleRecord) -> ArticleRecord:
    """Translator notes anywhere; credit trailers, `Follow …` lines and sign-offs at the end."""
    kept: list[str] = []
    tail_start = len(record.lines) - TAIL_LINES
    for index, line in enumerate(record.lines):
        translator = extract_translator(line)
        if translator:
            record = replace(record, translator=record.translator or translator)
            continue
        if index >= tail_start:
            updated = _read_tail_line(record, line)
            if updated is not None:
                record = updated
                continue
        kept.append(line)
    return _read_closing_paragraph(record, tuple(kept))


def _read_closing_paragraph(record: ArticleRecord, lines: tuple[str, ...]) -> ArticleRecord:
    """`record` with its remaining `lines`, and the credits the last paragraph gives: a trailer
    glued to it, or a contributor's note naming the writer.

    The note stays in the body: it is the writer's own text.
    """
    embedded = split_embedded_trailer(lines[-1]) if lines else None
    if embedded:
        paragraph, credits = embedded
        return replace(
            record,
            lines=(*lines[:-1], paragraph) if paragraph else lines[:-1],
            authors=tuple(dict.fromkeys((*record.authors, *credits.authors))),
            editors=tuple(dict.fromkeys((*record.editors, *credits.editors))),
        )
    if lines and not record.authors:
        writer = extract_contributor_bio(lines[-1], "\n".join((record.title or "", *lines[:-1])))
        if writer:
            return replace(record, lines=lines, authors=(writer,))
    return record if lines == record.lines else replace(record, lines=lines)


def _read_tail_line(record: ArticleRecord, line: str) -> ArticleRecord | None:
    credits = extract_credit_trailer(line)
    if credits:
        return replace(
            record,
            authors=tuple(dict.fromkeys((*record.authors, *credits.authors))),
            editors=tuple(dict.fromkeys((*record.editors, *credits.editors))),
        )
    follow = extract_follow_credit(line)
    if follow:
        return replace(record, authors=record.authors or (follow,))
    signoff = extract_signoff(line)
    if signoff:
        return replace(record, agency=record.agency or signoff)
    return None


def extract_subheadings(record: ArticleRecord) -> ArticleRecord:
    """A dash-led line standing alone in the story is a subheading (a run of them is a list).

    The dash is dropped in the body too.
    """
    dashed = [_SUBHEADING.match(line) for line in record.lines]
    subheadings: list[str] = []
    lines = list(record.lines)
    for index, found in enumerate(dashed):
        neighbours = dashed[max(index - 1, 0) : index] + dashed[index + 1 : index + 2]
        if found and not any(neighbours) and not found["text"].endswith((".", ",", ";")):
            subheadings.append(found["text"])
            lines[index] = found["text"]
    if not subheadings:
        return record
    return replace(record, subheadings=(*record.subheadings, *subheadings), lines=tuple(lines))


def normalise_published_at(record: ArticleRecord) -> ArticleRecord:
    """Publication dates are timezone-aware UTC datetimes (a bare day is midnight UTC)."""
    if record.published_at is None:
        return record
    return replace(record, published_at=to_utc(record.published_at))


def detect_article_language(record: ArticleRecord) -> ArticleRecord:
    """The ISO 639-1 language of headline and story, unless the source already said."""
    if record.language:
        return record
    language = detect_language("\n".join((record.title or "", *record.lines)))
    if language is None:
        return record.with_issue("detect_article_language", "too little text to tell the language")
    return replace(record, language=language)


def assemble_body(record: ArticleRecord) -> ArticleRecord:
    """Join the remaining lines into the body, paragraphs separated by blank lines."""
    body = "\n\n".join(record.lines)
    if not body:
        record = record.with_issue("assemble_body", "no body text left after extraction")
    return replace(record, body=body)


def hash_content(record: ArticleRecord) -> ArticleRecord:
    """Identify the article by its raw content."""
    return replace(record, content_hash=content_hash(record.raw))
