import json
from pathlib import Path

import pytest

from kindred.systems.hsds_import import HsdsImportError, import_hsds
from kindred.systems.models import Service
from kindred.systems.tests.factories import need

EXAMPLES = Path(__file__).parent / "hsds_examples"

CSV = """id,name,description,status,minimum_age,maximum_age,needs,languages,counties,phone,capacity
,Baby Cafe,Drop-in breastfeeding support.,active,0,1,infant-feeding,en;es,40143,5550111,waitlist
,Dads Group,Weekly group for fathers.,active,,,parenting-groups,en,40143;40109,,accepting
"""


def test_the_specifications_example_imports_with_a_default_need(program, rosa):
    content = (EXAMPLES / "service_full.json").read_text()
    [service] = import_hsds(
        organization=program,
        actor=rosa,
        filename="service.json",
        content=content,
        default_need=need("infant-mental-health"),
    )
    assert str(service.pk) == "ac148810-d857-441c-9679-408f346de14b"
    assert service.min_age_months == 144 and service.max_age_months == 1200
    assert service.schedules.get().byday == "TH,FR"
    assert service.at_locations.get().location.name == "MyCity Civic Center"
    # Importing it again updates the same service rather than adding one.
    import_hsds(
        organization=program,
        actor=rosa,
        filename="service.json",
        content=content,
        default_need=need("infant-mental-health"),
    )
    assert Service.objects.count() == 1


def test_a_csv_imports_with_our_extra_columns(program, rosa):
    baby, dads = import_hsds(organization=program, actor=rosa, filename="services.csv", content=CSV)
    assert baby.capacity == "waitlist" and baby.max_age_months == 12
    assert sorted(baby.languages.values_list("code", flat=True)) == ["en", "es"]
    assert baby.needs.get().slug == "infant-feeding"
    assert dads.counties.count() == 2 and dads.min_age_months is None


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("x.json", "{not json", "not valid JSON"),
        ("x.json", "[1, 2]", "Expected an HSDS service"),
        ("x.json", json.dumps({"name": "No status"}), "Service 1 (No status): 'id' is a required"),
        ("x.json", json.dumps([{"id": "a", "name": "A", "status": "open"}]), "is not one of"),
        ("x.csv", "title,notes\nA,B\n", "missing: name, status"),
        ("x.csv", CSV.replace(",0,1,", ",5,1,"), "Row 2 (Baby Cafe): minimum_age is above"),
        ("x.csv", CSV.replace("infant-feeding", "astrology"), "Row 2 (Baby Cafe): no need"),
        ("x.csv", CSV.replace("waitlist", "maybe"), "capacity must be"),
        (
            "x.csv",
            CSV.replace(",Baby Cafe,", ",Baby Cafe,")
            .replace(",,Dads", ",,Dads")
            .replace("\n,Baby", "\nnot-a-uuid,Baby"),
            "id is not a UUID",
        ),
    ],
)
def test_malformed_files_import_nothing_and_name_each_problem(
    program, rosa, filename, content, expected
):
    with pytest.raises(HsdsImportError) as caught:
        import_hsds(organization=program, actor=rosa, filename=filename, content=content)
    assert expected in " ".join([str(caught.value.summary), *caught.value.problems])
    assert not Service.objects.exists()


def test_one_bad_row_stops_the_whole_file(program, rosa):
    content = CSV + ",Broken,,active,,,food,,,,\n"
    with pytest.raises(HsdsImportError) as caught:
        import_hsds(organization=program, actor=rosa, filename="s.csv", content=content)
    assert caught.value.problems == [
        "Row 4 (Broken): a description is needed, so families know what it is."
    ]
    assert not Service.objects.exists()


def test_another_organizations_service_id_is_refused(program, clinic, rosa, alice):
    content = (EXAMPLES / "service_full.json").read_text()
    import_hsds(
        organization=program, actor=rosa, filename="s.json", content=content, default_need=need()
    )
    with pytest.raises(HsdsImportError) as caught:
        import_hsds(
            organization=clinic,
            actor=alice,
            filename="s.json",
            content=content,
            default_need=need(),
        )
    assert "belongs to another organization" in caught.value.problems[0]


def test_the_import_page_shows_row_errors_and_keeps_nothing(program, rosa, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(rosa)
    url = f"/systems/organizations/{program.slug}/services/import/"
    bad = SimpleUploadedFile("s.csv", CSV.replace("waitlist", "maybe").encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    assert "capacity must be accepting" in response.content.decode()
    assert not Service.objects.exists()
    good = SimpleUploadedFile("s.csv", CSV.encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert Service.objects.count() == 2


def test_only_the_organizations_admins_may_import(program, charlie, client_as):
    url = f"/systems/organizations/{program.slug}/services/import/"
    assert client_as(charlie).get(url).status_code == 403
