"""Families: register, see (with the timeline chart), edit, and record consent."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.observe import services
from kindred.observe.access import client_ip, get_family_for, get_site_for, record
from kindred.observe.charts import Point, line_chart
from kindred.observe.forms import ConsentForm, FamilyForm
from kindred.observe.models import Consent, Family, Response

FAMILY_FIELDS = FamilyForm.Meta.fields


@login_required
def family_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug)
    query = request.GET.get("q", "").strip()[:100]
    families = Family.objects.visible_to(request.user).filter(site=site)
    if query:
        families = (
            families.filter(code__iexact=query)
            | families.filter(caregiver_name__icontains=query)
            | families.filter(child_name__icontains=query)
        )
    page = Paginator(families.order_by("caregiver_name", "id"), 25).get_page(
        request.GET.get("page")
    )
    record(request, "family.listed", site, site=site, query=bool(query), page=page.number)
    template = "observe/family_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"site": site, "page": page, "query": query})


@login_required
def family_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for(request, slug, need="family")
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        family = services.register_family(
            site, by=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Family %(code)s registered.") % {"code": family.code})
        return redirect(family)
    return render(request, "observe/family_form.html", {"site": site, "form": form})


@login_required
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_for(request, pk, need="family")
    form = FamilyForm(request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            family.refresh_from_db()
            services.update_family(family, by=request.user, ip=client_ip(request), **changed)
        messages.success(request, _("Saved."))
        return redirect(family)
    if request.method == "GET":
        record(request, "family.viewed", family, site=family.site_id, page="edit")
    return render(
        request, "observe/family_form.html", {"site": family.site, "form": form, "family": family}
    )


def timeline(family: Family) -> list[dict]:
    """One chart (and its table) per instrument with scores over time."""
    series: dict[str, list[Response]] = defaultdict(list)
    responses = (
        Response.objects.counted()
        .filter(family=family, primary_score__isnull=False)
        .select_related("encounter", "instrument_version")
        .order_by("encounter__date", "pk")
    )
    for response in responses:
        series[response.instrument_slug].append(response)
    language = get_language() or "en"
    charts = []
    for slug, rows in sorted(series.items()):
        spec = rows[0].spec
        scale = spec.primary_scale
        top = max([b.max or 0 for b in scale.bands] + [r.primary_score for r in rows] + [1])
        bottom = 1 if spec.is_observation else 0
        points = [Point(r.encounter.date.isoformat(), r.primary_score) for r in rows]
        charts.append(
            {
                "slug": slug,
                "title": spec.title(language),
                "scale": scale.label.get(language.split("-")[0]) or scale.label.get("en"),
                "chart": line_chart(points, top=top, bottom=bottom),
                "rows": [
                    {
                        "date": r.encounter.date,
                        "score": r.primary_score,
                        "band": r.band_label(language),
                    }
                    for r in rows
                ],
            }
        )
    return charts


@login_required
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_for(request, pk)
    record(request, "family.viewed", family, site=family.site_id)
    membership = family.site.membership_for(request.user)
    encounters = family.encounters.select_related("clinician").prefetch_related(
        "responses__instrument_version"
    )
    context = {
        "family": family,
        "site": family.site,
        "membership": membership,
        "consents": [
            (label, status)
            for kind, label in Consent.Kind.choices
            for status in [family.consent_status()[kind]]
        ],
        "consent_history": family.consents.select_related("recorded_by")[:20],
        "consent_form": ConsentForm(),
        "encounters": encounters[:50],
        "charts": timeline(family),
        "age_days": family.age_days(),
        "corrected_days": family.corrected_age_days(),
    }
    return render(request, "observe/family_detail.html", context)


@require_POST
@login_required
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_for(request, pk, need="family")
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The consent was not recorded: %(errors)s")
            % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
        )
        return redirect(family)
    try:
        services.record_consent(family, by=request.user, ip=client_ip(request), **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(family)
    messages.success(request, _("Consent recorded."))
    return redirect(family)


@require_POST
@login_required
def consent_withdraw(request: HttpRequest, pk: int, consent_id: int) -> HttpResponse:
    family = get_family_for(request, pk, need="family")
    consent = get_object_or_404(Consent, pk=consent_id, family=family)
    services.withdraw_consent(consent, by=request.user, ip=client_ip(request))
    messages.success(request, _("Consent withdrawn. It stops future use from today."))
    return redirect(family)
