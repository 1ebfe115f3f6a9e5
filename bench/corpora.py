"""Loading the research corpora in ../shared/corpora, shared by the benchmarks and the gates.

Every loader yields typed gold items; none copies a corpus into the repository. The
folder is the repo's sibling `../shared` unless `NEWSARCHIVE_SHARED_DIR` says otherwise.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import os
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared folder holding `corpora/` and `samples/`."""
    return Path(os.environ.get("NEWSARCHIVE_SHARED_DIR", REPO / ".." / "shared")).resolve()


def corpora_dir() -> Path:
    """The research corpora folder."""
    return shared_dir() / "corpora"


def seed_article_path() -> Path:
    """The sample article the whole pipeline is accepted on."""
    return shared_dir() / "samples" / "seed-article.txt"


@dataclass(frozen=True, slots=True)
class WireItem:
    """One corpus document rebuilt as wire copy, with the gold fields its corpus gives."""

    key: str
    text: str
    place: str | None = None
    agency: str | None = None
    author: str | None = None
    published: date | None = None


_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t]+")


def _plain(markup: str) -> str:
    """Text of an SGML/XML fragment: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def _element(doc: str, name: str) -> str | None:
    found = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", doc, re.DOTALL)
    return found.group(1) if found else None


def _gold_place(dateline: str) -> str:
    """The place of a dateline as its corpus writes it: the part before the first comma."""
    return dateline.split(",")[0].strip()


def read_reuters21578() -> Iterator[WireItem]:
    """Reuters-21578 stories with a DATELINE: headline, byline, then dateline + body.

    Gold: DATELINE place and the AUTHOR byline (`By Janie Gabbett, Reuters` → the name).
    """
    for path in sorted((corpora_dir() / "reuters21578" / "raw").glob("reut2-*.sgm.gz")):
        raw = gzip.decompress(path.read_bytes()).decode("latin-1")
        for doc in raw.split("</REUTERS>"):
            dateline, body = _element(doc, "DATELINE"), _element(doc, "BODY")
            if dateline is None or body is None:
                continue
            title = _plain(_element(doc, "TITLE") or "").strip()
            author = _plain(_element(doc, "AUTHOR") or "").strip()
            newid = re.search(r'NEWID="(\d+)"', doc)
            body_text = _plain(body).replace("\x03", "").strip()
            text = "\n\n".join(
                p for p in (title, author, _plain(dateline).strip() + " " + body_text) if p
            )
            yield WireItem(
                key=f"reuters21578/{newid.group(1) if newid else '?'}",
                text=text,
                place=_gold_place(_plain(dateline)),
                agency="Reuters",
                author=_reuters_author(author) if author else None,
            )


def _reuters_author(byline: str) -> str:
    name = re.sub(r"^by\s+", "", byline.rstrip(" ."), flags=re.IGNORECASE)
    return re.sub(r",\s*Reuters?$", "", name, flags=re.IGNORECASE).strip()


_AG_DATELINE = re.compile(r"^(?P<dateline>[^()]{2,60}?)\s*\((?P<agency>Reuters|AP|AFP)\)\s*-")


def read_ag_news_datelines() -> Iterator[WireItem]:
    """AG News test items whose lead opens `CITY (Reuters|AP|AFP) -`: title + lead.

    Gold: the place before the agency tag and the agency itself.
    """
    raw = gzip.decompress((corpora_dir() / "ag-news" / "test.csv.gz").read_bytes())
    for number, (_, title, description) in enumerate(csv.reader(io.StringIO(raw.decode()))):
        markup = html.unescape(description.replace("#36;", "$").replace("#39;", "'"))
        # runs of spaces are where the original lines broke (`By NAME     WASHINGTON (AP) -`)
        markup = re.sub(r" {3,}", "<p>", markup)
        paragraphs = [_SPACES.sub(" ", p).strip() for p in _TAG.split(markup.replace("\\", " "))]
        lead = "\n\n".join(p for p in paragraphs if p)
        found = _AG_DATELINE.search(lead.rsplit("\n\n", 1)[-1])
        if found is None:
            continue
        yield WireItem(
            key=f"ag-news/{number}",
            text=f"{_plain(title)}\n\n{lead}",
            # `Canadian Press - AL-FASHER (AP) -`: CP relays an AP story filed in Al-Fasher
            place=_gold_place(found["dateline"].rsplit(" - ", 1)[-1]),
            agency=found["agency"],
        )


def _tempeval_members(archive: str) -> Iterator[tuple[str, str]]:
    with tarfile.open(corpora_dir() / "tempeval3" / archive) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".tml"):
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read().decode("utf-8")


def _creation_date(doc: str) -> date | None:
    found = re.search(r'functionInDocument="CREATION_TIME"[^>]*?value="(\d{4})-(\d\d)-(\d\d)', doc)
    found = found or re.search(
        r'value="(\d{4})-(\d\d)-(\d\d)[^"]*"[^>]*functionInDocument="CREATION_TIME"', doc
    )
    return date(int(found[1]), int(found[2]), int(found[3])) if found else None


def _paragraphs(markup: str) -> list[str]:
    return [_SPACES.sub(" ", p).strip() for p in _plain(markup).split("\n\n") if p.strip()]


_SILVER_AGENCY = re.compile(r"\((AFP|Xinhua)\)\s*$")


def read_tempeval_silver() -> Iterator[WireItem]:
    """TempEval-3 silver AFP/Xinhua stories: headline, then `DCT dateline - first paragraph`.

    Gold: the dateline place, and the agency when the dateline carries its tag.
    """
    for archive in ("TE3-Silver-data-0_2_3_4.tar.gz",):
        for name, doc in _tempeval_members(archive):
            dct = _SPACES.sub(" ", _plain(_element(doc, "DCT") or "")).strip()
            # Some silver DCTs repeat the year the date already ends with: `Dec 12 , 2006, 2006`.
            dct = re.sub(r"\b(\d{4}), \1\b", r"\1", dct)
            paragraphs = _paragraphs(_element(doc, "TEXT") or "")
            if not dct or not paragraphs:
                continue
            tag = _SILVER_AGENCY.search(dct)
            title = _plain(_element(doc, "TITLE") or "").strip()
            lead = f"{dct} - {paragraphs[0]}"
            yield WireItem(
                key=f"tempeval3-silver/{Path(name).stem}",
                text="\n\n".join(p for p in (title, lead, *paragraphs[1:]) if p),
                place=_gold_place(dct),
                agency=tag.group(1) if tag else None,
                published=_creation_date(doc),
            )


def read_timebank() -> Iterator[WireItem]:
    """TimeBank 1.2 documents: the creation-time line as printed, wire header, then the story.

    Gold: the document creation date.
    """
    for name, doc in _tempeval_members("TBAQ-cleaned.tar.gz"):
        if "/TimeBank/" not in name:
            continue
        header = _plain(_element(doc, "DCT") or "").strip()
        extra = _SPACES.sub(" ", _plain(_element(doc, "EXTRAINFO") or "")).strip()
        paragraphs = _paragraphs(_element(doc, "TEXT") or "")
        yield WireItem(
            key=f"timebank/{Path(name).stem}",
            text="\n\n".join(p for p in (header, extra, *paragraphs) if p),
            published=_creation_date(doc),
        )


_WIRE_AUTHORS = {"AP": "AP", "AFP": "AFP", "UPI": "UPI", "Reuters": "Reuters", "reuters": "Reuters"}


def _credits(text: str, name: str) -> bool:
    """Whether `text` credits `name`: a paragraph opens with it, or `by`/`Follow` precede it."""
    return bool(re.search(rf"(?:^|\n|\bby\s|Follow\s){re.escape(name)}\b", text, re.IGNORECASE))


def read_polnear_bylines() -> Iterator[WireItem]:
    """PolNeAR articles whose metadata author (a person or an agency) is credited in the text.

    A name merely mentioned in passing is no byline, so those articles are left out.

    Gold: the author as a person's name, or the agency when the piece is wire copy.
    """
    with tarfile.open(
        corpora_dir() / "polnear" / "polnear_train_dev_text_attributions.tar.gz"
    ) as tar:
        texts = {
            Path(m.name).stem: tar.extractfile(m).read().decode("utf-8")  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile() and "/text/" in m.name and m.name.endswith(".txt")
        }
    metadata = (corpora_dir() / "polnear" / "metadata_without_test.tsv").read_text("utf-8")
    for row in csv.DictReader(io.StringIO(metadata), delimiter="\t"):
        text, author = texts.get(row["filename"]), row["author"]
        agency = _WIRE_AUTHORS.get(author)
        name = author.split(",")[0].strip()
        if text is None or name in ("None", "NA", ""):
            continue
        if not (f"({agency})" in text if agency else _credits(text, name)):
            continue
        yield WireItem(
            key=f"polnear/{row['filename']}",
            text=text,
            agency=agency,
            author=None if agency else name,
        )


def read_conll_documents(name: str = "eng.testb.gz") -> Iterator[list[list[str]]]:
    """CoNLL-2003 documents as lists of sentences of tokens (first column only)."""
    text = gzip.decompress((corpora_dir() / "conll2003" / name).read_bytes()).decode("utf-8")
    document: list[list[str]] = []
    sentence: list[str] = []
    for line in [*text.splitlines(), ""]:
        token = line.split(" ", 1)[0]
        if token == "-DOCSTART-":
            if document:
                yield document
            document = []
        elif token:
            sentence.append(token)
        elif sentence:
            document.append(sentence)
            sentence = []
    if document:
        yield document


_CONLL_DATELINE = re.compile(r"^(?P<place>\S+(?: \S+){0,4}) (?P<date>\d{4}-\d\d-\d\d)$")


def read_conll_datelines() -> Iterator[WireItem]:
    """CoNLL-2003 stories (dev and test) with a `CITY YYYY-MM-DD` dateline sentence.

    Sentences become paragraphs, tokens joined by spaces. Gold: the dateline's place
    and date, as the dateline sentence itself spells them.
    """
    for name in ("eng.testa.gz", "eng.testb.gz"):
        for number, document in enumerate(read_conll_documents(name)):
            sentences = [" ".join(tokens) for tokens in document]
            found = next(filter(None, map(_CONLL_DATELINE.match, sentences[:4])), None)
            if found is None:
                continue
            year, month, day = map(int, found["date"].split("-"))
            yield WireItem(
                key=f"conll2003/{name.split('.')[1]}/{number}",
                text="\n\n".join(sentences),
                place=_gold_place(found["place"]),
                published=date(year, month, day),
            )
