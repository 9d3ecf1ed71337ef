"""Plain helpers that build network objects for tests (see style.md: no factory magic)."""

from __future__ import annotations

from kindred.accounts.services import create_account
from kindred.core.models import Role, Sector, Topic
from kindred.network import services
from kindred.network.models import Community, MemberProfile, Organization
from kindred.places.services import lookup_zip

PASSWORD = "correct horse battery staple"


def term(model, slug: str, name: str = ""):
    obj, _created = model.objects.get_or_create(
        slug=slug, defaults={"name_en": name or slug.title(), "name_es": name or slug.title()}
    )
    return obj


def role(slug: str = "parent") -> Role:
    return term(Role, slug)


def sector(slug: str = "health") -> Sector:
    return term(Sector, slug)


def topic(slug: str = "early-literacy") -> Topic:
    return term(Topic, slug)


def make_member(
    user=None,
    *,
    email: str = "",
    name: str = "Pat Member",
    zip_code: str = "74103",
    roles=(),
    sectors=(),
    topics=(),
    visibility: str = "members",
    listed: bool = True,
    organization: Organization | None = None,
) -> MemberProfile:
    if user is None:
        user = create_account(
            email or f"{name.split()[0].lower()}@example.org", PASSWORD, name=name, verified=True
        )
    return services.join_network(
        user=user,
        name=name,
        roles=roles,
        sectors=sectors,
        topics=topics,
        zip_code=lookup_zip(zip_code) if zip_code else None,
        organization=organization,
        languages=["en"],
        listed_in_directory=listed,
        visibility=visibility,
    )


def make_organization(name: str = "Tulsa Family Center", *, admin=None, **kwargs) -> Organization:
    kwargs.setdefault("zip_code", lookup_zip("74103"))
    return services.create_organization(actor=admin, name=name, **kwargs)


def make_community(
    name: str = "Tulsa County Families", *, organizer=None, level: str = "county", **kwargs
) -> Community:
    if level in {"county", "city", "neighborhood"} and "county" not in kwargs:
        place = lookup_zip("74103")
        kwargs.setdefault("county", place.county)
        kwargs.setdefault("state", place.state)
    return services.create_community(actor=organizer, name=name, level=level, **kwargs)
