"""Writes for the policy area: jurisdictions, policies and their history, alerts, officials,
actions. Signing itself lives in ``signing.py`` (the hot path)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.models import TaskProgress, Topic
from kindred.core.progress import start_progress
from kindred.core.slugs import unique_slug
from kindred.places.models import County, State
from kindred.policy import signing, tasks
from kindred.policy.models import (
    AdvocacyAction,
    Hearing,
    Jurisdiction,
    Official,
    Policy,
    PolicySource,
    ReferralCode,
    StatusChange,
    Subscription,
)

FEDERAL_OCD_ID = "ocd-division/country:us"

# --- Jurisdictions -------------------------------------------------------------------------


def ocd_slug(name: str) -> str:
    """The Open Civic Data form of a place name: "Tulsa County" → "tulsa"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(
        r"\s+(county|parish|borough|census area|municipality|city and borough)$", "", text
    )
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def state_ocd_id(state: State) -> str:
    if state.usps == "DC":
        return f"{FEDERAL_OCD_ID}/district:dc"
    kind = "territory" if state.is_territory else "state"
    return f"{FEDERAL_OCD_ID}/{kind}:{state.usps.lower()}"


def sync_jurisdictions() -> int:
    """Make sure the United States and every state, DC and territory have a jurisdiction.

    Idempotent; returns how many were created. Run after the places data is loaded.
    """
    created = 0
    federal, made = Jurisdiction.objects.get_or_create(
        ocd_id=FEDERAL_OCD_ID,
        defaults={"slug": "us", "name": "United States", "level": Jurisdiction.Level.FEDERAL},
    )
    created += made
    existing = set(Jurisdiction.objects.states().values_list("state_id", flat=True))
    for state in State.objects.exclude(fips__in=existing):
        Jurisdiction.objects.create(
            ocd_id=state_ocd_id(state),
            slug=f"us-{state.usps.lower()}",
            name=state.name,
            level=Jurisdiction.Level.STATE,
            state=state,
            parent=federal,
        )
        created += 1
    return created


def federal_jurisdiction() -> Jurisdiction:
    sync_jurisdictions()
    return Jurisdiction.objects.get(ocd_id=FEDERAL_OCD_ID)


def state_jurisdiction(state: State) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(level=Jurisdiction.Level.STATE, state=state).first()
    if jurisdiction is None:
        sync_jurisdictions()
        jurisdiction = Jurisdiction.objects.get(level=Jurisdiction.Level.STATE, state=state)
    return jurisdiction


def local_jurisdiction(*, county: County | None = None, city: str = "", state: State | None = None):
    """A county's or a city's jurisdiction, created on first use."""
    state = county.state if county else state
    parent = state_jurisdiction(state)
    if county is not None:
        ocd_id = f"{parent.ocd_id}/county:{ocd_slug(county.name)}"
        level, name = Jurisdiction.Level.COUNTY, f"{county.name}, {state.usps}"
    else:
        ocd_id = f"{parent.ocd_id}/place:{ocd_slug(city)}"
        level, name = Jurisdiction.Level.CITY, f"{city}, {state.usps}"
    jurisdiction, _made = Jurisdiction.objects.get_or_create(
        ocd_id=ocd_id,
        defaults={
            "slug": f"{parent.slug}-{ocd_slug(county.name if county else city)}-{level}"[:120],
            "name": name,
            "level": level,
            "state": state,
            "county": county,
            "parent": parent,
        },
    )
    return jurisdiction


def find_jurisdiction(value: str) -> Jurisdiction | None:
    """A jurisdiction named by slug ("us-ok"), OCD id, USPS code ("OK") or "us"."""
    value = (value or "").strip()
    if not value:
        return None
    if value.startswith("ocd-jurisdiction/"):
        value = "ocd-division/" + value.removeprefix("ocd-jurisdiction/").rsplit("/", 1)[0]
    query = Q(slug=value.lower()) | Q(ocd_id=value.lower())
    if len(value) == 2:
        query |= Q(level=Jurisdiction.Level.STATE, state__usps=value.upper())
    if value.lower() in {"federal", "united states", "usa"}:
        query |= Q(ocd_id=FEDERAL_OCD_ID)
    return Jurisdiction.objects.filter(query).select_related("state").first()


# --- Policies ------------------------------------------------------------------------------

# Paths under /policy/ that a slug would shadow (``actions/new/`` is matched before a slug).
RESERVED_SLUGS = frozenset({"new"})


def _changed_fields(stored, fields: dict) -> list[str]:
    """The names in ``fields`` whose value differs from the row as stored (many-to-many
    values compare as sets of primary keys)."""
    changed = []
    for name, value in fields.items():
        current = getattr(stored, name)
        if hasattr(current, "all"):
            if {obj.pk for obj in current.all()} != {obj.pk for obj in value}:
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


@transaction.atomic
def create_policy(
    *,
    slug: str,
    title_en: str,
    jurisdiction: Jurisdiction,
    policy_type: str,
    summary_en: str,
    why_it_matters_en: str,
    history: Iterable[dict],
    title_es: str = "",
    summary_es: str = "",
    why_it_matters_es: str = "",
    identifier: str = "",
    topics: Iterable[Topic] = (),
    position: str = Policy.Position.WATCH,
    position_rationale_en: str = "",
    position_rationale_es: str = "",
    effective_date: date | None = None,
    last_verified: date | None = None,
    sources: Iterable[dict] = (),
    related: Iterable[Policy] = (),
    ocd_id: str = "",
    is_fictional: bool = False,
    is_published: bool = True,
    user=None,
) -> Policy:
    """Record a policy with its sources and its dated history (oldest first).

    Each history entry is a dict of ``record_status_change`` keywords; the last one sets the
    current status. No alert is sent for history recorded here. An empty ``slug`` is made
    from the English title.
    """
    history = list(history)
    if not history:
        raise ValidationError(_("A policy needs at least one dated status with a source."))
    policy = Policy(
        slug=slug or unique_slug(Policy, title_en, reserved=RESERVED_SLUGS),
        title_en=title_en,
        title_es=title_es,
        jurisdiction=jurisdiction,
        policy_type=policy_type,
        identifier=identifier,
        summary_en=summary_en,
        summary_es=summary_es,
        why_it_matters_en=why_it_matters_en,
        why_it_matters_es=why_it_matters_es,
        status=history[-1]["status"],
        position=position,
        position_rationale_en=position_rationale_en,
        position_rationale_es=position_rationale_es,
        effective_date=effective_date,
        last_verified=last_verified,
        ocd_id=ocd_id,
        is_fictional=is_fictional,
        is_published=is_published,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    policy.full_clean()
    policy.save()
    policy.topics.set(topics)
    policy.related.set(related)
    for source in sources:
        PolicySource.objects.create(policy=policy, **source)
    for entry in history:
        record_status_change(policy, user=user, notify=False, **entry)
    log_action(user, "policy.created", policy, fictional=is_fictional)
    return policy


@transaction.atomic
def record_status_change(
    policy: Policy,
    *,
    status: str,
    date: date,
    source_title: str,
    source_url: str = "",
    source_date: date | None = None,
    note_en: str = "",
    note_es: str = "",
    user=None,
    notify: bool = True,
) -> StatusChange:
    """Add a dated, sourced step to a policy's history and alert subscribers.

    The policy's current status follows the latest step by date, so an older step can be
    filled in later without changing today's status (and then no alert goes out).
    """
    change = StatusChange(
        policy=policy,
        status=status,
        date=date,
        source_title=source_title.strip(),
        source_url=source_url.strip(),
        source_date=source_date,
        note_en=note_en.strip(),
        note_es=note_es.strip(),
        recorded_by=user if user is not None and user.is_authenticated else None,
    )
    change.full_clean()
    change.save()
    latest = policy.history.order_by("-date", "-created", "-pk").first()
    is_current = latest is not None and latest.pk == change.pk
    if is_current:
        policy.status, policy.status_date = status, date
    if notify:  # a change staff record today is also today's check of the policy
        policy.last_verified = timezone.localdate()
    policy.save(update_fields=["status", "status_date", "last_verified", "updated"])
    if notify:
        log_action(
            user, "policy.status_changed", policy, status=status, source=source_url or source_title
        )
        if is_current:
            tasks.notify_status_change.enqueue(change.pk)
    return change


POLICY_M2M = ("topics", "related")


@transaction.atomic
def update_policy(policy: Policy, *, user, **fields) -> list[str]:
    """Change a policy's descriptive fields; returns the names that changed.

    Status is not among them: it changes only through ``record_status_change``, so every
    step keeps its source.
    """
    if {"status", "status_date"} & fields.keys():
        raise ValueError("Record a status change with record_status_change.")
    stored = Policy.objects.get(pk=policy.pk)
    changed = _changed_fields(stored, fields)
    if not changed:
        return []
    related = {name: fields.pop(name) for name in POLICY_M2M if name in fields}
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save(update_fields=[*fields, "updated"])
    for name, values in related.items():
        getattr(policy, name).set(values)
    log_action(user, "policy.changed", policy, fields=changed)
    return changed


@transaction.atomic
def set_position(
    policy: Policy, *, position: str, rationale_en: str, rationale_es: str = "", user=None
) -> None:
    policy.position = position
    policy.position_rationale_en = rationale_en
    policy.position_rationale_es = rationale_es
    policy.full_clean()
    policy.save(
        update_fields=["position", "position_rationale_en", "position_rationale_es", "updated"]
    )
    log_action(user, "policy.position_set", policy, position=position)


def add_hearing(policy: Policy, *, title: str, starts_at, location: str = "", url: str = ""):
    hearing = Hearing(policy=policy, title=title, starts_at=starts_at, location=location, url=url)
    hearing.full_clean()
    hearing.save()
    return hearing


# --- Alerts --------------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    *,
    email: str,
    topic: Topic | None = None,
    jurisdiction: Jurisdiction | None = None,
    frequency: str = Subscription.Frequency.IMMEDIATE,
    language: str = "en",
    user=None,
) -> tuple[Subscription, bool]:
    """Subscribe ``email`` to status changes; returns (subscription, created).

    A signed-in person subscribing their own address is confirmed at once; anyone else gets
    an email with a link to confirm, so nobody can be signed up by a stranger.
    """
    email = email.strip()
    existing = Subscription.objects.filter(
        email__iexact=email, topic=topic, jurisdiction=jurisdiction
    ).first()
    own = bool(user and user.is_authenticated and user.email.lower() == email.lower())
    if existing is not None:
        existing.frequency, existing.language = frequency, language
        existing.is_confirmed = existing.is_confirmed or own
        existing.save(update_fields=["frequency", "language", "is_confirmed"])
        if not existing.is_confirmed:
            tasks.send_subscription_confirmation.enqueue(existing.pk)
        return existing, False
    subscription = Subscription.objects.create(
        email=email,
        user=user if own else None,
        topic=topic,
        jurisdiction=jurisdiction,
        frequency=frequency,
        language=language,
        is_confirmed=own,
    )
    if not own:
        tasks.send_subscription_confirmation.enqueue(subscription.pk)
    return subscription, True


def confirm_subscription(subscription: Subscription) -> None:
    subscription.is_confirmed = True
    subscription.save(update_fields=["is_confirmed"])


def unsubscribe(subscription: Subscription) -> None:
    subscription.delete()


# --- Officials -----------------------------------------------------------------------------

# Our column names and the Open States people-CSV names that mean the same thing.
COLUMN_ALIASES = {
    "name": "name",
    "office": "office",
    "title": "office",
    "current_chamber": "office",
    "jurisdiction": "jurisdiction",
    "district": "district",
    "current_district": "district",
    "email": "email",
    "contact_form_url": "contact_form_url",
    "contact form url": "contact_form_url",
    "contact_form": "contact_form_url",
    "state": "state",
    "id": "external_id",
    "ocd_id": "external_id",
}
REQUIRED_COLUMNS = ("name", "office", "jurisdiction")
CHAMBER_OFFICES = {"upper": "State Senator", "lower": "State Representative"}
MAX_IMPORT_ROWS = 10_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_official_rows(data: bytes, result: ImportResult) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append((0, "file", _("The file is not UTF-8 text. Save it as CSV UTF-8.")))
        return []
    reader = csv.DictReader(io.StringIO(text))
    headers = {h: COLUMN_ALIASES.get((h or "").strip().lower()) for h in reader.fieldnames or []}
    present = set(headers.values())
    if "jurisdiction" not in present and "state" in present:
        present.add("jurisdiction")
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        result.errors.append(
            (
                1,
                ", ".join(missing),
                _("The header row needs these columns: %(cols)s.") % {"cols": ", ".join(missing)},
            )
        )
        return []
    rows = []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            result.errors.append(
                (
                    number,
                    "file",
                    _("Files may hold at most %(n)d officials.") % {"n": MAX_IMPORT_ROWS},
                )
            )
            break
        row = {}
        for header, column in headers.items():
            if column and not row.get(column):
                row[column] = (raw.get(header) or "").strip()
        if any(row.values()):
            rows.append((number, row))
    if not rows and not result.errors:
        result.errors.append((2, "file", _("The file has a header row but no officials.")))
    return rows


def _check_official_row(number: int, row: dict, result: ImportResult) -> dict | None:
    errors_before = len(result.errors)

    def err(column: str, message: str) -> None:
        result.errors.append((number, column, message))

    if not row.get("name"):
        err("name", _("The name is empty."))
    elif len(row["name"]) > 200:
        err("name", _("The name is longer than 200 characters."))
    office = CHAMBER_OFFICES.get(row.get("office", "").lower(), row.get("office", ""))
    if not office:
        err("office", _("The office is empty."))
    jurisdiction = find_jurisdiction(row.get("jurisdiction") or row.get("state", ""))
    if jurisdiction is None:
        err(
            "jurisdiction",
            _("“%(value)s” is not a known jurisdiction (use an OCD id or a state code).")
            % {"value": row.get("jurisdiction") or row.get("state", "")},
        )
    state = jurisdiction.state if jurisdiction and jurisdiction.state_id else None
    if row.get("state"):
        state = State.objects.filter(usps=row["state"].upper()).first()
        if state is None:
            err("state", _("“%(value)s” is not a state code.") % {"value": row["state"]})
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            err("email", _("“%(value)s” is not an email address.") % {"value": row["email"]})
    if row.get("contact_form_url"):
        try:
            URLValidator(schemes=["http", "https"])(row["contact_form_url"])
        except ValidationError:
            err(
                "contact_form_url",
                _("“%(value)s” is not a web address.") % {"value": row["contact_form_url"]},
            )
    if len(result.errors) > errors_before:
        return None
    return {
        "name": row["name"],
        "office": office,
        "jurisdiction": jurisdiction,
        "state": state,
        "district": row.get("district", "")[:60],
        "email": row.get("email", ""),
        "contact_form_url": row.get("contact_form_url", ""),
        "external_id": row.get("external_id", "")[:120],
    }


def import_officials(data: bytes, *, user, retire_missing: bool = False) -> ImportResult:
    """Import officials from an Open States-style CSV: every row is checked and nothing is
    saved unless all rows are good. Rows match existing officials by Open States id, or else
    by name, office, jurisdiction and district. ``retire_missing`` marks officials of the
    same jurisdictions who are not in the file as out of office (after an election)."""
    result = ImportResult()
    rows = _read_official_rows(data, result)
    clean_rows, seen = [], {}
    for number, row in rows:
        clean = _check_official_row(number, row, result)
        if clean is None:
            continue
        key = clean["external_id"] or (
            clean["name"].lower(),
            clean["office"].lower(),
            clean["jurisdiction"].pk,
            clean["district"],
        )
        if key in seen:
            result.errors.append(
                (number, "name", _("This official is already on row %(row)d.") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        clean_rows.append(clean)
    if result.errors:
        return result
    with transaction.atomic():
        kept = []
        for clean in clean_rows:
            lookup = (
                {"external_id": clean["external_id"]}
                if clean["external_id"]
                else {
                    "name__iexact": clean["name"],
                    "office__iexact": clean["office"],
                    "jurisdiction": clean["jurisdiction"],
                    "district": clean["district"],
                }
            )
            official = Official.objects.filter(**lookup).first()
            if official is None:
                official = Official.objects.create(**clean)
                result.created += 1
            else:
                for name, value in clean.items():
                    setattr(official, name, value)
                official.is_active = True
                official.save()
                result.updated += 1
            kept.append(official.pk)
        if retire_missing:
            places = {c["jurisdiction"].pk for c in clean_rows}
            result.retired = (
                Official.objects.filter(jurisdiction__in=places, is_active=True)
                .exclude(pk__in=kept)
                .update(is_active=False)
            )
        log_action(
            user,
            "policy.officials_imported",
            None,
            created=result.created,
            updated=result.updated,
            retired=result.retired,
        )
    return result


# --- Actions -------------------------------------------------------------------------------


@transaction.atomic
def create_action(
    *,
    user,
    slug: str = "",
    targets: Iterable[Official] = (),
    **fields,
) -> AdvocacyAction:
    """A new advocacy action (a draft unless ``status`` says otherwise). An empty ``slug``
    is made from the English title."""
    action = AdvocacyAction(
        slug=slug
        or unique_slug(AdvocacyAction, fields.get("title_en", ""), reserved=RESERVED_SLUGS),
        created_by=user if user is not None and user.is_authenticated else None,
        **fields,
    )
    action.full_clean()
    action.save()
    action.targets.set(targets)
    # A snapshot cached as "no such action" before this one existed must not hide it.
    signing.forget_action(action.slug)
    log_action(user, "policy.action_created", action, kind=action.kind, status=action.status)
    return action


@transaction.atomic
def update_action(action: AdvocacyAction, *, user, **fields) -> list[str]:
    """Change an action's fields; returns the names that changed. Opening and closing stay
    with ``set_action_status``."""
    if "status" in fields or "slug" in fields:
        raise ValueError("Open or close an action with set_action_status; slugs do not change.")
    stored = AdvocacyAction.objects.get(pk=action.pk)
    changed = _changed_fields(stored, fields)
    if not changed:
        return []
    targets = fields.pop("targets", None)
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    action.save(update_fields=[*fields, "updated"])
    if targets is not None:
        action.targets.set(targets)
    signing.forget_action(action.slug)
    log_action(user, "policy.action_changed", action, fields=changed)
    return changed


@transaction.atomic
def set_action_status(action: AdvocacyAction, *, status: str, user) -> None:
    action.status = status
    action.save(update_fields=["status", "updated"])
    signing.forget_action(action.slug)
    log_action(user, f"policy.action_{status}", action)


def referral_code_for(community) -> ReferralCode:
    """The share code that credits ``community`` (its web address, made once)."""
    code, _made = ReferralCode.objects.get_or_create(
        community=community, defaults={"code": community.slug[:60].lower()}
    )
    return code


def start_letters_export(action: AdvocacyAction, *, user, file_format: str) -> TaskProgress:
    """Queue the letters export (``csv`` or ``pdf``); the person follows it on a progress page."""
    label = _("Letters for “%(title)s” (%(format)s)") % {
        "title": action.title,
        "format": file_format.upper(),
    }
    progress = start_progress(user, label)
    log_action(user, "policy.letters_exported", action, format=file_format)
    tasks.export_letters.enqueue(action.pk, str(progress.id), file_format)
    return progress


def start_delivery(action: AdvocacyAction, *, user) -> TaskProgress:
    """Queue email delivery of every letter whose official has an address. Safe to repeat:
    a letter already sent is never sent again."""
    progress = start_progress(user, _("Sending letters for “%(title)s”") % {"title": action.title})
    log_action(user, "policy.letters_delivery_started", action)
    tasks.deliver_letters.enqueue(action.pk, str(progress.id))
    return progress


def export_download_url(progress: TaskProgress) -> str:
    return reverse("policy:export-download", args=[progress.pk])


# --- The policy part of a state's page ------------------------------------------------------


@dataclass
class StatePolicySection:
    state: State
    jurisdiction: Jurisdiction
    policies: list[Policy]
    total: int
    actions: list[AdvocacyAction]

    @property
    def more(self) -> bool:
        return self.total > len(self.policies)


def policies_for_state(state: State, *, user=None, limit: int = 10) -> StatePolicySection:
    """What ``policy/_state_section.html`` shows on a state's page: the state's and its local
    governments' policies (in place first), and open actions for people who live there.
    Four queries whatever the data size."""
    jurisdiction = state_jurisdiction(state)
    policies = (
        Policy.objects.visible_to(user)
        .in_state(state)
        .select_related("jurisdiction")
        .order_by("-status_date", "title_en")
    )
    listed = list(policies[:limit])
    total = len(listed) if len(listed) < limit else policies.count()
    actions = list(
        AdvocacyAction.objects.open()
        .filter(Q(jurisdiction__state=state) | Q(jurisdiction__level=Jurisdiction.Level.FEDERAL))
        .select_related("jurisdiction")[:5]
    )
    return StatePolicySection(state, jurisdiction, listed, total, actions)
