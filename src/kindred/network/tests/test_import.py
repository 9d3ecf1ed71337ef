"""Importing members and organizations from CSV: the pages, and the trouble real files bring.

alice organizes Tulsa County Families, bob is a plain member, charlie an outsider.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kindred.accounts.models import User
from kindred.core.models import AuditEvent, TaskProgress
from kindred.network import imports
from kindred.network.models import (
    CommunityMembership,
    MemberProfile,
    Organization,
    OrganizationMembership,
)
from kindred.network.tests.factories import make_community, make_member

HEADER = "Email,First Name,Last Name,Mailing Zip,Account Name,Title,Role\n"


@pytest.fixture
def community(alice, bob):
    community = make_community("Tulsa County Families", organizer=alice)
    CommunityMembership.objects.create(
        community=community, user=bob, status="active", joined_at=timezone.now()
    )
    return community


def upload(client, content: bytes, community=None, name="export.csv"):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if community is not None:
        data["community"] = community.pk
    return client.post("/network/import/", data)


def run(client, content: bytes, community, mapping=None):
    """Upload, accept the guessed mapping (or ``mapping``), and confirm."""
    response = upload(client, content, community)
    assert response.status_code == 302, response.content.decode()[:2000]
    map_url = response["Location"]
    token = map_url.rstrip("/").rsplit("/", 1)[-1]
    if mapping is None:
        mapping = {k: v for k, v in imports.load_meta(token)["mapping"].items() if v is not None}
    response = client.post(map_url, {k: str(v) for k, v in mapping.items()})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response["Location"]).content.decode()
    confirm = client.post(f"/network/import/{token}/confirm/", follow=True)
    return token, preview, confirm


def test_only_staff_and_organizers_may_import(client, client_as, alice, bob, charlie, community):
    assert client.get("/network/import/").status_code == 302
    assert client_as(bob).get("/network/import/").status_code == 403
    assert client_as(charlie).get("/network/import/").status_code == 403
    page = client_as(alice).get("/network/import/").content.decode()
    assert "Tulsa County Families" in page


def test_another_persons_upload_is_not_found(client_as, alice, charlie, community):
    response = upload(
        client_as(alice), (HEADER + "x@example.org,Xo,Ye,74103,,,\n").encode(), community
    )
    other = create_organizer(charlie)
    assert client_as(other).get(response["Location"]).status_code == 404
    assert client_as(alice).get("/network/import/not-a-token/").status_code == 404


def create_organizer(user):
    make_community("Another Community", organizer=user)
    return user


def test_a_crm_export_with_every_kind_of_trouble(client_as, alice, community):
    existing = make_member(name="Rosa Existing", email="rosa@example.org", zip_code="")
    rows = [
        "Email,First Name,Last Name,Mailing Zip,Account Name,Title,Role",
        "jose@example.org,José,García Núñez,74103,Tulsa Family Center,Doula,Doula",
        "",  # a blank line
        "ROSA@example.org,Rosa,Changed,2139,Tulsa Family Center,Director,",  # lost a leading 0
        "ana@example.org,Ana,Lê,74104-1234,,,parent-caregiver;Nurse",
        "jose.garcia.dup@example.org,Nguyễn,Thị,,,,",
        "JOSE@Example.org,,,,,,Community health worker",  # the same person again
        ",,,,Oklahoma Library Babies,,",  # an organization only
        "   ,   ,   ,   ,   ,   ,   ",
    ]
    content = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    token, preview, confirm = run(client_as(alice), content, community)
    assert "to fix" not in preview
    assert "Already in Kindred: will be updated" in preview
    assert confirm.status_code == 200
    progress = TaskProgress.objects.get()
    assert progress.status == TaskProgress.Status.DONE, progress.message
    # one account per email, with the non-ASCII name kept
    assert User.objects.filter(email__iexact="rosa@example.org").count() == 1
    jose = MemberProfile.objects.get(user__email="jose@example.org")
    assert jose.display_name == "José García Núñez"
    assert {r.slug for r in jose.roles.all()} == {"doula", "community-health-worker"}
    assert jose.visibility == "hidden" and not jose.listed_in_directory
    assert not jose.user.has_usable_password()
    assert not jose.user.emailaddress_set.get().verified
    # the existing member keeps her own name and gains a place and an affiliation
    existing.refresh_from_db()
    assert existing.display_name == "Rosa Existing"
    assert existing.zip_code_id == "02139" and existing.state.usps == "MA"
    center = Organization.objects.get(name="Tulsa Family Center")
    assert OrganizationMembership.objects.filter(
        organization=center, user=existing.user, title="Director"
    ).exists()
    ana = MemberProfile.objects.get(user__email="ana@example.org")
    assert ana.zip_code_id == "74104"
    assert {r.slug for r in ana.roles.all()} == {"parent-caregiver", "nurse"}
    assert MemberProfile.objects.get(user__email="jose.garcia.dup@example.org").display_name == (
        "Nguyễn Thị"
    )
    assert Organization.objects.filter(name="Oklahoma Library Babies").exists()
    # everyone is in the community, and the import is in the audit log
    assert CommunityMembership.objects.filter(community=community, status="active").count() == 6
    assert AuditEvent.objects.filter(verb="network.imported").exists()
    assert not imports.upload_for(token, alice)  # the file is gone


def test_one_bad_row_and_nothing_is_written(client_as, alice, community):
    content = (
        HEADER
        + "good@example.org,Good,Row,74103,,,\n"
        + "bad-email,Bad,Row,74103,,,\n"
        + "zip@example.org,Zip,Row,99999,,,Astronaut\n"
    ).encode()
    response = upload(client_as(alice), content, community)
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    mapping = {k: v for k, v in imports.load_meta(token)["mapping"].items() if v is not None}
    client_as(alice).post(response["Location"], {k: str(v) for k, v in mapping.items()})
    preview = client_as(alice).get(f"/network/import/{token}/preview/").content.decode()
    assert "3 problems to fix" in preview
    assert "“bad-email” is not an email address." in preview
    assert "We could not find ZIP code 99999." in preview
    assert "“Astronaut” is not one of Kindred&#x27;s roles" in preview
    assert "Import everything" not in preview
    users_before = User.objects.count()
    client_as(alice).post(f"/network/import/{token}/confirm/")
    assert User.objects.count() == users_before
    # and the task itself refuses the file as a whole, even if asked directly
    result = imports.run_import(upload=token, owner_id=alice.pk)
    assert result == {"imported": False, "errors": 3}
    assert not User.objects.filter(email="good@example.org").exists()


def test_a_failure_while_writing_rolls_everything_back(client_as, alice, community, monkeypatch):
    content = (
        HEADER + "one@example.org,One,Person,74103,,,\ntwo@example.org,Two,Person,74103,,,\n"
    ).encode()
    response = upload(client_as(alice), content, community)
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    meta = imports.load_meta(token)
    meta["mapped"] = True
    imports.save_meta(token, meta)
    calls = []
    real = imports._write_person

    def fail_on_second(person, organization, community):
        calls.append(person.email)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(person, organization, community)

    monkeypatch.setattr(imports, "_write_person", fail_on_second)
    with pytest.raises(RuntimeError):
        imports.run_import(upload=token, owner_id=alice.pk)
    assert not User.objects.filter(email__in=["one@example.org", "two@example.org"]).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\n\r\n  \n", "The file is empty."),
        (b"Email,Name\n", "The file has headings but no rows."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "This file is not a CSV text file."),
    ],
)
def test_unreadable_files_are_refused_at_upload(client_as, alice, community, content, message):
    body = upload(client_as(alice), content, community).content.decode()
    assert message in body


def test_windows_1252_and_semicolons_are_read():
    content = "Correo;Nombre;Código postal\r\nmaria@example.org;María Peña;2139\r\n".encode(
        "cp1252"
    )
    headings, rows = imports.read_csv(content)
    assert headings == ["Correo", "Nombre", "Código postal"]
    assert rows == [(2, ["maria@example.org", "María Peña", "2139"])]
    mapping = imports.guess_mapping(headings)
    assert (mapping["email"], mapping["name"], mapping["zip_code"]) == (0, 1, 2)


def test_a_mapping_must_pick_email_or_organization_and_no_column_twice(client_as, alice, community):
    response = upload(
        client_as(alice), (HEADER + "a@example.org,A,B,74103,,,\n").encode(), community
    )
    body = client_as(alice).post(response["Location"], {"name": "1"}).content.decode()
    assert "Choose the column with email addresses, or the one with organizations." in body
    body = client_as(alice).post(response["Location"], {"email": "0", "name": "0"}).content.decode()
    assert "This column is already chosen for “Email”" in body


def test_organizers_must_choose_their_community(client_as, alice, community):
    other = make_community("Not Alice's", organizer=None)
    body = upload(
        client_as(alice), (HEADER + "a@example.org,A,B,74103,,,\n").encode(), other
    ).content.decode()
    assert "Select a valid choice" in body
    body = upload(
        client_as(alice), (HEADER + "a@example.org,A,B,74103,,,\n").encode()
    ).content.decode()
    assert "This field is required" in body
