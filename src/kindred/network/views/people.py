"""Member profiles: view one (as its visibility allows) and edit your own."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.network import services
from kindred.network.decorators import member_required
from kindred.network.forms import ConnectionRequestForm, ProfileForm
from kindred.network.models import (
    Block,
    CommunityMembership,
    Connection,
    MemberProfile,
    Organization,
    OrganizationMembership,
)

PROFILE_FIELDS = [
    "display_name",
    "pronouns",
    "zip_code",
    "bio",
    "visibility",
    "listed_in_directory",
    "contact_methods",
    "phone",
]


@require_GET
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(
        MemberProfile.objects.visible_to(request.user)
        .select_related("user", "county__state", "state")
        .prefetch_related(
            "roles",
            "sectors",
            "topics",
            "languages",
            Prefetch(
                "user__organization_memberships",
                queryset=OrganizationMembership.objects.select_related("organization"),
            ),
            Prefetch(
                "user__community_memberships",
                queryset=CommunityMembership.objects.filter(
                    status=CommunityMembership.Status.ACTIVE, community__is_active=True
                ).select_related("community"),
            ),
        ),
        pk=pk,
    )
    viewer = request.user
    is_me = viewer.is_authenticated and viewer.pk == profile.user_id
    connection = blocked_by_me = None
    if viewer.is_authenticated and not is_me:
        connection = services.connection_between(viewer, profile.user)
        blocked_by_me = Block.objects.filter(blocker=viewer, blocked=profile.user).exists()
    connected = connection is not None and connection.status == Connection.Status.ACCEPTED
    context = {
        "profile": profile,
        "is_me": is_me,
        "connection": connection,
        "connected": connected,
        "blocked_by_me": blocked_by_me,
        "can_edit": profile.can_edit(viewer),
        "connect_form": ConnectionRequestForm(),
        "show_phone": bool(profile.phone) and (is_me or connected),
    }
    return render(request, "network/profile_detail.html", context)


@require_GET
@member_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("network:profile", pk=request.user.profile.pk)


@require_http_methods(["GET", "POST"])
@member_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            data = form.cleaned_data
            fields = {name: data[name] for name in PROFILE_FIELDS}
            if data["photo"] is not None:
                fields["photo"] = data["photo"]
            services.update_profile(
                profile=profile,
                actor=request.user,
                fields=fields,
                roles=data["roles"],
                sectors=data["sectors"],
                topics=data["topics"],
                languages=data["languages"],
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("network:profile", pk=profile.pk)
        # Validation copied the rejected values onto the instance; show the saved ones.
        profile.refresh_from_db()
    else:
        form = ProfileForm(instance=profile)
    org_query = request.GET.get("organization", "").strip()[:100]
    context = {
        "form": form,
        "profile": profile,
        "affiliations": request.user.organization_memberships.select_related("organization"),
        "org_query": org_query,
        "org_matches": Organization.objects.filter(name__icontains=org_query)
        .exclude(memberships__user=request.user)
        .select_related("county__state")[:10]
        if org_query
        else [],
    }
    return render(request, "network/profile_edit.html", context)


@require_POST
@member_required
def affiliation_add(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    try:
        services.add_affiliation(
            user=request.user, organization=organization, title=request.POST.get("title", "")
        )
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Added %(name)s to your profile.") % {"name": organization})
    return redirect("network:profile-edit")


@require_POST
@member_required
def affiliation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(OrganizationMembership, pk=pk, user=request.user)
    try:
        services.remove_organization_member(membership=membership, actor=request.user)
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed from your profile."))
    return redirect("network:profile-edit")
