import pytest

from kindred.core.models import AuditEvent
from kindred.network.models import Organization, OrganizationMembership
from kindred.network.tests.factories import make_member, make_organization, sector


@pytest.fixture
def org(alice, bob):
    make_member(alice, name="Alice")
    make_member(bob, name="Bob")
    organization = make_organization("Tulsa Family Center", admin=alice)
    OrganizationMembership.objects.create(organization=organization, user=bob, title="Doula")
    return organization


def test_member_adds_an_organization_and_becomes_its_admin(client_as, alice):
    make_member(alice, name="Alice")
    health = sector("health")
    response = client_as(alice).post(
        "/network/organizations/new/",
        {
            "name": "Bronx Baby Bridge",
            "zip_code": "10451",
            "sectors": [health.pk],
            "website": "bronxbabies.example.org",
            "description": "<p>Home visits</p>",
        },
    )
    org = Organization.objects.get(name="Bronx Baby Bridge")
    assert response["Location"] == org.get_absolute_url()
    assert org.county.name == "Bronx County" and org.description == "Home visits"
    assert org.website == "https://bronxbabies.example.org"
    assert org.memberships.get().role == "admin"


def test_page_lists_people_it_may_show(client, org, charlie):
    make_member(charlie, name="Charlie Hidden", visibility="hidden")
    OrganizationMembership.objects.create(organization=org, user=charlie)
    body = client.get(org.get_absolute_url()).content.decode()
    assert "Tulsa Family Center" in body
    assert "Charlie Hidden" not in body


def test_admin_edits_page_outsider_cannot(client_as, org, bob, charlie):
    data = {"name": "Tulsa Family Center", "description": "New words", "zip_code": "74103"}
    assert (
        client_as(charlie).post(f"/network/organizations/{org.slug}/edit/", data).status_code == 403
    )
    assert client_as(bob).post(f"/network/organizations/{org.slug}/edit/", data).status_code == 403
    org.refresh_from_db()
    assert org.description == ""
    response = client_as(org.memberships.get(role="admin").user).post(
        f"/network/organizations/{org.slug}/edit/", data
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.description == "New words"


def test_admin_adds_member_by_email(client_as, org, alice, charlie):
    make_member(charlie, name="Charlie")
    response = client_as(alice).post(
        f"/network/organizations/{org.slug}/members/",
        {"email": "CHARLIE@example.org", "role": "member", "title": "Nurse"},
    )
    assert response.status_code == 302
    assert org.memberships.get(user=charlie).title == "Nurse"


def test_adding_unknown_email_is_explained(client_as, org, alice):
    response = client_as(alice).post(
        f"/network/organizations/{org.slug}/members/",
        {"email": "nobody@example.org", "role": "member"},
    )
    assert "Nobody in the network uses nobody@example.org yet" in response.content.decode()
    assert org.memberships.count() == 2


def test_last_admin_cannot_step_down(client_as, org, alice):
    membership = org.memberships.get(user=alice)
    client_as(alice).post(
        f"/network/organizations/{org.slug}/members/{membership.pk}/",
        {f"{membership.pk}-role": "member", f"{membership.pk}-title": ""},
    )
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_staff_verify_with_audit_and_others_cannot(client_as, org, alice, bob, charlie):
    from allauth.mfa.models import Authenticator

    url = f"/network/organizations/{org.slug}/verify/"
    assert client_as(bob).post(url).status_code == 403
    assert client_as(alice).post(url).status_code == 403  # an org admin cannot verify itself
    org.refresh_from_db()
    assert not org.is_verified
    charlie.is_staff = True
    charlie.save(update_fields=["is_staff"])
    # Staff must have two-factor authentication set up to reach any page.
    Authenticator.objects.create(user=charlie, type=Authenticator.Type.TOTP, data={})
    response = client_as(charlie).post(url, {"verified": "1"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.is_verified and org.verified_by == charlie and org.verified_at
    assert AuditEvent.objects.filter(verb="organization.verified", target_id=str(org.pk)).exists()
    client_as(charlie).post(url, {"verified": "0"})
    org.refresh_from_db()
    assert not org.is_verified


def test_verify_needs_post(client_as, org, alice):
    assert client_as(alice).get(f"/network/organizations/{org.slug}/verify/").status_code == 405


def test_list_has_bounded_queries(client, db, django_assert_max_num_queries):
    health = sector("health")
    for n in range(30):
        make_organization(f"Org {n:02}", sectors=[health])
    with django_assert_max_num_queries(8):
        response = client.get("/network/organizations/")
    assert "Org 00" in response.content.decode()
