"""The stable API: instruments, score, questionnaire, redcap; and encounter submission."""

import csv
import io
import json

from fhir.resources.R4B.questionnaire import Questionnaire

from kindred.core.models import AuditEvent
from kindred.observe.engine.redcap import COLUMNS
from kindred.observe.models import Alert, Encounter, Response
from kindred.observe.tests.helpers import phq9_answers


def test_instruments_lists_the_published_instruments(client, db):
    body = client.get("/api/observe/instruments").json()
    by_slug = {row["slug"]: row for row in body}
    assert set(by_slug) >= {"phq-2", "phq-9", "epds", "bpsc", "wecs"}
    assert by_slug["epds"]["licence_class"] == "B"
    assert by_slug["wecs"]["respondent"] == "observer"
    assert by_slug["bpsc"]["age_window"] == {"min_days": 0, "max_days": 547}


def test_score_returns_scores_bands_and_alerts_and_stores_nothing(client, db):
    before = (Response.objects.count(), AuditEvent.objects.count())
    payload = {
        "instrument": "phq-9",
        "answers": phq9_answers(3, 3, 2, 2, 1, 1, 0, 0, 1, difficulty="LA6574-3"),
    }
    response = client.post("/api/observe/score", payload, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["scores"] == {"total": 13.0}
    assert body["bands"]["total"]["code"] == "moderate"
    assert body["alerts"][0]["code"] == "self_harm"
    assert (Response.objects.count(), AuditEvent.objects.count()) == before


def test_score_names_each_bad_answer_with_422(client, db):
    payload = {"instrument": "phq-2", "version": "1.0.0", "answers": {"phq2_1": "9", "zzz": 1}}
    response = client.post("/api/observe/score", payload, content_type="application/json")
    assert response.status_code == 422
    errors = {e["linkId"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"phq2_1", "zzz", "phq2_2"}


def test_score_checks_the_age_window(client, db):
    payload = {"instrument": "bpsc", "answers": {}, "child_age_days": 900}
    response = client.post("/api/observe/score", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["linkId"] == "child_age_days"


def test_score_unknown_instrument_is_404(client, db):
    response = client.post(
        "/api/observe/score",
        {"instrument": "nope", "answers": {}},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_score_is_rate_limited(client, db, settings):
    settings.OBSERVE_SCORE_RATE_PER_MINUTE = 2
    payload = {"instrument": "phq-2", "answers": {"phq2_1": "0", "phq2_2": "0"}}
    codes = [
        client.post(
            "/api/observe/score", payload, content_type="application/json", REMOTE_ADDR="10.9.9.9"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_questionnaire_is_valid_fhir(client, db):
    response = client.get("/api/observe/instruments/epds/questionnaire")
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    Questionnaire.model_validate(data)
    assert data["code"][0]["code"] == "71354-5"
    # Class B: neutral labels only, never the licensed wording.
    assert data["item"][0]["text"] == "EPDS item 1"


def test_redcap_dictionary_has_the_18_columns(client, db):
    response = client.get("/api/observe/instruments/phq-9/redcap")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == COLUMNS
    assert {r[0] for r in rows} >= {"record_id", "phq9_9", "phq_9_total"}


def test_unknown_version_is_404(client, db):
    assert client.get("/api/observe/instruments/phq-9/redcap?version=9.9").status_code == 404


def test_clinician_records_an_encounter(client_as, staff, family):
    client = client_as(staff["clinician"])
    payload = {
        "family": family.pk,
        "instrument": "phq-9",
        "answers": phq9_answers(0, 0, 0, 0, 0, 0, 0, 0, 2, difficulty="1"),
    }
    response = client.post("/api/observe/encounters", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    stored = Response.objects.get(pk=response.json()["response"])
    assert stored.primary_score == 2 and stored.has_critical
    assert Alert.objects.filter(response=stored).count() == 1
    event = AuditEvent.objects.get(verb="response.submitted")
    assert event.details["ip"] == "127.0.0.1" and event.details["site"] == family.site_id


def test_bad_encounter_answers_store_nothing(client_as, staff, family):
    client = client_as(staff["clinician"])
    payload = {"family": family.pk, "instrument": "phq-9", "answers": {"phq9_1": "5"}}
    response = client.post("/api/observe/encounters", payload, content_type="application/json")
    assert response.status_code == 422
    assert Encounter.objects.count() == 0 and Response.objects.count() == 0


def test_other_sites_family_is_404_and_audited(client_as, staff, family):
    client = client_as(staff["outsider"])
    payload = {"family": family.pk, "instrument": "phq-2", "answers": {}}
    response = client.post("/api/observe/encounters", payload, content_type="application/json")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(verb="observe.access_denied", actor=staff["outsider"]).exists()


def test_read_only_staff_cannot_record(client_as, staff, family):
    client = client_as(staff["read_only"])
    payload = {"family": family.pk, "instrument": "phq-2", "answers": {}}
    response = client.post("/api/observe/encounters", payload, content_type="application/json")
    assert response.status_code == 403


def test_anonymous_cannot_record(client, family):
    payload = {"family": family.pk, "instrument": "phq-2", "answers": {}}
    response = client.post("/api/observe/encounters", payload, content_type="application/json")
    assert response.status_code in {401, 403}


def test_null_character_in_the_slug_is_404_on_every_database(client, db):
    response = client.post(
        "/api/observe/score",
        {"instrument": "phq\u00009", "answers": {}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert (
        client.get("/api/observe/instruments/phq-9/questionnaire?version=1\x00").status_code == 404
    )
