"""Staff create and edit policies and advocacy actions from the site, not only the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.policy import signing
from kindred.policy.models import AdvocacyAction, Policy, StatusChange
from kindred.policy.tests.factories import (
    jurisdiction,
    make_action,
    make_official,
    make_policy,
    topic,
)


@pytest.fixture
def policy(db):
    return make_policy()


def new_policy_data(**overrides) -> dict:
    data = {
        "title_en": "Oklahoma doula payment",
        "title_es": "Pago de doulas en Oklahoma",
        "slug": "",
        "jurisdiction": jurisdiction("OK").pk,
        "policy_type": "bill",
        "identifier": "HB 1234",
        "ocd_id": "",
        "topics": [topic("doula-care").pk],
        "summary_en": "Medicaid pays doulas.",
        "summary_es": "Medicaid paga a las doulas.",
        "why_it_matters_en": "Support around birth.",
        "why_it_matters_es": "Apoyo en el parto.",
        "effective_date": "",
        "last_verified": "2025-03-01",
        "status": "introduced",
        "status_date": "2025-02-03",
        "source_title": "Oklahoma Legislature, bill history",
        "source_url": "https://example.org/hb1234",
        "source_date": "2025-02-03",
        "note_en": "Filed.",
        "note_es": "Presentado.",
        "position": "support",
        "position_rationale_en": "Doulas help families.",
        "position_rationale_es": "",
        "related": [],
        "is_published": "on",
    }
    data.update(overrides)
    return data


def edit_policy_data(policy: Policy, **overrides) -> dict:
    data = new_policy_data(
        title_en=policy.title_en,
        title_es=policy.title_es,
        jurisdiction=policy.jurisdiction_id,
        identifier=policy.identifier,
        topics=[t.pk for t in policy.topics.all()],
        summary_en=policy.summary_en,
        summary_es=policy.summary_es,
        why_it_matters_en=policy.why_it_matters_en,
        why_it_matters_es=policy.why_it_matters_es,
        position=policy.position,
        position_rationale_en=policy.position_rationale_en,
        last_verified="",
    )
    for name in ("slug", "status", "status_date", "source_title", "source_url", "source_date"):
        data.pop(name)
    data.update(overrides)
    return data


def new_action_data(**overrides) -> dict:
    data = {
        "kind": "letter",
        "status": "open",
        "title_en": "Ask Oklahoma to pay doulas",
        "title_es": "Pida a Oklahoma que pague a las doulas",
        "slug": "",
        "intro_en": "Two minutes for families.",
        "intro_es": "Dos minutos por las familias.",
        "policy": "",
        "jurisdiction": jurisdiction("OK").pk,
        "letter_subject_en": "Please pay doulas",
        "letter_subject_es": "Paguen a las doulas",
        "letter_body_en": "Dear {target_name}, please support HB 1234. {signer_name}",
        "letter_body_es": "Estimado/a {target_name}: apoye HB 1234.",
        "target_mode": "listed",
        "target_level": "state",
        "targets": [],
        "goal": "500",
        "closes_at": "",
    }
    data.update(overrides)
    return data


# --- Policies --------------------------------------------------------------------------------


def test_staff_add_a_policy_with_its_first_sourced_status(client, client_as, staff, policy):
    response = client_as(staff).post("/policy/new/", new_policy_data(related=[policy.pk]))
    assert response.status_code == 302
    new = Policy.objects.get(identifier="HB 1234")
    assert response["Location"] == f"/policy/p/{new.slug}/"
    assert new.slug == "oklahoma-doula-payment"  # made from the title
    assert (new.status, str(new.status_date)) == ("introduced", "2025-02-03")
    assert [t.slug for t in new.topics.all()] == ["doula-care"]
    assert list(new.related.all()) == [policy]
    assert new.created_by == staff
    # The history starts with the sourced step, as a status change recorded later would.
    step = StatusChange.objects.get(policy=new)
    assert (step.source_url, step.recorded_by, step.note_es) == (
        "https://example.org/hb1234", staff, "Presentado."
    )  # fmt: skip
    event = AuditEvent.objects.get(verb="policy.created", target_id=str(new.pk))
    assert event.actor == staff
    # Everyone finds it on the list and in the open data API.
    assert "Oklahoma doula payment" in client.get("/policy/").content.decode()
    items = client.get("/api/policy/policies").json()["items"]
    found = next(item for item in items if item["slug"] == new.slug)
    assert found["history"][0]["source_url"] == "https://example.org/hb1234"


def test_a_new_slug_is_unique_and_a_taken_one_is_refused(client_as, staff, policy):
    staff_client = client_as(staff)
    staff_client.post("/policy/new/", new_policy_data())
    staff_client.post("/policy/new/", new_policy_data(identifier="HB 9"))
    assert Policy.objects.get(identifier="HB 9").slug == "oklahoma-doula-payment-2"
    response = staff_client.post("/policy/new/", new_policy_data(slug="ok-paid-leave"))
    assert response.status_code == 422
    assert "This web address is taken" in response.content.decode()
    assert Policy.objects.count() == 3


def test_a_new_policy_without_a_source_address_keeps_what_was_typed(client_as, staff):
    data = new_policy_data(source_url="", summary_en="Typed with care.")
    response = client_as(staff).post("/policy/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Source address (URL): This field is required." in page
    assert 'value="Oklahoma doula payment"' in page
    assert "Typed with care." in page
    assert not Policy.objects.exists()
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="policy.").exists()


def test_a_new_policy_cannot_start_in_the_future(client_as, staff):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_as(staff).post("/policy/new/", new_policy_data(status_date=tomorrow))
    assert response.status_code == 422
    assert "A status change cannot be in the future." in response.content.decode()
    assert not Policy.objects.exists()


def test_staff_edit_a_policy_and_its_status_history_stays(client_as, staff, policy):
    data = edit_policy_data(policy, summary_en="A clearer summary.", position="watch")
    response = client_as(staff).post("/policy/p/ok-paid-leave/edit/", data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.summary_en, policy.position) == ("A clearer summary.", "watch")
    assert (policy.status, policy.slug) == ("introduced", "ok-paid-leave")
    assert StatusChange.objects.filter(policy=policy).count() == 1
    event = AuditEvent.objects.get(verb="policy.changed")
    assert (event.actor, event.details["fields"]) == (staff, ["summary_en", "position"])


def test_the_edit_form_shows_the_stored_policy_without_a_status_field(client_as, staff, policy):
    page = client_as(staff).get("/policy/p/ok-paid-leave/edit/").content.decode()
    assert 'value="Oklahoma paid leave"' in page
    assert 'name="status"' not in page
    assert 'name="slug"' not in page


def test_an_invalid_edit_keeps_what_was_typed_and_changes_nothing(client_as, staff, policy):
    data = edit_policy_data(policy, title_en="", summary_en="Half-finished thought")
    response = client_as(staff).post("/policy/p/ok-paid-leave/edit/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Title (English): This field is required." in page
    assert "Half-finished thought" in page
    policy.refresh_from_db()
    assert (policy.title_en, policy.summary_en) == (
        "Oklahoma paid leave", "Paid leave for new parents."
    )  # fmt: skip
    assert not AuditEvent.objects.filter(verb="policy.changed").exists()


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_members_and_outsiders_cannot_add_or_edit_policies(request, client_as, persona, policy):
    user_client = client_as(request.getfixturevalue(persona))
    assert user_client.get("/policy/new/").status_code == 403
    assert user_client.post("/policy/new/", new_policy_data()).status_code == 403
    assert user_client.get("/policy/p/ok-paid-leave/edit/").status_code == 403
    data = edit_policy_data(policy, title_en="Taken over")
    assert user_client.post("/policy/p/ok-paid-leave/edit/", data).status_code == 403
    assert list(Policy.objects.values_list("title_en", flat=True)) == ["Oklahoma paid leave"]
    assert "/policy/new/" not in user_client.get("/policy/").content.decode()
    assert "/edit/" not in user_client.get("/policy/p/ok-paid-leave/").content.decode()


def test_visitors_are_sent_to_sign_in(client, policy):
    for url in ("/policy/new/", "/policy/p/ok-paid-leave/edit/"):
        response = client.post(url, new_policy_data(title_en="Taken over"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Policy.objects.get().title_en == "Oklahoma paid leave"


def test_staff_see_the_links(client_as, staff, policy):
    staff_client = client_as(staff)
    assert 'href="/policy/new/"' in staff_client.get("/policy/").content.decode()
    detail = staff_client.get("/policy/p/ok-paid-leave/").content.decode()
    assert 'href="/policy/p/ok-paid-leave/edit/"' in detail


# --- Actions ---------------------------------------------------------------------------------


def test_staff_add_an_open_letter_and_it_takes_signatures(client, client_as, staff, policy):
    senator = make_official()
    data = new_action_data(policy=policy.pk, targets=[senator.pk])
    response = client_as(staff).post("/policy/actions/new/", data)
    assert response.status_code == 302
    action = AdvocacyAction.objects.get()
    assert response["Location"] == f"/policy/actions/{action.slug}/manage/"
    assert action.slug == "ask-oklahoma-to-pay-doulas"
    assert (action.status, action.kind, action.goal) == ("open", "letter", 500)
    assert (action.policy, list(action.targets.all())) == (policy, [senator])
    assert action.created_by == staff
    event = AuditEvent.objects.get(verb="policy.action_created")
    assert (event.actor, event.details["status"]) == (staff, "open")
    items = client.get("/api/policy/actions").json()["items"]
    assert [item["slug"] for item in items] == ["ask-oklahoma-to-pay-doulas"]
    assert "Ask Oklahoma to pay doulas" in client.get("/policy/actions/").content.decode()
    assert signing.get_action_snapshot(action.slug).is_open()


def test_a_draft_action_stays_out_of_the_api(client, client_as, staff):
    client_as(staff).post("/policy/actions/new/", new_action_data(status="draft"))
    assert AdvocacyAction.objects.get().status == "draft"
    assert client.get("/api/policy/actions").json()["items"] == []


def test_the_new_action_page_is_not_an_action_called_new(client_as, staff):
    assert client_as(staff).get("/policy/actions/new/").status_code == 200
    client_as(staff).post("/policy/actions/new/", new_action_data(title_en="New"))
    assert AdvocacyAction.objects.get().slug == "new-2"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("letter_body_en", "Dear {target_name}, <b>please</b> act.", "Please remove the HTML tags"),
        ("letter_body_es", "<a href='x'>Apoye</a>", "Please remove the HTML tags"),
        ("letter_body_en", "Dear {target}, please act.", "{target} is not a placeholder"),
        ("letter_body_en", "x" * 5001, "Please keep the text under 5000 characters"),
        ("letter_subject_en", "<i>Now</i>", "Please write plain text"),
    ],
)
def test_a_letter_signers_could_not_send_is_refused(client_as, staff, field, value, message):
    data = new_action_data(**{field: value, "intro_en": "Typed intro."})
    response = client_as(staff).post("/policy/actions/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "Typed intro." in page
    assert 'value="Ask Oklahoma to pay doulas"' in page
    assert not AdvocacyAction.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="policy.").exists()


def test_a_closing_time_in_the_past_is_refused(client_as, staff):
    data = new_action_data(closes_at="2020-01-01T12:00")
    response = client_as(staff).post("/policy/actions/new/", data)
    assert response.status_code == 422
    assert "The closing time has passed" in response.content.decode()
    assert not AdvocacyAction.objects.exists()


def test_staff_edit_an_action_and_signing_sees_it_at_once(client, client_as, staff):
    action = make_action(closes_at=timezone.now() - timedelta(days=1))
    assert not signing.get_action_snapshot("ok-letter").is_open()  # now cached as closed
    page = client_as(staff).get("/policy/actions/ok-letter/manage/").content.decode()
    assert 'href="/policy/actions/ok-letter/edit/"' in page
    closes = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    data = new_action_data(
        title_en="Write to Oklahoma today", closes_at=closes, letter_body_en=action.letter_body_en
    )
    del data["slug"], data["status"]
    response = client_as(staff).post("/policy/actions/ok-letter/edit/", data)
    assert response.status_code == 302, response.content.decode()
    action.refresh_from_db()
    assert (action.title_en, action.status, action.slug) == (
        "Write to Oklahoma today", "open", "ok-letter"
    )  # fmt: skip
    assert signing.get_action_snapshot("ok-letter").is_open()
    event = AuditEvent.objects.get(verb="policy.action_changed")
    assert "title_en" in event.details["fields"] and "closes_at" in event.details["fields"]
    assert client.get("/api/policy/actions").json()["items"][0]["title_en"] == (
        "Write to Oklahoma today"
    )


def test_an_action_that_closed_by_time_can_still_be_edited(client_as, staff):
    past = timezone.now() - timedelta(days=1)
    make_action(closes_at=past)
    data = new_action_data(
        title_en="Closed, with a better title",
        closes_at=timezone.localtime(past).strftime("%Y-%m-%dT%H:%M"),
    )
    del data["slug"], data["status"]
    response = client_as(staff).post("/policy/actions/ok-letter/edit/", data)
    assert response.status_code == 302
    assert AdvocacyAction.objects.get().title_en == "Closed, with a better title"


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_members_and_outsiders_cannot_add_or_edit_actions(request, client_as, persona):
    user_client = client_as(request.getfixturevalue(persona))
    make_action()
    assert user_client.get("/policy/actions/new/").status_code == 403
    assert user_client.post("/policy/actions/new/", new_action_data()).status_code == 403
    assert user_client.get("/policy/actions/ok-letter/edit/").status_code == 403
    data = new_action_data(title_en="Taken over")
    assert user_client.post("/policy/actions/ok-letter/edit/", data).status_code == 403
    assert list(AdvocacyAction.objects.values_list("title_en", flat=True)) == ["Write to Oklahoma"]
    assert "/policy/actions/new/" not in user_client.get("/policy/actions/").content.decode()


def test_visitors_cannot_add_or_edit_actions(client, db):
    make_action()
    for url in ("/policy/actions/new/", "/policy/actions/ok-letter/edit/"):
        response = client.post(url, new_action_data(title_en="Taken over"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert list(AdvocacyAction.objects.values_list("title_en", flat=True)) == ["Write to Oklahoma"]


def test_staff_see_the_new_action_link(client_as, staff):
    page = client_as(staff).get("/policy/actions/").content.decode()
    assert 'href="/policy/actions/new/"' in page
    assert client_as(staff).get("/policy/new/").status_code == 200
