from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kindred.core.tables import Column, Table
from kindred.places.maps import us_states_svg
from kindred.places.models import State
from kindred.systems import services
from kindred.systems.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    MilestoneForm,
    ProgressUpdateForm,
)
from kindred.systems.models import Commitment, Milestone, ProgressUpdate
from kindred.systems.services import SystemsError
from kindred.systems.views.common import add_error, admin_organizations, paginate


def _wall_queryset(user):
    return (
        Commitment.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related("partners", "states", Prefetch("milestones", Milestone.objects.all()))
    )


@require_GET
def commitment_list(request: HttpRequest) -> HttpResponse:
    form = CommitmentFilterForm(request.GET or None)
    qs = _wall_queryset(request.user)
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    page, query = paginate(request, qs, 20)
    template = "systems/commitment_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "can_commit": bool(admin_organizations(request.user)),
        },
    )


@require_GET
def commitment_map(request: HttpRequest) -> HttpResponse:
    rows = services.state_change_summary()
    values = {row["state"].usps: len(row["sectors_made"]) for row in rows}

    def label(value):
        if value is None:
            return _("no commitments yet")
        return ngettext(
            "%(n)d sector has made commitments", "%(n)d sectors have made commitments", value
        ) % {"n": value}

    svg = us_states_svg(
        values,
        title=_("Sectors with commitments, by state"),
        description=_("How many sectors have made commitments to change in each state."),
        link=lambda usps: reverse("systems:commitments") + f"?state={usps}",
        value_label=label,
        html_id="commitment-map",
    )
    table = Table(
        caption=_("Systems change by state"),
        columns=[
            Column(_("State")),
            Column(_("Commitments made"), numeric=True),
            Column(_("Kept"), numeric=True),
            Column(_("Sectors that made commitments")),
            Column(_("Sectors that kept one")),
        ],
        rows=[
            [
                row["state"].name,
                row["made"],
                row["kept"],
                ", ".join(s.name for s in row["sectors_made"]) or "—",
                ", ".join(s.name for s in row["sectors_kept"]) or "—",
            ]
            for row in rows
        ],
        empty=_("No commitments yet."),
    )
    return render(request, "systems/commitment_map.html", {"svg": svg, "table": table})


@require_GET
def commitment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related(
            "partners__sectors",
            "organization__sectors",
            "states",
            "milestones",
            Prefetch("updates", ProgressUpdate.objects.select_related("milestone")),
        ),
        slug=slug,
    )
    can_edit = commitment.can_edit(request.user)
    context = {"commitment": commitment, "can_edit": can_edit}
    if can_edit:
        context["update_form"] = ProgressUpdateForm(commitment=commitment)
        context["milestone_form"] = MilestoneForm()
    return render(request, "systems/commitment_detail.html", context)


@login_required
def commitment_new(request: HttpRequest) -> HttpResponse:
    organizations = admin_organizations(request.user)
    if not organizations:
        messages.info(
            request,
            _(
                "Commitments are made by organization administrators. Ask "
                "your organization's administrator, or add your organization."
            ),
        )
        return redirect("systems:commitments")
    form = CommitmentForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.create_commitment(
                actor=request.user,
                organization=data["organization"],
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                partners=list(data["partners"]),
                states=list(data["states"]),
                milestones=data["milestones"],
                target_date=data["target_date"],
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(
                request,
                _("Your commitment is on the wall. Report progress as you reach each milestone."),
            )
            return redirect(commitment)
    status = 422 if request.method == "POST" else 200
    return render(request, "systems/commitment_form.html", {"form": form}, status=status)


def _editable(request: HttpRequest, slug: str) -> Commitment:
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user), slug=slug)
    if not commitment.can_edit(request.user):
        raise PermissionDenied
    return commitment


@require_POST
@login_required
def commitment_update(request: HttpRequest, slug: str) -> HttpResponse:
    commitment = _editable(request, slug)
    form = ProgressUpdateForm(request.POST, request.FILES, commitment=commitment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.post_progress_update(
                commitment=commitment,
                actor=request.user,
                body=data["body"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
                milestone=data["milestone"],
                status=data["status"],
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Progress reported. Thank you for showing the work."))
            return redirect(commitment)
    context = {
        "commitment": commitment,
        "update_form": form,
        "can_edit": True,
        "milestone_form": MilestoneForm(),
    }
    return render(request, "systems/commitment_detail.html", context, status=422)


@require_POST
@login_required
def milestone_add(request: HttpRequest, slug: str) -> HttpResponse:
    commitment = _editable(request, slug)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(commitment=commitment, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
        return redirect(commitment)
    context = {
        "commitment": commitment,
        "milestone_form": form,
        "can_edit": True,
        "update_form": ProgressUpdateForm(commitment=commitment),
    }
    return render(request, "systems/commitment_detail.html", context, status=422)


@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    update = get_object_or_404(
        ProgressUpdate.objects.filter(commitment__in=Commitment.objects.visible_to(request.user)),
        pk=pk,
    )
    if not update.evidence_file:
        raise Http404
    name = update.evidence_name or update.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(update.evidence_file.open("rb"), as_attachment=True, filename=name)


def states_with_commitments() -> list[State]:
    return list(
        State.objects.annotate(n=Count("systems_commitments")).filter(n__gt=0).order_by("name")
    )
