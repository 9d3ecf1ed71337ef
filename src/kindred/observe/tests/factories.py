"""make_<thing>() helpers with sensible defaults, built through the services."""

import datetime as dt

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from kindred.network.services import create_organization
from kindred.observe import services
from kindred.observe.models import InstrumentVersion, SiteMembership

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def with_totp(user):
    """Site staff must use MFA: give the test person an authenticator app."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def make_site(name="Riverside Pediatrics", kind="clinic", organization=None):
    organization = organization or create_organization(actor=None, name=f"{name} Health")
    return services.create_site(organization, name=name, kind=kind)


def add_staff(site, user, role=SiteMembership.Role.CLINICIAN):
    with_totp(user)
    return services.add_site_member(site, user, role=role)


def make_family(site, *, age_days=40, by=None, **fields):
    defaults = {
        "caregiver_name": "Ana Torres",
        "child_name": "Luz Torres",
        "child_dob": timezone.localdate() - dt.timedelta(days=age_days),
        "language": "es",
    }
    defaults.update(fields)
    return services.register_family(site, by=by, **defaults)


def version(slug):
    return InstrumentVersion.objects.published().get(instrument__slug=slug)


def make_encounter(family, by, *slugs):
    return services.start_encounter(
        family, by=by, versions=[version(s) for s in slugs or ["phq-9"]]
    )
