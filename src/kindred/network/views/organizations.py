"""Organizations: list, page, add, edit, members, and verification by network staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.core.models import Sector
from kindred.network import services
from kindred.network.decorators import member_required
from kindred.network.forms import (
    OrganizationForm,
    OrganizationMemberChangeForm,
    OrganizationMemberForm,
)
from kindred.network.models import MemberProfile, Organization, OrganizationMembership
from kindred.network.views import query_without_page
from kindred.places.models import State

PAGE_SIZE = 24


def get_organization_for(user, slug: str, *, write: bool = False) -> Organization:
    """The organization at ``slug``; 404 when missing, 403 when ``write`` is refused."""
    organization = get_object_or_404(
        Organization.objects.visible_to(user).select_related("county__state", "state"), slug=slug
    )
    if write and not organization.can_edit(user):
        raise PermissionDenied
    return organization


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.visible_to(request.user)
        .select_related("county__state", "state")
        .prefetch_related("sectors")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "id")
    )
    state = State.objects.filter(usps=request.GET.get("state", "").upper()).first()
    if state:
        organizations = organizations.filter(state=state)
    sector = Sector.objects.filter(slug=request.GET.get("sector", "")).first()
    if sector:
        organizations = organizations.filter(sectors=sector)
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query_without_page(request),
        "states": State.objects.all(),
        "sectors": Sector.objects.active(),
        "state": state,
        "sector": sector,
    }
    return render(request, "network/organization_list.html", context)


@require_GET
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug)
    visible = MemberProfile.objects.visible_to(request.user)
    members = (
        OrganizationMembership.objects.filter(organization=organization, user__profile__in=visible)
        .select_related("user__profile__county__state")
        .order_by("-role", "user__profile__display_name")
    )
    context = {
        "organization": organization,
        "sectors": organization.sectors.all(),
        "states_served": organization.states_served.all(),
        "counties_served": organization.counties_served.select_related("state"),
        "members": members[:50],
        "member_count": members.count(),
        "can_edit": organization.can_edit(request.user),
        "can_verify": request.user.is_authenticated and request.user.is_staff,
    }
    return render(request, "network/organization_detail.html", context)


def _relations(data: dict, form: OrganizationForm) -> dict:
    relations = {"sectors": data["sectors"], "states_served": data["states_served"]}
    if "counties_served" in form.fields:
        relations["counties_served"] = data["counties_served"]
    return relations


@require_http_methods(["GET", "POST"])
@member_required
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.create_organization(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                website=data["website"],
                sectors=data["sectors"],
                zip_code=data["zip_code"],
                states_served=data["states_served"],
            )
        except services.NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The organization's page is ready."))
            return redirect(organization)
    return render(request, "network/organization_form.html", {"form": form, "organization": None})


@require_http_methods(["GET", "POST"])
@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug, write=True)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "description", "website", "zip_code")}
        services.update_organization(
            organization=organization,
            actor=request.user,
            fields=fields,
            **_relations(data, form),
        )
        messages.success(request, _("The organization's page is saved."))
        return redirect(organization)
    if request.method == "POST":
        organization.refresh_from_db()
    context = {"form": form, "organization": organization}
    return render(request, "network/organization_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug, write=True)
    form = OrganizationMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_organization_member(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except services.NetworkError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("Added."))
            return redirect("network:organization-members", slug=slug)
    memberships = organization.memberships.select_related("user__profile").order_by(
        "role", "user__name"
    )
    rows = [
        (m, OrganizationMemberChangeForm(initial={"role": m.role, "title": m.title}, prefix=m.pk))
        for m in memberships
    ]
    context = {"organization": organization, "form": form, "rows": rows}
    return render(request, "network/organization_members.html", context)


@require_POST
@login_required
def organization_member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = get_organization_for(request.user, slug, write=True)
    membership = get_object_or_404(OrganizationMembership, pk=pk, organization=organization)
    form = OrganizationMemberChangeForm(request.POST, prefix=pk)
    try:
        if request.POST.get("remove"):
            services.remove_organization_member(membership=membership, actor=request.user)
            messages.success(request, _("Removed from the organization."))
        elif form.is_valid():
            services.change_organization_member(
                membership=membership, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Choose a role from the list."))
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    return redirect("network:organization-members", slug=slug)


@require_POST
@login_required
def organization_verify(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    organization = get_organization_for(request.user, slug)
    verified = request.POST.get("verified", "1") == "1"
    services.verify_organization(organization=organization, actor=request.user, verified=verified)
    if verified:
        messages.success(request, _("%(name)s is now verified.") % {"name": organization.name})
    else:
        messages.success(request, _("Verification removed."))
    return redirect(organization)
