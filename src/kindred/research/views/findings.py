"""Findings, shared widely: public pages with a family summary in English and Spanish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.research import services
from kindred.research.charts import bar_chart
from kindred.research.forms import FindingForm
from kindred.research.models import Finding, Study, is_curator


@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    findings = Finding.objects.published().select_related("study")
    return render(request, "research/finding_list.html", {"findings": findings})


def _bars(finding: Finding) -> list[dict]:
    spanish = (get_language() or "en").startswith("es")
    return [
        {"label": bar["label_es"] if spanish else bar["label_en"], "value": bar["value"]}
        for bar in finding.chart
    ]


@require_GET
def finding_detail(request: HttpRequest, slug: str) -> HttpResponse:
    finding = get_object_or_404(
        Finding.objects.visible_to(request.user).select_related("study"), slug=slug
    )
    bars = _bars(finding)
    top = max((b["value"] for b in bars), default=0)
    maximum = 100 if finding.chart_unit == "%" and top <= 100 else top
    context = {
        "finding": finding,
        "questions": finding.questions.all(),
        "bars": bars,
        "chart": bar_chart(bars, maximum=maximum, unit=finding.chart_unit) if bars else None,
        "can_edit": finding.can_edit(request.user),
    }
    return render(request, "research/finding_detail.html", context)


def _save_fields(form: FindingForm) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    questions = data.pop("questions")
    data["chart"] = data.pop("chart_rows")
    return data, questions


@login_required
def finding_new(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study, slug=slug)
    if not (study.is_team(request.user) or is_curator(request.user)):
        raise PermissionDenied
    form = FindingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data, questions = _save_fields(form)
        finding = services.create_finding(by=request.user, study=study, questions=questions, **data)
        messages.success(request, _("Draft saved. Publish it when it is ready."))
        return redirect(finding)
    return render(request, "research/finding_form.html", {"form": form, "study": study})


@login_required
def finding_edit(request: HttpRequest, slug: str) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.visible_to(request.user), slug=slug)
    if not finding.can_edit(request.user):
        raise PermissionDenied
    form = FindingForm(request.POST if request.method == "POST" else None, instance=finding)
    if request.method == "POST" and form.is_valid():
        data, questions = _save_fields(form)
        services.update_finding(finding, by=request.user, questions=questions, **data)
        messages.success(request, _("Finding saved."))
        return redirect(finding)
    return render(
        request,
        "research/finding_form.html",
        {"form": form, "finding": finding, "study": finding.study},
    )


@require_POST
@login_required
def finding_publish(request: HttpRequest, slug: str) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.visible_to(request.user), slug=slug)
    if not finding.can_edit(request.user):
        raise PermissionDenied
    publish = request.POST.get("publish") == "1"
    try:
        services.publish_finding(finding, by=request.user, publish=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published for everyone.") if publish else _("Back to draft."))
    return redirect(finding)
