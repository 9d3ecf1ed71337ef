"""Looking up family data for a request: the access rule, the 404 and the audit entry.

Views and the API call ``get_<thing>_for(request, pk, write=...)``: an object outside the
person's sites is a 404 *and* an audit entry (someone tried another site's family);
a read-only role asking to write gets 403. Every successful read is audited by the caller
with ``record(request, verb, target, site=...)``, so the entry says who, what and from where.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest

from kindred.core.audit import log_action
from kindred.core.client import client_ip
from kindred.observe.models import Alert, Encounter, Family, Response, Site, SiteMembership


def record(request: HttpRequest, verb: str, target=None, *, site: Site | int | None, **details):
    """Audit one read, export or change of family data (who, when, what, from where)."""
    site_id = site.pk if isinstance(site, Site) else site
    if isinstance(target, Encounter | Response):
        details.setdefault("family", target.family.code)
    return log_action(request.user, verb, target, site=site_id, ip=client_ip(request), **details)


def _denied(request: HttpRequest, kind: str, pk: Any):
    log_action(
        request.user,
        "observe.access_denied",
        None,
        kind=kind,
        id=str(pk)[:40],
        path=request.path[:200],
        ip=client_ip(request),
    )
    raise Http404(f"No {kind} here.")


def _check_write(membership: SiteMembership | None, need: str) -> None:
    if membership is None:
        raise PermissionDenied
    allowed = {
        "screen": membership.can_screen,
        "family": membership.can_edit_families,
        "admin": membership.is_admin,
        "read": True,
    }[need]
    if not allowed:
        raise PermissionDenied


def get_site_for(request: HttpRequest, slug: str, *, need: str = "read") -> Site:
    site = Site.objects.visible_to(request.user).filter(slug=slug).first()
    if site is None:
        _denied(request, "site", slug)
    _check_write(site.membership_for(request.user), need)
    return site


def get_family_for(request: HttpRequest, pk: int, *, need: str = "read") -> Family:
    # One query finds the family and the person's role at its site (the hot path of a visit).
    # The role comes from the membership row the filter joined (filter first, then annotate),
    # and the lookup by id needs no ordering: about a third less work than .first().
    user = request.user
    if not getattr(user, "is_authenticated", False):
        _denied(request, "family", pk)
    found = list(
        Family.objects.filter(site__memberships__user_id=user.pk)
        .annotate(staff_role=F("site__memberships__role"))
        .select_related("site")
        .filter(pk=pk)
        .order_by()[:1]
    )
    if not found:
        _denied(request, "family", pk)
    family = found[0]
    membership = SiteMembership(site=family.site, user=request.user, role=family.staff_role)
    family.site.remember_membership(request.user, membership)
    _check_write(membership, need)
    return family


def get_encounter_for(request: HttpRequest, pk: int, *, need: str = "read") -> Encounter:
    encounter = (
        Encounter.objects.visible_to(request.user)
        .select_related("site", "family")
        .filter(pk=pk)
        .first()
    )
    if encounter is None:
        _denied(request, "encounter", pk)
    _check_write(encounter.site.membership_for(request.user), need)
    return encounter


def get_response_for(request: HttpRequest, pk: int, *, need: str = "read") -> Response:
    response = (
        Response.objects.visible_to(request.user)
        .select_related("site", "family", "encounter", "instrument_version__instrument")
        .filter(pk=pk)
        .first()
    )
    if response is None:
        _denied(request, "response", pk)
    _check_write(response.site.membership_for(request.user), need)
    return response


def get_alert_for(request: HttpRequest, pk: int, *, need: str = "read") -> Alert:
    alert = Alert.objects.visible_to(request.user).select_related("site").filter(pk=pk).first()
    if alert is None:
        _denied(request, "alert", pk)
    _check_write(alert.site.membership_for(request.user), need)
    return alert
