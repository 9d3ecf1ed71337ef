import pytest
from django import forms

from kindred.places.forms import ZipCodeField, ZipLookupForm
from kindred.places.models import ZipCode

pytestmark = pytest.mark.django_db

MALFORMED = "A ZIP code has 5 digits, like 74103."
UNKNOWN = "We could not find ZIP code 00000. Check the number, or enter a nearby ZIP code."


class ProfileForm(forms.Form):
    zip_code = ZipCodeField(required=False)


class ImportRowForm(forms.Form):
    zip_code = ZipCodeField(restore_leading_zero=True)


def test_it_cleans_to_the_zip_code_object():
    form = ProfileForm({"zip_code": " 74103-1234 "})
    assert form.is_valid(), form.errors
    zip_code = form.cleaned_data["zip_code"]
    assert isinstance(zip_code, ZipCode)
    assert (zip_code.code, zip_code.county.name, zip_code.state.usps) == (
        "74103",
        "Tulsa County",
        "OK",
    )


@pytest.mark.parametrize("raw", ["abcde", "1234", "123456", "74103-12"])
def test_it_explains_a_malformed_zip_code(raw):
    form = ProfileForm({"zip_code": raw})
    assert not form.is_valid()
    assert form.errors["zip_code"] == [MALFORMED]
    assert form.errors.as_data()["zip_code"][0].code == "malformed"


def test_it_explains_an_unknown_zip_code():
    form = ProfileForm({"zip_code": "00000"})
    assert not form.is_valid()
    assert form.errors["zip_code"] == [UNKNOWN]
    assert form.errors.as_data()["zip_code"][0].code == "unknown"


def test_an_optional_field_may_be_left_empty():
    form = ProfileForm({"zip_code": "  "})
    assert form.is_valid()
    assert form.cleaned_data["zip_code"] is None


def test_a_required_field_asks_for_a_zip_code():
    form = ZipLookupForm({"zip": ""})
    assert not form.is_valid()
    assert form.errors["zip"] == ["Enter a ZIP code. It has 5 digits, like 74103."]


def test_it_can_restore_leading_zeros_for_imports():
    form = ImportRowForm({"zip_code": "2139"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zip_code"].code == "02139"
    assert not ProfileForm({"zip_code": "2139"}).is_valid()


def test_it_renders_for_phones_and_autofill_and_keeps_what_was_typed():
    form = ProfileForm({"zip_code": "7410x"})
    form.is_valid()
    html = str(form["zip_code"])
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="postal-code"' in html
    assert 'value="7410x"' in html
    assert "maxlength" not in html  # ZIP+4 with spaces must fit


def test_initial_zip_code_objects_show_their_code():
    zip_code = ZipCode.objects.get(code="02139")
    form = ProfileForm(initial={"zip_code": zip_code})
    assert 'value="02139"' in str(form["zip_code"])
    assert not ProfileForm({"zip_code": "02139"}, initial={"zip_code": zip_code}).has_changed()
