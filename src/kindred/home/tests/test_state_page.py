from kindred.network.models import Community
from kindred.network.services import create_community
from kindred.places.models import State


def test_a_state_page_shows_its_communities(client, alice):
    oklahoma = State.objects.get(usps="OK")
    create_community(
        actor=alice, name="Tulsa Families Together", level=Community.Level.COUNTY, state=oklahoma
    )
    body = client.get("/places/ok/").content.decode()
    assert "Tulsa Families Together" in body
    assert 'id="network-heading"' in body


def test_an_empty_state_says_how_to_start(client, db):
    body = client.get("/places/wy/").content.decode()
    assert "No community here yet" in body
    assert "No story or event here yet" in body


def test_the_state_page_runs_a_fixed_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    oklahoma = State.objects.get(usps="OK")
    for n in range(5):
        create_community(actor=alice, name=f"Circle {n}", level="city", state=oklahoma)
    with django_assert_max_num_queries(40):
        client.get("/places/ok/")
