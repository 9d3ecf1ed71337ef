"""The audit log: ``log_action(actor, verb, target, **details)``."""

from typing import Any

from django.db import models

from kindred.core.db import fast
from kindred.core.models import AuditEvent


def log_action(actor: Any, verb: str, target: models.Model | None = None, **details: Any):
    """Record that ``actor`` did ``verb`` (e.g. ``"family.viewed"``) to ``target``.

    ``actor`` may be a user, an anonymous user or None (the system). Details must be
    JSON-serialisable and must never hold direct identifiers of a family.
    """
    # The busiest insert of all (every read of family data): built once, bound each time.
    return fast.insert(audit_event(actor, verb, target, **details))


def audit_event(actor: Any, verb: str, target: models.Model | None = None, **details: Any):
    """The unsaved event ``log_action`` would store, for a caller that writes it together
    with the change it records (``fast.insert_all``)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_label=user.email if user else "system" if actor is None else "anonymous",
        verb=verb,
        details=details,
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
        event.target_label = str(target)[:200]
    return event
