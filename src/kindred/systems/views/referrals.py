from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.core.audit import log_action
from kindred.core.tables import Column, Table
from kindred.systems import services
from kindred.systems.fhir import referral_bundle
from kindred.systems.forms import InboxFilterForm, MetricsFilterForm, MoveForm, ReferralForm
from kindred.systems.models import Referral, Service
from kindred.systems.services import SystemsError
from kindred.systems.services.referrals import SMALL_CELL, suppress
from kindred.systems.views.common import add_error, my_organizations, paginate

INBOX_SIZE = 25


def _referral(request: HttpRequest, pk: uuid.UUID) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "service",
            "from_organization",
            "to_organization",
            "created_by",
            "from_sector",
            "to_sector",
        ),
        pk=pk,
    )


def _box(request: HttpRequest, *, received: bool) -> HttpResponse:
    organizations = my_organizations(request.user)
    chosen = None
    if organizations:
        wanted = request.GET.get("org")
        chosen = next((o for o in organizations if o.slug == wanted), organizations[0])
    form = InboxFilterForm(request.GET or None)
    ids = Referral.objects.none().values_list("pk", flat=True)
    # Someone who refers without belonging to an organization (a clinician referring from a
    # visit) still follows the referrals they sent.
    mine = chosen is None and not received
    if chosen is not None or mine:
        if mine:
            qs = Referral.objects.filter(created_by=request.user)
        else:
            field = "to_organization" if received else "from_organization"
            qs = Referral.objects.filter(**{field: chosen})
        order = ("-created", "-id")
        if form.is_valid():
            status = form.cleaned_data["status"]
            if status == "open":
                qs = qs.open()
            elif status:
                qs = qs.filter(status=status)
            if form.cleaned_data["overdue"]:
                # Closed referrals have no due date, so this is "open and late", longest
                # waiting first (the (organization, due_at) index serves it).
                qs = qs.overdue()
                order = ("due_at", "id")
        ids = qs.order_by(*order).values_list("pk", flat=True)
    # Page through ids alone (an index scan, even deep in the list), then load that page.
    page, query = paginate(request, ids, INBOX_SIZE)
    rows = Referral.objects.select_related("service", "from_organization", "to_organization")
    loaded = rows.in_bulk(list(page.object_list))
    page.object_list = [loaded[pk] for pk in page.object_list if pk in loaded]
    template = "systems/referral_inbox.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "organizations": organizations,
            "chosen": chosen,
            "mine": mine,
            "form": form,
            "page": page,
            "query": query,
            "received": received,
        },
    )


@require_GET
@login_required
def referral_inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, received=True)


@require_GET
@login_required
def referral_sent(request: HttpRequest) -> HttpResponse:
    return _box(request, received=False)


@require_GET
@login_required
def referral_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    referral = _referral(request, pk)
    log_action(request.user, "referral.viewed", referral)
    moves = referral.allowed_moves(request.user)
    return render(
        request,
        "systems/referral_detail.html",
        {
            "referral": referral,
            "events": referral.events.select_related("actor", "actor_organization"),
            "moves": [(value, Referral.Status(value).label) for value in moves],
            "form": MoveForm(),
            "is_receiver": referral.is_receiver(request.user),
        },
    )


@require_POST
@login_required
def referral_move(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    referral = _referral(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_referral(referral=referral, actor=request.user, **form.cleaned_data)
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                _("Saved: %(status)s.")
                % {"status": Referral.Status(form.cleaned_data["status"]).label},
            )
            return redirect(referral)
    moves = referral.allowed_moves(request.user)
    return render(
        request,
        "systems/referral_detail.html",
        {
            "referral": referral,
            "events": referral.events.select_related("actor", "actor_organization"),
            "moves": [(value, Referral.Status(value).label) for value in moves],
            "form": form,
            "is_receiver": referral.is_receiver(request.user),
        },
        status=422,
    )


@require_GET
@login_required
def referral_fhir(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    referral = _referral(request, pk)
    log_action(request.user, "referral.exported", referral, format="fhir")
    bundle = referral_bundle(referral, base_url=settings.SITE_URL)
    response = JsonResponse(bundle, content_type="application/fhir+json")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.short_ref}.json"'
    return response


@login_required
def referral_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    organizations = my_organizations(request.user)
    if not organizations:
        messages.info(
            request,
            _(
                "Referrals are sent on behalf of an organization. Join or add "
                "your organization first."
            ),
        )
        return redirect(service)
    form = ReferralForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = data["subject_kind"] == "member"
        try:
            referral = services.create_referral(
                created_by=request.user,
                from_organization=data["organization"],
                service=service,
                subject_kind=data["subject_kind"],
                subject_ref=str(request.user.pk) if member else "k-" + get_random_string(10),
                shared_info=form.shared_info(),
                consent_to_share=data["consent_to_share"],
                urgency=data["urgency"],
                note=data["note"],
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                _("Referral sent. You will see here when %(org)s answers.")
                % {"org": service.organization.name},
            )
            return redirect(referral)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "systems/referral_form.html", {"form": form, "service": service}, status=status
    )


@require_GET
def referral_metrics(request: HttpRequest) -> HttpResponse:
    form = MetricsFilterForm(request.GET or None)
    state = form.cleaned_data.get("state") if form.is_valid() else None
    figures = services.referral_metrics(state=state)
    enough = figures["total"] >= SMALL_CELL
    table = Table(
        caption=_("Referrals by sector pair"),
        columns=[
            Column(_("From sector")),
            Column(_("To sector")),
            Column(_("Crosses a system line")),
            Column(_("Referrals"), numeric=True),
        ],
        rows=[
            [
                row["from"].name if row["from"] else _("Not stated"),
                row["to"].name if row["to"] else _("Not stated"),
                _("Yes") if row["crosses"] else _("No"),
                suppress(row["count"]),
            ]
            for row in figures["pairs"]
        ],
        empty=_("No referrals yet."),
    )
    return render(
        request,
        "systems/referral_metrics.html",
        {
            "form": form,
            "state": state,
            "figures": figures,
            "table": table,
            "enough": enough,
            "total": suppress(figures["total"]),
            "crossing": suppress(figures["crossing"]),
        },
    )
