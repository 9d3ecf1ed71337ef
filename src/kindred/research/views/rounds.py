"""Delphi rounds: set up (curators), rate (panelists), results (weighted, with CSV)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.research import services
from kindred.research.charts import bar_chart
from kindred.research.delphi import GROUPS, compute_results, previous_feedback, results_csv
from kindred.research.forms import PanelistsForm, RatingForm, RoundForm
from kindred.research.models import Rating, Round, StakeholderGroup, is_curator


def _round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.visible_to(request.user), pk=pk)


def _require_curator(request: HttpRequest) -> None:
    if not is_curator(request.user):
        raise PermissionDenied


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = (
        Round.objects.visible_to(request.user)
        .annotate(panel_size=Count("panelists", distinct=True))
        .order_by("-created", "-id")
    )
    return render(
        request,
        "research/round_list.html",
        {"rounds": rounds, "is_curator": is_curator(request.user)},
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    _require_curator(request)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        questions = data.pop("questions")
        round_ = services.create_round(by=request.user, questions=questions, **data)
        messages.success(request, _("Round created. Add panelists, then open it."))
        return redirect(round_)
    return render(request, "research/round_form.html", {"form": form})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_curator(request)
    round_ = _round(request, pk)
    form = RoundForm(request.POST if request.method == "POST" else None, instance=round_)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        questions = data.pop("questions")
        try:
            services.update_round(round_, by=request.user, questions=questions, **data)
        except ValidationError as exc:
            form.add_error("questions", exc)
        else:
            messages.success(request, _("Round saved."))
            return redirect(round_)
    return render(request, "research/round_form.html", {"form": form, "round": round_})


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    panel = dict(round_.panelists.values_list("group").annotate(n=Count("id")).order_by())
    context = {
        "round": round_,
        "questions": [rq.question for rq in round_.round_questions.select_related("question")],
        "panel": [(label, panel.get(value, 0)) for value, label in StakeholderGroup.choices],
        "panelist": round_.panelist_for(request.user),
        "is_curator": is_curator(request.user),
        "panelists_form": PanelistsForm() if is_curator(request.user) else None,
        "can_see_results": round_.can_see_results(request.user),
    }
    return render(request, "research/round_detail.html", context)


@require_POST
@login_required
def round_panelists(request: HttpRequest, pk: int) -> HttpResponse:
    _require_curator(request)
    round_ = _round(request, pk)
    form = PanelistsForm(request.POST)
    if form.is_valid():
        for user in form.cleaned_data["emails"]:
            services.add_panelist(round_, user, group=form.cleaned_data["group"], by=request.user)
        messages.success(request, _("Panelists added."))
    else:
        for error in form.errors.get("emails", []):
            messages.error(request, error)
    return redirect(round_)


@require_POST
@login_required
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_curator(request)
    round_ = _round(request, pk)
    try:
        if request.POST.get("action") == "open" and round_.status == Round.Status.DRAFT:
            services.open_round(round_, by=request.user)
            messages.success(request, _("The round is open for rating."))
        elif request.POST.get("action") == "close" and round_.is_open:
            services.close_round(round_, by=request.user)
            messages.success(request, _("The round is closed; results are public."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(round_)


@require_POST
@login_required
def round_join(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        services.join_round(round_, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(round_)
    messages.success(request, _("Welcome to the panel. Your view counts."))
    return redirect("research:round-rate", pk=round_.pk)


@login_required
def round_rate(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    panelist = round_.panelist_for(request.user)
    if panelist is None:
        raise PermissionDenied
    questions = [rq.question for rq in round_.round_questions.select_related("question")]
    mine = {
        qid: (score, comment)
        for qid, score, comment in Rating.objects.filter(panelist=panelist).values_list(
            "question_id", "score", "comment"
        )
    }
    form = RatingForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial_ratings=mine,
    )
    if request.method == "POST":
        if not round_.is_open:
            messages.error(request, _("This round is closed."))
            return redirect(round_)
        if form.is_valid():
            count = services.submit_ratings(panelist, form.ratings(), by=request.user)
            messages.success(
                request,
                _("Saved %(count)s ratings. You can change them until the round closes.")
                % {"count": count},
            )
            return redirect("research:round-rate", pk=round_.pk)
    feedback = previous_feedback(round_, request.user)
    rows = [
        (question, score, comment, feedback.get(question.pk))
        for question, score, comment in form.rows()
    ]
    context = {
        "round": round_,
        "form": form,
        "rows": rows,
        "panelist": panelist,
        "has_feedback": bool(feedback),
    }
    return render(request, "research/round_rate.html", context)


def _chart(results) -> dict:
    rows = [
        {
            "label": f"{r.rank}. {r.question.title[:70]}",
            "value": round(r.weighted.high * 100),
            "markers": [
                {"key": g, "value": r.groups[g].high * 100} for g in GROUPS if r.groups[g].n
            ],
        }
        for r in results
    ]
    return bar_chart(rows, maximum=100)


@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if not round_.can_see_results(request.user):
        raise PermissionDenied
    results = compute_results(round_)
    context = {
        "round": round_,
        "results": results,
        "chart": _chart(results),
        "groups": StakeholderGroup.choices,
    }
    return render(request, "research/round_results.html", context)


@require_GET
def round_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if not round_.can_see_results(request.user):
        raise PermissionDenied
    response = HttpResponse(
        results_csv(round_, compute_results(round_)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-results.csv"'
    return response
