from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kindred.systems import services
from kindred.systems.models import Commitment, ProgressUpdate
from kindred.systems.services import SystemsError
from kindred.systems.tests.factories import sector

PDF = b"%PDF-1.4\n%evidence\n"


@pytest.fixture
def commitment(clinic, program, alice):
    return services.create_commitment(
        actor=alice,
        organization=clinic,
        partners=[program],
        kind="practice",
        title="Observe relational health at 2, 4 and 6 months",
        milestones=[("Train staff", date(2026, 3, 1)), ("Start at all visits", date(2026, 9, 1))],
    )


def test_an_admin_commits_with_milestones_from_the_form(clinic, alice, client_as):
    client = client_as(alice)
    data = {
        "organization": clinic.pk,
        "title": "Reimburse doula care",
        "kind": "payment",
        "milestones": "2027-01-31 Rate set\nnot-a-date Launch",
    }
    response = client.post("/systems/commitments/new/", data)
    assert response.status_code == 422 and "Line 2" in response.content.decode()
    assert 'value="Reimburse doula care"' in response.content.decode()
    assert not Commitment.objects.exists()
    response = client.post(
        "/systems/commitments/new/", {**data, "milestones": "2027-01-31 Rate set"}
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert commitment.states.get().usps == "OK"
    assert commitment.milestones.get().title == "Rate set"


def test_members_without_admin_rights_cannot_commit_for_the_organization(clinic, bob, client_as):
    response = client_as(bob).get("/systems/commitments/new/")
    assert response.status_code == 302 and not Commitment.objects.exists()


def test_progress_with_evidence_moves_the_bar_and_keeps_the_file(commitment, alice, client_as):
    milestone = commitment.milestones.first()
    client = client_as(alice)
    response = client.post(
        f"/systems/commitments/{commitment.slug}/progress/",
        {
            "body": "All 40 clinicians trained.",
            "milestone": milestone.pk,
            "evidence_file": SimpleUploadedFile("roster.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    commitment.refresh_from_db()
    assert commitment.percent == 50
    update = ProgressUpdate.objects.get()
    assert client.get(f"/systems/commitments/evidence/{update.pk}/").status_code == 200
    body = client.get(commitment.get_absolute_url()).content.decode()
    assert "All 40 clinicians trained." in body and "50%" in body


def test_a_renamed_program_is_refused_as_evidence(commitment, alice, client_as):
    response = client_as(alice).post(
        f"/systems/commitments/{commitment.slug}/progress/",
        {"body": "Trained.", "evidence_file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary")},
    )
    assert response.status_code == 422
    assert "does not match its name" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("x.exe", b"MZ"), ("x.csv", b"\x00\x01\x02")])
def test_other_unsafe_files_are_refused(commitment, alice, name, content):
    with pytest.raises(SystemsError):
        services.post_progress_update(
            commitment=commitment,
            actor=alice,
            body="x",
            evidence_file=SimpleUploadedFile(name, content),
        )
    assert not ProgressUpdate.objects.exists()


def test_partners_admins_may_report_but_outsiders_and_members_may_not(
    commitment, rosa, bob, charlie, client_as
):
    url = f"/systems/commitments/{commitment.slug}/progress/"
    assert client_as(rosa).post(url, {"body": "Partner update"}).status_code == 302
    for user in (bob, charlie):
        assert client_as(user).post(url, {"body": "No"}).status_code == 403
    assert ProgressUpdate.objects.count() == 1


def test_the_wall_filters_by_sector_state_and_type(
    client, commitment, clinic, alice, django_assert_max_num_queries
):
    services.create_commitment(
        actor=alice, organization=clinic, kind="policy", title="Parents on our board"
    )
    with django_assert_max_num_queries(10):
        body = client.get("/systems/commitments/?kind=policy").content.decode()
    assert "Parents on our board" in body and "2, 4 and 6" not in body
    body = client.get("/systems/commitments/?sector=home-visiting").content.decode()
    assert "2, 4 and 6" in body and "Parents on our board" not in body  # partner's sector
    assert "0 commitments" in client.get("/systems/commitments/?state=TX").content.decode()


def test_keeping_a_commitment_counts_in_the_state_summary(commitment, alice, client):
    services.post_progress_update(commitment=commitment, actor=alice, body="Done!", status="kept")
    [row] = services.state_change_summary()
    assert row["state"].usps == "OK" and (row["made"], row["kept"]) == (1, 1)
    assert set(row["sectors_kept"]) == {sector("health-care"), sector("home-visiting")}
    body = client.get("/systems/commitments/map/").content.decode()
    assert "<svg" in body and "Oklahoma" in body


def test_the_api_lists_commitments(client, commitment):
    data = client.get("/api/systems/commitments?state=ok").json()
    assert data[0]["slug"] == commitment.slug and data[0]["percent"] == 0
    assert client.get("/api/systems/commitments/nope").status_code == 404
