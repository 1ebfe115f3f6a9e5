"""Geocoding dateline places offline, disambiguated by the dateline's region."""

from __future__ import annotations

import pytest

from app.ingest.geocoder import find_region, geocode
from app.ingest.record import Dateline


@pytest.mark.parametrize(
    ("place", "region", "name", "country_code", "lat", "lon"),
    [
        ("KABUL", "Afghanistan", "Kabul", "AF", 34.53, 69.17),
        ("Kabul", None, "Kabul", "AF", 34.53, 69.17),
        # the region picks Springfield, Illinois among the Springfields
        ("SPRINGFIELD", "Ill.", "Springfield", "US", 39.80, -89.64),
        ("SPRINGFIELD", "Mass.", "Springfield", "US", 42.10, -72.59),
        ("LONDON", None, "London", "GB", 51.51, -0.13),
        ("LONDON", "Ontario", "London", "CA", 42.98, -81.23),
        # an exonym is found through the gazetteer's alternate names
        ("Kaboul", "Afghanistan", "Kaboul", "AF", 34.53, 69.17),
        ("CAGUAS", "Puerto Rico", "Caguas", "PR", 18.23, -66.04),
    ],
)
def test_geocode(
    place: str, region: str | None, name: str, country_code: str, lat: float, lon: float
) -> None:
    dateline = geocode(place, region)
    assert (dateline.place, dateline.country_code) == (name, country_code)
    assert dateline.lat == pytest.approx(lat, abs=0.05)
    assert dateline.lon == pytest.approx(lon, abs=0.05)


def test_a_place_the_gazetteer_lacks_keeps_its_region_country() -> None:
    assert geocode("MIDWAY ATOLL", None) == Dateline("Midway Atoll")
    assert geocode("PORT ZZYZX", "Calif.") == Dateline("Port Zzyzx", "United States", "US")


def test_a_country_as_dateline_is_geocoded_to_the_country() -> None:
    assert geocode("KUWAIT", None).country_code == "KW"


@pytest.mark.parametrize(
    ("name", "country_code", "admin1"),
    [("Ill.", "US", "IL"), ("N.Y.", "US", "NY"), ("W.Va.", "US", "WV"), ("B.C.", "CA", "02"),
     ("West Germany", "DE", None), ("Britain", "GB", None), ("Afghanistan", "AF", None)],
)  # fmt: skip
def test_find_region(name: str, country_code: str, admin1: str | None) -> None:
    region = find_region(name)
    assert region is not None
    assert (region.country_code, region.admin1) == (country_code, admin1)
