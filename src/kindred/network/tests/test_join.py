import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from kindred.accounts.models import User
from kindred.network.models import MemberProfile, Organization, OrganizationMembership
from kindred.network.tests.factories import make_community, make_organization, role, sector, topic
from kindred.network.views.join import JOIN_LIMIT


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def vocab(db):
    return {
        "parent": role("parent"),
        "doula": role("doula"),
        "health": sector("health"),
        "literacy": topic("early-literacy"),
    }


def step1(client, vocab, **overrides):
    data = {"name": "Rosa Díaz", "roles": [vocab["parent"].pk], "zip_code": "74103"}
    data.update(overrides)
    return client.post("/network/join/", data)


def step2(client, **overrides):
    data = {
        "languages": ["es", "en"],
        "contact_methods": ["email"],
        "visibility": "members",
        "listed_in_directory": "on",
    }
    data.update(overrides)
    return client.post("/network/join/interests/", data)


def step3(client, email="rosa@example.org", **overrides):
    data = {
        "email": email,
        "password1": "una-casa-azul-2026",
        "password2": "una-casa-azul-2026",
        "accept_terms": "on",
    }
    data.update(overrides)
    return client.post("/network/join/account/", data)


def test_join_in_three_steps_creates_account_profile_and_sends_verification(client, vocab):
    assert step1(client, vocab).status_code == 302
    assert step2(client).status_code == 302
    response = step3(client)
    assert response.status_code == 302
    assert response["Location"] == "/network/welcome/"
    user = User.objects.get(email="rosa@example.org")
    profile = user.profile
    assert profile.display_name == "Rosa Díaz"
    assert profile.county.name == "Tulsa County" and profile.state.usps == "OK"
    assert set(profile.languages.values_list("code", flat=True)) == {"es", "en"}
    assert profile.listed_in_directory and profile.accepted_terms_at
    assert list(profile.roles.all()) == [vocab["parent"]]
    address = EmailAddress.objects.get(user=user)
    assert address.email == "rosa@example.org" and not address.verified
    assert len(mail.outbox) == 1 and "rosa@example.org" in mail.outbox[0].to
    welcome = client.get("/network/welcome/")
    assert welcome.status_code == 200
    assert "rosa@example.org" in welcome.content.decode()


def test_step_one_keeps_answers_and_explains_an_unknown_zip(client, vocab):
    response = step1(client, vocab, zip_code="00000")
    assert response.status_code == 200
    body = response.content.decode()
    assert "We could not find ZIP code 00000" in body
    assert 'value="Rosa Díaz"' in body
    assert "network_join" not in client.session


def test_malformed_zip_is_explained(client, vocab):
    body = step1(client, vocab, zip_code="7410").content.decode()
    assert "A ZIP code has 5 digits" in body


def test_live_zip_confirmation_names_the_place(client, db):
    body = client.get("/network/join/zip/", {"zip_code": "74103"}, HTTP_HX_REQUEST="true")
    assert "Tulsa County" in body.content.decode()
    body = client.get("/network/join/zip/", {"zip_code": "99999"}).content.decode()
    assert "We could not find ZIP code 99999" in body


def test_step_two_confirms_the_place(client, vocab):
    step1(client, vocab)
    body = client.get("/network/join/interests/").content.decode()
    assert "Tulsa County" in body and "Oklahoma" in body


def test_going_back_shows_what_was_typed(client, vocab):
    step1(client, vocab, title="Mom")
    body = client.get("/network/join/").content.decode()
    assert 'value="Rosa Díaz"' in body and 'value="74103"' in body


def test_later_steps_send_you_back_to_the_start(client, db):
    assert client.get("/network/join/interests/")["Location"] == "/network/join/"
    assert client.get("/network/join/account/")["Location"] == "/network/join/"


def test_existing_organization_is_found_by_name(client, vocab):
    org = make_organization("Tulsa Family Center", sectors=[vocab["health"]])
    step1(client, vocab, organization_name="tulsa family center", title="Doula")
    step2(client)
    step3(client)
    membership = OrganizationMembership.objects.get(user__email="rosa@example.org")
    assert membership.organization == org and membership.title == "Doula"
    assert list(membership.user.profile.sectors.all()) == [vocab["health"]]


def test_similar_organizations_are_offered_then_a_new_one_added(client, vocab):
    make_organization("Tulsa Family Center")
    response = step1(client, vocab, organization_name="Tulsa")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose yours, or add a new one" in body
    assert (
        step1(client, vocab, organization_name="Tulsa", organization_choice="new").status_code
        == 302
    )
    step2(client)
    step3(client)
    assert Organization.objects.filter(name="Tulsa").exists()
    assert Organization.objects.count() == 2


def test_second_join_with_the_same_email_offers_sign_in_and_reset(client, vocab, alice):
    step1(client, vocab)
    step2(client)
    response = step3(client, email="ALICE@example.org")
    body = response.content.decode()
    assert response.status_code == 200
    assert "already an account" in body
    assert "/accounts/login/" in body and "/accounts/password/reset/" in body
    assert User.objects.count() == 1
    assert not MemberProfile.objects.exists()
    # What was typed is kept: the email stays in the box.
    assert 'value="ALICE@example.org"' in body


def test_password_errors_keep_the_email(client, vocab):
    step1(client, vocab)
    step2(client)
    body = step3(client, password2="different-password-1").content.decode()
    assert 'value="rosa@example.org"' in body
    assert not User.objects.exists()


def test_terms_must_be_accepted(client, vocab):
    step1(client, vocab)
    step2(client)
    body = step3(client, accept_terms="").content.decode()
    assert "Please agree to the terms" in body
    assert not User.objects.exists()


def test_rapid_repeated_joins_are_rate_limited(client, vocab):
    for n in range(JOIN_LIMIT):
        step1(client, vocab)
        step2(client)
        assert step3(client, email=f"person{n}@example.org").status_code == 302
    step1(client, vocab)
    step2(client)
    response = step3(client, email="one-more@example.org")
    assert response.status_code == 429
    assert "Please wait ten minutes" in response.content.decode()
    assert not User.objects.filter(email="one-more@example.org").exists()
    assert User.objects.count() == JOIN_LIMIT


def test_signed_in_person_without_profile_only_accepts_terms(client_as, alice, vocab):
    client = client_as(alice)
    step1(client, vocab)
    step2(client)
    body = client.get("/network/join/account/").content.decode()
    assert 'name="password1"' not in body
    response = client.post("/network/join/account/", {"accept_terms": "on"})
    assert response["Location"] == "/network/welcome/"
    assert alice.profile.display_name == "Rosa Díaz"


def test_members_are_sent_to_their_profile(client_as, alice, vocab):
    from kindred.network.tests.factories import make_member

    make_member(alice, name="Alice")
    assert client_as(alice).get("/network/join/")["Location"] == "/network/me/edit/"


def test_welcome_suggests_nearby_communities_and_people_in_other_sectors(
    client_as, alice, bob, charlie, vocab
):
    from kindred.network.tests.factories import make_member

    education = sector("education")
    me = make_member(alice, name="Alice", sectors=[vocab["health"]], topics=[vocab["literacy"]])
    make_member(bob, name="Bob Teacher", sectors=[education])  # other sector, same county
    make_member(charlie, name="Charlie Nurse", sectors=[vocab["health"]])  # same sector
    make_member(name="Far Away", email="far@example.org", zip_code="10001", sectors=[education])
    tulsa = make_community("Tulsa County Families")
    bronx = make_community("Bronx Babies", county=None, state=None)
    body = client_as(alice).get("/network/welcome/").content.decode()
    assert tulsa.name in body and bronx.name not in body
    assert "Bob Teacher" in body
    assert "Charlie Nurse" not in body and "Far Away" not in body
    assert me.display_name in body


def test_after_signing_in_the_answers_are_still_there(client, vocab, alice):
    step1(client, vocab)
    step2(client)
    body = step3(client, email="alice@example.org").content.decode()
    assert "?next=/network/join/account/" in body
    client.force_login(alice)  # as the sign-in link would
    response = client.post("/network/join/account/", {"accept_terms": "on"})
    assert response["Location"] == "/network/welcome/"
    alice.refresh_from_db()
    assert alice.profile.county.name == "Tulsa County"


def test_organization_names_are_suggested_while_typing(client, db):
    make_organization("Tulsa Family Center")
    make_organization("Bronx Baby Bridge")
    body = client.get("/network/join/organizations/", {"organization_name": "fam"}).content
    assert b'<option value="Tulsa Family Center">' in body and b"Bronx" not in body
    assert (
        client.get("/network/join/organizations/", {"organization_name": "t"}).content.strip()
        == b""
    )
