import pytest

from kindred.network.models import Block, Connection
from kindred.network.tests.factories import make_member


@pytest.fixture
def people(alice, bob, charlie):
    return (
        make_member(alice, name="Alice"),
        make_member(bob, name="Bob"),
        make_member(charlie, name="Charlie"),
    )


def connect(client, profile, note="Hello!"):
    return client.post(f"/network/people/{profile.user_id}/connect/", {"note": note}, follow=True)


def test_send_and_accept_a_request(client_as, people):
    alice, bob, _charlie = people
    body = connect(client_as(alice.user), bob, note="<i>Hi</i> Bob").content.decode()
    assert "Your request is on its way to Bob" in body
    connection = Connection.objects.get()
    assert (connection.from_user, connection.to_user) == (alice.user, bob.user)
    assert connection.note == "Hi Bob" and connection.status == "pending"
    inbox = client_as(bob.user).get("/network/connections/").content.decode()
    assert "Alice" in inbox and "Hi Bob" in inbox
    client_as(bob.user).post(f"/network/connections/{connection.pk}/respond/", {"answer": "accept"})
    connection.refresh_from_db()
    assert connection.status == "accepted" and connection.responded_at
    assert "Bob" in client_as(alice.user).get("/network/connections/").content.decode()


def test_decline_and_no_second_request_after_a_decline(client_as, people):
    alice, bob, _ = people
    connect(client_as(alice.user), bob)
    connection = Connection.objects.get()
    client_as(bob.user).post(
        f"/network/connections/{connection.pk}/respond/", {"answer": "decline"}
    )
    connection.refresh_from_db()
    assert connection.status == "declined"
    body = connect(client_as(alice.user), bob).content.decode()
    assert "Bob has already answered an earlier request" in body
    connection.refresh_from_db()
    assert connection.status == "declined"


def test_withdraw_then_ask_again(client_as, people):
    alice, bob, _ = people
    connect(client_as(alice.user), bob)
    connection = Connection.objects.get()
    client_as(alice.user).post(f"/network/connections/{connection.pk}/withdraw/")
    connection.refresh_from_db()
    assert connection.status == "withdrawn"
    connect(client_as(alice.user), bob, note="Again")
    connection.refresh_from_db()
    assert connection.status == "pending" and connection.note == "Again"


def test_only_the_person_asked_can_answer(client_as, people):
    alice, bob, charlie = people
    connect(client_as(alice.user), bob)
    connection = Connection.objects.get()
    response = client_as(charlie.user).post(
        f"/network/connections/{connection.pk}/respond/", {"answer": "accept"}
    )
    assert response.status_code == 404
    response = client_as(alice.user).post(
        f"/network/connections/{connection.pk}/respond/", {"answer": "accept"}
    )
    assert response.status_code == 404
    connection.refresh_from_db()
    assert connection.status == "pending"


def test_connecting_to_yourself_is_explained(client_as, people):
    alice, _, _ = people
    body = connect(client_as(alice.user), alice).content.decode()
    assert "You can&#x27;t connect with yourself" in body
    assert not Connection.objects.exists()


def test_someone_who_blocked_you_cannot_be_asked(client_as, people):
    alice, bob, _ = people
    client_as(bob.user).post(f"/network/people/{alice.user_id}/block/")
    assert Block.objects.filter(blocker=bob.user, blocked=alice.user).exists()
    body = connect(client_as(alice.user), bob).content.decode()
    assert "Bob is not taking connection requests" in body
    assert not Connection.objects.exists()


def test_blocking_ends_open_requests_and_connections(client_as, people):
    alice, bob, _ = people
    connect(client_as(alice.user), bob)
    client_as(bob.user).post(f"/network/people/{alice.user_id}/block/")
    assert Connection.objects.get().status == "withdrawn"
    client_as(bob.user).post(f"/network/people/{alice.user_id}/unblock/")
    assert not Block.objects.exists()


def test_a_request_both_ways_connects(client_as, people):
    alice, bob, _ = people
    connect(client_as(alice.user), bob)
    connect(client_as(bob.user), alice)
    assert Connection.objects.get().status == "accepted"


def test_phone_shown_only_to_connections(client_as, people):
    alice, bob, charlie = people
    alice.phone = "918-555-0100"
    alice.save(update_fields=["phone"])
    assert "918-555-0100" not in client_as(bob.user).get(alice.get_absolute_url()).content.decode()
    connect(client_as(bob.user), alice)
    connection = Connection.objects.get()
    client_as(alice.user).post(
        f"/network/connections/{connection.pk}/respond/", {"answer": "accept"}
    )
    assert "918-555-0100" in client_as(bob.user).get(alice.get_absolute_url()).content.decode()
    assert (
        "918-555-0100" not in client_as(charlie.user).get(alice.get_absolute_url()).content.decode()
    )


def test_cannot_ask_someone_hidden(client_as, people, db):
    alice, bob, _ = people
    bob.visibility = "hidden"
    bob.save(update_fields=["visibility"])
    response = client_as(alice.user).post(f"/network/people/{bob.user_id}/connect/", {"note": ""})
    assert response.status_code == 404
    assert not Connection.objects.exists()


def test_connection_actions_need_post_and_sign_in(client, client_as, people):
    alice, bob, _ = people
    assert client_as(alice.user).get(f"/network/people/{bob.user_id}/connect/").status_code == 405
    response = client.post(f"/network/people/{bob.user_id}/connect/", {"note": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Connection.objects.exists()


def test_my_connections_page_has_bounded_queries(client_as, people, django_assert_max_num_queries):
    from kindred.network.tests.factories import make_member as member

    alice = people[0]
    for n in range(15):
        other = member(name=f"Friend {n}", email=f"friend{n}@example.org")
        Connection.objects.create(from_user=other.user, to_user=alice.user, status="accepted")
        pending = member(name=f"Asker {n}", email=f"asker{n}@example.org")
        Connection.objects.create(from_user=pending.user, to_user=alice.user)
    client = client_as(alice.user)
    with django_assert_max_num_queries(12):
        body = client.get("/network/connections/").content.decode()
    assert "Friend 14" in body and "Asker 14" in body
