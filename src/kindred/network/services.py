"""Writes in the network: joining, profiles, organizations, communities and connections.

Every function takes keyword-only arguments, runs in a transaction, and records meaningful
changes in the audit log. A refusal a person should read raises ``NetworkError`` with a
translated message; views show it and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import nh3
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.accounts.models import User
from kindred.core.audit import log_action
from kindred.core.models import Role, Sector, Topic
from kindred.core.slugs import unique_slug
from kindred.network.models import (
    Block,
    Community,
    CommunityMembership,
    Connection,
    Language,
    MemberProfile,
    Organization,
    OrganizationMembership,
    Post,
    SearchToken,
    Visibility,
)
from kindred.network.search import search_words
from kindred.places.models import County, State, ZipCode


class NetworkError(Exception):
    """A request we refuse, with a message for the person who made it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def strip_html(text: str) -> str:
    """Plain text only: tags are removed (their text kept) and entities decoded."""
    import html

    cleaned = nh3.clean(text or "", tags=set(), strip_comments=True)
    return html.unescape(cleaned).strip()


def place_from_zip(zip_code: ZipCode | None) -> dict:
    """The ZIP with the county and state it lies in, as model fields."""
    if zip_code is None:
        return {"zip_code": None, "county": None, "state": None}
    return {"zip_code": zip_code, "county": zip_code.county, "state": zip_code.state}


def display_name(user: User) -> str:
    """The name a person chose to show; never their email address."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.name or _("this member")


def refresh_search_text(profile: MemberProfile) -> None:
    """Rebuild the words the directory finds a profile by: name, organizations and place."""
    parts = [profile.display_name]
    parts += OrganizationMembership.objects.filter(user_id=profile.user_id).values_list(
        "organization__name", flat=True
    )
    if profile.zip_code_id:
        parts.append(profile.zip_code.city)
    if profile.county_id:
        parts.append(profile.county.name)
    words = set(search_words(" ".join(p for p in parts if p)))
    existing = set(profile.search_tokens.values_list("token", flat=True))
    if words != existing:
        profile.search_tokens.exclude(token__in=words).delete()
        SearchToken.objects.bulk_create(
            [SearchToken(profile=profile, token=word) for word in words - existing]
        )


# --- Joining and profiles -------------------------------------------------------------------


@transaction.atomic
def join_network(
    *,
    user: User,
    name: str,
    roles: Iterable[Role] = (),
    sectors: Iterable[Sector] = (),
    zip_code: ZipCode | None = None,
    organization: Organization | None = None,
    new_organization_name: str = "",
    title: str = "",
    topics: Iterable[Topic] = (),
    languages: Iterable[Language | str] = (),
    contact_methods: Iterable[str] = (),
    listed_in_directory: bool = False,
    visibility: str = Visibility.MEMBERS,
    accepted_terms: bool = True,
) -> MemberProfile:
    """Make ``user`` a member: their profile, and their affiliation with an organization
    (found or newly added). Sectors left empty are taken from the organization."""
    if MemberProfile.objects.filter(user=user).exists():
        raise NetworkError(_("You are already a member of the network."))
    name = strip_html(name)[:150]
    if name and user.name != name:
        user.name = name
        user.save(update_fields=["name"])
    profile = MemberProfile.objects.create(
        user=user,
        display_name=name or user.get_short_name(),
        visibility=visibility,
        listed_in_directory=listed_in_directory,
        account_active=user.is_active,
        contact_methods=list(contact_methods),
        accepted_terms_at=timezone.now() if accepted_terms else None,
        **place_from_zip(zip_code),
    )
    if organization is None and new_organization_name.strip():
        organization = create_organization(
            actor=user, name=new_organization_name, zip_code=zip_code, make_admin=False
        )
    sectors = list(sectors)
    if organization is not None:
        OrganizationMembership.objects.get_or_create(
            organization=organization, user=user, defaults={"title": strip_html(title)[:150]}
        )
        if not sectors:
            sectors = list(organization.sectors.all())
    profile.roles.set(roles)
    profile.sectors.set(sectors)
    profile.topics.set(topics)
    profile.languages.set(languages)
    refresh_search_text(profile)
    log_action(user, "network.joined", profile)
    return profile


@transaction.atomic
def update_profile(
    *,
    profile: MemberProfile,
    actor: User,
    fields: dict,
    roles: Iterable[Role] | None = None,
    sectors: Iterable[Sector] | None = None,
    topics: Iterable[Topic] | None = None,
    languages: Iterable[Language] | None = None,
) -> MemberProfile:
    """Save changes to a profile; ``fields`` maps model field names to new values. A new
    ``zip_code`` also sets the county and state."""
    if not profile.can_edit(actor):
        raise NetworkError(_("You can only change your own profile."))
    fields = dict(fields)
    if "bio" in fields:
        fields["bio"] = strip_html(fields["bio"])
    if "display_name" in fields:
        fields["display_name"] = strip_html(fields["display_name"])[:150]
    if "zip_code" in fields:
        fields.update(place_from_zip(fields["zip_code"]))
    old_photo = ""
    if "photo" in fields:
        old_photo = MemberProfile.objects.filter(pk=profile.pk).values_list("photo", flat=True)[0]
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save(update_fields=[*fields, "updated"])
    if old_photo and old_photo != profile.photo.name:
        transaction.on_commit(lambda: profile.photo.storage.delete(old_photo))
    for relation, values in (
        ("roles", roles),
        ("sectors", sectors),
        ("topics", topics),
        ("languages", languages),
    ):
        if values is not None:
            getattr(profile, relation).set(values)
    refresh_search_text(profile)
    log_action(actor, "profile.updated", profile, fields=sorted(fields))
    return profile


# --- Organizations --------------------------------------------------------------------------


@transaction.atomic
def create_organization(
    *,
    actor: User | None,
    name: str,
    description: str = "",
    website: str = "",
    sectors: Iterable[Sector] = (),
    zip_code: ZipCode | None = None,
    counties_served: Iterable[County] = (),
    states_served: Iterable[State] = (),
    make_admin: bool = True,
) -> Organization:
    """Add an organization; its creator becomes its first administrator when asked."""
    name = strip_html(name)[:200]
    if not name:
        raise NetworkError(_("Please give the organization a name."))
    organization = Organization.objects.create(
        name=name,
        slug=unique_slug(Organization, name),
        description=strip_html(description),
        website=website,
        created_by=actor,
        **place_from_zip(zip_code),
    )
    organization.sectors.set(sectors)
    organization.counties_served.set(counties_served)
    organization.states_served.set(states_served)
    if actor is not None and make_admin:
        OrganizationMembership.objects.create(
            organization=organization, user=actor, role=OrganizationMembership.Role.ADMIN
        )
    log_action(actor, "organization.created", organization)
    return organization


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    actor: User,
    fields: dict,
    sectors: Iterable[Sector] | None = None,
    counties_served: Iterable[County] | None = None,
    states_served: Iterable[State] | None = None,
) -> Organization:
    if not organization.can_edit(actor):
        raise NetworkError(_("Only the organization's administrators can change its page."))
    fields = dict(fields)
    for key in ("name", "description"):
        if key in fields:
            fields[key] = strip_html(fields[key])
    if "zip_code" in fields:
        fields.update(place_from_zip(fields["zip_code"]))
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.save(update_fields=[*fields, "updated"])
    for relation, values in (
        ("sectors", sectors),
        ("counties_served", counties_served),
        ("states_served", states_served),
    ):
        if values is not None:
            getattr(organization, relation).set(values)
    if "name" in fields:
        for profile in MemberProfile.objects.filter(
            user__organization_memberships__organization=organization
        ).select_related("zip_code", "county"):
            refresh_search_text(profile)
    log_action(actor, "organization.updated", organization, fields=sorted(fields))
    return organization


@transaction.atomic
def verify_organization(*, organization: Organization, actor: User, verified: bool = True):
    """Network staff confirm that an organization is real and in good standing."""
    if not (actor.is_staff or actor.is_superuser):
        raise NetworkError(_("Only network staff can verify organizations."))
    organization.is_verified = verified
    organization.verified_by = actor if verified else None
    organization.verified_at = timezone.now() if verified else None
    organization.save(update_fields=["is_verified", "verified_by", "verified_at", "updated"])
    verb = "organization.verified" if verified else "organization.unverified"
    log_action(actor, verb, organization)
    return organization


@transaction.atomic
def add_organization_member(
    *,
    organization: Organization,
    actor: User,
    email: str,
    role: str = OrganizationMembership.Role.MEMBER,
    title: str = "",
) -> OrganizationMembership:
    """An organization admin adds someone who already has an account, by email."""
    if not organization.can_edit(actor):
        raise NetworkError(_("Only the organization's administrators can add people."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise NetworkError(
            _("Nobody in the network uses %(email)s yet. Invite them to join first.")
            % {"email": email}
        )
    membership, created = OrganizationMembership.objects.get_or_create(
        organization=organization,
        user=user,
        defaults={"role": role, "title": strip_html(title)[:150]},
    )
    if not created:
        raise NetworkError(
            _("%(name)s is already listed with this organization.") % {"name": display_name(user)}
        )
    if hasattr(user, "profile"):
        refresh_search_text(user.profile)
    log_action(actor, "organization.member_added", organization, user=user.pk, role=role)
    return membership


@transaction.atomic
def add_affiliation(
    *, user: User, organization: Organization, title: str = ""
) -> OrganizationMembership:
    """A member says they work or volunteer with an organization (its admins can remove
    them if that is not so)."""
    membership, created = OrganizationMembership.objects.get_or_create(
        organization=organization, user=user, defaults={"title": strip_html(title)[:150]}
    )
    if not created:
        raise NetworkError(_("You are already listed with %(name)s.") % {"name": organization.name})
    if hasattr(user, "profile"):
        refresh_search_text(user.profile)
    log_action(user, "organization.affiliated", organization)
    return membership


@transaction.atomic
def change_organization_member(
    *, membership: OrganizationMembership, actor: User, role: str, title: str
) -> OrganizationMembership:
    organization = membership.organization
    if not organization.can_edit(actor):
        raise NetworkError(_("Only the organization's administrators can change roles."))
    if membership.is_admin and role != OrganizationMembership.Role.ADMIN:
        _keep_one_admin(organization, membership)
    membership.role = role
    membership.title = strip_html(title)[:150]
    membership.save(update_fields=["role", "title"])
    log_action(actor, "organization.member_changed", organization, user=membership.user_id)
    return membership


@transaction.atomic
def remove_organization_member(*, membership: OrganizationMembership, actor: User) -> None:
    organization = membership.organization
    if not (organization.can_edit(actor) or membership.user_id == actor.pk):
        raise NetworkError(_("Only the organization's administrators can remove people."))
    if membership.is_admin:
        _keep_one_admin(organization, membership)
    user = membership.user
    membership.delete()
    if hasattr(user, "profile"):
        refresh_search_text(user.profile)
    log_action(actor, "organization.member_removed", organization, user=user.pk)


def _keep_one_admin(organization: Organization, leaving: OrganizationMembership) -> None:
    others = organization.memberships.filter(role=OrganizationMembership.Role.ADMIN).exclude(
        pk=leaving.pk
    )
    if not others.exists():
        raise NetworkError(
            _("An organization needs at least one administrator. Add another one first.")
        )


# --- Communities ----------------------------------------------------------------------------


@transaction.atomic
def create_community(
    *,
    actor: User | None,
    name: str,
    level: str,
    description: str = "",
    state: State | None = None,
    county: County | None = None,
    topic: Topic | None = None,
    join_policy: str = Community.JoinPolicy.OPEN,
    join_questions: str = "",
    parents: Iterable[Community] = (),
    peers: Iterable[Community] = (),
) -> Community:
    """Start a community; its creator becomes its first organizer."""
    name = strip_html(name)[:200]
    if county is not None and state is None:
        state = county.state
    community = Community.objects.create(
        name=name,
        slug=unique_slug(Community, name),
        level=level,
        description=strip_html(description),
        state=state,
        county=county,
        topic=topic,
        join_policy=join_policy,
        join_questions=strip_html(join_questions),
        created_by=actor,
    )
    community.parents.set(parents)
    community.peers.set(peers)
    if actor is not None:
        CommunityMembership.objects.create(
            community=community,
            user=actor,
            role=CommunityMembership.Role.ORGANIZER,
            status=CommunityMembership.Status.ACTIVE,
            joined_at=timezone.now(),
        )
    log_action(actor, "community.created", community)
    return community


@transaction.atomic
def update_community(
    *,
    community: Community,
    actor: User,
    fields: dict,
    parents: Iterable[Community] | None = None,
    peers: Iterable[Community] | None = None,
) -> Community:
    """Organizers change their community's page, how people join, and its links."""
    if not community.can_organize(actor):
        raise NetworkError(_("Only organizers can change this community."))
    fields = {
        name: strip_html(value) if isinstance(value, str) and name != "join_policy" else value
        for name, value in fields.items()
    }
    if parents is not None:
        parents = list(parents)
        descendants = community_descendants(community)
        if any(p.pk == community.pk or p.pk in descendants for p in parents):
            raise NetworkError(_("A community cannot be part of itself or of one within it."))
    for name, value in fields.items():
        setattr(community, name, value)
    if fields:
        community.save(update_fields=list(fields))
    if parents is not None:
        community.parents.set(parents)
    if peers is not None:
        community.peers.set([p for p in peers if p.pk != community.pk])
    log_action(actor, "community.updated", community, fields=sorted(fields))
    return community


def community_descendants(community: Community) -> set[int]:
    """Ids of the communities nested (at any depth) within ``community``."""
    through = Community.parents.through
    found: set[int] = set()
    frontier = {community.pk}
    while frontier:
        children = set(
            through.objects.filter(to_community_id__in=frontier).values_list(
                "from_community_id", flat=True
            )
        )
        frontier = children - found - {community.pk}
        found |= frontier
    return found


@transaction.atomic
def join_community(*, community: Community, user: User, answers: str = "") -> CommunityMembership:
    """Join an open community at once, or ask to join one with questions."""
    if not community.is_active:
        raise NetworkError(_("This community is not taking new members."))
    existing = CommunityMembership.objects.filter(community=community, user=user).first()
    if existing is not None:
        if existing.status == CommunityMembership.Status.ACTIVE:
            raise NetworkError(_("You are already a member of this community."))
        if existing.status == CommunityMembership.Status.PENDING:
            raise NetworkError(_("Your request is with the organizers already."))
        raise NetworkError(
            _("The organizers did not accept your earlier request. Write to them to ask again.")
        )
    answers = strip_html(answers)
    if community.join_policy == Community.JoinPolicy.QUESTIONS:
        if not answers:
            raise NetworkError(_("Please answer the questions so the organizers can welcome you."))
        membership = CommunityMembership.objects.create(
            community=community, user=user, answers=answers
        )
        log_action(user, "community.join_requested", community)
    else:
        membership = CommunityMembership.objects.create(
            community=community,
            user=user,
            status=CommunityMembership.Status.ACTIVE,
            joined_at=timezone.now(),
        )
        log_action(user, "community.joined", community)
    return membership


@transaction.atomic
def leave_community(*, community: Community, user: User) -> None:
    membership = CommunityMembership.objects.filter(community=community, user=user).first()
    if membership is None:
        raise NetworkError(_("You are not a member of this community."))
    if membership.role == CommunityMembership.Role.ORGANIZER:
        others = community.memberships.filter(
            role=CommunityMembership.Role.ORGANIZER, status=CommunityMembership.Status.ACTIVE
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise NetworkError(
                _("You are this community's only organizer. Ask someone to organize it first.")
            )
    membership.delete()
    log_action(user, "community.left", community)


@transaction.atomic
def decide_membership(
    *, membership: CommunityMembership, actor: User, accept: bool
) -> CommunityMembership:
    """An organizer welcomes (or declines) someone who answered the join questions."""
    if not membership.community.can_organize(actor):
        raise NetworkError(_("Only organizers can welcome new members."))
    if membership.status != CommunityMembership.Status.PENDING:
        raise NetworkError(_("This request has already been answered."))
    if accept:
        membership.status = CommunityMembership.Status.ACTIVE
        membership.joined_at = timezone.now()
    else:
        membership.status = CommunityMembership.Status.DECLINED
    membership.save(update_fields=["status", "joined_at"])
    verb = "community.member_accepted" if accept else "community.member_declined"
    log_action(actor, verb, membership.community, user=membership.user_id)
    return membership


@transaction.atomic
def set_community_role(
    *, membership: CommunityMembership, actor: User, role: str
) -> CommunityMembership:
    community = membership.community
    if not community.can_organize(actor):
        raise NetworkError(_("Only organizers can change roles."))
    if membership.status != CommunityMembership.Status.ACTIVE:
        raise NetworkError(_("Only active members can become organizers."))
    if membership.role == CommunityMembership.Role.ORGANIZER and role != membership.role:
        others = community.memberships.filter(
            role=CommunityMembership.Role.ORGANIZER, status=CommunityMembership.Status.ACTIVE
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise NetworkError(_("A community needs at least one organizer."))
    membership.role = role
    membership.save(update_fields=["role"])
    log_action(actor, "community.role_changed", community, user=membership.user_id, role=role)
    return membership


@transaction.atomic
def create_post(*, community: Community, author: User, kind: str, title: str, body: str) -> Post:
    """Members start discussions; only organizers make announcements."""
    if not (community.is_member(author) or community.can_organize(author)):
        raise NetworkError(_("Join this community to post in it."))
    if kind == Post.Kind.ANNOUNCEMENT and not community.can_organize(author):
        raise NetworkError(_("Only organizers can post announcements."))
    title, body = strip_html(title)[:200], strip_html(body)
    if not title or not body:
        raise NetworkError(_("A post needs a title and a message."))
    post = Post.objects.create(
        community=community, author=author, kind=kind, title=title, body=body
    )
    log_action(author, "community.posted", community, post=post.pk, kind=kind)
    return post


# --- Connections between people -------------------------------------------------------------


def is_blocked(*, blocker: User, blocked: User) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def connection_between(first: User, second: User) -> Connection | None:
    """The most relevant connection row between two people, in either direction."""
    rows = Connection.objects.filter(
        Q(from_user=first, to_user=second) | Q(from_user=second, to_user=first)
    )
    order = {Connection.Status.ACCEPTED: 0, Connection.Status.PENDING: 1}
    return min(rows, key=lambda c: (order.get(c.status, 2), -c.pk), default=None)


@transaction.atomic
def send_connection_request(*, from_user: User, to_user: User, note: str = "") -> Connection:
    """Ask to connect. A pending request the other way round is accepted instead."""
    if from_user.pk == to_user.pk:
        raise NetworkError(_("That is you! You can't connect with yourself."))
    name = {"name": display_name(to_user)}
    if is_blocked(blocker=to_user, blocked=from_user):
        raise NetworkError(_("%(name)s is not taking connection requests.") % name)
    if is_blocked(blocker=from_user, blocked=to_user):
        raise NetworkError(
            _("You blocked %(name)s. Unblock them first if you want to connect.") % name
        )
    current = connection_between(from_user, to_user)
    if current is not None and current.status == Connection.Status.ACCEPTED:
        raise NetworkError(_("You are already connected with %(name)s.") % name)
    if current is not None and current.status == Connection.Status.PENDING:
        if current.from_user_id == from_user.pk:
            raise NetworkError(_("Your request to %(name)s is waiting.") % name)
        return respond_to_connection(connection=current, user=from_user, accept=True)
    note = strip_html(note)[:1000]
    connection = Connection.objects.filter(from_user=from_user, to_user=to_user).first()
    if connection is not None:
        if connection.status == Connection.Status.DECLINED:
            raise NetworkError(_("%(name)s has already answered an earlier request.") % name)
        connection.status, connection.note = Connection.Status.PENDING, note
        connection.responded_at = None
        connection.save(update_fields=["status", "note", "responded_at"])
    else:
        try:
            with transaction.atomic():
                connection = Connection.objects.create(
                    from_user=from_user, to_user=to_user, note=note
                )
        except IntegrityError:  # two clicks at once: the first one won
            raise NetworkError(_("Your request to %(name)s is waiting.") % name) from None
    log_action(from_user, "connection.requested", connection)
    return connection


@transaction.atomic
def respond_to_connection(*, connection: Connection, user: User, accept: bool) -> Connection:
    if connection.to_user_id != user.pk:
        raise NetworkError(_("Only the person asked can answer this request."))
    if connection.status != Connection.Status.PENDING:
        raise NetworkError(_("This request has already been answered."))
    connection.status = Connection.Status.ACCEPTED if accept else Connection.Status.DECLINED
    connection.responded_at = timezone.now()
    connection.save(update_fields=["status", "responded_at"])
    log_action(user, "connection.accepted" if accept else "connection.declined", connection)
    return connection


@transaction.atomic
def withdraw_connection(*, connection: Connection, user: User) -> Connection:
    """Withdraw a request you sent, or end a connection either of you made."""
    parties = {connection.from_user_id, connection.to_user_id}
    pending_by_me = (
        connection.status == Connection.Status.PENDING and connection.from_user_id == user.pk
    )
    accepted = connection.status == Connection.Status.ACCEPTED and user.pk in parties
    if not (pending_by_me or accepted):
        raise NetworkError(_("There is no request or connection here for you to withdraw."))
    connection.status = Connection.Status.WITHDRAWN
    connection.responded_at = timezone.now()
    connection.save(update_fields=["status", "responded_at"])
    log_action(user, "connection.withdrawn", connection)
    return connection


@transaction.atomic
def block_user(*, blocker: User, blocked: User) -> Block:
    """Stop all contact: open requests and connections between the two end."""
    if blocker.pk == blocked.pk:
        raise NetworkError(_("You can't block yourself."))
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if not created:
        raise NetworkError(
            _("You have already blocked %(name)s.") % {"name": display_name(blocked)}
        )
    Connection.objects.filter(
        Q(from_user=blocker, to_user=blocked) | Q(from_user=blocked, to_user=blocker),
        status__in=[Connection.Status.PENDING, Connection.Status.ACCEPTED],
    ).update(status=Connection.Status.WITHDRAWN, responded_at=timezone.now())
    log_action(blocker, "connection.blocked", block)
    return block


@transaction.atomic
def unblock_user(*, blocker: User, blocked: User) -> None:
    deleted, _rows = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if not deleted:
        raise NetworkError(_("You have not blocked %(name)s.") % {"name": display_name(blocked)})
    log_action(blocker, "connection.unblocked", blocked)
