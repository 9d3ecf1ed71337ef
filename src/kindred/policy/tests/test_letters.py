import csv
import io
import json

import pytest
from django.core import mail

from kindred.core.models import TaskProgress
from kindred.policy import tasks
from kindred.policy.models import AdvocacyAction, Jurisdiction, LetterDelivery
from kindred.policy.tests.factories import jurisdiction, make_action, make_official, state


def sign(client, slug, **fields):
    body = {"name": "Rosa Lopez", "email": "rosa@example.org", "zip": "74103"} | fields
    response = client.post(f"/api/policy/actions/{slug}/sign", json.dumps(body),
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content


@pytest.fixture
def letter(db):
    senator = make_official()
    no_email = make_official(name="Rep. Form Only", office="State Representative", email="",
                             contact_form_url="https://example.org/form")  # fmt: skip
    return make_action(targets=[senator, no_email])


def export(client, slug, file_format):
    response = client.post(f"/policy/actions/{slug}/export.{file_format}")
    assert response.status_code == 302
    progress = TaskProgress.objects.latest("created")
    assert progress.status == TaskProgress.Status.DONE, progress.message
    download = client.get(progress.result_url)
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_letters_per_target_export_as_csv(client, client_as, staff, letter):
    sign(client, "ok-letter")
    sign(client, "ok-letter", name="Ana Begay", email="ana@example.org",
         message="Dear {target_name}, from {signer_place}: =please help")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(export(client_as(staff), "ok-letter", "csv").decode())))
    assert len(rows) == 4  # two signers × two targets
    names = [r["target_name"] for r in rows]
    # Grouped by target: each official's letters come together.
    assert names[0] == names[1] and names[2] == names[3]
    assert set(names) == {"Sen. Demo One", "Rep. Form Only"}
    senator = [r for r in rows if r["target_name"] == "Sen. Demo One"]
    assert senator[0]["letter"].startswith("Dear Sen. Demo One, please support paid leave.")
    assert senator[0]["letter"].endswith("Rosa Lopez\nTulsa, OK 74103")
    assert senator[1]["letter"].startswith("Dear Sen. Demo One, from Tulsa, OK: =please help")
    form_only = next(r for r in rows if r["target_name"] == "Rep. Form Only")
    assert form_only["target_contact_form_url"] == "https://example.org/form"


def test_a_spanish_signer_letter_is_in_spanish_in_the_export(client, client_as, staff, letter):
    client.post(
        "/policy/actions/ok-letter/",
        {"name": "Rosa", "email": "rosa@example.org", "zip": "74103", "consent": "on",
         "message": "Estimado/a {target_name}: apoye la licencia pagada."},
        HTTP_COOKIE="kindred_language=es",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(export(client_as(staff), "ok-letter", "csv").decode())))
    assert {r["target_name"] for r in rows} == {"Sen. Demo One", "Rep. Form Only"}
    senator = next(r for r in rows if r["target_name"] == "Sen. Demo One")
    assert senator["letter"].startswith("Estimado/a Sen. Demo One: apoye la licencia pagada.")
    assert rows[0]["subject"] == "Apoye la licencia pagada"


def test_signer_state_targets_get_only_their_own_people(client, client_as, staff, db):
    make_official(name="Sen. Texas", state=state("TX"), jurisdiction=jurisdiction("TX"))
    make_official(name="Sen. Oklahoma")
    make_action(slug="sign-on", kind=AdvocacyAction.Kind.SIGN_ON, jurisdiction=jurisdiction("US"),
                target_mode=AdvocacyAction.TargetMode.SIGNER_STATE,
                target_level=Jurisdiction.Level.STATE)  # fmt: skip
    sign(client, "sign-on", organization="Tulsa Doulas")
    sign(client, "sign-on", email="tex@example.org", zip="78701", organization="Austin Moms")
    rows = list(csv.DictReader(io.StringIO(export(client_as(staff), "sign-on", "csv").decode())))
    pairs = {(r["target_name"], r["organization"]) for r in rows}
    assert pairs == {("Sen. Oklahoma", "Tulsa Doulas"), ("Sen. Texas", "Austin Moms")}


def test_the_pdf_bundle_is_a_pdf(client, client_as, staff, letter):
    sign(client, "ok-letter", name="José Ñúñez")
    content = export(client_as(staff), "ok-letter", "pdf")
    assert content.startswith(b"%PDF")
    assert len(content) > 1000


def test_exports_are_for_staff_and_their_own_downloads(client, client_as, staff, bob, letter):
    assert client_as(bob).post("/policy/actions/ok-letter/export.csv").status_code == 403
    export(client_as(staff), "ok-letter", "csv")
    progress = TaskProgress.objects.latest("created")
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=bob, type=Authenticator.Type.TOTP, data={})
    assert client_as(bob).get(progress.result_url).status_code == 404


def test_letters_go_by_email_where_an_address_exists_and_never_twice(client, client_as, staff,
                                                                     letter):  # fmt: skip
    sign(client, "ok-letter")
    sign(client, "ok-letter", name="Ana Begay", email="ana@example.org")
    mail.outbox.clear()
    assert client_as(staff).post("/policy/actions/ok-letter/deliver/").status_code == 302
    assert len(mail.outbox) == 2  # the representative has only a contact form
    assert {m.to[0] for m in mail.outbox} == {"senator.one@officials.example.org"}
    assert {m.reply_to[0] for m in mail.outbox} == {"rosa@example.org", "ana@example.org"}
    assert mail.outbox[0].subject == "Support paid leave"
    assert LetterDelivery.objects.filter(status="sent").count() == 2
    tasks.deliver_letters.call(letter.pk, str(TaskProgress.objects.latest("created").pk))
    assert len(mail.outbox) == 2  # a second run sends nothing again


def test_the_manage_page_is_for_staff(client, client_as, staff, bob, letter):
    assert client_as(bob).get("/policy/actions/ok-letter/manage/").status_code == 403
    page = client_as(staff).get("/policy/actions/ok-letter/manage/").content.decode()
    assert "Export letters per target" in page
    response = client_as(staff).post("/policy/actions/ok-letter/status/", {"status": "closed"})
    assert response.status_code == 302
    assert AdvocacyAction.objects.get().status == "closed"
