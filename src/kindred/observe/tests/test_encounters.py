"""A visit from start to result: suggestions, form modes, submit, alerts, handout, amend."""

import datetime as dt

import pytest
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.observe.models import Alert, Encounter, Response, ResponseRevision
from kindred.observe.services import complete_encounter, instruments_due, submit_response
from kindred.observe.tests.factories import make_encounter, make_family, version
from kindred.observe.tests.helpers import phq9_answers, wecs_answers


def _post_answers(answers: dict) -> dict:
    data = {}
    for key, value in answers.items():
        data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return data


def test_instruments_due_follow_the_schedule_and_corrected_age(site, staff):
    family = make_family(site, age_days=61)  # the 2-month visit
    due = {row["spec"].slug: row["due"] for row in instruments_due(family)}
    assert due["phq-2"] and due["epds"] and due["bpsc"] and due["wecs"]
    assert due["phq-9"] is False  # offered, not scheduled
    preterm = make_family(site, age_days=61, gestational_age_weeks=30)  # corrected: -9 days → 0
    rows = {row["spec"].slug: row for row in instruments_due(preterm)}
    assert rows["phq-2"]["due"] is False


def test_start_visit_preselects_due_instruments(client_as, staff, site):
    family = make_family(site, age_days=61)
    client = client_as(staff["clinician"])
    page = client.get(f"/observe/families/{family.pk}/visits/new/")
    assert page.status_code == 200 and "due now" in page.text
    response = client.post(
        f"/observe/families/{family.pk}/visits/new/",
        {"versions": [version("phq-9").pk, version("wecs").pk], "date": timezone.localdate()},
    )
    encounter = Encounter.objects.get()
    assert response.url == encounter.get_absolute_url()
    assert encounter.responses.count() == 2


def test_start_visit_outside_the_age_window_is_refused(client_as, staff, site):
    family = make_family(site, age_days=600)
    response = client_as(staff["clinician"]).post(
        f"/observe/families/{family.pk}/visits/new/", {"versions": [version("epds").pk]}
    )
    assert response.status_code == 200
    assert not Encounter.objects.exists()


def test_whole_form_submit_with_errors_changes_nothing(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-9")
    response = encounter.responses.get()
    page = client_as(staff["clinician"]).post(
        f"/observe/responses/{response.pk}/", {"phq9_1": "2", "action": "submit"}
    )
    assert page.status_code == 200 and "This question needs an answer." in page.text
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS and response.answers == {}


def test_whole_form_submit_scores_and_raises_the_alert(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-9")
    response = encounter.responses.get()
    answers = phq9_answers(2, 2, 1, 1, 1, 1, 0, 0, 1, difficulty="1")
    client = client_as(staff["clinician"])
    page = client.post(
        f"/observe/responses/{response.pk}/", _post_answers(answers) | {"action": "submit"}
    )
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == "completed" and response.primary_score == 9
    assert response.band == "mild" and response.has_critical
    alert = Alert.objects.get()
    result = client.get(f"/observe/visits/{encounter.pk}/result/")
    text = result.text
    assert "1-833-TLC-MAMA (1-833-852-6262)" in text and "988" in text
    # Strengths come before the scores.
    assert text.index("Strengths") < text.index("Scores and bands")
    client.post(f"/observe/alerts/{alert.pk}/resolve/", {"resolution": "Safety assessment done."})
    alert.refresh_from_db()
    assert alert.resolved_by == staff["clinician"]


def test_hidden_answer_in_the_web_form_is_ignored(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-9")
    response = encounter.responses.get()
    data = _post_answers(phq9_answers(*[0] * 9)) | {"phq9_difficulty": "3", "action": "submit"}
    client_as(staff["clinician"]).post(f"/observe/responses/{response.pk}/", data)
    response.refresh_from_db()
    assert response.status == "completed" and "phq9_difficulty" not in response.answers


def test_one_question_at_a_time_saves_and_resumes(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-2")
    response = encounter.responses.get()
    client = client_as(staff["clinician"])
    url = f"/observe/responses/{response.pk}/"
    first = client.get(url + "?mode=step")
    assert "Question 1 of 2" in first.text
    step = client.post(url, {"mode": "step", "step": "0", "phq2_1": "1", "action": "next"})
    assert step.url.endswith("?mode=step&step=1")
    response.refresh_from_db()
    assert response.answers == {"phq2_1": "1"} and response.status == "in_progress"
    client.post(url, {"mode": "step", "step": "1", "phq2_2": "2", "action": "next"})
    client.post(url, {"phq2_1": "1", "phq2_2": "2", "action": "submit"})
    response.refresh_from_db()
    assert response.primary_score == 3 and response.band == "positive"


def test_observation_with_half_steps_and_spanish_handout(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "wecs")
    response = encounter.responses.get()
    client = client_as(staff["clinician"])
    answers = wecs_answers(2.5) | {"wecs_note": "Se miran y sonríen mucho."}
    client.post(f"/observe/responses/{response.pk}/", _post_answers(answers) | {"action": "submit"})
    response.refresh_from_db()
    assert response.primary_score == 2.5 and response.flags == ["connected"]
    client.post(
        f"/observe/visits/{encounter.pk}/finish/",
        {
            "follow_up_plan": "Llamar en dos semanas",
            "follow_up_due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    )
    encounter.refresh_from_db()
    assert encounter.status == "completed" and encounter.follow_up_due
    handout = client.get(f"/observe/visits/{encounter.pk}/handout/")
    assert handout.status_code == 200 and '<html lang="es">' in handout.text
    assert "Se miran y sonríen mucho." in handout.text
    assert "Sus fortalezas" in handout.text and "Creciendo juntos" in handout.text
    english = client.get(f"/observe/visits/{encounter.pk}/handout/?lang=en")
    assert '<html lang="en">' in english.text
    pdf = client.get(f"/observe/visits/{encounter.pk}/handout.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="encounter.handout_downloaded").exists()


def test_amend_keeps_history_and_entered_in_error_stops_counting(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-9")
    response = encounter.responses.get()
    submit_response(response, phq9_answers(*[0] * 8, 1, difficulty="0"), by=staff["clinician"])
    client = client_as(staff["clinician"])
    url = f"/observe/responses/{response.pk}/amend/"
    no_reason = client.post(url, _post_answers(phq9_answers(*[0] * 9)))
    assert no_reason.status_code == 200
    response.refresh_from_db()
    assert response.status == "completed"
    client.post(url, _post_answers(phq9_answers(*[0] * 9)) | {"reason": "Item 9 tapped by mistake"})
    response.refresh_from_db()
    assert response.status == "amended" and response.primary_score == 0
    assert not response.has_critical
    revision = ResponseRevision.objects.get()
    assert revision.answers["phq9_9"] == "1" and revision.reason == "Item 9 tapped by mistake"
    assert Alert.objects.get().resolved_at is not None
    client.post(f"/observe/responses/{response.pk}/error/", {"reason": "Wrong family"})
    response.refresh_from_db()
    assert response.status == "entered_in_error"
    assert not Response.objects.counted().exists()


def test_read_only_cannot_submit_and_outsider_gets_404(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-2")
    response = encounter.responses.get()
    data = {"phq2_1": "0", "phq2_2": "0", "action": "submit"}
    assert (
        client_as(staff["read_only"]).post(f"/observe/responses/{response.pk}/", data).status_code
        == 403
    )
    assert (
        client_as(staff["outsider"]).post(f"/observe/responses/{response.pk}/", data).status_code
        == 404
    )
    assert (
        client_as(staff["outsider"]).get(f"/observe/visits/{encounter.pk}/result/").status_code
        == 404
    )
    response.refresh_from_db()
    assert response.status == "in_progress"


def test_finishing_needs_a_submitted_instrument(site, staff, family):
    from django.core.exceptions import ValidationError

    encounter = make_encounter(family, staff["clinician"], "phq-2")
    with pytest.raises(ValidationError):
        complete_encounter(encounter, by=staff["clinician"])


def test_second_rating_and_reliability_report(
    client_as, staff, family, site, alice, bob, django_user_model
):
    from kindred.observe.tests.factories import add_staff

    second = django_user_model.objects.create_user("second@example.org", "x")
    add_staff(site, second, "clinician")
    encounter = make_encounter(family, staff["clinician"], "wecs")
    first = encounter.responses.get()
    submit_response(first, wecs_answers(2.5), by=staff["clinician"])
    client = client_as(second)
    start = client.post(
        f"/observe/visits/{encounter.pk}/second-rating/{first.instrument_version_id}/"
    )
    rating = Response.objects.get(is_second_rating=True)
    assert start.url == rating.get_absolute_url()
    answers = wecs_answers(2.5) | {"wecs_child_vocal": "2"}
    client.post(rating.get_absolute_url(), _post_answers(answers) | {"action": "submit"})
    rating.refresh_from_db()
    assert rating.status == "completed" and not rating.alert_set.exists()
    report = client.get(f"/observe/sites/{site.slug}/reliability/")
    assert report.status_code == 200 and "1 visit rated twice" in report.text
    # The same observer may not rate twice.
    again = client_as(staff["clinician"]).post(
        f"/observe/visits/{encounter.pk}/second-rating/{first.instrument_version_id}/"
    )
    assert again.status_code == 302 and Response.objects.filter(is_second_rating=True).count() == 1


def test_family_timeline_chart_with_a_table_alternative(client_as, staff, family):
    from kindred.observe.services import record_encounter

    for values in ((3, 3, 2, 2, 1, 1, 0, 0, 0), (1, 1, 0, 0, 0, 0, 0, 0, 0)):
        record_encounter(
            family,
            by=staff["clinician"],
            version=version("phq-9"),
            answers=phq9_answers(*values, difficulty="1"),
        )
    page = client_as(staff["read_only"]).get(f"/observe/families/{family.pk}/")
    assert '<svg viewBox="0 0 560 180" role="img"' in page.text
    assert "<polyline" in page.text
    chart = page.context["charts"][0]
    assert [row["score"] for row in chart["rows"]] == [12.0, 2.0]
    assert "Moderate (10–14)" in page.text  # the table alternative names the band


def test_step_mode_shows_the_instructions(client_as, staff, family):
    encounter = make_encounter(family, staff["clinician"], "phq-9")
    page = client_as(staff["clinician"]).get(
        encounter.responses.get().get_absolute_url() + "?mode=step"
    )
    # The family's language is Spanish: the PHQ-9 instructions and item in Spanish.
    assert "Durante las últimas 2 semanas" in page.text
    assert "Poco interés o placer en hacer cosas" in page.text
