"""Join the network in three short steps; answers wait in the session between steps."""

from __future__ import annotations

from allauth.account.utils import complete_signup
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kindred.core.client import client_ip
from kindred.core.models import Role, Sector, Topic
from kindred.network import services
from kindred.network.forms import (
    NEW_ORGANIZATION,
    JoinAboutForm,
    JoinAccountForm,
    JoinInterestsForm,
    JoinTermsForm,
)
from kindred.network.models import Community, Language, MemberProfile, Organization
from kindred.places.models import ZipCode

SESSION_KEY = "network_join"
JOINED_KEY = "network_joined_profile"
# At most this many completed (or duplicate-email) joins per address in the window.
JOIN_LIMIT = 5
JOIN_WINDOW_SECONDS = 10 * 60


def _answers(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY, {})


def _save_answers(request: HttpRequest, step: str, data: dict) -> None:
    answers = _answers(request)
    answers[step] = data
    request.session[SESSION_KEY] = answers


def _already_member(request: HttpRequest) -> bool:
    return (
        request.user.is_authenticated and MemberProfile.objects.filter(user=request.user).exists()
    )


def _ids(objects) -> list:
    return [obj.pk for obj in objects]


@require_http_methods(["GET", "POST"])
def join_about(request: HttpRequest) -> HttpResponse:
    """Step 1: name, roles, ZIP and (optionally) an organization."""
    if _already_member(request):
        messages.info(request, _("You are already a member. Here is your profile."))
        return redirect("network:profile-edit")
    if request.method == "POST":
        form = JoinAboutForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            _save_answers(
                request,
                "about",
                {
                    "name": data["name"],
                    "roles": _ids(data["roles"]),
                    "sectors": _ids(data["sectors"]),
                    "zip_code": data["zip_code"].pk,
                    "organization_name": data["organization_name"].strip(),
                    "organization_choice": data["organization_choice"],
                    "title": data["title"],
                },
            )
            return redirect("network:join-interests")
    else:
        initial = dict(_answers(request).get("about", {}))
        if not initial and request.user.is_authenticated:
            initial["name"] = request.user.name
        form = JoinAboutForm(initial=initial)
    return render(request, "network/join_about.html", {"form": form, "step": 1})


@require_GET
def join_zip(request: HttpRequest) -> HttpResponse:
    """The place a ZIP code belongs to, for the live confirmation under the ZIP field."""
    field = JoinAboutForm.base_fields["zip_code"]
    place, error = None, ""
    value = request.GET.get("zip_code", "").strip()
    if value:
        try:
            place = field.clean(value)
        except ValidationError as exc:
            error = exc.messages[0]
    return render(request, "network/_zip_place.html", {"place": place, "zip_error": error})


@require_GET
def join_organizations(request: HttpRequest) -> HttpResponse:
    """Names of organizations like the one being typed, as <option>s for a <datalist>."""
    query = request.GET.get("organization_name", "").strip()[:100]
    names = []
    if len(query) >= 2:
        names = Organization.objects.filter(name__icontains=query).order_by("name")
        names = list(names.values_list("name", flat=True).distinct()[:8])
    return render(request, "network/_organization_options.html", {"names": names})


@require_http_methods(["GET", "POST"])
def join_interests(request: HttpRequest) -> HttpResponse:
    """Step 2: topics, languages, how to be reached, and whether to be listed."""
    if _already_member(request):
        return redirect("network:profile-edit")
    about = _answers(request).get("about")
    if not about:
        messages.info(request, _("Let's start with a little about you."))
        return redirect("network:join")
    if request.method == "POST":
        form = JoinInterestsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            _save_answers(
                request,
                "interests",
                {
                    "topics": _ids(data["topics"]),
                    "languages": _ids(data["languages"]),
                    "contact_methods": data["contact_methods"],
                    "listed_in_directory": data["listed_in_directory"],
                    "visibility": data["visibility"],
                },
            )
            return redirect("network:join-account")
    else:
        initial = _answers(request).get("interests") or {
            "languages": [request.LANGUAGE_CODE[:2]],
            "contact_methods": ["in_app"],
        }
        form = JoinInterestsForm(initial=initial)
    place = ZipCode.objects.select_related("county", "state").filter(pk=about["zip_code"]).first()
    return render(request, "network/join_interests.html", {"form": form, "step": 2, "place": place})


def _rate_key(request: HttpRequest) -> str:
    return f"network:join:{client_ip(request)}"


def _is_rate_limited(request: HttpRequest) -> bool:
    return cache.get(_rate_key(request), 0) >= JOIN_LIMIT


def _count_join(request: HttpRequest) -> None:
    key = _rate_key(request)
    cache.add(key, 0, JOIN_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, JOIN_WINDOW_SECONDS)


def _join(user, answers: dict) -> MemberProfile:
    about, interests = answers["about"], answers["interests"]
    organization = None
    choice = about.get("organization_choice") or ""
    if choice and choice != NEW_ORGANIZATION:
        organization = Organization.objects.filter(pk=choice).first()
    return services.join_network(
        user=user,
        name=about["name"],
        roles=Role.objects.filter(pk__in=about["roles"]),
        sectors=Sector.objects.filter(pk__in=about["sectors"]),
        zip_code=ZipCode.objects.select_related("county", "state").get(pk=about["zip_code"]),
        organization=organization,
        new_organization_name=about["organization_name"] if choice == NEW_ORGANIZATION else "",
        title=about.get("title", ""),
        topics=Topic.objects.filter(pk__in=interests["topics"]),
        languages=Language.objects.filter(pk__in=interests["languages"]),
        contact_methods=interests["contact_methods"],
        listed_in_directory=interests["listed_in_directory"],
        visibility=interests["visibility"],
    )


@require_http_methods(["GET", "POST"])
def join_account(request: HttpRequest) -> HttpResponse:
    """Step 3: the account (allauth's sign-up, so the verification email goes out), or only
    the terms for someone already signed in."""
    if _already_member(request):
        return redirect("network:welcome")
    answers = _answers(request)
    if not answers.get("about") or not answers.get("interests"):
        messages.info(request, _("A couple of questions first, then your account."))
        return redirect("network:join-interests" if answers.get("about") else "network:join")
    signed_in = request.user.is_authenticated
    form_class = JoinTermsForm if signed_in else JoinAccountForm
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if not signed_in and _is_rate_limited(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Many people have joined from this connection in the last few minutes. "
                    "Please wait ten minutes and try again."
                ),
            )
            status = 429
        elif form.is_valid():
            if signed_in:
                profile = _join(request.user, answers)
                return _finish(request, profile)
            _count_join(request)
            if form.account_already_exists:
                form.add_error("email", form.existing_account_error())
            else:
                with transaction.atomic():
                    user = form.save(request)
                    profile = _join(user, answers)
                welcome = reverse("network:welcome")
                complete_signup(request, user, None, welcome)
                return _finish(request, profile)
    else:
        form = form_class()
    context = {"form": form, "step": 3, "signed_in": signed_in}
    return render(request, "network/join_account.html", context, status=status)


def _finish(request: HttpRequest, profile: MemberProfile) -> HttpResponse:
    # Areas that build on the network (e.g. the library crediting the share link a visitor
    # came through) listen here without the network importing them.
    for path in settings.NETWORK_JOINED_HOOKS:
        import_string(path)(request, profile.user)
    request.session.pop(SESSION_KEY, None)
    request.session[JOINED_KEY] = profile.pk
    return redirect("network:welcome")


@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    """Suggestions for a new member: communities near them and people in other sectors."""
    profile = None
    if request.user.is_authenticated:
        profile = MemberProfile.objects.filter(user=request.user).first()
    elif request.session.get(JOINED_KEY):
        profile = MemberProfile.objects.filter(pk=request.session[JOINED_KEY]).first()
    if profile is None:
        return redirect("network:join")
    profile = (
        MemberProfile.objects.select_related("user", "county", "state", "zip_code")
        .prefetch_related("topics", "roles")
        .get(pk=profile.pk)
    )
    context = {
        "profile": profile,
        "communities": Community.objects.suggested_for(profile)[:6],
        "people": MemberProfile.objects.suggested_for(profile)[:5],
        "verified": request.user.is_authenticated,
    }
    return render(request, "network/join_welcome.html", context)
