import json

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kindred.accounts import services
from kindred.accounts.forms import DeleteAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"name": user.name, "language": user.language or _page_language()}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user, name=form.cleaned_data["name"], language=form.cleaned_data["language"]
        )
        translation.activate(user.language)
        messages.success(request, _("Your account details are saved."))
        response = redirect("accounts:settings")
        _set_language_cookie(response, user.language)
        return response
    ctx = {
        "form": form,
        "mfa_enabled": Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists(),
    }
    return render(request, "accounts/account_settings.html", ctx)


def _page_language() -> str:
    # Someone who never chose a language sees the one the page is in.
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export_data(request: HttpRequest) -> HttpResponse:
    """The person's own data, as a JSON file to download."""
    data = services.export_personal_data(request.user)
    filename = f"kindred-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET"])
def delete_account_page(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(user=request.user)
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/account_delete.html", {"form": form})
    services.delete_account(request.user)
    logout(request)
    messages.success(request, _("Your account and your personal data have been deleted."))
    return redirect("home:index")


@login_required
@require_http_methods(["GET"])
def mfa_required(request: HttpRequest) -> HttpResponse:
    if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
        return redirect("mfa_index")
    return render(request, "accounts/mfa_required.html")
