"""Communities: find them, see their people and map, join, organize, post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core.models import Role, Sector, Topic
from kindred.network import services
from kindred.network.decorators import member_required
from kindred.network.forms import (
    CommunityEditForm,
    CommunityForm,
    JoinCommunityForm,
    PostForm,
)
from kindred.network.maps import community_map
from kindred.network.models import Community, CommunityMembership, MemberProfile, Post
from kindred.network.sections import community_sections
from kindred.network.views import query_without_page
from kindred.places.models import State

PAGE_SIZE = 24
PEOPLE_ON_PAGE = 12
LARGE_COMMUNITY = 1000
SUMMARY_SECONDS = 300


def get_community_for(user, slug: str) -> Community:
    return get_object_or_404(
        Community.objects.visible_to(user).select_related("state", "county__state", "topic"),
        slug=slug,
    )


def _people(community: Community, user, *, own: bool = True):
    """Profiles of the community's active members that ``user`` may see."""
    return MemberProfile.objects.visible_to(user, own=own).filter(
        user__community_memberships__community=community,
        user__community_memberships__status=CommunityMembership.Status.ACTIVE,
    )


def _viewer_class(user) -> str:
    """Who sees which profiles (MemberProfile.visible_to), as a cache key part."""
    if getattr(user, "is_authenticated", False):
        return "staff" if user.is_staff or user.is_superuser else "member"
    return "public"


def _summary(community: Community, user, *, large: bool) -> dict:
    """The community's people by role, by sector and on the map, and its first people.

    For a community of LARGE_COMMUNITY members or more (the national network has every
    member) these take most of a second, so they are kept SUMMARY_SECONDS per kind of viewer
    and language; at that size a joiner (or one's own hidden profile) changing a count a few
    minutes late does not matter; a member's own hidden profile is left out of what is kept,
    since others see it. Smaller communities are counted on every visit."""
    people = _people(community, user, own=not large)

    def build() -> dict:
        return {
            "role_counts": list(
                Role.objects.filter(member_profiles__in=people)
                .annotate(n=Count("member_profiles"))
                .order_by("-n", "sort_order")
            ),
            "sector_counts": list(
                Sector.objects.filter(member_profiles__in=people)
                .annotate(n=Count("member_profiles"))
                .order_by("-n", "sort_order")
            ),
            "people": list(
                people.select_related("county__state", "state")
                .prefetch_related("roles", "sectors")
                .order_by("display_name", "id")[:PEOPLE_ON_PAGE]
            ),
            "map": community_map(community, people),
        }

    if not large:
        return build()
    key = f"network:community-summary:{community.pk}:{_viewer_class(user)}:{get_language() or 'en'}"
    return cache.get_or_set(key, build, SUMMARY_SECONDS)


@require_GET
def community_list(request: HttpRequest) -> HttpResponse:
    communities = (
        Community.objects.visible_to(request.user)
        .select_related("state", "county__state", "topic")
        .order_by("name", "id")
    )
    levels = dict(Community.Level.choices)
    level = request.GET.get("level", "")
    if level in levels:
        communities = communities.filter(level=level)
    state = State.objects.filter(usps=request.GET.get("state", "").upper()).first()
    if state:
        communities = communities.filter(state=state)
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")).first()
    if topic:
        communities = communities.filter(topic=topic)
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = Community.objects.count_members(page.object_list)
    context = {
        "page": page,
        "query": query_without_page(request),
        "levels": Community.Level.choices,
        "level": level if level in levels else "",
        "states": State.objects.all(),
        "state": state,
        "topics": Topic.objects.active(),
        "topic": topic,
    }
    template = "network/community_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    user = request.user
    membership = community.membership_for(user)
    is_member = membership is not None and membership.status == CommunityMembership.Status.ACTIVE
    can_organize = user.is_authenticated and (
        user.is_staff or (is_member and membership.role == CommunityMembership.Role.ORGANIZER)
    )
    member_count = community.memberships.filter(status=CommunityMembership.Status.ACTIVE).count()
    context = {
        "community": community,
        "membership": membership,
        "is_member": is_member,
        "can_organize": can_organize,
        "parents": community.parents.active(),
        "children": community.children.active(),
        "peers": community.peers.active(),
        "member_count": member_count,
        **_summary(community, user, large=member_count >= LARGE_COMMUNITY),
        "posts": community.posts.select_related("author__profile")[:10]
        if is_member or (user.is_authenticated and user.is_staff)
        else [],
        "post_form": PostForm(can_announce=can_organize) if is_member else None,
        "pending_count": community.memberships.filter(
            status=CommunityMembership.Status.PENDING
        ).count()
        if can_organize
        else 0,
        "join_form": JoinCommunityForm(),
        "sections": community_sections(request, community),
    }
    return render(request, "network/community_detail.html", context)


@require_GET
def community_people(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    people = _people(community, request.user)
    role = Role.objects.filter(slug=request.GET.get("role", "")).first()
    if role:
        people = people.filter(roles=role)
    sector = Sector.objects.filter(slug=request.GET.get("sector", "")).first()
    if sector:
        people = people.filter(sectors=sector)
    people = (
        people.select_related("county__state", "state")
        .prefetch_related("roles", "sectors")
        .order_by("display_name", "id")
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "query": query_without_page(request),
        "roles": Role.objects.active(),
        "sectors": Sector.objects.active(),
        "role": role,
        "sector": sector,
    }
    return render(request, "network/community_people.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def community_create(request: HttpRequest) -> HttpResponse:
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = data.get("area_zip")
        community = services.create_community(
            actor=request.user,
            name=data["name"],
            level=data["level"],
            description=data["description"],
            state=area.state if area else data["state"],
            county=area.county if area else None,
            topic=data["topic"],
            join_policy=data["join_policy"],
            join_questions=data["join_questions"],
            parents=data["parents"],
        )
        messages.success(request, _("Your community is ready. Invite people to join!"))
        return redirect(community)
    return render(request, "network/community_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    if not community.can_organize(request.user):
        raise PermissionDenied
    form = CommunityEditForm(request.POST or None, instance=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_community(
                community=community,
                actor=request.user,
                fields={
                    name: data[name]
                    for name in ("name", "description", "join_policy", "join_questions")
                },
                parents=data["parents"],
                peers=data["peers"],
            )
        except services.NetworkError as exc:
            form.add_error("parents", exc.message)
        else:
            messages.success(request, _("The community's page is saved."))
            return redirect(community)
    if request.method == "POST":
        community.refresh_from_db()
    context = {"form": form, "community": community}
    return render(request, "network/community_edit.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Open communities: one click. With questions: answer them, then organizers decide."""
    community = get_community_for(request.user, slug)
    form = JoinCommunityForm(request.POST or None)
    asks_questions = community.join_policy == Community.JoinPolicy.QUESTIONS
    if request.method == "POST" and (not asks_questions or form.is_valid()):
        answers = form.cleaned_data.get("answers", "") if asks_questions else ""
        try:
            membership = services.join_community(
                community=community, user=request.user, answers=answers
            )
        except services.NetworkError as exc:
            messages.error(request, exc.message)
        else:
            if membership.status == CommunityMembership.Status.ACTIVE:
                messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
            else:
                messages.success(request, _("Thank you! The organizers will welcome you in soon."))
        return redirect(community)
    return render(request, "network/community_join.html", {"community": community, "form": form})


@require_POST
@login_required
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    try:
        services.leave_community(community=community, user=request.user)
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You left %(name)s.") % {"name": community.name})
    return redirect(community)


@require_GET
@login_required
def community_requests(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    if not community.can_organize(request.user):
        raise PermissionDenied
    pending = community.memberships.filter(
        status=CommunityMembership.Status.PENDING
    ).select_related("user__profile__county__state")
    organizers = (
        community.memberships.filter(status=CommunityMembership.Status.ACTIVE)
        .select_related("user__profile")
        .order_by("role", "user__profile__display_name")[:200]
    )
    context = {"community": community, "pending": pending, "members": organizers}
    return render(request, "network/community_requests.html", context)


@require_POST
@login_required
def community_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = get_community_for(request.user, slug)
    if not community.can_organize(request.user):
        raise PermissionDenied
    membership = get_object_or_404(CommunityMembership, pk=pk, community=community)
    try:
        if "role" in request.POST:
            role = request.POST["role"]
            if role not in CommunityMembership.Role.values:
                raise services.NetworkError(_("Choose a role from the list."))
            services.set_community_role(membership=membership, actor=request.user, role=role)
            messages.success(request, _("Saved."))
        else:
            accept = request.POST.get("answer") == "accept"
            services.decide_membership(membership=membership, actor=request.user, accept=accept)
            messages.success(request, _("Welcomed in.") if accept else _("Request declined."))
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    return redirect("network:community-requests", slug=slug)


@require_POST
@login_required
def community_post(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for(request.user, slug)
    can_announce = community.can_organize(request.user)
    form = PostForm(request.POST, can_announce=can_announce)
    if not form.is_valid():
        messages.error(request, _("A post needs a title and a message."))
        return redirect(community)
    data = form.cleaned_data
    try:
        services.create_post(
            community=community,
            author=request.user,
            kind=data.get("kind") or Post.Kind.DISCUSSION,
            title=data["title"],
            body=data["body"],
        )
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Posted."))
    return redirect(f"{community.get_absolute_url()}#posts")
