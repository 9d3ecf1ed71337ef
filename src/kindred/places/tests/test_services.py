import pytest

from kindred.places.models import ZipCode
from kindred.places.services import (
    ZipCodeError,
    counties_of_state,
    distance_miles,
    find_state,
    lookup_zip,
    normalize_zip,
    zips_within,
)

MALFORMED = "A ZIP code has 5 digits, like 74103."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("74103", "74103"),
        ("  74103 ", "74103"),
        ("74103-1234", "74103"),
        ("74103 - 1234", "74103"),
        ("741031234", "74103"),
        ("02139", "02139"),
        ("\t02139\n", "02139"),
        ("７４１０３", "74103"),  # full-width digits
    ],
)
def test_normalize_zip_accepts_zip_and_zip_plus_4(raw, expected):
    assert normalize_zip(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", None, "abcde", "1234", "123456", "7410a", "74103-12", "74-103", "٧٤١٠٣"]
)
def test_normalize_zip_rejects_anything_else(raw):
    with pytest.raises(ZipCodeError) as caught:
        normalize_zip(raw)
    assert caught.value.code == "malformed"
    assert str(caught.value) == MALFORMED


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2139", "02139"),
        ("501", "00501"),
        ("2139-1234", "02139"),
        ("2139.0", "02139"),
        ("74103", "74103"),
        ("74103-1234", "74103"),
    ],
)
def test_normalize_zip_restores_leading_zeros_for_spreadsheets(raw, expected):
    assert normalize_zip(raw, restore_leading_zero=True) == expected


def test_leading_zeros_are_only_restored_when_asked():
    with pytest.raises(ZipCodeError):
        normalize_zip("2139")
    with pytest.raises(ZipCodeError):
        normalize_zip("12", restore_leading_zero=True)
    with pytest.raises(ZipCodeError):
        normalize_zip("123456", restore_leading_zero=True)


@pytest.mark.django_db
def test_lookup_zip_gives_the_zip_code_with_state_and_county_in_one_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        zip_code = lookup_zip(" 74103-1234 ")
        assert (zip_code.code, zip_code.city) == ("74103", "Tulsa")
        assert zip_code.county.name == "Tulsa County"
        assert zip_code.state.usps == "OK"


@pytest.mark.django_db
def test_lookup_zip_restores_a_leading_zero_when_asked():
    assert lookup_zip("2139", restore_leading_zero=True).county_id == "25017"


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abcde", "1234", "123456", ""])
def test_lookup_zip_says_malformed(raw):
    with pytest.raises(ZipCodeError) as caught:
        lookup_zip(raw)
    assert caught.value.code == "malformed"
    assert str(caught.value) == MALFORMED


@pytest.mark.django_db
def test_lookup_zip_says_unknown_with_the_number():
    with pytest.raises(ZipCodeError) as caught:
        lookup_zip("00000")
    assert caught.value.code == "unknown"
    assert str(caught.value) == (
        "We could not find ZIP code 00000. Check the number, or enter a nearby ZIP code."
    )


def test_distance_miles():
    # Tulsa to Oklahoma City is about 100 miles as the crow flies.
    assert distance_miles(36.1539, -95.9954, 35.4676, -97.5164) == pytest.approx(98, abs=5)
    assert distance_miles(36.0, -95.0, 36.0, -95.0) == 0


@pytest.mark.django_db
def test_zips_within_finds_nearby_codes_nearest_first():
    near = zips_within("74103", 5)
    assert near[0] == "74103"
    assert {"74119", "74120", "74127"} <= set(near)
    assert not any(code.startswith("731") for code in near)  # Oklahoma City is ~100 miles
    wider = zips_within(ZipCode.objects.get(code="74103"), 110)
    assert set(near) < set(wider)
    assert "73102" in wider
    origin = ZipCode.objects.get(code="74103")
    for code in wider:
        other = ZipCode.objects.get(code=code)
        assert (
            distance_miles(origin.latitude, origin.longitude, other.latitude, other.longitude)
            <= 110
        )


@pytest.mark.django_db
def test_zips_within_zero_miles_is_the_zip_itself_and_its_twins():
    # PO-box ZIPs often share their town's coordinates, so 0 miles can match a few.
    codes = zips_within("74103", 0)
    assert codes[0] == "74103"
    assert all(
        (z.latitude, z.longitude) == (36.1539, -95.9954)
        for z in ZipCode.objects.filter(code__in=codes)
    )


@pytest.mark.django_db
def test_zips_within_a_zip_without_location_is_only_itself():
    no_location = ZipCode.objects.filter(latitude__isnull=True).first()
    assert zips_within(no_location, 50) == [no_location.code]


@pytest.mark.django_db
def test_zips_within_rejects_bad_input():
    with pytest.raises(ValueError):
        zips_within("74103", -1)
    with pytest.raises(ValueError):
        zips_within("74103", 5000)
    with pytest.raises(ZipCodeError):
        zips_within("00000", 5)


@pytest.mark.django_db
def test_find_state_ignores_case_and_knows_territories():
    assert find_state("ok").name == "Oklahoma"
    assert find_state(" PR ").name == "Puerto Rico"
    assert find_state("zz") is None
    assert find_state("") is None
    assert find_state(None) is None
    assert find_state("OKLA") is None


@pytest.mark.django_db
def test_counties_of_state_by_state_or_code():
    by_code = list(counties_of_state("ok"))
    assert len(by_code) == 77
    assert by_code[0].name == "Adair County"
    assert by_code[-1].name == "Woodward County"
    assert list(counties_of_state(find_state("OK"))) == by_code
    assert list(counties_of_state("ZZ")) == []
