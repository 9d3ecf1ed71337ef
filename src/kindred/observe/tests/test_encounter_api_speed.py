"""POST /api/observe/encounters stays cheap: few queries, none that grow with the data, and
the MFA rule for site staff still holds although its decision is cached."""

import pytest
from django.db import connection

from kindred.accounts.services import create_account
from kindred.core.models import AuditEvent
from kindred.observe.models import Alert, Encounter, Response
from kindred.observe.services import add_site_member
from kindred.observe.tests.factories import make_family
from kindred.observe.tests.helpers import phq9_answers

URL = "/api/observe/encounters"
# The session with its person; the family with the person's role; then on SQLite, in one
# transaction, the encounter, response, alert and audit inserts (the begin and commit count
# too); on PostgreSQL the family lookup also draws the new rows' ids, then one statement
# writes all four.
IS_PG = connection.vendor == "postgresql"
MAX_QUERIES = 3 if IS_PG else 8
WITHOUT_ALERT = MAX_QUERIES if IS_PG else MAX_QUERIES - 1  # one insert fewer on SQLite


def _payload(family, item9=2):
    answers = phq9_answers(0, 0, 0, 0, 0, 0, 0, 1, item9, difficulty="1")
    return {"family": family.pk, "instrument": "phq-9", "answers": answers}


def _post(client, payload):
    return client.post(URL, payload, content_type="application/json")


def test_a_submission_runs_a_bounded_number_of_queries(
    client_as, staff, family, django_assert_max_num_queries
):
    client = client_as(staff["clinician"])
    with django_assert_max_num_queries(MAX_QUERIES + 3):  # first: MFA check, instrument
        assert _post(client, _payload(family)).status_code == 201

    with django_assert_max_num_queries(MAX_QUERIES):
        response = _post(client, _payload(family))

    assert response.status_code == 201
    body = response.json()
    stored = Response.objects.get(pk=body["response"])
    assert stored.encounter_id == body["encounter"] and stored.primary_score == 3
    assert stored.encounter.status == Encounter.Status.COMPLETED
    assert Alert.objects.filter(response=stored, encounter=stored.encounter).count() == 1
    assert AuditEvent.objects.filter(verb="response.submitted").count() == 2


def test_the_query_count_does_not_grow_with_the_data(
    client_as, staff, site, family, django_assert_max_num_queries
):
    client = client_as(staff["clinician"])
    assert _post(client, _payload(family)).status_code == 201
    for _ in range(5):
        other = make_family(site, by=staff["clinician"])
        for _ in range(3):
            assert _post(client, _payload(other, item9=0)).status_code == 201

    with django_assert_max_num_queries(WITHOUT_ALERT):  # no alert this time
        assert _post(client, _payload(family, item9=0)).status_code == 201


def test_new_site_staff_without_an_app_are_sent_to_set_up(client_as, site, family):
    dana = create_account("dana@example.org", "a long enough password", verified=True)
    client = client_as(dana)
    assert client.get("/").status_code == 200  # a plain member may pass (remembered)

    add_site_member(site, dana, role="clinician")

    response = _post(client, _payload(family))
    assert response.status_code == 403
    assert response.json()["setup_url"] == "/accounts/mfa-required/"
    assert not Encounter.objects.exists()


def test_a_clinician_whose_app_was_removed_is_sent_to_set_up(client_as, staff, family):
    from allauth.mfa.models import Authenticator

    client = client_as(staff["clinician"])
    assert _post(client, _payload(family)).status_code == 201

    Authenticator.objects.filter(user=staff["clinician"]).delete()

    response = _post(client, _payload(family))
    assert response.status_code == 403
    assert Encounter.objects.count() == 1


@pytest.mark.parametrize("role", ["read_only", "outsider"])
def test_the_role_is_checked_on_every_submission(client_as, staff, family, role):
    client = client_as(staff[role])

    first, second = _post(client, _payload(family)), _post(client, _payload(family))

    assert first.status_code == second.status_code == (403 if role == "read_only" else 404)
    assert not Encounter.objects.exists()


_FAIL_AUDIT = {
    "sqlite": [
        "CREATE TRIGGER fail_audit BEFORE INSERT ON core_auditevent"
        " BEGIN SELECT RAISE(ABORT, 'injected: the audit insert fails'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN RAISE EXCEPTION 'injected: the audit insert fails'; END $$",
        "CREATE TRIGGER fail_audit BEFORE INSERT ON core_auditevent"
        " FOR EACH ROW EXECUTE FUNCTION fail_audit()",
    ],
}


@pytest.mark.fault
def test_a_failed_audit_insert_stores_nothing(client_as, staff, family):
    from django.db import DatabaseError, transaction

    client = client_as(staff["clinician"])
    assert _post(client, _payload(family)).status_code == 201  # warm: every path built
    counts = (Encounter.objects.count(), Response.objects.count(), Alert.objects.count())
    with connection.cursor() as cursor:  # the database itself refuses the audit row
        for statement in _FAIL_AUDIT[connection.vendor]:
            cursor.execute(statement)

    # (the savepoint stands for the request's own transaction: the test runs in one)
    with pytest.raises(DatabaseError, match="injected"), transaction.atomic():
        _post(client, _payload(family))

    assert (Encounter.objects.count(), Response.objects.count(), Alert.objects.count()) == counts
