"""The issue's acceptance journey on demo data, through the real sign-in with MFA."""

import random
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from kindred.core.models import AuditEvent
from kindred.observe.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from kindred.observe.models import Family, Response, Site
from kindred.observe.tests.helpers import phq9_answers, wecs_answers


def _sign_in(client, email):
    page = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    assert page.status_code == 302, page.content[:500]
    assert "2fa" in page.url  # the second factor is asked for
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    done = client.post(page.url, {"code": code})
    assert done.status_code == 302 and "2fa" not in done.url


def _form(answers):
    return {
        k: ("true" if v is True else "false" if v is False else str(v)) for k, v in answers.items()
    }


def test_clinician_screens_prints_spanish_handout_admin_sees_it(client, db, settings):
    from kindred.accounts.demo import seed as seed_accounts
    from kindred.observe.demo import seed

    seed_accounts(random.Random(1), "small")
    seed(random.Random(2), "small")
    site = Site.objects.get(slug="riverside-pediatrics")
    family = Family.objects.filter(site=site, language="es").order_by("child_dob").last()
    _sign_in(client, "clinician@demo.kindred.test")
    start = client.post(
        f"/observe/families/{family.pk}/visits/new/",
        {"versions": _versions("phq-9", "wecs"), "date": timezone.localdate().isoformat()},
    )
    assert start.status_code == 302
    encounter = family.encounters.order_by("-pk").first()
    for response in encounter.responses.all():
        answers = (
            phq9_answers(1, 1, 1, 0, 0, 0, 0, 0, 0, difficulty="1")
            if response.instrument_slug == "phq-9"
            else wecs_answers(2.5)
        )
        client.post(response.get_absolute_url(), _form(answers) | {"action": "submit"})
    client.post(f"/observe/visits/{encounter.pk}/finish/", {"follow_up_plan": "Llamar"})
    result = client.get(f"/observe/visits/{encounter.pk}/result/")
    assert "Strengths" in result.text or "Fortalezas" in result.text
    handout = client.get(f"/observe/visits/{encounter.pk}/handout/?lang=es")
    assert "Sus fortalezas" in handout.text and "Ideas para" in handout.text
    pdf = client.get(f"/observe/visits/{encounter.pk}/handout.pdf?lang=es")
    assert pdf.content.startswith(b"%PDF")
    assert Response.objects.filter(encounter=encounter, status="completed").count() == 2

    client.post("/accounts/logout/")
    _sign_in(client, "orgadmin@demo.kindred.test")
    dashboard = client.get(f"/observe/sites/{site.slug}/")
    assert dashboard.status_code == 200
    audit = client.get(f"/observe/sites/{site.slug}/audit/?target={family.code}")
    assert "encounter.handout_viewed" in audit.text or "response.submitted" in audit.text

    client.post("/accounts/logout/")
    _sign_in(client, "chw@demo.kindred.test")  # staff of another site
    assert client.get(f"/observe/families/{family.pk}/").status_code == 404
    assert client.get(f"/observe/visits/{encounter.pk}/result/").status_code == 404
    assert (
        AuditEvent.objects.filter(
            verb="observe.access_denied", actor__email="chw@demo.kindred.test"
        ).count()
        == 2
    )


def _versions(*slugs):
    from kindred.observe.tests.factories import version

    return [version(slug).pk for slug in slugs]
