"""The statements built once per process (kindred.core.db.fast) store and read exactly what
the ORM stores and reads, on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.utils import timezone

from kindred.core.audit import log_action
from kindred.core.db import fast
from kindred.core.models import AuditEvent
from kindred.observe.models import Alert, Encounter, Family, Site


def _row(model, pk):
    return {
        f.attname: getattr(model.objects.get(pk=pk), f.attname) for f in model._meta.concrete_fields
    }


def test_insert_stores_what_save_stores(site, family, staff):
    values = {
        "family_id": family.pk,
        "site_id": site.pk,
        "clinician_id": staff["clinician"].pk,
        "date": dt.date(2026, 3, 4),
        "child_age_days": 120,
        "corrected_age_days": 100,
        "language": "es",
        "status": Encounter.Status.COMPLETED,
        "completed_at": timezone.now(),
    }
    by_orm = Encounter(**values)
    by_orm.save(force_insert=True)
    by_fast = fast.insert(Encounter(**values))

    assert by_fast.pk and by_fast.pk != by_orm.pk and not by_fast._state.adding
    stored, expected = _row(Encounter, by_fast.pk), _row(Encounter, by_orm.pk)
    # the same values, apart from the id and the insert time (auto_now_add, set by both)
    assert stored.pop("created") >= expected.pop("created")
    assert {**stored, "id": None} == {**expected, "id": None}


def test_an_audit_event_keeps_its_time_and_json_details(staff, family):
    before = timezone.now()
    event = log_action(staff["clinician"], "family.viewed", family, site=1, note="ñ “quoted”")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.created >= before and stored.created.tzinfo is not None
    assert stored.details == {"site": 1, "note": "ñ “quoted”"}
    assert (stored.actor, stored.target_type, stored.target_id) == (
        staff["clinician"],
        "observe.family",
        str(family.pk),
    )


def test_a_receiver_of_save_signals_is_never_skipped(site, family):
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(receiver, sender=Encounter, dispatch_uid="test-fast-insert")
    try:
        encounter = fast.insert(
            Encounter(
                family=family,
                site=site,
                child_age_days=10,
                corrected_age_days=10,
                status=Encounter.Status.OPEN,
            )
        )
    finally:
        post_save.disconnect(sender=Encounter, dispatch_uid="test-fast-insert")
    assert seen == [(encounter.pk, True)]


def test_from_row_reads_what_the_orm_reads(family):
    from django.db import connection

    sql = f"SELECT {fast.columns(Family, 'f')}, {fast.columns(Site, 's')} FROM observe_family f "
    sql += "JOIN observe_site s ON s.id = f.site_id WHERE f.id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [family.pk])
        row = cursor.fetchone()
    split = fast.width(Family)
    read, site = fast.from_row(Family, row[:split]), fast.from_row(Site, row[split:])

    assert _row(Family, family.pk) == {
        f.attname: getattr(read, f.attname) for f in Family._meta.concrete_fields
    }
    assert _row(Site, family.site_id) == {
        f.attname: getattr(site, f.attname) for f in Site._meta.concrete_fields
    }
    assert not read._state.adding and read.site_id == site.pk


def _linked(family, site, staff):
    encounter = Encounter(
        family_id=family.pk,
        site_id=site.pk,
        clinician_id=staff["clinician"].pk,
        child_age_days=10,
        corrected_age_days=10,
        status=Encounter.Status.COMPLETED,
    )
    alert = Alert(site_id=site.pk, code="safety", item="phq9_9", message="Ask today.")
    return encounter, alert


def test_insert_all_writes_rows_that_refer_to_each_other(site, family, staff):
    encounter, alert = _linked(family, site, staff)
    event = AuditEvent(actor_label="system", verb="test.linked", details={"n": 1})

    drawn = fast.draw_pks(encounter)
    if drawn:  # PostgreSQL: the id is known first, so one statement writes both
        alert.encounter_id = encounter.pk
        fast.insert_all(encounter, event)
    else:  # SQLite has no sequences: nothing drawn, inserted one by one
        fast.insert_all(encounter, event)
        alert.encounter_id = encounter.pk
    assert drawn == (connection.vendor == "postgresql")
    assert event.pk and not event._state.adding and not encounter._state.adding

    orm = Encounter(**{f.attname: getattr(encounter, f.attname) for f in Encounter._meta.fields})
    orm.pk = None
    orm.save(force_insert=True)
    stored, expected = _row(Encounter, encounter.pk), _row(Encounter, orm.pk)
    assert stored.pop("created") <= expected.pop("created")
    assert {**stored, "id": None} == {**expected, "id": None}
    assert AuditEvent.objects.get(pk=event.pk).details == {"n": 1}


def test_insert_all_stores_all_or_nothing(site, family, staff):
    from django.db import IntegrityError, transaction

    encounter, _ = _linked(family, site, staff)
    taken = log_action(None, "test.first")
    clash = AuditEvent(pk=taken.pk, actor_label="system", verb="test.clash")  # a used id
    before = Encounter.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        fast.insert_all(encounter, clash)

    assert Encounter.objects.count() == before
    assert AuditEvent.objects.get(pk=taken.pk).verb == "test.first"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids are drawn on PostgreSQL")
def test_draw_pks_takes_only_new_rows(site, family, staff):
    encounter, _ = _linked(family, site, staff)
    fast.draw_pks(encounter)
    with pytest.raises(ValueError, match="new instances"):
        fast.draw_pks(encounter)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids are drawn on PostgreSQL")
def test_draw_columns_draw_keys_inside_another_statement(site, family, staff):
    encounter, _ = _linked(family, site, staff)
    draw = fast.draw_columns(Encounter, AuditEvent)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s, {draw[0]}", ["mine", *draw[1]])
        found, *keys = cursor.fetchone()
    event = AuditEvent(actor_label="system", verb="test.drawn")
    fast.set_pks((encounter, event), keys)
    event.target_id = str(encounter.pk)  # a row that refers to another, before either exists
    fast.insert_all(encounter, event)

    assert found == "mine"
    assert (encounter.pk, event.pk) == tuple(keys)
    assert Encounter.objects.filter(pk=keys[0]).exists()
    assert AuditEvent.objects.get(pk=keys[1]).target_id == str(keys[0])
    with pytest.raises(ValueError, match="new instances"):
        fast.set_pks((encounter,), [keys[0]])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no sequences")
def test_draw_columns_draw_nothing_without_sequences():
    assert fast.draw_columns(Encounter) is None
