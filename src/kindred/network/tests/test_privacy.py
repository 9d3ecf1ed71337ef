import json

from kindred.network.models import Connection
from kindred.network.privacy import export_personal_data
from kindred.network.tests.factories import make_community, make_member, make_organization


def test_export_holds_profile_ties_and_no_other_emails(alice, bob):
    me = make_member(alice, name="Alice")
    make_member(bob, name="Bob")
    make_organization("Tulsa Family Center", admin=alice)
    make_community("Tulsa County Families", organizer=alice)
    Connection.objects.create(from_user=bob, to_user=alice, note="Hi", status="accepted")
    key, data = export_personal_data(alice)
    assert key == "network"
    assert data["profile"]["name"] == me.display_name
    assert data["organizations"][0]["role"] == "admin"
    assert data["communities"][0]["role"] == "organizer"
    assert data["connections"][0]["with"] == "Bob"
    text = json.dumps(data)
    assert "bob@example.org" not in text


def test_export_for_someone_without_profile(charlie):
    key, data = export_personal_data(charlie)
    assert data["profile"] is None and data["connections"] == []
