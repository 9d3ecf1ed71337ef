"""The reference data every database gets from migration 0003."""

import csv

import pytest
from django.db.models import F

from kindred.places.loading import (
    DATA_DIR,
    ensure_reference_data,
    read_counties,
    read_states,
    read_zip_codes,
)
from kindred.places.models import County, State, ZipCode

pytestmark = pytest.mark.django_db

TERRITORIES = {"AS", "GU", "MP", "PR", "VI"}


def test_it_ships_every_state_dc_and_the_territories():
    assert State.objects.count() == 56
    assert set(State.objects.filter(is_territory=True).values_list("usps", flat=True)) == (
        TERRITORIES
    )
    dc = State.objects.get(usps="DC")
    assert (dc.fips, dc.name, dc.is_territory) == ("11", "District of Columbia", False)
    assert State.objects.get(usps="PR").fips == "72"


def test_every_state_and_territory_has_counties():
    empty = State.objects.filter(counties__isnull=True).values_list("usps", flat=True)
    assert list(empty) == []


def test_county_counts_match_the_2017_vintage():
    assert County.objects.count() == 3233
    assert County.objects.exclude(state__is_territory=True).count() == 3142
    assert County.objects.filter(state__usps="PR").count() == 78
    assert County.objects.filter(state__usps="TX").count() == 254
    # Alaska before the 2019 split of Valdez-Cordova; Connecticut's 8 historical counties.
    assert County.objects.filter(fips="02261", name="Valdez-Cordova Census Area").exists()
    assert not County.objects.filter(fips__in=["02063", "02066"]).exists()
    assert County.objects.filter(state__usps="CT").count() == 8


def test_county_fips_codes_start_with_their_state():
    for fips, state_fips in County.objects.values_list("fips", "state_id"):
        assert len(fips) == 5 and fips[:2] == state_fips


def test_county_names_carry_their_kind():
    names = dict(
        County.objects.filter(
            fips__in=["40143", "22071", "02020", "51760", "51159", "72127", "11001", "35013"]
        ).values_list("fips", "name")
    )
    assert names == {
        "40143": "Tulsa County",
        "22071": "Orleans Parish",
        "02020": "Anchorage Municipality",
        "51760": "Richmond city",
        "51159": "Richmond County",
        "72127": "San Juan Municipio",
        "11001": "District of Columbia",
        "35013": "Doña Ana County",
    }


def test_zip_code_count_is_sane():
    assert 41_000 < ZipCode.objects.count() < 43_000


@pytest.mark.parametrize(
    ("code", "county", "county_name", "usps", "city"),
    [
        ("74103", "40143", "Tulsa County", "OK", "Tulsa"),
        ("10001", "36061", "New York County", "NY", "New York"),
        ("02139", "25017", "Middlesex County", "MA", "Cambridge"),
        ("90210", "06037", "Los Angeles County", "CA", "Beverly Hills"),
        ("60614", "17031", "Cook County", "IL", "Chicago"),
        ("00901", "72127", "San Juan Municipio", "PR", "San Juan"),
        ("99501", "02020", "Anchorage Municipality", "AK", "Anchorage"),
        ("20001", "11001", "District of Columbia", "DC", "Washington"),
        ("70112", "22071", "Orleans Parish", "LA", "New Orleans"),
        # Connecticut: the 2017 vintage keeps the historical counties, not planning regions.
        ("06103", "09003", "Hartford County", "CT", "Hartford"),
        # Valdez (Chugach Census Area since 2019) stays in 02261 in our vintage.
        ("99686", "02261", "Valdez-Cordova Census Area", "AK", "Valdez"),
        ("96910", "66010", "Guam", "GU", "Hagatna"),
        ("00820", "78010", "St. Croix Island", "VI", "Christiansted"),
    ],
)
def test_sample_zip_codes_map_to_the_right_county(code, county, county_name, usps, city):
    zip_code = ZipCode.objects.select_related("county", "state").get(code=code)
    assert zip_code.county.fips == county
    assert zip_code.county.name == county_name
    assert zip_code.state.usps == usps
    assert zip_code.city == city


def test_every_zip_code_is_in_a_county_of_its_own_state():
    assert not ZipCode.objects.exclude(county__state=F("state")).exists()


def test_military_zip_codes_are_left_out():
    assert not ZipCode.objects.filter(code__in=["09001", "96201", "34001"]).exists()


def test_locations_are_plausible():
    tulsa = ZipCode.objects.get(code="74103")
    assert tulsa.latitude == pytest.approx(36.15, abs=0.05)
    assert tulsa.longitude == pytest.approx(-95.99, abs=0.05)
    # Latitude and longitude are either both known or both unknown, and inside the US.
    assert not ZipCode.objects.filter(latitude__isnull=True, longitude__isnull=False).exists()
    assert not ZipCode.objects.filter(latitude__lt=-15).exists()
    assert not ZipCode.objects.filter(latitude__gt=72).exists()


def test_the_fixes_audit_file_matches_the_data():
    with open(DATA_DIR / "zip_fixes.csv", encoding="utf-8") as handle:
        fixes = list(csv.DictReader(handle))
    assert fixes, "zip_fixes.csv lists how unmatched ZIP codes were placed"
    loaded = dict(
        ZipCode.objects.filter(code__in=[row["zip"] for row in fixes]).values_list(
            "code", "county_id"
        )
    )
    assert loaded == {row["zip"]: row["county"] for row in fixes}


def test_ensure_reference_data_leaves_a_loaded_database_alone():
    assert ensure_reference_data() is False
    assert State.objects.count() == 56


def test_the_data_files_read_as_the_models_expect():
    states, counties = read_states(), read_counties()
    zip_codes = list(read_zip_codes())
    assert len(states) == State.objects.count()
    assert len(counties) == County.objects.count()
    assert len(zip_codes) == ZipCode.objects.count()
    assert {"fips": "40", "usps": "OK", "name": "Oklahoma", "is_territory": False} in states
    assert {"fips": "40143", "name": "Tulsa County", "state_id": "40"} in counties
    tulsa = next(row for row in zip_codes if row["code"] == "74103")
    assert tulsa == {
        "code": "74103",
        "county_id": "40143",
        "state_id": "40",
        "city": "Tulsa",
        "latitude": 36.1539,
        "longitude": -95.9954,
    }
