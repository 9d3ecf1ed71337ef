"""Signing an advocacy action: the hot path.

A popular action draws thousands of signatures in minutes, so a signature costs one database
statement in the common case: the action, the ZIP code and the referral code are read from
short-lived in-process caches, counts come from the indexed table through the cache, and the
row is written from plain values with ``Signature.objects.insert_values`` (``INSERT … ON
CONFLICT DO NOTHING``, no model instance), which also tells a new signature from a duplicate.
The rate limit costs one cache operation once its window has started. No audit row and no
background task are written per signature: the signature row is the record.

The same validation (``clean_signature``) serves the JSON API and the HTML form, so both give
the same messages for the same mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kindred.core import ratelimit
from kindred.core.ttl import TTLCache
from kindred.places.models import ZipCode
from kindred.policy.models import (
    AdvocacyAction,
    Jurisdiction,
    ReferralCode,
    Signature,
)

# How long a worker trusts what it read: closing an action by hand reaches every worker
# within ACTION_TTL seconds (a ``closes_at`` time is exact, it is checked on every request).
ACTION_TTL = 5.0
ZIP_TTL = 3600.0
REFERRAL_TTL = 60.0
COUNT_TTL = 5
MAP_TTL = 30

NAME_MAX = 150
EMAIL_MAX = 254  # Signature.email
MESSAGE_MAX = 5000
ORGANIZATION_MAX = 200
HTML_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
ZIP_RE = re.compile(r"(\d{5})(?:-?\d{4})?")
USPS_RE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class ActionSnapshot:
    """What signing needs to know about an action, cheap to keep in memory."""

    id: int
    slug: str
    kind: str
    status: str
    closes_at: datetime | None
    level: str
    jurisdiction_name: str
    state_id: str | None
    county_id: str | None

    def is_open(self) -> bool:
        return self.status == AdvocacyAction.Status.OPEN and (
            self.closes_at is None or self.closes_at > timezone.now()
        )

    def closed_message(self) -> str:
        if self.status == AdvocacyAction.Status.OPEN and self.closes_at:
            when = formats.date_format(timezone.localtime(self.closes_at), "DATE_FORMAT")
            return _("This action closed on %(date)s and no longer takes signatures.") % {
                "date": when
            }
        return _("This action is closed and no longer takes signatures.")


@dataclass(frozen=True)
class ZipInfo:
    code: str
    state_id: str
    usps: str
    county_id: str | None
    city: str


def _load_action(slug: str) -> ActionSnapshot | None:
    row = (
        AdvocacyAction.objects.filter(slug=slug)
        .exclude(status=AdvocacyAction.Status.DRAFT)
        .values(
            "id",
            "slug",
            "kind",
            "status",
            "closes_at",
            "jurisdiction__level",
            "jurisdiction__name",
            "jurisdiction__state_id",
            "jurisdiction__county_id",
        )
        .first()
    )
    if row is None:
        return None
    return ActionSnapshot(
        id=row["id"],
        slug=row["slug"],
        kind=row["kind"],
        status=row["status"],
        closes_at=row["closes_at"],
        level=row["jurisdiction__level"],
        jurisdiction_name=row["jurisdiction__name"],
        state_id=row["jurisdiction__state_id"],
        county_id=row["jurisdiction__county_id"],
    )


def _load_zip(code: str) -> ZipInfo | None:
    row = (
        ZipCode.objects.filter(code=code)
        .values_list("state_id", "state__usps", "county_id", "city")
        .first()
    )
    if row is None:
        return None
    return ZipInfo(code=code, state_id=row[0], usps=row[1], county_id=row[2], city=row[3])


def _load_referral(code: str) -> int | None:
    return ReferralCode.objects.filter(code=code).values_list("community_id", flat=True).first()


_actions = TTLCache(ACTION_TTL, limit=100_000)
_zips = TTLCache(ZIP_TTL, limit=100_000)
_referrals = TTLCache(REFERRAL_TTL, limit=100_000)


def get_action_snapshot(slug: str) -> ActionSnapshot | None:
    """The published action with this slug, from a cache at most ``ACTION_TTL`` seconds old."""
    return _actions.get(slug, _load_action)


def forget_action(slug: str) -> None:
    """Drop this worker's cached copy (the services call it after changing an action)."""
    _actions.forget(slug)


def clear_caches() -> None:
    for store in (_actions, _zips, _referrals):
        store.clear()


def lookup_zip(code: str) -> ZipInfo | None:
    return _zips.get(code, _load_zip)


def community_for_referral(code: str) -> int | None:
    code = (code or "").strip().lower()[:60]
    if not code:
        return None
    return _referrals.get(code, _load_referral)


# --- Rate limit ----------------------------------------------------------------------------


def rate_limit() -> tuple[int, int]:
    """(attempts, seconds) allowed per address; settings.POLICY_SIGN_RATE_LIMIT overrides."""
    return getattr(settings, "POLICY_SIGN_RATE_LIMIT", (60, 600))


def allow_attempt(address: str) -> bool:
    """Count one signing attempt from ``address``; False once it is over the limit (per
    worker with the default local-memory cache, across every server with Redis)."""
    return ratelimit.allow("policy-sign", address, rate_limit())


# --- Validation ----------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _text(data: Mapping, key: str, errors: dict[str, str]) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[key] = _("Please send this as text.")
        return ""
    return value.strip()


def _flag(data: Mapping, key: str, default: bool, errors: dict[str, str]) -> bool:
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "on", "1", "yes"}:
        return True
    if isinstance(value, str) and value.lower() in {"false", "off", "0", "no"}:
        return False
    errors[key] = _("Please answer true or false.")
    return default


def _check_zip(action: ActionSnapshot, raw: str, state: str, errors: dict[str, str]):
    if not raw:
        errors["zip"] = _("Please give your ZIP code.")
        return None
    match = ZIP_RE.fullmatch(raw)
    if not match:
        errors["zip"] = _("Please give a 5-digit ZIP code, like 74103.")
        return None
    info = lookup_zip(match.group(1))
    if info is None:
        errors["zip"] = _("We could not find ZIP code %(zip)s. Please check it.") % {
            "zip": match.group(1)
        }
        return None
    if state and info.usps != state.upper():
        errors["zip"] = _("ZIP code %(zip)s is in %(usps)s, not in %(state)s.") % {
            "zip": info.code,
            "usps": info.usps,
            "state": state.upper(),
        }
        return None
    outside = (action.state_id and info.state_id != action.state_id) or (
        action.level == Jurisdiction.Level.COUNTY and info.county_id != action.county_id
    )
    if outside:
        errors["zip"] = _(
            "ZIP code %(zip)s is not in %(place)s. This action is for people who live there."
        ) % {"zip": info.code, "place": action.jurisdiction_name}
        return None
    return info


def clean_signature(
    action: ActionSnapshot, data: Mapping, *, consent_default: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a signature; return (clean values, errors by field name).

    ``consent_default`` is True for the JSON API, where sending the request is the act of
    signing, and False for the HTML form, where a box must be ticked.
    """
    errors: dict[str, str] = {}
    name = _text(data, "name", errors)
    email = _text(data, "email", errors)
    raw_zip = _text(data, "zip", errors)
    state = _text(data, "state", errors)
    message = _text(data, "message", errors).replace("\r\n", "\n")
    organization = _text(data, "organization", errors)
    honeypot = _text(data, "website", errors)
    follow_up = _flag(data, "follow_up_consent", False, errors)
    consent = _flag(data, "consent", consent_default, errors)

    if "name" not in errors:
        if not name:
            errors["name"] = _("Please give your name.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("Please keep your name under %(max)d characters.") % {
                "max": NAME_MAX
            }
        elif HTML_TAG_RE.search(name):
            errors["name"] = _("Please write your name without HTML tags.")
    if "email" not in errors:
        if not email:
            errors["email"] = _("Please give your email address.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = _("Please give a whole email address, like name@example.org.")
            else:
                if len(email) > EMAIL_MAX:
                    errors["email"] = _(
                        "Please give an email address of at most %(max)d characters."
                    ) % {"max": EMAIL_MAX}
    if state and not USPS_RE.fullmatch(state):
        errors["state"] = _("Please give the two-letter state code, like OK.")
        state = ""
    info = None if "zip" in errors else _check_zip(action, raw_zip, state, errors)
    if "message" not in errors:
        if len(message) > MESSAGE_MAX:
            errors["message"] = _("Please keep your message under %(max)d characters.") % {
                "max": MESSAGE_MAX
            }
        elif HTML_TAG_RE.search(message):
            errors["message"] = _(
                "Please remove the HTML tags (like <b> or <a>) from your message: "
                "letters are sent as plain text."
            )
    if action.kind == AdvocacyAction.Kind.SIGN_ON and "organization" not in errors:
        if not organization:
            errors["organization"] = _("Please give the organization you are signing for.")
        elif len(organization) > ORGANIZATION_MAX or HTML_TAG_RE.search(organization):
            errors["organization"] = _("Please give a plain organization name.")
    if not consent and "consent" not in errors:
        errors["consent"] = (
            _("Please confirm that you are authorized to sign for this organization.")
            if action.kind == AdvocacyAction.Kind.SIGN_ON
            else _("Please confirm that we may add your name and ZIP code to this action.")
        )
    if honeypot:
        errors["website"] = _(
            "This form looks like it was filled in by a program; nothing was saved."
        )
    clean = {
        "name": name,
        "email": email,
        "zip": info,
        "message": message,
        "organization": organization if action.kind == AdvocacyAction.Kind.SIGN_ON else "",
        "follow_up_consent": follow_up,
        "referral": _text(data, "ref", {}),
    }
    return clean, errors


def sign_action(
    action: ActionSnapshot,
    clean: Mapping[str, Any],
    *,
    user=None,
    language: str = "en",
    template_text: str = "",
) -> bool:
    """Store a checked signature; True when new, False when this email had already signed.

    A message identical to the action's own text is stored empty (the export uses the
    action's text then), which keeps the table small.
    """
    info: ZipInfo = clean["zip"]
    message = clean["message"]
    if template_text and message == template_text.replace("\r\n", "\n").strip():
        message = ""
    referral = (clean.get("referral") or "")[:60]
    return Signature.objects.insert_values(
        {
            "action_id": action.id,
            "name": clean["name"],
            "email": clean["email"],
            "email_normalised": normalise_email(clean["email"]),
            "zip_code": info.code,
            "state_id": info.state_id,
            "county_id": info.county_id,
            "city": info.city,
            "organization": clean["organization"],
            "message": message,
            "follow_up_consent": bool(clean["follow_up_consent"]),
            "referral_code": referral,
            "community_id": community_for_referral(referral),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "language": (language or "en")[:8],
        }
    )


# --- Counts --------------------------------------------------------------------------------


def signature_count(action_id: int) -> int:
    """How many people signed, at most ``COUNT_TTL`` seconds old (an indexed COUNT)."""
    key = f"policy:action:{action_id}:count"
    count = cache.get(key)
    if count is None:
        count = Signature.objects.filter(action_id=action_id).count()
        cache.set(key, count, COUNT_TTL)
    return count


def counts_by_state(action_id: int) -> dict[str, int]:
    """Signatures per state USPS code, refreshed every ``MAP_TTL`` seconds."""
    key = f"policy:action:{action_id}:states"
    counts = cache.get(key)
    if counts is None:
        rows = (
            Signature.objects.filter(action_id=action_id)
            .values("state__usps")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {row["state__usps"]: row["n"] for row in rows}
        cache.set(key, counts, MAP_TTL)
    return counts


def counts_by_community(action_id: int) -> list[tuple[str, str, int]]:
    """(community name, slug, signatures) for signatures that came through referral codes."""
    from kindred.network.models import Community

    rows = (
        Signature.objects.filter(action_id=action_id, community__isnull=False)
        .values("community_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    counts = {row["community_id"]: row["n"] for row in rows}
    names = Community.objects.filter(pk__in=counts).values_list("pk", "name", "slug")
    return sorted(((name, slug, counts[pk]) for pk, name, slug in names), key=lambda r: -r[2])


def action_text(action: AdvocacyAction, language: str) -> str:
    """The letter or petition text in ``language`` (English when no translation exists)."""
    if language.startswith("es") and action.letter_body_es:
        return action.letter_body_es
    return action.letter_body_en
