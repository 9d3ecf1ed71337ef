"""make_<thing>() helpers with sensible defaults, built through the services."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kindred.network.models import Organization
from kindred.network.services import create_organization
from kindred.observe import services as observe
from kindred.observe.models import Instrument, InstrumentVersion, Response
from kindred.research import services

PASSWORD = "correct horse battery staple"


def with_totp(user):
    """Staff and data stewards must use MFA: give the test person an authenticator app."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def make_curator(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return with_totp(user)


def make_steward(user):
    services.appoint_steward(user, by=None)
    return with_totp(user)


def make_site(name="Riverside Pediatrics", *, zip_code="74103", kind="clinic"):
    organization = create_organization(actor=None, name=f"{name} Health", make_admin=False)
    Organization.objects.filter(pk=organization.pk).update(zip_code_id=zip_code)
    return observe.create_site(organization, name=name, kind=kind)


def answers_for(version: InstrumentVersion, rng: random.Random, *, note: str = "") -> dict:
    """Valid answers for every item; text items get ``note`` (which must never be exported)."""
    answers = {}
    for item in version.spec.items:
        if item.type in {"choice", "rating"}:
            answers[item.link_id] = rng.choice(item.answer_options()).code
            if item.type == "rating":
                answers[item.link_id] = float(answers[item.link_id])
        elif item.type == "boolean":
            answers[item.link_id] = rng.random() < 0.5
        elif item.type == "text" and note:
            answers[item.link_id] = note
    return answers


def make_family(site, *, by, consent=True, age_days=200, **fields):
    defaults = {
        "caregiver_name": "Ana Torres",
        "child_name": "Luz Torres",
        "child_dob": timezone.localdate() - dt.timedelta(days=age_days),
        "language": "es",
        "phone": "555-0142",
        "email": "ana.torres@example.org",
    }
    defaults.update(fields)
    family = observe.register_family(site, by=by, **defaults)
    if consent is not None:
        observe.record_consent(family, kind="research", granted=consent, version="2026-1", by=by)
    return family


def visit(family, *, by, slugs=("phq-2",), days_ago=10, rng=None, note=""):
    rng = rng or random.Random(1)
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    versions = [InstrumentVersion.objects.published().get(instrument__slug=s) for s in slugs]
    encounter = observe.start_encounter(family, by=by, versions=versions, on=on)
    for response in encounter.responses.select_related("instrument_version"):
        observe.submit_response(
            response, answers_for(response.instrument_version, rng, note=note), by=by
        )
    observe.complete_encounter(encounter, by=by)
    return encounter


def make_study(lead, *, sites=(), slugs=("phq-2",), title="Relational health in clinics", **kw):
    return services.create_study(
        by=lead,
        title=title,
        summary="How early relational health shows up in pediatric visits.",
        sites=list(sites),
        instruments=list(Instrument.objects.filter(slug__in=slugs)),
        **kw,
    )


def make_request(study, *, by, sites=None, slugs=None, variables=None, k=2, **kw):
    return services.request_data(
        study,
        by=by,
        purpose="Describe screening results by language.",
        instruments=Instrument.objects.filter(slug__in=slugs or ["phq-2"]),
        sites=sites if sites is not None else study.sites.all(),
        variables=variables
        if variables is not None
        else ["language", "site", "zip3", "visit_year", "child_age_months"],
        k=k,
        **kw,
    )


def approve(request, *, steward, build=True):
    return services.approve_request(
        request,
        by=steward,
        dua_reference="DUA-2026-001",
        dua_signed_on=timezone.localdate(),
        build=build,
    )


def responses_count(site) -> int:
    return Response.objects.counted().filter(site=site).count()
