from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kindred.core.progress import enqueue_with_progress
from kindred.network.models import Organization
from kindred.systems import services
from kindred.systems.forms import CapacityForm, ImportForm, ServiceForm, ServiceSearchForm
from kindred.systems.hsds_import import HsdsImportError, import_hsds
from kindred.systems.models import Service
from kindred.systems.services import SystemsError
from kindred.systems.tasks import import_hsds_file
from kindred.systems.views.common import add_error, paginate

SYNC_IMPORT_BYTES = 512 * 1024  # bigger files are imported by a background task


def _service(request: HttpRequest, pk: uuid.UUID) -> Service:
    return get_object_or_404(
        Service.objects.visible_to(request.user).select_related("organization"), pk=pk
    )


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    qs = Service.objects.visible_to(request.user).active()
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    elif form.is_bound:
        qs = qs.none()
    page, query = paginate(request, qs.select_related("organization").order_by("name", "id"))
    template = "systems/service_search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page, "query": query})


@require_GET
def service_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related(
            "needs", "languages", "counties__state", "schedules", "at_locations__location__state"
        ),
        pk=pk,
    )
    can_edit = service.can_edit(request.user)
    return render(
        request,
        "systems/service_detail.html",
        {
            "service": service,
            "can_edit": can_edit,
            "capacity_form": CapacityForm(initial={"capacity": service.capacity}),
        },
    )


def _managed_organization(request: HttpRequest, slug: str) -> Organization:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    if not organization.can_edit(request.user):
        raise PermissionDenied
    return organization


@login_required
def service_new(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _managed_organization(request, slug)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relations = {k: data.pop(k) for k in ("needs", "languages")}
        counties = data.pop("counties_text") or (
            [organization.county] if organization.county_id else []
        )
        try:
            service = services.create_service(
                actor=request.user,
                organization=organization,
                counties=counties,
                needs=list(relations["needs"]),
                languages=list(relations["languages"]),
                **data,
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The service is listed in the directory."))
            return redirect(service)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "systems/service_form.html",
        {"form": form, "organization": organization},
        status=status,
    )


@login_required
def service_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _service(request, pk)
    if not service.can_edit(request.user):
        raise PermissionDenied
    initial = {"counties_text": ", ".join(service.counties.values_list("fips", flat=True))}
    form = ServiceForm(request.POST or None, instance=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relations = {k: list(data.pop(k)) for k in ("needs", "languages")}
        counties = data.pop("counties_text")
        try:
            services.update_service(
                service=Service.objects.get(pk=service.pk),
                actor=request.user,
                counties=counties,
                **relations,
                **data,
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(service)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "systems/service_form.html",
        {"form": form, "organization": service.organization, "service": service},
        status=status,
    )


@require_POST
@login_required
def service_capacity(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _service(request, pk)
    if not service.can_edit(request.user):
        raise PermissionDenied
    form = CapacityForm(request.POST)
    if form.is_valid():
        services.set_capacity(service=service, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Capacity updated: referrers see it right away."))
    else:
        messages.error(request, _("Choose accepting, waitlist or full."))
    return redirect(service)


@login_required
def organization_services(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _managed_organization(request, slug)
    listed = Service.objects.filter(organization=organization).order_by("name")
    return render(
        request,
        "systems/organization_services.html",
        {"organization": organization, "services": listed},
    )


@login_required
def organization_import(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _managed_organization(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        filename, content = form.cleaned_data["file"]
        default_need = form.cleaned_data["default_need"]
        if len(content) > SYNC_IMPORT_BYTES:
            progress = enqueue_with_progress(
                import_hsds_file,
                request.user,
                _("Importing services"),
                organization_id=organization.pk,
                user_id=request.user.pk,
                filename=filename,
                content=content,
                default_need_id=default_need.pk if default_need else None,
            )
            return redirect(progress)
        try:
            imported = import_hsds(
                organization=organization,
                actor=request.user,
                filename=filename,
                content=content,
                default_need=default_need,
            )
        except HsdsImportError as exc:
            form.add_error("file", str(exc.summary))
            problems = exc.problems
        else:
            messages.success(
                request,
                ngettext(
                    "Imported %(count)d service.", "Imported %(count)d services.", len(imported)
                )
                % {"count": len(imported)},
            )
            return redirect("systems:organization-services", organization.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "systems/organization_import.html",
        {"organization": organization, "form": form, "problems": problems},
        status=status,
    )
