"""Site pages: dashboard, audit log, downloads, content packs, staff; network summary."""

import csv
import io
import json

from openpyxl import load_workbook

from kindred.core.models import AuditEvent
from kindred.observe.engine import fhir
from kindred.observe.models import ContentPack, SiteMembership
from kindred.observe.services import record_encounter
from kindred.observe.tests.factories import add_staff, make_family, version
from kindred.observe.tests.helpers import bundled, phq9_answers


def _admin(site, user):
    add_staff(site, user, SiteMembership.Role.ADMIN)
    return user


def _screen(family, by, *values, difficulty="1"):
    return record_encounter(
        family,
        by=by,
        version=version("phq-9"),
        answers=phq9_answers(*values, difficulty=difficulty),
    )


def test_dashboard_numbers_and_bounded_queries(
    client_as, staff, site, family, django_assert_max_num_queries
):
    _screen(family, staff["clinician"], 0, 0, 0, 0, 0, 0, 0, 0, 2)
    for n in range(5):
        other = make_family(site, age_days=200 + n)
        _screen(other, staff["clinician"], 1, 1, 1, 1, 1, 0, 0, 0, 0)
    client = client_as(staff["clinician"])
    with django_assert_max_num_queries(20):
        page = client.get(f"/observe/sites/{site.slug}/")
    assert page.status_code == 200
    numbers = page.context["numbers"]
    assert numbers["families"] == 6 and numbers["alert_count"] == 1
    bands = {row["band"]: row["count"] for row in numbers["bands"]["phq-9"]}
    assert bands == {"Minimal (0–4)": 1, "Mild (5–9)": 5}
    coverage = {row["label"]: row for row in numbers["coverage"]}
    assert coverage["0–2 months"]["screened"] == 1
    assert coverage["6–12 months"]["children"] == 5


def test_results_without_a_band_are_one_row_on_the_dashboard(client_as, staff, site, family):
    from kindred.observe.models import Response

    first, _, _ = _screen(family, staff["clinician"], 1, 0, 0, 0, 0, 0, 0, 0, 0)
    second, _, _ = _screen(family, staff["clinician"], 1, 1, 1, 1, 1, 0, 0, 0, 0)
    # e.g. an observation judged rather than banded: no band, and levels that differ
    Response.objects.filter(encounter=first).update(band="", band_level=1)
    Response.objects.filter(encounter=second).update(band="", band_level=0)
    page = client_as(staff["clinician"]).get(f"/observe/sites/{site.slug}/")
    rows = page.context["numbers"]["bands"]["phq-9"]
    assert [(row["band"], row["count"]) for row in rows] == [("No band", 2)]


def test_audit_log_is_for_the_site_admin_and_filters(client_as, staff, site, family, charlie):
    admin = _admin(site, staff["read_only"])
    client_as(staff["clinician"]).get(f"/observe/families/{family.pk}/", REMOTE_ADDR="10.0.0.7")
    assert (
        client_as(staff["clinician"]).get(f"/observe/sites/{site.slug}/audit/").status_code == 403
    )
    page = client_as(admin).get(f"/observe/sites/{site.slug}/audit/?verb=family.viewed")
    assert page.status_code == 200
    events = list(page.context["page"].object_list)
    assert events and all(e.verb == "family.viewed" for e in events)
    assert "10.0.0.7" in page.text and family.code in page.text
    assert client_as(charlie).get(f"/observe/sites/{site.slug}/audit/").status_code == 404


def test_csv_xlsx_and_fhir_ndjson_downloads(client_as, staff, site, family):
    admin = _admin(site, staff["read_only"])
    _screen(family, staff["clinician"], 2, 2, 2, 2, 2, 0, 0, 0, 0)
    client = client_as(admin)
    csv_response = client.get(f"/observe/sites/{site.slug}/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert rows[0]["family_code"] == family.code and rows[0]["primary_score"] == "10.0"
    assert (
        family.caregiver_name not in csv_response.getvalue().decode()
        if hasattr(csv_response, "getvalue")
        else True
    )
    xlsx = client.get(f"/observe/sites/{site.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["response_id", "family_code"]
    ndjson = client.get(f"/observe/sites/{site.slug}/export.ndjson")
    lines = b"".join(ndjson.streaming_content).decode().splitlines()
    qr, obs = (json.loads(line) for line in lines)
    assert qr["resourceType"] == "QuestionnaireResponse" and obs["valueInteger"] == 10
    assert obs["derivedFrom"][0]["reference"] == f"QuestionnaireResponse/{qr['id']}"
    assert fhir.check_conformance(bundled("phq-9"), qr, base_url="http://127.0.0.1:8000") == []
    assert AuditEvent.objects.filter(verb="site.exported").count() == 3
    assert client.get(f"/observe/sites/{site.slug}/export.exe").status_code == 404


def test_exports_are_for_site_admins_only(client_as, staff, site):
    assert (
        client_as(staff["clinician"]).get(f"/observe/sites/{site.slug}/export.csv").status_code
        == 403
    )
    assert (
        client_as(staff["outsider"]).get(f"/observe/sites/{site.slug}/export.csv").status_code
        == 404
    )


def _pack(**items):
    base = {
        f"epds_{n}": {"text": f"Wording {n}", "options": {c: c.upper() for c in "abcd"}}
        for n in range(1, 11)
    }
    base.update(items)
    return json.dumps({"instrument": "epds", "version": "1.0.0", "items": base}).encode()


def test_content_pack_upload_checks_the_structure(client_as, staff, site, family):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = _admin(site, staff["read_only"])
    client = client_as(admin)
    url = f"/observe/sites/{site.slug}/content-packs/"
    bad = SimpleUploadedFile("epds.json", _pack(epds_3={"text": "x", "options": {"a": "1"}}))
    page = client.post(
        url, {"instrument_version": version("epds").pk, "language": "en", "file": bad}
    )
    assert page.status_code == 200 and "epds_3: options must be exactly a, b, c, d" in page.text
    assert not ContentPack.objects.exists()
    good = SimpleUploadedFile("epds.json", _pack())
    client.post(url, {"instrument_version": version("epds").pk, "language": "en", "file": good})
    assert ContentPack.objects.get().texts["epds_2"]["text"] == "Wording 2"
    # The site's form now shows the licensed wording; another site still sees neutral labels.
    from kindred.observe.tests.factories import make_encounter

    family.language = "en"
    family.save(update_fields=["language"])
    encounter = make_encounter(family, staff["clinician"], "epds")
    form = client_as(staff["clinician"]).get(encounter.responses.get().get_absolute_url())
    assert "Wording 2" in form.text and "EPDS item 2" not in form.text


def test_staff_page_adds_members(client_as, staff, site, django_user_model):
    admin = _admin(site, staff["read_only"])
    newcomer = django_user_model.objects.create_user("nurse@example.org", "x")
    client = client_as(admin)
    unknown = client.post(
        f"/observe/sites/{site.slug}/staff/", {"email": "nobody@x.org", "role": "navigator"}
    )
    assert "No Kindred account" in unknown.text
    client.post(
        f"/observe/sites/{site.slug}/staff/", {"email": "nurse@example.org", "role": "navigator"}
    )
    assert site.membership_for(newcomer).role == "navigator"


def test_network_summary_suppresses_small_cells(client_as, staff, site, family, django_user_model):
    from kindred.observe.tests.factories import with_totp

    for _ in range(3):
        _screen(family, staff["clinician"], *[0] * 9, difficulty=None)
    net = with_totp(django_user_model.objects.create_user("net@example.org", "x", is_staff=True))
    page = client_as(net).get("/observe/network/")
    assert page.status_code == 200
    assert all(row["count"] == "<11" for row in page.context["numbers"]["table"])
    assert family.code not in page.text
    assert client_as(staff["clinician"]).get("/observe/network/").status_code == 403


def test_instrument_import_previews_then_imports(client_as, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kindred.observe.models import InstrumentVersion
    from kindred.observe.tests.factories import with_totp

    net = with_totp(django_user_model.objects.create_user("net@example.org", "x", is_staff=True))
    client = client_as(net)
    questionnaire = {
        "resourceType": "Questionnaire",
        "id": "hunger-check",
        "status": "active",
        "title": "Hunger check",
        "version": "0.1",
        "item": [
            {
                "linkId": "worried",
                "type": "boolean",
                "text": "Worried about food?",
                "required": True,
            }
        ],
    }
    upload = SimpleUploadedFile("hunger.json", json.dumps(questionnaire).encode())
    preview = client.post("/observe/instruments/import/", {"file": upload})
    assert preview.status_code == 200 and "Preview: hunger-check version 0.1" in preview.text
    assert not InstrumentVersion.objects.filter(instrument__slug="hunger-check").exists()
    content = preview.context["form"].initial["content"]
    done = client.post(
        "/observe/instruments/import/",
        {"content": content, "filename": "hunger.json", "confirm": "1"},
    )
    assert done.status_code == 302
    assert InstrumentVersion.objects.get(instrument__slug="hunger-check").is_published
    again = client.post(
        "/observe/instruments/import/",
        {"content": content, "filename": "hunger.json", "confirm": "1"},
    )
    assert "exists already" in again.text
    broken = SimpleUploadedFile("bad.json", b'{"resourceType": "Questionnaire", "status": 3}')
    assert (
        "cannot be imported" in client.post("/observe/instruments/import/", {"file": broken}).text
    )


def test_instrument_catalogue_links_the_exports(client_as, staff):
    page = client_as(staff["clinician"]).get("/observe/instruments/")
    assert "/api/observe/instruments/phq-9/questionnaire" in page.text
