"""Writes for observe: each one atomic, validated, and written to the audit log.

Views, the API, management commands and the demo seeder all call these functions. ``ip`` is
the address the request came from, kept in the audit entry ("from where").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kindred.core.audit import audit_event, log_action
from kindred.core.db import fast
from kindred.observe.engine.content_pack import check_content_pack, read_content_pack
from kindred.observe.engine.definition import Definition
from kindred.observe.engine.scoring import AnswerError, AnswerErrors, Result, score
from kindred.observe.models import (
    DAYS_PER_MONTH,
    Alert,
    Consent,
    ContentPack,
    Encounter,
    Family,
    Instrument,
    InstrumentVersion,
    Response,
    ResponseRevision,
    Site,
    SiteMembership,
)

# A scheduled visit counts as "due" from two weeks before to four weeks after its age.
DUE_BEFORE_DAYS = 14
DUE_AFTER_DAYS = 28


class InstrumentExists(ValueError):
    pass


def _code(obj) -> str:
    """The family code of an encounter or response, so the audit log can be read by family."""
    return obj.family.code


# --- instruments ----------------------------------------------------------------------------


@transaction.atomic
def import_instrument(
    definition: Definition, *, source: str, by=None, publish: bool = True
) -> InstrumentVersion:
    """Store a new instrument version; a version that exists already is never changed."""
    instrument, _created = Instrument.objects.get_or_create(
        slug=definition.slug, defaults={"name": definition.title("en")[:200]}
    )
    if instrument.versions.filter(version=definition.version).exists():
        raise InstrumentExists(
            _("%(slug)s version %(version)s exists already; published versions never change.")
            % {"slug": definition.slug, "version": definition.version}
        )
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        version=definition.version,
        definition=definition.model_dump(mode="json"),
        source=source,
        status=InstrumentVersion.Status.PUBLISHED if publish else InstrumentVersion.Status.DRAFT,
        published_at=timezone.now() if publish else None,
        created_by=by,
    )
    log_action(by, "instrument.imported", version, source=source)
    return version


@transaction.atomic
def update_draft_definition(version: InstrumentVersion, definition: Definition, *, by) -> None:
    if version.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError(_("A published version never changes; create a new version."))
    version.definition = definition.model_dump(mode="json")
    version.save(update_fields=["definition"])
    log_action(by, "instrument.draft_changed", version)


@transaction.atomic
def publish_version(version: InstrumentVersion, *, by) -> None:
    if version.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    version.spec  # noqa: B018  (parses: a broken draft cannot be published)
    version.status = InstrumentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    log_action(by, "instrument.published", version)


@transaction.atomic
def upload_content_pack(
    site: Site,
    version: InstrumentVersion,
    data: bytes | str,
    *,
    filename: str,
    language: str,
    by,
    ip: str = "",
) -> ContentPack:
    """Check a content pack against the instrument's structure, then store it for the site.
    Raises ContentPackError (nothing saved) when it does not match."""
    pack = read_content_pack(data, filename=filename)
    texts = check_content_pack(version.spec, pack)
    language = pack.get("language") or language
    obj, _created = ContentPack.objects.update_or_create(
        site=site,
        instrument_version=version,
        language=language,
        defaults={"texts": texts, "intro": str(pack.get("intro", ""))[:2000], "uploaded_by": by},
    )
    log_action(by, "content_pack.uploaded", obj, site=site.pk, ip=ip, language=language)
    return obj


def content_texts(site: Site, version: InstrumentVersion, language: str) -> dict[str, Any]:
    """The site's wording for a version in ``language`` (or English, or none)."""
    packs = {
        p.language: p for p in ContentPack.objects.filter(site=site, instrument_version=version)
    }
    pack = packs.get(language) or packs.get("en")
    return {"items": pack.texts, "intro": pack.intro} if pack else {"items": {}, "intro": ""}


# --- sites and staff ------------------------------------------------------------------------


@transaction.atomic
def create_site(organization, *, name: str, kind: str, by=None, slug: str = "") -> Site:
    base = slug or slugify(name)[:70] or "site"
    candidate, n = base, 1
    while Site.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    site = Site.objects.create(organization=organization, name=name, kind=kind, slug=candidate)
    log_action(by, "site.created", site, site=site.pk)
    return site


@transaction.atomic
def add_site_member(site: Site, user, *, role: str, by=None, ip: str = "") -> SiteMembership:
    membership, created = SiteMembership.objects.update_or_create(
        site=site, user=user, defaults={"role": role}
    )
    log_action(
        by,
        "site.member_added" if created else "site.member_changed",
        membership,
        site=site.pk,
        ip=ip,
        role=role,
    )
    return membership


# --- families and consent -------------------------------------------------------------------


@transaction.atomic
def register_family(site: Site, *, by, ip: str = "", **fields: Any) -> Family:
    family = Family(site=site, created_by=by, **fields)
    family.full_clean()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                family.save()
            break
        except IntegrityError:  # family code collision: draw another
            family.code = Family._meta.get_field("code").default()
    log_action(by, "family.created", family, site=site.pk, ip=ip)
    return family


@transaction.atomic
def update_family(family: Family, *, by, ip: str = "", **fields: Any) -> None:
    for name, value in fields.items():
        setattr(family, name, value)
    family.full_clean()
    family.save(update_fields=[*fields, "updated"])
    log_action(by, "family.changed", family, site=family.site_id, ip=ip, fields=sorted(fields))


@transaction.atomic
def record_consent(
    family: Family, *, kind: str, granted: bool, version: str, by, ip: str = ""
) -> Consent:
    consent = Consent(family=family, kind=kind, granted=granted, version=version, recorded_by=by)
    consent.full_clean()
    consent.save()
    log_action(
        by,
        "consent.recorded",
        family,
        site=family.site_id,
        ip=ip,
        kind=kind,
        granted=granted,
        version=version,
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by, ip: str = "") -> None:
    """Withdrawal stops future use (e.g. research exports); past records stay as they were."""
    if consent.withdrawn_at:
        return
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    log_action(
        by,
        "consent.withdrawn",
        consent.family,
        site=consent.family.site_id,
        ip=ip,
        kind=consent.kind,
    )


# --- encounters -----------------------------------------------------------------------------


def instruments_due(family: Family, *, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Published instruments for the child's corrected age, each marked due (by the site's
    schedule and what is already done) or available."""
    on = on or timezone.localdate()
    age = family.corrected_age_days(on)
    done = set(
        Response.objects.counted()
        .filter(family=family)
        .values_list("instrument_slug", "child_age_days")
    )
    out = []
    for version in InstrumentVersion.objects.latest_published():
        spec = version.spec
        if not spec.age_min_days <= age <= spec.age_max_days:
            continue
        due_visit = None
        for months in family.site.schedule_for(spec):
            target = round(months * DAYS_PER_MONTH)
            if target - DUE_BEFORE_DAYS <= age <= target + DUE_AFTER_DAYS:
                already = any(
                    slug == spec.slug
                    and target - DUE_BEFORE_DAYS <= days <= target + DUE_AFTER_DAYS
                    for slug, days in done
                )
                if not already:
                    due_visit = months
        out.append(
            {
                "version": version,
                "spec": spec,
                "due": due_visit is not None,
                "visit_months": due_visit,
            }
        )
    out.sort(key=lambda row: (not row["due"], row["spec"].slug))
    return out


@transaction.atomic
def start_encounter(
    family: Family,
    *,
    by,
    versions: list[InstrumentVersion],
    on: dt.date | None = None,
    ip: str = "",
) -> Encounter:
    on = on or timezone.localdate()
    if not versions:
        raise ValidationError(_("Choose at least one instrument."))
    age = family.age_days(on)
    if age < 0:
        raise ValidationError(_("The visit date is before the child's date of birth."))
    corrected = family.corrected_age_days(on)
    problems = [
        _("%(name)s is for children %(min)s to %(max)s days old; this child is %(age)s days.")
        % {
            "name": v.spec.short_name or v.spec.slug,
            "min": v.spec.age_min_days,
            "max": v.spec.age_max_days,
            "age": corrected,
        }
        for v in versions
        if not v.spec.age_min_days <= corrected <= v.spec.age_max_days
    ]
    if problems:
        raise ValidationError(problems)
    encounter = Encounter.objects.create(
        family=family,
        site_id=family.site_id,
        clinician=by,
        date=on,
        child_age_days=age,
        corrected_age_days=corrected,
        language=family.language,
    )
    Response.objects.bulk_create(
        Response(
            encounter=encounter,
            site_id=family.site_id,
            family=family,
            instrument_version=v,
            instrument_slug=v.instrument.slug,
            rater=by,
            child_age_days=corrected,
        )
        for v in versions
    )
    log_action(
        by,
        "encounter.started",
        encounter,
        site=family.site_id,
        ip=ip,
        family=family.code,
        instruments=[v.instrument.slug for v in versions],
    )
    return encounter


def _apply_result(response: Response, result: Result, *, status: str) -> list[str]:
    spec = response.spec
    primary = spec.primary_scale
    band = result.bands.get(primary.id) if primary else None
    response.answers = result.answers
    response.scores = result.scores
    response.primary_score = result.scores.get(primary.id) if primary else None
    response.band = band.code if band else ""
    response.band_level = band.level if band else ""
    if not band and result.flags:
        response.band_level = result.flags[0].level
    response.flags = [flag.code for flag in result.flags]
    response.has_critical = result.has_critical
    response.status = status
    return [
        "answers",
        "scores",
        "primary_score",
        "band",
        "band_level",
        "flags",
        "has_critical",
        "status",
        "updated",
    ]


@transaction.atomic
def save_response_draft(response: Response, answers: dict[str, Any], *, by, ip: str = "") -> None:
    """Save and resume: keep valid answers so far (bad ones still raise AnswerErrors)."""
    if response.status != Response.Status.IN_PROGRESS:
        raise ValidationError(_("This response was submitted; amend it instead."))
    result = score(response.spec, answers, partial=True)
    response.answers = result.answers
    response.save(update_fields=["answers", "updated"])
    log_action(by, "response.saved", response, site=response.site_id, ip=ip, family=_code(response))


def _alerts(response: Response, result: Result) -> list[Alert]:
    """The unsaved alerts of a scored response (ids of the response and visit as they are)."""
    return [
        Alert(
            response_id=response.pk,
            encounter_id=response.encounter_id,
            site_id=response.site_id,
            code=a.code,
            item=a.item,
            message=a.message,
        )
        for a in result.alerts
    ]


def _link(encounter: Encounter, response: Response, alerts: list[Alert]) -> None:
    """Point the response at its visit and the alerts at both, once their ids are known."""
    response.encounter_id = encounter.pk
    for alert in alerts:
        alert.response_id, alert.encounter_id = response.pk, encounter.pk


def _raise_alerts(response: Response, result: Result) -> None:
    _insert_alerts(_alerts(response, result))


def _insert_alerts(alerts: list[Alert]) -> None:
    if len(alerts) == 1:
        fast.insert(alerts[0])  # the usual case: cheaper than bulk_create
    elif alerts:
        Alert.objects.bulk_create(alerts)


@transaction.atomic
def submit_response(response: Response, answers: dict[str, Any], *, by, ip: str = "") -> Result:
    """Validate on the server, score, store, raise alerts. AnswerErrors → nothing changes."""
    if response.status != Response.Status.IN_PROGRESS:
        raise ValidationError(_("This response was submitted already."))
    # A second observer may rate later (e.g. from video), after the visit has closed.
    if response.encounter.status != Encounter.Status.OPEN and not response.is_second_rating:
        raise ValidationError(_("This visit is closed."))
    result = score(response.spec, answers, child_age_days=response.child_age_days)
    fields = _apply_result(response, result, status=Response.Status.COMPLETED)
    response.submitted_at = timezone.now()
    response.save(update_fields=[*fields, "submitted_at"])
    if not response.is_second_rating:
        _raise_alerts(response, result)
    log_action(
        by,
        "response.submitted",
        response,
        site=response.site_id,
        ip=ip,
        instrument=response.instrument_slug,
        critical=result.has_critical,
        family=_code(response),
    )
    return result


def record_encounter(
    family: Family,
    *,
    by,
    version: InstrumentVersion,
    answers: dict[str, Any],
    on: dt.date | None = None,
    ip: str = "",
    keys: tuple[int, int] | None = None,
) -> tuple[Encounter, Response, Result]:
    """One-shot submission (the API): a visit with one instrument, validated, scored,
    audited and committed together. AnswerErrors → nothing is stored.

    ``keys``: primary keys for the encounter and the response drawn already on PostgreSQL
    (``access.get_family_and_keys``); without them they are drawn here."""
    on = on or timezone.localdate()
    now = timezone.now()
    corrected = family.corrected_age_days(on)
    result = score(version.spec, answers, child_age_days=corrected)
    # The hot path of the API. Everything is validated and built before the transaction, so
    # it holds the write lock (all of SQLite) only for the four inserts: encounter, response,
    # alerts, audit. Ids rather than objects: each related object assigned costs checks.
    by_id = by.pk if getattr(by, "is_authenticated", False) else None
    encounter = Encounter(
        family_id=family.pk,
        site_id=family.site_id,
        clinician_id=by_id,
        date=on,
        child_age_days=family.age_days(on),
        corrected_age_days=corrected,
        language=family.language,
        status=Encounter.Status.COMPLETED,
        completed_at=now,
    )
    response = Response(
        site_id=family.site_id,
        family_id=family.pk,
        instrument_version=version,  # its parsed definition is cached on it
        instrument_slug=version.instrument.slug,
        rater_id=by_id,
        child_age_days=corrected,
        submitted_at=now,
    )
    _apply_result(response, result, status=Response.Status.COMPLETED)
    audit = {
        "site": family.site_id,
        "ip": ip,
        "instrument": version.instrument.slug,
        "critical": result.has_critical,
        "family": family.code,
    }
    alerts = _alerts(response, result)
    if keys:
        fast.set_pks((encounter, response), keys)
    if keys or fast.draw_pks(encounter, response):
        # PostgreSQL: with the ids drawn, every row (and the audit entry) goes in one
        # statement, atomic by itself: one round trip (two without ``keys``) instead of six.
        # An alert refers to the others; nothing refers to it, so its key comes back.
        _link(encounter, response, alerts)
        event = audit_event(by, "response.submitted", response, **audit)
        fast.insert_all(encounter, response, *alerts, event)
        return encounter, response, result
    with transaction.atomic():
        fast.insert(encounter)
        response.encounter_id = encounter.pk
        fast.insert(response)
        _link(encounter, response, alerts)
        _insert_alerts(alerts)
        log_action(by, "response.submitted", response, **audit)
    return encounter, response, result


@transaction.atomic
def complete_encounter(
    encounter: Encounter,
    *,
    by,
    follow_up_plan: str = "",
    follow_up_due: dt.date | None = None,
    ip: str = "",
) -> None:
    if encounter.status != Encounter.Status.OPEN:
        raise ValidationError(_("This visit is closed already."))
    if not encounter.responses.filter(
        status=Response.Status.COMPLETED, is_second_rating=False
    ).exists():
        raise ValidationError(_("Submit at least one instrument before finishing the visit."))
    if follow_up_due and follow_up_due < encounter.date:
        raise ValidationError(_("The follow-up date is before the visit."))
    encounter.status = Encounter.Status.COMPLETED
    encounter.completed_at = timezone.now()
    encounter.follow_up_plan = follow_up_plan
    encounter.follow_up_due = follow_up_due
    encounter.save(update_fields=["status", "completed_at", "follow_up_plan", "follow_up_due"])
    # Instruments left unanswered at the end of the visit do not count anywhere.
    encounter.responses.filter(status=Response.Status.IN_PROGRESS).delete()
    log_action(
        by, "encounter.completed", encounter, site=encounter.site_id, ip=ip, family=_code(encounter)
    )


@transaction.atomic
def update_follow_up(
    encounter: Encounter, *, by, plan: str, due: dt.date | None, done: bool, ip: str = ""
) -> None:
    encounter.follow_up_plan = plan
    encounter.follow_up_due = due
    encounter.follow_up_done_at = timezone.now() if done else None
    encounter.save(update_fields=["follow_up_plan", "follow_up_due", "follow_up_done_at"])
    log_action(
        by,
        "encounter.follow_up_changed",
        encounter,
        site=encounter.site_id,
        ip=ip,
        family=_code(encounter),
    )


def _keep_revision(response: Response, *, reason: str, by) -> None:
    ResponseRevision.objects.create(
        response=response,
        answers=response.answers,
        scores=response.scores,
        status=response.status,
        reason=reason,
        changed_by=by,
    )


@transaction.atomic
def amend_response(
    response: Response, answers: dict[str, Any], *, reason: str, by, ip: str = ""
) -> Result:
    """Correct a submitted response; the previous answers and scores are kept."""
    if not response.is_submitted:
        raise ValidationError(_("Only a submitted response can be amended."))
    if not reason.strip():
        raise AnswerErrors([AnswerError("reason", _("Say why the answers change."))])
    result = score(response.spec, answers, child_age_days=response.child_age_days)
    _keep_revision(response, reason=reason.strip(), by=by)
    fields = _apply_result(response, result, status=Response.Status.AMENDED)
    response.save(update_fields=fields)
    response.alert_set.filter(resolved_at__isnull=True).exclude(
        item__in=[a.item for a in result.alerts]
    ).update(resolved_at=timezone.now(), resolved_by=by, resolution=_("Amended: %s") % reason)
    existing = set(response.alert_set.values_list("item", flat=True))
    _raise_alerts(
        response,
        Result({}, {}, {}, [], [a for a in result.alerts if a.item not in existing]),
    )
    log_action(
        by,
        "response.amended",
        response,
        site=response.site_id,
        ip=ip,
        reason=reason,
        family=_code(response),
    )
    return result


@transaction.atomic
def mark_response_in_error(response: Response, *, reason: str, by, ip: str = "") -> None:
    if response.status == Response.Status.ENTERED_IN_ERROR:
        return
    if not reason.strip():
        raise ValidationError(_("Say why this was entered in error."))
    _keep_revision(response, reason=reason.strip(), by=by)
    response.status = Response.Status.ENTERED_IN_ERROR
    response.error_reason = reason.strip()[:300]
    response.save(update_fields=["status", "error_reason", "updated"])
    response.alert_set.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=_("Entered in error")
    )
    log_action(
        by,
        "response.entered_in_error",
        response,
        site=response.site_id,
        ip=ip,
        family=_code(response),
    )


@transaction.atomic
def mark_encounter_in_error(encounter: Encounter, *, reason: str, by, ip: str = "") -> None:
    if not reason.strip():
        raise ValidationError(_("Say why this was entered in error."))
    for response in encounter.responses.exclude(status=Response.Status.ENTERED_IN_ERROR):
        if response.is_submitted:
            mark_response_in_error(response, reason=reason, by=by, ip=ip)
        else:
            response.delete()
    encounter.status = Encounter.Status.ENTERED_IN_ERROR
    encounter.error_reason = reason.strip()[:300]
    encounter.save(update_fields=["status", "error_reason"])
    log_action(
        by,
        "encounter.entered_in_error",
        encounter,
        site=encounter.site_id,
        ip=ip,
        family=_code(encounter),
    )


@transaction.atomic
def resolve_alert(alert: Alert, *, resolution: str, by, ip: str = "") -> None:
    if not resolution.strip():
        raise ValidationError(_("Say what was done."))
    alert.resolved_at = timezone.now()
    alert.resolved_by = by
    alert.resolution = resolution.strip()
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    log_action(by, "alert.resolved", alert, site=alert.site_id, ip=ip)


@transaction.atomic
def start_second_rating(
    encounter: Encounter, version: InstrumentVersion, *, by, ip: str = ""
) -> Response:
    """A second observer rates the same encounter, for the reliability report."""
    if not version.spec.is_observation:
        raise ValidationError(_("Only observation instruments take a second rating."))
    primary = encounter.responses.filter(instrument_version=version, is_second_rating=False).first()
    if primary is None:
        raise ValidationError(_("This visit has no first rating with this instrument."))
    if primary.rater_id == by.pk:
        raise ValidationError(_("The second rating must come from a different observer."))
    existing = encounter.responses.filter(
        instrument_version=version, is_second_rating=True, rater=by
    ).first()
    if existing:
        return existing
    response = Response.objects.create(
        encounter=encounter,
        site_id=encounter.site_id,
        family_id=encounter.family_id,
        instrument_version=version,
        instrument_slug=version.instrument.slug,
        rater=by,
        is_second_rating=True,
        child_age_days=primary.child_age_days,
    )
    log_action(
        by,
        "response.second_rating_started",
        response,
        site=encounter.site_id,
        ip=ip,
        family=_code(encounter),
    )
    return response
