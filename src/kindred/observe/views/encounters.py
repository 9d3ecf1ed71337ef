"""Visits: start, fill instruments (whole form or one question at a time), submit, see the
result with strengths first, print the handout, amend, mark in error, resolve alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.observe import services
from kindred.observe.access import (
    client_ip,
    get_alert_for,
    get_encounter_for,
    get_family_for,
    get_response_for,
    record,
)
from kindred.observe.engine.definition import pick
from kindred.observe.engine.scoring import AnswerErrors, drop_hidden, enabled_items, score
from kindred.observe.forms import (
    FinishEncounterForm,
    FollowUpForm,
    ReasonForm,
    ResolveAlertForm,
    StartEncounterForm,
    answer_form_class,
    answers_to_initial,
    form_to_answers,
)
from kindred.observe.guidance import CRISIS_LINE, HOTLINE, build_guidance
from kindred.observe.handout import handout_pdf
from kindred.observe.models import Encounter, InstrumentVersion, Response


def _messages_from(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def encounter_new(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_for(request, pk, need="screen")
    rows = services.instruments_due(family)
    form = StartEncounterForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            encounter = services.start_encounter(
                family,
                by=request.user,
                versions=list(form.cleaned_data["versions"]),
                on=form.cleaned_data["date"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, _messages_from(exc))
        else:
            return redirect(encounter)
    return render(
        request,
        "observe/encounter_new.html",
        {
            "family": family,
            "site": family.site,
            "form": form,
            "rows": rows,
            "corrected_days": family.corrected_age_days(),
        },
    )


@login_required
def encounter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk)
    record(request, "encounter.viewed", encounter, site=encounter.site_id)
    responses = list(encounter.responses.select_related("instrument_version__instrument", "rater"))
    membership = encounter.site.membership_for(request.user)
    observation_versions = {
        r.instrument_version for r in responses if r.spec.is_observation and not r.is_second_rating
    }
    return render(
        request,
        "observe/encounter_detail.html",
        {
            "encounter": encounter,
            "family": encounter.family,
            "site": encounter.site,
            "responses": responses,
            "membership": membership,
            "finish_form": FinishEncounterForm(),
            "error_form": ReasonForm(),
            "second_rating_versions": sorted(observation_versions, key=str),
            "has_submitted": any(r.is_submitted and not r.is_second_rating for r in responses),
        },
    )


def _step_items(spec, answers) -> list[str]:
    shown = (
        enabled_items(spec, score(spec, answers, partial=True).answers)
        if answers
        else (enabled_items(spec, {}))
    )
    return [i.link_id for i in spec.answerable_items if i.link_id in shown]


@login_required
def response_fill(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for(request, pk, need="screen")
    if response.status != Response.Status.IN_PROGRESS:
        return redirect(response.encounter)
    spec, encounter = response.spec, response.encounter
    language = encounter.language
    texts = services.content_texts(response.site, response.instrument_version, language)
    step_mode = (request.POST.get("mode") or request.GET.get("mode")) == "step"
    steps = _step_items(spec, response.answers)
    step = _int(request.POST.get("step") or request.GET.get("step"), 0, len(steps) - 1)
    only = [steps[step]] if step_mode and steps else None
    form_class = answer_form_class(spec, texts=texts["items"], language=language, only=only)
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        answers = _merge(response.answers, form_to_answers(form.cleaned_data), only)
        answers = drop_hidden(spec, answers)
        action = request.POST.get("action", "save")
        try:
            if action == "submit":
                services.submit_response(response, answers, by=request.user, ip=client_ip(request))
                messages.success(request, _("Submitted and scored."))
                return redirect(encounter)
            services.save_response_draft(response, answers, by=request.user, ip=client_ip(request))
        except AnswerErrors as exc:
            for error in exc.errors:
                form.add_error(
                    error.link_id if error.link_id in form.fields else None, error.message
                )
        except ValidationError as exc:
            form.add_error(None, _messages_from(exc))
        else:
            if step_mode:
                steps = _step_items(spec, answers)
                if action == "next" and step + 1 < len(steps):
                    return redirect(f"{response.get_absolute_url()}?mode=step&step={step + 1}")
                if action == "back" and step > 0:
                    return redirect(f"{response.get_absolute_url()}?mode=step&step={step - 1}")
                if action == "next":
                    return redirect(f"{response.get_absolute_url()}?mode=form")
            messages.success(request, _("Saved. You can come back to finish later."))
            return redirect(
                response.get_absolute_url() + (f"?mode=step&step={step}" if step_mode else "")
            )
    else:
        form = form_class(initial=answers_to_initial(spec, response.answers))
        record(request, "response.viewed", response, site=response.site_id)
    items = [i for i in spec.items if only is None or i.link_id in only]
    fields = _fields(form, items, language)
    return render(
        request,
        "observe/response_form.html",
        {
            "response": response,
            "encounter": encounter,
            "family": encounter.family,
            "site": response.site,
            "spec": spec,
            "form": form,
            "fields": fields,
            "language": language,
            "step_mode": step_mode,
            "step": step,
            "steps": len(steps),
            "intro": texts["intro"] or spec.intro.get(language) or spec.intro.get("en", ""),
            "needs_pack": spec.item_text_source == "content_pack" and not texts["items"],
        },
    )


def _fields(form, items, language: str) -> list[tuple]:
    """(item, bound field or None for display text, display text) in the item order."""
    return [
        (
            item,
            form[item.link_id] if item.link_id in form.fields else None,
            pick(item.text, language),
        )
        for item in items
    ]


def _int(value, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return low
    return max(low, min(number, max(high, low)))


def _merge(previous: dict, new: dict, only: list[str] | None) -> dict:
    if only is None:
        return new
    merged = dict(previous)
    for link_id in only:
        merged.pop(link_id, None)
    merged.update(new)
    return merged


@require_POST
@login_required
def encounter_finish(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk, need="screen")
    form = FinishEncounterForm(request.POST)
    if form.is_valid():
        try:
            services.complete_encounter(
                encounter, by=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _messages_from(exc))
            return redirect(encounter)
        return redirect("observe:encounter-result", pk=encounter.pk)
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(encounter)


def _result_context(encounter: Encounter, language: str) -> dict:
    responses = [
        r
        for r in encounter.responses.select_related("instrument_version__instrument")
        if r.is_submitted and not r.is_second_rating
    ]
    with translation.override(language):
        guide = build_guidance(encounter, responses, language)
    return {"responses": responses, "guide": guide}


@login_required
def encounter_result(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk)
    record(request, "encounter.result_viewed", encounter, site=encounter.site_id)
    family = encounter.family
    context = _result_context(encounter, family.language)
    staff_language = get_language() or "en"
    context.update(
        encounter=encounter,
        family=family,
        site=encounter.site,
        membership=encounter.site.membership_for(request.user),
        alerts=list(encounter.alerts.all()),
        resolve_form=ResolveAlertForm(),
        follow_up_form=FollowUpForm(
            initial={
                "follow_up_plan": encounter.follow_up_plan,
                "follow_up_due": encounter.follow_up_due,
                "done": bool(encounter.follow_up_done_at),
            }
        ),
        hotline=HOTLINE,
        crisis_line=CRISIS_LINE,
        staff_language=staff_language,
        needs=_needs(context["responses"]),
        rows=[_row(r, staff_language) for r in context["responses"]],
    )
    return render(request, "observe/encounter_result.html", context)


def _row(response: Response, language: str) -> dict:
    spec = response.spec
    return {
        "response": response,
        "name": spec.short_name or spec.slug,
        "band": response.band_label(language),
        "flags": [pick(f.label, language) for f in spec.flags if f.code in response.flags],
    }


def _needs(responses: list[Response]) -> list[str]:
    """What the result points to, for the referrals block (systems app): band levels."""
    needs = set()
    for response in responses:
        if response.band_level in {"support", "watch"}:
            needs.add(f"{response.instrument_slug}:{response.band_level}")
        if response.has_critical:
            needs.add("safety")
    return sorted(needs)


def _handout_language(request: HttpRequest, encounter: Encounter) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in {"en", "es"} else encounter.family.language


@login_required
def encounter_handout(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk)
    language = _handout_language(request, encounter)
    record(
        request, "encounter.handout_viewed", encounter, site=encounter.site_id, language=language
    )
    context = _result_context(encounter, language)
    context.update(
        encounter=encounter, family=encounter.family, site=encounter.site, language=language
    )
    with translation.override(language):
        return render(request, "observe/encounter_handout.html", context)


@login_required
def encounter_handout_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk)
    language = _handout_language(request, encounter)
    record(
        request,
        "encounter.handout_downloaded",
        encounter,
        site=encounter.site_id,
        language=language,
    )
    context = _result_context(encounter, language)
    with translation.override(language):
        pdf = handout_pdf(
            title=_("Growing together"),
            family_label=encounter.family.caregiver_name,
            visit=encounter.date.isoformat(),
            guide=context["guide"],
            follow_up=encounter.follow_up_plan,
            site_name=encounter.site.name,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="handout-{encounter.pk}-{language}.pdf"'
    return response


@require_POST
@login_required
def follow_up_update(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk, need="family")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.update_follow_up(
            encounter,
            by=request.user,
            plan=form.cleaned_data["follow_up_plan"],
            due=form.cleaned_data["follow_up_due"],
            done=form.cleaned_data["done"],
            ip=client_ip(request),
        )
        messages.success(request, _("Follow-up plan saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("observe:encounter-result", pk=encounter.pk)


@login_required
def response_amend(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for(request, pk, need="screen")
    if not response.is_submitted:
        return redirect(response.encounter)
    spec = response.spec
    language = response.encounter.language
    texts = services.content_texts(response.site, response.instrument_version, language)
    form_class = answer_form_class(spec, texts=texts["items"], language=language)
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST":
        form = form_class(request.POST)
        form.is_valid()
        answers = drop_hidden(spec, form_to_answers(form.cleaned_data))
        if reason_form.is_valid():
            try:
                services.amend_response(
                    response,
                    answers,
                    by=request.user,
                    reason=reason_form.cleaned_data["reason"],
                    ip=client_ip(request),
                )
            except AnswerErrors as exc:
                for error in exc.errors:
                    form.add_error(
                        error.link_id if error.link_id in form.fields else None, error.message
                    )
            else:
                messages.success(
                    request, _("Amended. The earlier answers are kept in the history.")
                )
                return redirect(response.encounter)
    else:
        form = form_class(initial=answers_to_initial(spec, response.answers))
        record(request, "response.viewed", response, site=response.site_id)
    fields = _fields(form, spec.items, language)
    return render(
        request,
        "observe/response_amend.html",
        {
            "response": response,
            "encounter": response.encounter,
            "family": response.family,
            "site": response.site,
            "form": form,
            "fields": fields,
            "reason_form": reason_form,
            "language": language,
            "revisions": response.revisions.select_related("changed_by"),
            "error_form": ReasonForm(),
        },
    )


@require_POST
@login_required
def response_error(request: HttpRequest, pk: int) -> HttpResponse:
    response = get_response_for(request, pk, need="screen")
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.mark_response_in_error(
            response, reason=form.cleaned_data["reason"], by=request.user, ip=client_ip(request)
        )
        messages.success(request, _("Marked as entered in error. It no longer counts."))
    else:
        messages.error(request, _("Say why this was entered in error."))
    return redirect(response.encounter)


@require_POST
@login_required
def encounter_error(request: HttpRequest, pk: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk, need="screen")
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.mark_encounter_in_error(
            encounter, reason=form.cleaned_data["reason"], by=request.user, ip=client_ip(request)
        )
        messages.success(request, _("The visit is marked as entered in error."))
    else:
        messages.error(request, _("Say why this was entered in error."))
    return redirect(encounter)


@require_POST
@login_required
def alert_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request, pk, need="screen")
    form = ResolveAlertForm(request.POST)
    if form.is_valid():
        services.resolve_alert(
            alert,
            resolution=form.cleaned_data["resolution"],
            by=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("Alert resolved."))
    else:
        messages.error(request, _("Say what was done before resolving the alert."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("observe:encounter-result", args=[alert.encounter_id])
    return redirect(target)


@require_POST
@login_required
def second_rating_start(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    encounter = get_encounter_for(request, pk, need="screen")
    version = get_object_or_404(InstrumentVersion.objects.published(), pk=version_id)
    try:
        response = services.start_second_rating(
            encounter, version, by=request.user, ip=client_ip(request)
        )
    except ValidationError as exc:
        messages.error(request, _messages_from(exc))
        return redirect(encounter)
    return redirect(response)
