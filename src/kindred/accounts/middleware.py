from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# What someone who must set up MFA may still reach: the set-up itself (allauth's MFA pages and
# the password check it may ask for), signing out, confirming an email address, the language
# switch and the health check. Everything else, the admin included, waits for MFA.
ALLOWED_VIEWS = {
    "accounts:mfa-required",
    "account_logout",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
    "core:set-language",
    "healthz",
}
ALLOWED_VIEW_PREFIXES = ("mfa_",)
# Served before URL resolution (whitenoise) or by Django's static view in development.
ALLOWED_PATH_PREFIXES = ("/static/",)


class RequireMFAMiddleware:
    """Send anyone who must use MFA (``user.must_use_mfa``), and has not set up an
    authenticator app yet, to the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_allowed(request):
            return None
        if not user.must_use_mfa or _has_totp(user):
            return None
        url = reverse("accounts:mfa-required")
        if request.path.startswith("/api/"):
            message = _("Set up two-factor authentication before using the API.")
            return JsonResponse({"detail": message, "setup_url": url}, status=403)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


def _is_allowed(request: HttpRequest) -> bool:
    if request.path.startswith(ALLOWED_PATH_PREFIXES):
        return True
    match = request.resolver_match
    view_name = match.view_name if match else ""
    return view_name in ALLOWED_VIEWS or view_name.startswith(ALLOWED_VIEW_PREFIXES)


def _has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
