"""Partnerships between organizations, PARTNER-style ratings, and partnership survey rounds.

Access rules live in ``kindred.network.partners``; these views look objects up, check those
rules, validate a form, call a service and render.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.network import partners
from kindred.network.models import (
    Community,
    CommunityMembership,
    Organization,
    Partnership,
    PartnershipRating,
    SurveyRound,
)
from kindred.network.services import NetworkError

PAGE_SIZE = 50

# PARTNER's four answer options for every trust and value question.
SCALE = [
    (1, gettext_lazy("1 — Not at all")),
    (2, gettext_lazy("2 — A small amount")),
    (3, gettext_lazy("3 — A fair amount")),
    (4, gettext_lazy("4 — A great deal")),
]
QUESTIONS = {
    "trust_openness": gettext_lazy("How open is this partner to talking things through with you?"),
    "trust_reliability": gettext_lazy("How much can you count on this partner to do what it says?"),
    "trust_shared_mission": gettext_lazy(
        "How much does this partner share your mission and goals?"
    ),
    "value_influence": gettext_lazy("How much power and influence does this partner bring?"),
    "value_resources": gettext_lazy(
        "How much does this partner contribute resources (people, money, space, data)?"
    ),
    "value_involvement": gettext_lazy("How involved is this partner in your work together?"),
}


# --- Forms ----------------------------------------------------------------------------------


def _find_partner(text: str, organization: Organization) -> Organization:
    """The organization someone typed, by exact name or web address (slug or page URL)."""
    text = text.strip()
    match = re.search(r"/organizations/([\w-]+)/?", text)
    slug = match.group(1) if match else text
    found = list(
        Organization.objects.filter(Q(slug=slug) | Q(name__iexact=text)).select_related(
            "state", "county"
        )[:6]
    )
    if len(found) > 1:
        exact = [org for org in found if org.slug == slug]
        if len(exact) == 1:
            return exact[0]
        choices = "; ".join(
            f"{org.slug} ({org.county.name + ', ' if org.county else ''}"
            f"{org.state.usps if org.state else ''})"
            for org in found
        )
        raise forms.ValidationError(
            _("Several organizations have that name. Type the web address of the one you mean: ")
            + choices
        )
    if not found:
        similar = Organization.objects.filter(name__icontains=text[:60]).values_list(
            "name", flat=True
        )[:5]
        message = _("We could not find an organization called “%(name)s” in Kindred.") % {
            "name": text
        }
        if similar:
            message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(similar)}
        raise forms.ValidationError(message)
    if found[0].pk == organization.pk:
        raise forms.ValidationError(_("An organization can't be its own partner."))
    return found[0]


class PartnershipEditForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=gettext_lazy("How do you work together?"),
        choices=Partnership.Type.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Choose all that fit."),
        error_messages={"required": gettext_lazy("Choose at least one way you work together.")},
    )
    started = forms.DateField(
        label=gettext_lazy("Working together since (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_started(self):
        started = self.cleaned_data.get("started")
        if started and started > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return started


class PartnershipForm(PartnershipEditForm):
    partner = forms.CharField(
        label=gettext_lazy("Partner organization"),
        max_length=300,
        help_text=gettext_lazy(
            "Its name as it appears in Kindred, or the web address of its page here."
        ),
    )
    field_order = ["partner", "types", "started", "notes"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_partner(self):
        return _find_partner(self.cleaned_data["partner"], self.organization)


class RatingForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in partners.SCORE_FIELDS:
            self.fields[name] = forms.TypedChoiceField(
                label=QUESTIONS[name],
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer from 1 to 4.")},
            )


class SurveyRoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    opens = forms.DateField(
        label=gettext_lazy("Opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes = forms.DateField(
        label=gettext_lazy("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("The round must close on or after the day it opens."))
        return data


# --- Look-ups -------------------------------------------------------------------------------


def _organization(slug: str) -> Organization:
    return get_object_or_404(Organization.objects.select_related("state", "county"), slug=slug)


def _partnership(user, pk: int) -> Partnership:
    return get_object_or_404(
        partners.partnerships_visible_to(user).select_related(
            "org_a__state", "org_a__county", "org_b__state", "org_b__county"
        ),
        pk=pk,
    )


def _survey_round(pk: int) -> SurveyRound:
    return get_object_or_404(
        SurveyRound.objects.select_related("community__state", "community__county"), pk=pk
    )


def _other(partnership: Partnership, organization: Organization) -> Organization:
    return partnership.org_b if partnership.org_a_id == organization.pk else partnership.org_a


def _type_labels(partnership: Partnership) -> list[str]:
    labels = dict(Partnership.Type.choices)
    return [str(labels[value]) for value in partnership.types if value in labels]


def _open_rounds_for(organization: Organization):
    """Open survey rounds in communities where ``organization`` takes part."""
    communities = CommunityMembership.objects.filter(
        status=CommunityMembership.Status.ACTIVE,
        user__organization_memberships__organization=organization,
    ).values("community_id")
    return SurveyRound.objects.filter(
        status=SurveyRound.Status.OPEN, community_id__in=communities
    ).select_related("community")


# --- Partnerships ---------------------------------------------------------------------------


@require_GET
def organization_partners(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(slug)
    can_edit = organization.can_edit(request.user)
    partnerships = (
        partners.partnerships_of(organization)
        .select_related("org_a__state", "org_b__state")
        .order_by("-created", "-id")
    )
    page = Paginator(partnerships, PAGE_SIZE).get_page(request.GET.get("page"))
    rated = set()
    if can_edit:
        rated = set(
            PartnershipRating.objects.filter(
                rater_org=organization,
                survey_round=None,
                partnership_id__in=[p.pk for p in page.object_list],
            ).values_list("partnership_id", flat=True)
        )
    rows = [
        {
            "partnership": p,
            "partner": _other(p, organization),
            "types": _type_labels(p),
            "rated": p.pk in rated,
        }
        for p in page.object_list
    ]
    received = PartnershipRating.objects.filter(rated_org=organization)
    context = {
        "organization": organization,
        "page": page,
        "rows": rows,
        "can_edit": can_edit,
        "received": partners.shareable_means(received),
        "open_rounds": list(_open_rounds_for(organization)) if can_edit else [],
        "min_ratings": partners.MIN_RATINGS_SHOWN,
    }
    return render(request, "network/partnership_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def partnership_create(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(slug)
    if not organization.can_edit(request.user):
        raise PermissionDenied
    initial = {"partner": request.GET.get("partner", "")[:300]}
    form = PartnershipForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = partners.record_partnership(
                actor=request.user,
                organization=organization,
                partner=data["partner"],
                types=data["types"],
                started=data["started"],
                notes=data["notes"],
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Partnership with %(name)s recorded. Tell us how it is going?")
                % {"name": data["partner"].name},
            )
            return redirect("network:partnership-rate", pk=partnership.pk, slug=organization.slug)
    context = {"form": form, "organization": organization}
    return render(request, "network/partnership_form.html", context)


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request.user, pk)
    mine = partners.admin_organization_ids(request.user)
    staff = request.user.is_authenticated and request.user.is_staff
    rate_as = [org for org in (partnership.org_a, partnership.org_b) if staff or org.pk in mine]
    ratings = (
        partners.ratings_visible_to(request.user)
        .filter(partnership=partnership)
        .select_related("rater_org", "rated_org", "survey_round")
    )
    context = {
        "partnership": partnership,
        "types": _type_labels(partnership),
        "can_manage": partners.can_manage_partnership(request.user, partnership),
        "rate_as": rate_as,
        "ratings": ratings,
        "means": partners.shareable_means(partnership.ratings.all()),
        "min_ratings": partners.MIN_RATINGS_SHOWN,
    }
    return render(request, "network/partnership_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request.user, pk)
    if not partners.can_manage_partnership(request.user, partnership):
        raise PermissionDenied
    initial = {
        "types": partnership.types,
        "started": partnership.started,
        "notes": partnership.notes,
    }
    form = PartnershipEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        partners.update_partnership(
            partnership=partnership, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Partnership saved."))
        return redirect("network:partnership", pk=partnership.pk)
    context = {"form": form, "partnership": partnership}
    return render(request, "network/partnership_edit.html", context)


@require_POST
@login_required
def partnership_end(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership(request.user, pk)
    if not partners.can_manage_partnership(request.user, partnership):
        raise PermissionDenied
    mine = partners.admin_organization_ids(request.user)
    back = partnership.org_a if partnership.org_a_id in mine else partnership.org_b
    partners.end_partnership(partnership=partnership, actor=request.user)
    messages.success(request, _("The partnership is no longer listed."))
    return redirect("network:organization-partners", slug=back.slug)


@require_http_methods(["GET", "POST"])
@login_required
def partnership_rate(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    partnership = _partnership(request.user, pk)
    rater = _organization(slug)
    if rater.pk not in (partnership.org_a_id, partnership.org_b_id):
        raise PermissionDenied
    if not partners.can_rate_as(request.user, rater):
        raise PermissionDenied
    survey_round = None
    round_id = request.POST.get("round") or request.GET.get("round")
    if round_id:
        if not str(round_id).isdigit():
            raise PermissionDenied
        survey_round = _survey_round(int(round_id))
    existing = PartnershipRating.objects.filter(
        partnership=partnership, rater_org=rater, survey_round=survey_round
    ).first()
    initial = {name: getattr(existing, name) for name in partners.SCORE_FIELDS} if existing else {}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partners.rate_partner(
                partnership=partnership,
                rater_org=rater,
                actor=request.user,
                scores=form.cleaned_data,
                survey_round=survey_round,
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            if survey_round is not None:
                return redirect("network:survey", pk=survey_round.pk)
            return redirect("network:partnership", pk=partnership.pk)
    context = {
        "form": form,
        "partnership": partnership,
        "rater": rater,
        "partner": _other(partnership, rater),
        "survey_round": survey_round,
        "trust_fields": [form[name] for name in partners.SCORE_FIELDS[:3]],
        "value_fields": [form[name] for name in partners.SCORE_FIELDS[3:]],
    }
    return render(request, "network/partnership_rate.html", context)


# --- Survey rounds --------------------------------------------------------------------------


def _community(user, slug: str) -> Community:
    return get_object_or_404(
        Community.objects.visible_to(user).select_related("state", "county"), slug=slug
    )


@require_GET
@login_required
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request.user, slug)
    organizer = partners.can_run_surveys(request.user, community)
    if not (organizer or community.is_member(request.user)):
        raise PermissionDenied
    rounds = list(community.survey_rounds.all())
    context = {"community": community, "rounds": rounds, "organizer": organizer}
    return render(request, "network/survey_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def survey_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request.user, slug)
    if not partners.can_run_surveys(request.user, community):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {
        "title": _("Partnership survey %(year)s") % {"year": today.year},
        "opens": today,
        "closes": today + datetime.timedelta(days=30),
    }
    form = SurveyRoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = partners.open_survey_round(
                community=community, actor=request.user, **form.cleaned_data
            )
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The survey round is open."))
            return redirect("network:survey", pk=survey_round.pk)
    context = {"form": form, "community": community}
    return render(request, "network/survey_form.html", context)


@require_GET
@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = _survey_round(pk)
    community = survey_round.community
    organizer = partners.can_run_surveys(request.user, community)
    organizations = partners.community_organizations(community)
    mine = list(
        organizations.filter(pk__in=partners.admin_organization_ids(request.user)).order_by("name")
    )
    if not (organizer or mine):
        raise PermissionDenied
    round_partnerships = partners.round_partnerships(survey_round)
    given = set(
        PartnershipRating.objects.filter(
            survey_round=survey_round, rater_org__in=[org.pk for org in mine]
        ).values_list("partnership_id", "rater_org_id")
    )
    to_rate = []
    for org in mine:
        pairs = round_partnerships.filter(Q(org_a=org) | Q(org_b=org)).select_related(
            "org_a", "org_b"
        )
        to_rate.append(
            {
                "organization": org,
                "partners": [
                    {
                        "partnership": p,
                        "partner": _other(p, org),
                        "done": (p.pk, org.pk) in given,
                    }
                    for p in pairs
                ],
            }
        )
    context = {
        "survey_round": survey_round,
        "community": community,
        "organizer": organizer,
        "rate": partners.response_rate(survey_round) if organizer else None,
        "means": partners.shareable_means(survey_round.ratings.all()) if organizer else None,
        "to_rate": to_rate,
        "min_ratings": partners.MIN_RATINGS_SHOWN,
    }
    return render(request, "network/survey_detail.html", context)


@require_POST
@login_required
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = _survey_round(pk)
    if not partners.can_run_surveys(request.user, survey_round.community):
        raise PermissionDenied
    try:
        partners.close_survey_round(survey_round=survey_round, actor=request.user)
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The survey round is closed."))
    return redirect("network:survey", pk=survey_round.pk)
