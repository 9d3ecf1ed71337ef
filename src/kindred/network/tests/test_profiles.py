import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kindred.core.models import AuditEvent
from kindred.network.models import MemberProfile
from kindred.network.tests.factories import make_member, role


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (36.0, 9.0, 14.0), 3: "W", 4: (95.0, 59.0, 32.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert b"PhoneMaker" in data
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    return data


def edit_data(**overrides):
    data = {
        "display_name": "Alice A.",
        "pronouns": "she/her",
        "zip_code": "74103",
        "bio": "Mother of two.",
        "visibility": "members",
        "listed_in_directory": "on",
        "languages": ["en"],
        "contact_methods": ["email"],
        "phone": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def me(alice):
    return make_member(alice, name="Alice")


def test_member_edits_profile_and_html_in_bio_is_stripped(client_as, me):
    client = client_as(me.user)
    parent = role("parent")
    response = client.post(
        "/network/me/edit/",
        edit_data(
            bio="<b>Hi</b> <script>alert(1)</script>there", roles=[parent.pk], zip_code="10451"
        ),
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.bio == "Hi there"
    assert me.county.name == "Bronx County" and me.state.usps == "NY"
    assert list(me.roles.all()) == [parent]
    assert AuditEvent.objects.filter(verb="profile.updated").exists()
    page = client.get(me.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "Hi there" in page


def test_photo_is_reencoded_without_gps(client_as, me):
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client_as(me.user).post("/network/me/edit/", {**edit_data(), "photo": upload})
    assert response.status_code == 302
    me.refresh_from_db()
    with me.photo.open("rb") as stored:
        data = stored.read()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert max(image.size) <= 800
        assert not image.getexif()
        assert "exif" not in image.info


def test_fake_image_is_refused_and_nothing_changes(client_as, me):
    upload = SimpleUploadedFile("me.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = client_as(me.user).post(
        "/network/me/edit/", {**edit_data(display_name="Changed"), "photo": upload}
    )
    assert response.status_code == 200
    assert "This file is not a photo we can use" in response.content.decode()
    me.refresh_from_db()
    assert not me.photo and me.display_name == "Alice"


def test_oversized_image_is_refused(client_as, me, monkeypatch):
    from kindred.network import photos

    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client_as(me.user).post("/network/me/edit/", {**edit_data(), "photo": upload})
    assert "please choose one under 5 MB" in response.content.decode()
    me.refresh_from_db()
    assert not me.photo


def test_unknown_zip_in_profile_is_explained(client_as, me):
    response = client_as(me.user).post("/network/me/edit/", edit_data(zip_code="00000"))
    assert "We could not find ZIP code 00000" in response.content.decode()
    me.refresh_from_db()
    assert me.county.name == "Tulsa County"


@pytest.mark.parametrize(
    "visibility, anonymous, member, owner",
    [("public", 200, 200, 200), ("members", 404, 200, 200), ("hidden", 404, 404, 200)],
)
def test_profile_page_respects_visibility(
    client, client_as, alice, bob, visibility, anonymous, member, owner
):
    profile = make_member(alice, name="Alice", visibility=visibility)
    url = profile.get_absolute_url()
    assert client.get(url).status_code == anonymous
    assert client_as(bob).get(url).status_code == member
    assert client_as(alice).get(url).status_code == owner


def test_staff_see_hidden_profiles(alice, bob):
    profile = make_member(alice, name="Alice", visibility="hidden")
    bob.is_staff = True  # staff pages need MFA, so check the rule itself
    assert list(MemberProfile.objects.visible_to(bob)) == [profile]


def test_edit_needs_a_member(client, client_as, bob):
    assert client.get("/network/me/edit/").status_code == 302
    assert client_as(bob).get("/network/me/edit/")["Location"] == "/network/join/"


def test_profile_edit_rejects_other_methods(client_as, me):
    assert client_as(me.user).put("/network/me/edit/").status_code == 405
    assert MemberProfile.objects.count() == 1


def test_member_adds_and_removes_an_affiliation(client_as, me):
    from kindred.network.tests.factories import make_organization

    org = make_organization("Tulsa Family Center")
    client = client_as(me.user)
    page = client.get("/network/me/edit/", {"organization": "family"}).content.decode()
    assert "Tulsa Family Center" in page
    client.post(f"/network/me/organizations/{org.slug}/add/", {"title": "<i>Doula</i>"})
    membership = me.user.organization_memberships.get()
    assert membership.title == "Doula" and membership.role == "member"
    assert me.search_tokens.filter(token="tulsa").exists()
    client.post(f"/network/me/organizations/{membership.pk}/remove/")
    assert not me.user.organization_memberships.exists()


def test_cannot_remove_someone_elses_affiliation(client_as, me, bob):
    from kindred.network.tests.factories import make_organization

    org = make_organization("Tulsa Family Center", admin=bob)
    membership = org.memberships.get()
    response = client_as(me.user).post(f"/network/me/organizations/{membership.pk}/remove/")
    assert response.status_code == 404
    assert org.memberships.count() == 1
