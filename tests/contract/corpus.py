"""The contract corpus: the seed article, hand-written wire stories and Wikinews articles.

Records carry their metadata explicitly (agency, dateline, people with
aliases, dates), so the suite tests search semantics, not extraction. The
Wikinews articles (CC BY 4.0, via the NewsReader MEANTIME corpus) come from
the bundled demo file, which keeps their attribution. Two stories come in
near duplicates (`STORIES`): a reworded wire story, and a Wikinews article
republished by two agencies.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from app.ingest.record import (
    Agency,
    ArticleRecord,
    Dateline,
    EntityMention,
    PersonMention,
    Translator,
)

DEMO = Path(__file__).resolve().parents[2] / "app" / "demo" / "articles"
AA = Agency("AA", "Anadolu Agency")
AFP = Agency("AFP", "Agence France-Presse")
REUTERS = Agency("REUTERS", "Reuters")
KABUL = Dateline("Kabul", "Afghanistan", "AF", 34.53, 69.17)
SALEH = PersonMention("Amrullah Saleh")
SEED = "Afghanistan: Ahmed Massoud proposes talks to the Taliban to end the conflict in Panshir"
SURRENDER = "Saleh says the resistance will not surrender Panshir"
CARETAKER = "Saleh declares himself caretaker president"
INTERIM = "Taliban name an interim government"
PAKISTAN = "Pakistan calls for an inclusive Afghan government"
BROTHER = "Saleh's brother killed in Panshir, family says"
MUTTAQI = "Taliban foreign minister seeks recognition"
SCRIPT = "Page with a script in its text"
DOHA = "Envoys meet in Doha"
QATAR_CAPITAL = "Delegations meet in Qatar's capital"
AIRBUS = "Airbus wins Qatar Airways order worth $15bn"
BOEING = "Boeing pushes back 737 replacement development"
A380 = "A380 makes maiden flight to US"
A380_REUTERS = "Airbus superjumbo heads for Chicago and Los Angeles"
A380_AFP = "World's largest airliner crosses the Atlantic with passengers"
#: Near duplicates ingestion files under one story, in the order they are stored.
STORIES: tuple[tuple[str, ...], ...] = ((DOHA, QATAR_CAPITAL), (A380, A380_REUTERS, A380_AFP))


def _record(title: str, body: str, **fields: object) -> ArticleRecord:
    digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    return ArticleRecord(
        raw=f"{title}\n\n{body}",
        title=title,
        body=body,
        language="en",
        content_hash=f"sha256:{digest}",
        **fields,  # type: ignore[arg-type]
    )


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def _seed_body() -> str:
    lines = (DEMO / "seed-article.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("The leader of"))
    end = next(i for i, line in enumerate(lines) if line.startswith("* Translated"))
    return "\n".join(line for line in lines[start:end] if line.strip())


def _wikinews_item(title: str) -> tuple[dict[str, str], str]:
    """The demo file's item with this headline, and its body."""
    for line in (DEMO / "wikinews.ndjson").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        head, _, body = item["text"].partition("\n\n")
        if head == title:
            return item, body
    raise LookupError(title)


def _wikinews(title: str, section: str, people: tuple[str, ...] = ()) -> ArticleRecord:
    item, body = _wikinews_item(title)
    return _record(
        title,
        body,
        url=item["url"],
        source=item["source"],
        section=section,
        published_at=_at(item["published_at"]),
        people=tuple(PersonMention(p) for p in people),
    )


def _republished(
    title: str, original: str, paragraphs: tuple[int, ...], **fields: object
) -> ArticleRecord:
    """A Wikinews article as a wire service republished it: another headline, some paragraphs."""
    _, body = _wikinews_item(original)
    kept = [paragraph for n, paragraph in enumerate(body.strip().split("\n\n")) if n in paragraphs]
    return _record(title, "\n\n".join(kept), **fields)


def corpus() -> list[ArticleRecord]:
    """Every contract article, in the order they are ingested."""
    return [
        _record(
            SEED,
            _seed_body(),
            section="World",
            agency=AA,
            dateline=KABUL,
            authors=("Shafiq Ahmad",),
            translator=Translator("Mourad Belhaj", "en"),
            published_at=_at("2021-09-05"),
            people=(
                PersonMention("Ahmad Massoud", ("Ahmed Massoud",), 2),
                SALEH,
                PersonMention("Amir Khan Muttaqi"),
                PersonMention("Fahim Dashti"),
            ),
            places=(EntityMention("Panshir", 6), EntityMention("Kabul"), EntityMention("Andarab")),
            organizations=(EntityMention("Taliban", 9), EntityMention("Jamiat-e-Islami")),
        ),
        _record(
            SURRENDER,
            "Former vice-president Amrullah Saleh said on Saturday that the resistance in "
            'Panshir would not surrender. "We will not give up," Saleh said in a video message, '
            "adding that talks with the Taliban had failed.",
            section="World",
            agency=AFP,
            dateline=KABUL,
            published_at=_at("2021-09-18"),
            people=(SALEH,),
            places=(EntityMention("Panshir"),),
        ),
        _record(
            CARETAKER,
            "Amrullah Saleh said he was the legitimate caretaker president of Afghanistan under "
            'the constitution. "I will not bow to the Taliban," Saleh wrote on Twitter.',
            section="World",
            agency=AFP,
            dateline=KABUL,
            published_at=_at("2021-09-02"),
            people=(SALEH,),
        ),
        _record(
            INTERIM,
            "The Taliban named an interim government on Tuesday. Amrullah Saleh called the "
            'cabinet "illegal" in a statement quoted by Reuters.',
            section="World",
            agency=REUTERS,
            dateline=KABUL,
            published_at=_at("2021-09-10"),
            people=(SALEH,),
        ),
        _record(
            PAKISTAN,
            "Pakistan's foreign minister urged an inclusive government in Kabul. Amrullah "
            'Saleh said Pakistan "cannot dictate" to Afghans.',
            section="World",
            agency=AA,
            dateline=Dateline("Islamabad", "Pakistan", "PK"),
            published_at=_at("2021-09-12"),
            people=(SALEH,),
        ),
        _record(
            BROTHER,
            "Rohullah Azizi, brother of Amrullah Saleh, was killed in Panshir, the family said. "
            '"They killed my brother," Saleh said.',
            section="World",
            agency=AA,
            dateline=KABUL,
            published_at=_at("2021-10-03"),
            people=(SALEH, PersonMention("Rohullah Azizi")),
            places=(EntityMention("Panshir"),),
        ),
        _record(
            MUTTAQI,
            "Amir Khan Muttaqi, the Taliban's acting foreign minister, asked the world to "
            "recognise the new government in Kabul.",
            section="Politics",
            agency=AFP,
            dateline=KABUL,
            published_at=_at("2021-09-20"),
            people=(PersonMention("Amir Khan Muttaqi"),),
        ),
        _record(
            SCRIPT,
            "The scraped page said <script>alert('taliban')</script> before a report on "
            "Taliban checkpoints & roadblocks.",
        ),
        _record(
            DOHA,
            "Envoys met in Doha on Monday for peace talks between the two delegations, "
            "officials said, and both sides described the meeting as useful.",
            section="World",
            published_at=_at("2020-09-14"),
        ),
        _record(
            QATAR_CAPITAL,
            "Envoys met in Doha on Monday for talks between the two delegations, officials "
            "said, and both sides described the peace meeting as useful.",
            section="World",
            published_at=_at("2020-09-14"),
        ),
        _wikinews(AIRBUS, "Business"),
        _wikinews(BOEING, "Business", ("Sandy Angers",)),
        _wikinews(A380, "Business"),
        # The same day, its last paragraph cut.
        _republished(
            A380_REUTERS, A380, (0, 1, 2, 3), agency=REUTERS, published_at=_at("2007-03-19")
        ),
        # A day later, without the paragraph on jobs.
        _republished(A380_AFP, A380, (0, 1, 2, 4), agency=AFP, published_at=_at("2007-03-20")),
    ]
