import pytest

from kindred.policy import services
from kindred.policy.models import AdvocacyAction, Signature
from kindred.policy.tests.factories import jurisdiction, make_action, make_official

URL = "/policy/actions/ok-letter/"
GOOD = {
    "name": "Rosa Lopez",
    "email": "rosa@example.org",
    "zip": "74103",
    "message": "Dear {target_name}, please support paid leave.",
    "consent": "on",
}


@pytest.fixture
def action(db):
    return make_action(targets=[make_official()])


def test_the_page_shows_the_letter_and_the_form(client, action):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dear {target_name}, please support paid leave." in body
    assert 'name="website"' in body  # the honeypot is there, hidden by CSS
    assert "Sen. Demo One" in body


def test_signing_redirects_to_thanks_and_stores_the_signature(client, action):
    response = client.post(URL, GOOD | {"follow_up_consent": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/policy/actions/ok-letter/thanks/"
    signature = Signature.objects.get()
    # The letter was not edited, so the signature keeps no copy of it.
    assert signature.message == ""
    assert signature.follow_up_consent is True
    thanks = client.get(response["Location"])
    assert "Thank you" in thanks.content.decode()


def test_an_edited_letter_is_kept(client, action):
    client.post(URL, GOOD | {"message": "Dear {target_name}, my son needs you."})
    assert Signature.objects.get().message == "Dear {target_name}, my son needs you."


def test_follow_up_consent_is_not_assumed(client, action):
    client.post(URL, GOOD)
    assert Signature.objects.get().follow_up_consent is False


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"consent": ""}, "tick this box"),
        ({"website": "http://spam.example"}, "filled in by a program"),
        ({"message": "<a href='x'>click</a>"}, "HTML"),
        ({"zip": "78701"}, "not in Oklahoma"),
        ({"zip": "99999"}, "could not find"),
        ({"email": "nope"}, "email"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_stores_nothing(client, action, change, words):
    response = client.post(URL, GOOD | change)
    assert response.status_code == 422
    body = response.content.decode()
    assert words.lower() in body.lower()
    assert 'value="Rosa Lopez"' in body  # what the person typed is still there
    assert not Signature.objects.exists()


def test_a_duplicate_is_thanked_without_a_second_row(client, action):
    client.post(URL, GOOD)
    response = client.post(URL, GOOD | {"email": "ROSA@example.org"}, follow=True)
    assert "already signed" in response.content.decode()
    assert Signature.objects.count() == 1


def test_a_closed_action_shows_why_and_takes_nothing(client, action):
    services.set_action_status(action, status=AdvocacyAction.Status.CLOSED, user=None)
    page = client.get(URL).content.decode()
    assert "no longer takes signatures" in page
    response = client.post(URL, GOOD)
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_a_flood_from_one_address_is_refused(client, action, settings):
    settings.POLICY_SIGN_RATE_LIMIT = (2, 600)
    client.post(URL, GOOD | {"email": "a@example.org"})
    client.post(URL, GOOD | {"email": "b@example.org"})
    response = client.post(URL, GOOD | {"email": "c@example.org"})
    assert response.status_code == 429
    assert "Too many signatures" in response.content.decode()
    assert Signature.objects.count() == 2


def test_a_draft_action_is_hidden_from_the_public(client, db):
    make_action(slug="draft", status=AdvocacyAction.Status.DRAFT)
    assert client.get("/policy/actions/draft/").status_code == 404


def test_sign_on_form_asks_for_the_organization(client, db):
    make_action(slug="sign-on", kind=AdvocacyAction.Kind.SIGN_ON, jurisdiction=jurisdiction("US"))
    page = client.get("/policy/actions/sign-on/").content.decode()
    assert "authorized to sign" in page
    response = client.post("/policy/actions/sign-on/", GOOD)
    assert response.status_code == 422
    assert not Signature.objects.exists()
    client.post("/policy/actions/sign-on/", GOOD | {"organization": "Tulsa Doulas"})
    assert Signature.objects.get().organization == "Tulsa Doulas"


def test_an_advocate_signs_in_spanish_on_a_phone(client, action):
    client.cookies["kindred_language"] = "es"
    phone = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile"}
    page = client.get(URL, **phone).content.decode()
    assert 'lang="es"' in page
    assert "Estimado/a {target_name}: apoye la licencia pagada." in page
    assert "Envíe su carta" in page
    response = client.post(
        URL, GOOD | {"message": "Estimado/a {target_name}: apoye la licencia pagada."}, **phone
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.language == "es"
    assert signature.message == ""  # the Spanish letter as written


def test_the_list_shows_open_actions_with_counts(client, action):
    make_action(slug="closed", status=AdvocacyAction.Status.CLOSED, title_en="Old one")
    client.post(URL, GOOD)
    body = client.get("/policy/actions/").content.decode()
    assert "Write to Oklahoma" in body
    assert "Old one" not in body
    assert "1 signature" in body


def test_public_counts_hide_small_numbers_and_staff_see_them(client, client_as, staff, action):
    client.post(URL, GOOD)
    assert "fewer than 11" in client.get(URL).content.decode()
    staff_page = client_as(staff).get("/policy/actions/ok-letter/manage/").content.decode()
    assert "Oklahoma" in staff_page


def test_members_get_share_links_that_credit_their_community(client_as, bob, action):
    from kindred.network.models import Community, CommunityMembership

    community = Community.objects.create(name="Tulsa Families", slug="tulsa-families",
                                         level=Community.Level.COUNTY)  # fmt: skip
    CommunityMembership.objects.create(
        community=community, user=bob, status=CommunityMembership.Status.ACTIVE
    )
    page = client_as(bob).get(URL).content.decode()
    assert "?ref=tulsa-families" in page
