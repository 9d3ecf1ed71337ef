from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from kindred.accounts.models import User
from kindred.core.audit import log_action
from kindred.core.models import AuditEvent

DELETED_USER_LABEL = "deleted user"
EXPORT_FORMAT = "kindred-personal-data"
EXPORT_VERSION = 1

Exporter = Callable[[User], tuple[str, Any]]


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    *,
    name: str = "",
    language: str = "",
    verified: bool = False,
    is_staff: bool = False,
) -> User:
    """Create a person's account (the demo data and admin tools; sign-up goes via allauth)."""
    user = User.objects.create_user(
        email, password, name=name, language=language, is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    log_action(None, "account.created", user)
    return user


@transaction.atomic
def update_profile(user: User, *, name: str, language: str) -> User:
    """Save the name and language someone chose on their account page."""
    changed = [
        field
        for field, value in (("name", name), ("language", language))
        if getattr(user, field) != value
    ]
    if changed:
        user.name = name
        user.language = language
        user.save(update_fields=changed)
        log_action(user, "account.updated", user, fields=changed)
    return user


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything Kindred holds about ``user`` that they may take away, as JSON-ready data.

    The accounts app writes the first sections; each app that stores personal data adds its
    own through ``settings.PERSONAL_DATA_EXPORTERS`` (dotted paths to ``fn(user) -> (key,
    data)``). Secrets (password hashes, MFA keys, recovery codes) are never included.
    """
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
    }
    sections: list[Exporter] = [
        _export_account,
        _export_email_addresses,
        _export_mfa,
        _export_sign_ins,
        _export_audit_events,
    ]
    sections += [import_string(path) for path in _exporter_paths()]
    for exporter in sections:
        key, value = exporter(user)
        if key in data:
            raise ValueError(f"Two personal data exporters use the key {key!r}.")
        data[key] = value
    log_action(user, "account.data_exported", user)
    return data


def _exporter_paths() -> list[str]:
    return list(getattr(settings, "PERSONAL_DATA_EXPORTERS", []))


def _export_account(user: User) -> tuple[str, dict[str, Any]]:
    return "account", {
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "network_staff": user.is_staff,
        "administrator": user.is_superuser,
    }


def _export_email_addresses(user: User) -> tuple[str, list[dict[str, Any]]]:
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return "email_addresses", [
        {"email": address.email, "primary": address.primary, "verified": address.verified}
        for address in addresses
    ]


def _export_mfa(user: User) -> tuple[str, dict[str, Any]]:
    types = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    return "two_factor_authentication", {
        "enabled": Authenticator.Type.TOTP in types,
        "methods": types,
    }


def _export_sign_ins(user: User) -> tuple[str, list[dict[str, Any]]]:
    records = AccessLog.objects.filter(username__in=_usernames(user)).order_by("-attempt_time")
    return "sign_ins", [
        {
            "time": record.attempt_time.isoformat(),
            "signed_out": record.logout_time.isoformat() if record.logout_time else None,
            "ip_address": record.ip_address,
            "browser": record.user_agent,
        }
        for record in records
    ]


def _export_audit_events(user: User) -> tuple[str, list[dict[str, Any]]]:
    events = AuditEvent.objects.filter(actor=user).order_by("created")
    return "audit_events", [
        {
            "time": event.created.isoformat(),
            "action": event.verb,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "target": event.target_label,
            "details": event.details,
        }
        for event in events
    ]


def _usernames(user: User) -> list[str]:
    """The names django-axes may have recorded sign-ins under (see accounts.lockout)."""
    emails = {user.email.lower()}
    emails.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return sorted(emails)


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete ``user`` and their personal data; keep the audit trail, de-identified.

    Rows other apps hold about the person go with the account through their foreign keys
    (``CASCADE``), or stay de-identified (``SET_NULL``), as each app decides.
    """
    log_action(user, "account.deleted", user)
    AuditEvent.objects.filter(actor=user).update(actor=None, actor_label=DELETED_USER_LABEL)
    AuditEvent.objects.filter(target_type=user._meta.label_lower, target_id=str(user.pk)).update(
        target_label=DELETED_USER_LABEL
    )
    usernames = _usernames(user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=usernames).delete()
    user.delete()
