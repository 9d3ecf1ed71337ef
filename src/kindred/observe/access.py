"""Looking up family data for a request: the access rule, the 404 and the audit entry.

Views and the API call ``get_<thing>_for(request, pk, write=...)``: an object outside the
person's sites is a 404 *and* an audit entry (someone tried another site's family);
a read-only role asking to write gets 403. Every successful read is audited by the caller
with ``record(request, verb, target, site=...)``, so the entry says who, what and from where.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import Http404, HttpRequest

from kindred.core.audit import log_action
from kindred.core.client import client_ip
from kindred.core.db import fast
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


@cache
def _family_sql(alias: str, vendor: str, drawn: str) -> str:
    quote = connections[alias].ops.quote_name
    family, site, membership = (quote(m._meta.db_table) for m in (Family, Site, SiteMembership))
    # Table and column names from the models' metadata, quoted; the ids are bound.
    selected = f"{fast.columns(Family, 'f', alias)}, {fast.columns(Site, 's', alias)}, m.role"
    return (
        f"SELECT {selected}{drawn} FROM {family} f JOIN {site} s ON s.id = f.site_id"  # noqa: S608
        f" JOIN {membership} m ON m.site_id = f.site_id"
        " WHERE f.id = %s AND m.user_id = %s"
    )


def get_family_for(request: HttpRequest, pk: int, *, need: str = "read") -> Family:
    return _find_family(request, pk, need, ())[0]


def get_family_and_keys(
    request: HttpRequest, pk: int, new: tuple[type, ...], *, need: str = "read"
) -> tuple[Family, tuple[int, ...] | None]:
    """``get_family_for``, and on PostgreSQL primary keys for new rows of the ``new`` models
    drawn in the same statement (``fast.draw_columns``), for a write that follows at once;
    None elsewhere. A family that is not found (or not of the person's site) draws none; a
    role that may not write, or a write that then fails, leaves a gap in a sequence, as a
    rolled-back insert would."""
    return _find_family(request, pk, need, new)


def _find_family(request, pk, need, new) -> tuple[Family, tuple[int, ...] | None]:
    # The hot path of every visit and of the encounter API: one statement finds the family,
    # its site and the person's role there (a membership row is unique per site and person),
    # built once per process (kindred.core.db.fast); the ORM would rebuild it every call.
    user = request.user
    if not getattr(user, "is_authenticated", False):
        _denied(request, "family", pk)
    try:
        family_id = int(pk)
    except (TypeError, ValueError):
        _denied(request, "family", pk)
    if not -(2**63) <= family_id < 2**63:
        _denied(request, "family", pk)
    alias = router.db_for_read(Family)
    connection = connections[alias]
    draw = fast.draw_columns(*new, using=alias)
    drawn, params = (f", {draw[0]}", draw[1]) if draw else ("", [])
    with fast.cursor(connection) as cursor:
        cursor.execute(_family_sql(alias, connection.vendor, drawn), [*params, family_id, user.pk])
        row = cursor.fetchone()
    if row is None:
        _denied(request, "family", pk)
    split = fast.width(Family)
    end = split + fast.width(Site)
    family = fast.from_row(Family, row[:split], alias)
    site = fast.from_row(Site, row[split:end], alias)
    family.site = site
    membership = SiteMembership(site=site, user=user, role=row[end])
    site.remember_membership(user, membership)
    _check_write(membership, need)
    return family, (tuple(row[end + 1 :]) if draw else None)


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
