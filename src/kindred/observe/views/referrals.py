"""Send a referral from a visit's result page (the form comes from systems' result hook)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.observe.access import get_encounter_for, record
from kindred.observe.models import Family
from kindred.systems.models import Service
from kindred.systems.services.errors import SystemsError
from kindred.systems.services.referrals import create_referral

CONTACT = {
    Family.Contact.PHONE: "phone",
    Family.Contact.TEXT: "text",
    Family.Contact.EMAIL: "email",
}


def shared_info(family: Family) -> dict:
    """The minimum the family agreed to share: a first name, language, the child's age and
    the one way they asked to be reached."""
    method = CONTACT.get(family.contact_preference, "none")
    info = {
        "first_name": (family.caregiver_name.split() or ["?"])[0],
        "language": family.language,
        "child_age_months": min(family.age_days() // 30, 72),
        "contact_method": method,
    }
    if method in {"phone", "text"}:
        info["phone"] = family.phone
    elif method == "email":
        info["email"] = family.email
    return info


@require_POST
@login_required
def send_referral(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk, need="family")
    family, site = encounter.family, encounter.site
    result_url = reverse("observe:encounter-result", args=[encounter.pk])
    try:
        service = (
            Service.objects.select_related("organization")
            .filter(pk=request.POST.get("service", ""))
            .first()
        )
    except (ValueError, ValidationError):  # not a service id at all
        service = None
    if service is None:
        messages.error(request, _("Choose one of the services listed to send the referral."))
        return redirect(result_url)
    try:
        referral = create_referral(
            created_by=request.user,
            from_organization=site.organization,
            service=service,
            subject_kind="family",
            subject_ref=family.code,
            shared_info=shared_info(family),
            consent_to_share=request.POST.get("consent_to_share") == "yes",
            urgency=request.POST.get("urgency") or "routine",
            note=request.POST.get("note", ""),
            from_site_label=site.name,
            # get_encounter_for checked that this person is staff of the sending site.
            sender_verified=True,
        )
    except SystemsError as error:
        messages.error(request, error.message)
        return redirect(result_url)
    record(request, "referral.sent", encounter, site=site, referral=str(referral.pk))
    messages.success(
        request,
        _("Referral sent to %(service)s. You will see here when they answer.")
        % {"service": service.name},
    )
    return redirect(result_url)
