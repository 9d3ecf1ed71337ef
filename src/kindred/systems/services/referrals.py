"""Closed-loop referrals: sending, answering, outcomes, and the metrics that show silos."""

from __future__ import annotations

import re
import statistics
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.models import Sector
from kindred.network.models import Organization
from kindred.places.models import State
from kindred.systems.models import Referral, ReferralEvent, Service
from kindred.systems.models.access import organization_ids
from kindred.systems.services.errors import SystemsError

SHARED_KEYS = {"first_name", "language", "child_age_months", "contact_method", "phone", "email"}
CONTACT_METHODS = {"phone", "text", "email", "none"}
SMALL_CELL = 11  # public aggregates under this are shown as "fewer than 11"
_PHONE = re.compile(r"^[0-9+() .\-]{7,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def first_sector(organization: Organization) -> Sector | None:
    return organization.sectors.order_by("sort_order", "name_en").first()


def clean_shared_info(info: dict) -> dict:
    """Only the minimum necessary: refuse anything beyond the fields families agree to."""
    if not isinstance(info, dict):
        raise SystemsError(_("The shared information is not in the expected form."))
    extra = sorted(set(info) - SHARED_KEYS)
    if extra:
        raise SystemsError(
            _(
                "Only a first name or initials, language, the child's age and a way to reach "
                "the family may be shared (not: %(fields)s)."
            )
            % {"fields": ", ".join(extra)}
        )
    cleaned: dict = {}
    name = str(info.get("first_name", "")).strip()
    if not name:
        raise SystemsError(
            _("Give the family's first name or initials, so the program can greet them."),
            field="first_name",
        )
    if len(name) > 40:
        raise SystemsError(
            _("A first name or initials is enough (40 characters at most)."), field="first_name"
        )
    cleaned["first_name"] = name
    language = str(info.get("language", "") or "").strip()[:10]
    if language:
        cleaned["language"] = language
    age = info.get("child_age_months")
    if age not in (None, ""):
        try:
            age = int(age)
        except (TypeError, ValueError):
            age = -1
        if not 0 <= age <= 72:
            raise SystemsError(
                _("The child's age is in months, from 0 to 72."), field="child_age_months"
            )
        cleaned["child_age_months"] = age
    method = str(info.get("contact_method", "") or "none")
    if method not in CONTACT_METHODS:
        raise SystemsError(
            _("Choose how the program may reach the family."), field="contact_method"
        )
    cleaned["contact_method"] = method
    if method in {"phone", "text"}:
        phone = str(info.get("phone", "")).strip()
        if not _PHONE.match(phone):
            raise SystemsError(
                _("Give the phone number the family agreed to share."), field="phone"
            )
        cleaned["phone"] = phone
    elif method == "email":
        email = str(info.get("email", "")).strip()
        if not _EMAIL.match(email):
            raise SystemsError(
                _("Give the email address the family agreed to share."), field="email"
            )
        cleaned["email"] = email
    return cleaned


def _event(
    referral: Referral, status: str, actor, organization=None, note: str = "", *, at=None
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        status=status,
        note=note[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_organization=organization,
        created=at or timezone.now(),
    )


@transaction.atomic
def create_referral(
    *,
    created_by,
    from_organization: Organization,
    service: Service,
    subject_kind: str,
    subject_ref: str,
    shared_info: dict,
    consent_to_share: bool,
    urgency: str = Referral.Urgency.ROUTINE,
    note: str = "",
    from_site_label: str = "",
    sender_verified: bool = False,
    now=None,
) -> Referral:
    """Send a referral to ``service`` for a family or a member.

    ``consent_to_share`` must be True (the family agreed to share ``shared_info`` with the
    receiving program); ``shared_info`` holds only ``first_name`` (or initials),
    ``language``, ``child_age_months``, ``contact_method`` ("phone", "text", "email" or
    "none") and the ``phone`` or ``email`` that goes with it. Raises ``SystemsError`` (a
    message for people) for anything else, and ``PermissionDenied`` when ``created_by``
    is not a member of ``from_organization``, unless the caller has checked that already
    and says so with ``sender_verified=True`` (observe: staff of a site refer for the
    site's organization).
    """
    if consent_to_share is not True:
        raise SystemsError(
            _(
                "No referral was sent: the family has not agreed to share their information "
                "with this program. Ask them first, then tick the consent box."
            ),
            field="consent_to_share",
        )
    if not sender_verified and from_organization.pk not in organization_ids(created_by):
        raise PermissionDenied
    if subject_kind not in Referral.SubjectKind.values:
        raise SystemsError(_("Say whether this referral is for a family or a member."))
    subject_ref = str(subject_ref or "").strip()
    if not subject_ref or len(subject_ref) > 64:
        raise SystemsError(_("The referral needs a reference to the family or member."))
    if urgency not in Referral.Urgency.values:
        raise SystemsError(_("Choose how soon the family needs help."), field="urgency")
    if len(note or "") > 2000:
        raise SystemsError(_("Keep the note under 2,000 characters."), field="note")
    if service.status != Service.Status.ACTIVE or not service.accepts_referrals:
        raise SystemsError(
            _("%(service)s is not taking referrals through Kindred right now.")
            % {"service": service.name},
            field="service",
        )
    shared = clean_shared_info(shared_info)
    now = now or timezone.now()
    to_organization = service.organization
    referral = Referral.objects.create(
        created_by=created_by,
        from_organization=from_organization,
        from_site_label=from_site_label[:200],
        service=service,
        to_organization=to_organization,
        subject_kind=subject_kind,
        subject_ref=subject_ref,
        shared_info=shared,
        consent_to_share=True,
        urgency=urgency,
        note=(note or "").strip(),
        from_sector=first_sector(from_organization),
        to_sector=first_sector(to_organization),
        state_id=to_organization.state_id or from_organization.state_id,
        created=now,
        status_changed_at=now,
        due_at=now + Referral.ANSWER_WITHIN[urgency],
    )
    _event(referral, Referral.Status.SENT, created_by, from_organization, at=now)
    log_action(
        created_by, "referral.sent", referral, service=str(service.pk), to=to_organization.pk
    )
    from kindred.systems.tasks import notify_referral

    notify_referral.enqueue(str(referral.pk), "sent")
    return referral


def _refusal(referral: Referral, status: str) -> str:
    label = Referral.Status(status).label
    if referral.status in ("declined", "completed", "cancelled"):
        return _(
            "This referral is already closed (%(current)s), so it cannot be marked “%(wanted)s”."
        ) % {"current": referral.get_status_display(), "wanted": label}
    return _("A referral that is “%(current)s” cannot be marked “%(wanted)s”.") % {
        "current": referral.get_status_display(),
        "wanted": label,
    }


@transaction.atomic
def move_referral(
    *, referral: Referral, actor, status: str, note: str = "", reason: str = "", now=None
) -> Referral:
    """Accept, decline (``reason`` required), record an outcome, or withdraw (sender).
    Moves not allowed from the current status are refused and change nothing."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in Referral.Status.values:
        raise SystemsError(_("Choose a status from the list."), field="status")
    if not (referral.is_receiver(actor) or referral.is_sender(actor)):
        raise PermissionDenied
    if status not in referral.MOVES.get(referral.status, set()):
        raise SystemsError(_refusal(referral, status), field="status")
    if status not in referral.allowed_moves(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if status == Referral.Status.DECLINED and not reason:
        raise SystemsError(
            _("Say why you are declining, so the sender can find another service for the family."),
            field="reason",
        )
    now = now or timezone.now()
    fields = ["status", "status_changed_at", "due_at"]
    referral.status = status
    referral.status_changed_at = now
    if status == Referral.Status.ACCEPTED:
        referral.accepted_at = now
        fields.append("accepted_at")
    if status == Referral.Status.DECLINED:
        referral.decline_reason = reason[:500]
        fields.append("decline_reason")
    if status in Referral.CLOSED:
        referral.closed_at = now
        referral.due_at = None
    else:
        referral.closed_at = None
        referral.due_at = now + Referral.OUTCOME_WITHIN
    fields.append("closed_at")
    referral.save(update_fields=fields)
    organization = (
        referral.to_organization if referral.is_receiver(actor) else referral.from_organization
    )
    _event(referral, status, actor, organization, note=reason or note, at=now)
    log_action(actor, "referral.status", referral, status=status)
    from kindred.systems.tasks import notify_referral

    notify_referral.enqueue(str(referral.pk), status)
    return referral


def _median_hours(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def referral_metrics(
    *, state: State | None = None, organization: Organization | None = None, since=None
) -> dict:
    """Silos made visible: referrals by (from sector, to sector), how many cross a system
    line, median hours to acceptance, completion rate (completed / answered, leaving out
    withdrawn ones and those still waiting)."""
    qs = Referral.objects.all()
    if state is not None:
        qs = qs.filter(state=state)
    if organization is not None:
        qs = qs.filter(Q(from_organization=organization) | Q(to_organization=organization))
    if since is not None:
        qs = qs.filter(created__gte=since)
    pairs = Counter()
    for from_id, to_id, n in qs.values_list("from_sector", "to_sector").annotate(n=Count("pk")):
        pairs[(from_id, to_id)] += n
    sectors = Sector.objects.in_bulk([s for pair in pairs for s in pair if s])
    total = sum(pairs.values())
    crossing = sum(n for (a, b), n in pairs.items() if a and b and a != b)
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")))
    answered = total - by_status.get("sent", 0) - by_status.get("cancelled", 0)
    completed = by_status.get("completed", 0)
    waits = [
        (accepted - created).total_seconds() / 3600
        for created, accepted in qs.filter(accepted_at__isnull=False).values_list(
            "created", "accepted_at"
        )[:20000]
    ]
    rows = sorted(
        (
            {
                "from": sectors.get(a),
                "to": sectors.get(b),
                "count": n,
                "crosses": bool(a and b and a != b),
            }
            for (a, b), n in pairs.items()
        ),
        key=lambda row: -row["count"],
    )
    return {
        "total": total,
        "crossing": crossing,
        "crossing_percent": round(100 * crossing / total) if total else None,
        "pairs": rows,
        "by_status": by_status,
        "median_hours_to_accept": _median_hours(waits),
        "completed": completed,
        "completion_rate": round(100 * completed / answered) if answered else None,
        "overdue": qs.open().overdue().count(),
    }


def suppress(value: int | None) -> str | int | None:
    """Public figure: counts under 11 are not shown."""
    if value is None:
        return None
    return value if value == 0 or value >= SMALL_CELL else _("fewer than 11")
