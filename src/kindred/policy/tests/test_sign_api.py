import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kindred.policy import services, signing
from kindred.policy.models import AdvocacyAction, ReferralCode, Signature
from kindred.policy.tests.factories import jurisdiction, make_action

URL = "/api/policy/actions/ok-letter/sign"
GOOD = {"name": "Rosa Lopez", "email": "rosa@example.org", "zip": "74103"}


def post(client, body, url=URL, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def action(db):
    return make_action()


def test_it_signs_and_answers_201(client, action):
    response = post(client, GOOD | {"message": "Please help.", "follow_up_consent": True})
    assert response.status_code == 201
    assert response.json() == {"status": "signed", "action": "ok-letter", "signature_count": 1}
    signature = Signature.objects.get()
    assert (signature.name, signature.zip_code, signature.city) == ("Rosa Lopez", "74103", "Tulsa")
    assert signature.state.usps == "OK"
    assert signature.message == "Please help."
    assert signature.follow_up_consent is True


def test_follow_up_consent_defaults_to_false(client, action):
    assert post(client, GOOD).status_code == 201
    assert Signature.objects.get().follow_up_consent is False


def test_same_email_in_any_case_is_a_duplicate_with_200(client, action):
    assert post(client, GOOD).status_code == 201
    response = post(client, GOOD | {"email": "  ROSA@Example.ORG ", "name": "Rosa L."})
    assert response.status_code == 200
    assert response.json()["status"] == "already_signed"
    # The first signature stands; the duplicate changed nothing.
    assert list(Signature.objects.values_list("name", flat=True)) == ["Rosa Lopez"]


def test_the_same_email_may_sign_another_action(client, action):
    make_action(slug="ok-letter-2")
    assert post(client, GOOD).status_code == 201
    assert post(client, GOOD, url="/api/policy/actions/ok-letter-2/sign").status_code == 201
    assert Signature.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "name"),
        ({"name": None}, "name", "name"),
        ({"email": ""}, "email", "email"),
        ({"email": "rosa-at-example"}, "email", "whole email"),
        ({"zip": ""}, "zip", "ZIP"),
        ({"zip": "7410"}, "zip", "5-digit"),
        ({"zip": "abcde"}, "zip", "5-digit"),
        ({"zip": "00000"}, "zip", "could not find"),
        ({"zip": "78701"}, "zip", "not in Oklahoma"),
        ({"zip": "74103", "state": "TX"}, "zip", "not in TX"),
        ({"message": "Hi <script>alert(1)</script>"}, "message", "HTML"),
        ({"message": "<b>bold</b>"}, "message", "HTML"),
        ({"message": "x" * 5001}, "message", "5000"),
        ({"follow_up_consent": "perhaps"}, "follow_up_consent", "true or false"),
        ({"consent": False}, "consent", "confirm"),
        ({"name": 12}, "name", "text"),
    ],
)
def test_bad_fields_get_422_naming_the_field_and_store_nothing(
    client, action, change, field, words
):
    response = post(client, GOOD | change)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    assert words.lower() in errors[field].lower()
    assert not Signature.objects.exists()


def test_every_bad_field_is_named_at_once(client, action):
    response = post(client, {"zip": "123"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "email", "zip"}


def test_a_heart_is_not_html(client, action):
    assert post(client, GOOD | {"message": "I <3 my baby"}).status_code == 201


def test_zip_plus_four_is_accepted(client, action):
    assert post(client, GOOD | {"zip": "74103-1234"}).status_code == 201
    assert Signature.objects.get().zip_code == "74103"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
def test_a_body_that_is_not_a_json_object_is_refused(client, action, body):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert "body" in response.json()["errors"]


def test_a_closed_action_answers_409(client, action):
    services.set_action_status(action, status=AdvocacyAction.Status.CLOSED, user=None)
    response = post(client, GOOD)
    assert response.status_code == 409
    assert "closed" in response.json()["errors"]["action"]
    assert not Signature.objects.exists()


def test_an_action_past_its_closing_time_answers_409_at_once(client, action):
    assert post(client, GOOD).status_code == 201  # the action is now cached in this worker
    AdvocacyAction.objects.filter(pk=action.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    signing.forget_action(action.slug)
    response = post(client, GOOD | {"email": "other@example.org"})
    assert response.status_code == 409
    assert "closed on" in response.json()["errors"]["action"]


@pytest.mark.parametrize("slug", ["no-such-action", "draft-action"])
def test_unknown_and_draft_actions_answer_404(client, action, slug):
    make_action(slug="draft-action", status=AdvocacyAction.Status.DRAFT)
    response = post(client, GOOD, url=f"/api/policy/actions/{slug}/sign")
    assert response.status_code == 404
    assert not Signature.objects.exists()


def test_it_needs_no_csrf_token(action):
    client = Client(enforce_csrf_checks=True)
    assert post(client, GOOD).status_code == 201


def test_a_flood_from_one_address_is_refused_with_429(client, action, settings):
    settings.POLICY_SIGN_RATE_LIMIT = (3, 600)
    for n in range(3):
        assert post(client, GOOD | {"email": f"p{n}@example.org"}).status_code == 201
    response = post(client, GOOD | {"email": "p4@example.org"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert Signature.objects.count() == 3
    # Another address is not affected.
    other = post(client, GOOD | {"email": "p5@example.org"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 201


def test_sign_on_letters_need_an_organization(client, db):
    make_action(slug="sign-on", kind=AdvocacyAction.Kind.SIGN_ON, jurisdiction=jurisdiction("US"))
    url = "/api/policy/actions/sign-on/sign"
    response = post(client, GOOD, url=url)
    assert response.status_code == 422
    assert "organization" in response.json()["errors"]
    assert post(client, GOOD | {"organization": "Tulsa Doulas"}, url=url).status_code == 201
    assert Signature.objects.get().organization == "Tulsa Doulas"


def test_a_federal_action_takes_any_state(client, db):
    make_action(slug="federal", jurisdiction=jurisdiction("US"))
    response = post(client, GOOD | {"zip": "78701"}, url="/api/policy/actions/federal/sign")
    assert response.status_code == 201
    assert Signature.objects.get().state.usps == "TX"


def test_a_referral_code_credits_its_community(client, action):
    from kindred.network.models import Community

    community = Community.objects.create(
        name="Tulsa Families", slug="tulsa-families", level=Community.Level.COUNTY
    )
    code = services.referral_code_for(community)
    assert ReferralCode.objects.get().code == "tulsa-families"
    assert post(client, GOOD | {"ref": code.code}).status_code == 201
    signature = Signature.objects.get()
    assert (signature.community_id, signature.referral_code) == (community.pk, "tulsa-families")
    assert signing.counts_by_community(action.pk) == [("Tulsa Families", "tulsa-families", 1)]


def test_an_unknown_referral_code_does_not_block_signing(client, action):
    assert post(client, GOOD | {"ref": "nobody"}).status_code == 201
    assert Signature.objects.get().community_id is None


def test_a_warm_sign_is_one_insert(client, action, django_assert_num_queries):
    post(client, GOOD)  # warms the action, ZIP and count caches
    with django_assert_num_queries(1):
        assert post(client, GOOD | {"email": "second@example.org"}).status_code == 201


def test_a_cold_sign_reads_each_cache_once(client, action, django_assert_max_num_queries):
    # Action, ZIP code, the INSERT and the count: later requests find the first two and the
    # count in caches (see test_a_warm_sign_is_one_insert).
    with django_assert_max_num_queries(4):
        assert post(client, GOOD).status_code == 201


def test_warm_signs_and_duplicates_stay_at_one_statement(
    client, action, django_assert_max_num_queries
):
    post(client, GOOD)
    with django_assert_max_num_queries(20):
        for n in range(20):
            assert post(client, GOOD | {"email": f"p{n}@example.org"}).status_code == 201
    with django_assert_max_num_queries(1):
        assert post(client, GOOD | {"email": "P3@example.org"}).status_code == 200
    assert Signature.objects.count() == 21


def test_a_signed_in_member_signature_is_theirs(client_as, bob, action):
    response = post(client_as(bob), GOOD | {"ref": "", "message": "From a member."})
    assert response.status_code == 201
    signature = Signature.objects.get()
    assert signature.user_id == bob.pk
    assert (signature.message, signature.referral_code, signature.community_id) == (
        "From a member.",
        "",
        None,
    )
    assert signature.created is not None


def test_an_anonymous_signature_has_no_user_and_a_creation_time(client, action):
    assert post(client, GOOD).status_code == 201
    signature = Signature.objects.get()
    assert signature.user_id is None
    assert abs((timezone.now() - signature.created).total_seconds()) < 60
    assert (signature.email, signature.email_normalised) == ("rosa@example.org",) * 2
    assert (signature.state_id, signature.county_id, signature.language) == ("40", "40143", "en")


def test_an_email_longer_than_the_column_gets_422_not_an_error(client, action):
    # validate_email takes up to 320 characters; the column holds 254.
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"
    assert len(email) > 254
    response = post(client, GOOD | {"email": email})
    assert response.status_code == 422
    assert "254" in response.json()["errors"]["email"]
    assert not Signature.objects.exists()


def test_the_rate_limit_counts_every_attempt_in_a_window(client, action, settings):
    settings.POLICY_SIGN_RATE_LIMIT = (5, 600)
    statuses = [post(client, GOOD | {"email": f"w{n}@example.org"}).status_code for n in range(7)]
    assert statuses == [201] * 5 + [429, 429]
    assert Signature.objects.count() == 5


def test_signing_writes_no_audit_row(client, action):
    from kindred.core.models import AuditEvent

    before = AuditEvent.objects.count()
    post(client, GOOD)
    assert AuditEvent.objects.count() == before


def test_the_signer_language_is_kept(client, action):
    post(client, GOOD, HTTP_ACCEPT_LANGUAGE="es")
    assert Signature.objects.get().language == "es"


def test_insert_once_never_duplicates_under_a_race(action):
    # Two requests that passed validation at the same moment: the constraint decides.
    def make():
        return Signature(
            action=action,
            name="A",
            email="a@example.org",
            email_normalised="a@example.org",
            zip_code="74103",
            state_id="40",
        )

    assert Signature.objects.insert_once(make()) is True
    assert Signature.objects.insert_once(make()) is False
    assert Signature.objects.count() == 1
