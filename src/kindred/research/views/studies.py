"""Public study pages; the lead edits the study and its team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.research import services
from kindred.research.forms import StudyForm, TeamForm
from kindred.research.models import DataRequest, Study


@require_GET
def study_list(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.select_related("lead").prefetch_related("questions")
    return render(request, "research/study_list.html", {"studies": studies})


@require_GET
def study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study.objects.select_related("lead"), slug=slug)
    is_team = study.is_team(request.user)
    context = {
        "study": study,
        "questions": study.questions.order_by("title"),
        "sites": study.sites.order_by("name"),
        "instruments": study.instruments.order_by("slug"),
        "team": study.team.order_by("name"),
        "findings": study.findings.published(),
        "is_team": is_team,
        "can_edit": study.can_edit(request.user),
        "requests": DataRequest.objects.visible_to(request.user).filter(study=study)
        if request.user.is_authenticated
        else [],
        "team_form": TeamForm() if study.can_edit(request.user) else None,
    }
    return render(request, "research/study_detail.html", context)


@login_required
def study_new(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        study = services.create_study(by=request.user, **form.cleaned_data)
        messages.success(request, _("Study created. You are its lead."))
        return redirect(study)
    return render(request, "research/study_form.html", {"form": form})


@login_required
def study_edit(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study, slug=slug)
    if not study.can_edit(request.user):
        raise PermissionDenied
    form = StudyForm(request.POST if request.method == "POST" else None, instance=study)
    if request.method == "POST" and form.is_valid():
        services.update_study(study, by=request.user, **form.cleaned_data)
        messages.success(request, _("Study saved."))
        return redirect(study)
    return render(request, "research/study_form.html", {"form": form, "study": study})


@require_POST
@login_required
def study_team(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study, slug=slug)
    if not study.can_edit(request.user):
        raise PermissionDenied
    remove = request.POST.get("remove")
    if remove:
        team = [member for member in study.team.all() if str(member.pk) != remove]
        services.update_study(study, by=request.user, team=team)
        messages.success(request, _("Removed from the team."))
        return redirect(study)
    form = TeamForm(request.POST)
    if form.is_valid():
        team = [*study.team.all(), form.cleaned_data["email"]]
        services.update_study(study, by=request.user, team=team)
        messages.success(request, _("Added to the team."))
    else:
        messages.error(request, " ".join(form.errors.get("email", [])))
    return redirect(study)
