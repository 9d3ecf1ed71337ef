"""Who belongs to which organization: the one place systems asks it."""

from __future__ import annotations

from kindred.network.models import OrganizationMembership


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


def organization_ids(user, *, admin: bool = False) -> list[int]:
    """Ids of the organizations ``user`` belongs to (only those they administer with
    ``admin``). Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = user.__dict__.setdefault("_systems_org_ids", {})
    if admin not in cache:
        memberships = OrganizationMembership.objects.filter(user=user)
        if admin:
            memberships = memberships.filter(role=OrganizationMembership.Role.ADMIN)
        cache[admin] = list(memberships.values_list("organization_id", flat=True))
    return cache[admin]
