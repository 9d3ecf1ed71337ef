"""The network's part of "download my data" (listed in settings.PERSONAL_DATA_EXPORTERS)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kindred.network.models import Block, CommunityMembership, Connection, MemberProfile, Post


def _names(items) -> list[str]:
    return [item.name for item in items]


def export_personal_data(user) -> tuple[str, dict[str, Any]]:
    """Profile, affiliations, communities, posts, connections and blocks of ``user``.

    Other people appear only by the name they show, never by email address.
    """
    profile = (
        MemberProfile.objects.filter(user=user)
        .select_related("zip_code", "county", "state")
        .prefetch_related("roles", "sectors", "topics", "languages")
        .first()
    )
    data: dict[str, Any] = {"profile": None}
    if profile is not None:
        data["profile"] = {
            "name": profile.display_name,
            "pronouns": profile.pronouns,
            "roles": _names(profile.roles.all()),
            "sectors": _names(profile.sectors.all()),
            "topics": _names(profile.topics.all()),
            "languages": [language.code for language in profile.languages.all()],
            "zip_code": profile.zip_code_id,
            "county": profile.county.name if profile.county_id else "",
            "state": profile.state.usps if profile.state_id else "",
            "bio": profile.bio,
            "photo": profile.photo.name,
            "visibility": profile.visibility,
            "listed_in_directory": profile.listed_in_directory,
            "contact_methods": profile.contact_methods,
            "phone": profile.phone,
            "accepted_terms_at": profile.accepted_terms_at.isoformat()
            if profile.accepted_terms_at
            else None,
            "joined": profile.created.isoformat(),
        }
    data["organizations"] = [
        {"organization": m.organization.name, "role": m.role, "title": m.title}
        for m in user.organization_memberships.select_related("organization")
    ]
    data["communities"] = [
        {
            "community": m.community.name,
            "role": m.role,
            "status": m.status,
            "answers": m.answers,
            "joined_at": m.joined_at.isoformat() if m.joined_at else None,
        }
        for m in CommunityMembership.objects.filter(user=user).select_related("community")
    ]
    data["posts"] = [
        {
            "community": post.community.name,
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
            "created": post.created.isoformat(),
        }
        for post in Post.objects.filter(author=user).select_related("community")
    ]
    connections = Connection.objects.filter(Q(from_user=user) | Q(to_user=user)).select_related(
        "from_user__profile", "to_user__profile"
    )
    data["connections"] = [
        {
            "with": _shown_name(c.other(user)),
            "direction": "sent" if c.from_user_id == user.pk else "received",
            "status": c.status,
            "note": c.note,
            "created": c.created.isoformat(),
        }
        for c in connections
    ]
    data["blocked"] = [
        _shown_name(b.blocked)
        for b in Block.objects.filter(blocker=user).select_related("blocked__profile")
    ]
    return "network", data


def _shown_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None else user.name
