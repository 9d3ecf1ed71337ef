from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
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

# "This person may pass" is remembered this long in the cache (it cost two or three queries
# on every request of a signed-in person). Anything that can change the answer forgets it at
# once: an authenticator added, reset or removed, the user saved (is_staff, is_superuser), or
# a row of a relation in MFA_REQUIRED_RELATIONS saved or deleted (e.g. a new site role). The
# lifetime only bounds what another process may still hold with a per-process cache (locmem)
# or a change made where these signals are not connected. "Must set up MFA" is never cached.
MFA_DECISION_SECONDS = 30


class RequireMFAMiddleware:
    """Send anyone who must use MFA (``user.must_use_mfa``), and has not set up an
    authenticator app yet, to the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response
        watch_required_relations()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_allowed(request):
            return None
        if not needs_mfa_setup(user):
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


def _cache_key(user_id) -> str:
    return f"accounts:mfa-ok:{user_id}"


def needs_mfa_setup(user) -> bool:
    """Whether ``user`` must use MFA and has no authenticator app yet (cached when not)."""
    key = _cache_key(user.pk)
    if cache.get(key):
        return False
    needed = bool(user.must_use_mfa and not _has_totp(user))
    if not needed:
        cache.set(key, True, MFA_DECISION_SECONDS)
    return needed


def forget_mfa_decision(user_id) -> None:
    if user_id is not None:
        cache.delete(_cache_key(user_id))


def _forget_for_authenticator(sender, instance=None, authenticator=None, user=None, **kwargs):
    obj = instance or authenticator
    forget_mfa_decision(obj.user_id if obj is not None else getattr(user, "pk", None))


def _forget_for_user(sender, instance, **kwargs):
    forget_mfa_decision(instance.pk)


for _signal in (mfa_signals.authenticator_added, mfa_signals.authenticator_removed):
    _signal.connect(_forget_for_authenticator, dispatch_uid=f"kindred-mfa-{id(_signal)}")
mfa_signals.authenticator_reset.connect(_forget_for_authenticator, dispatch_uid="kindred-mfa-r")
post_save.connect(_forget_for_authenticator, sender=Authenticator, dispatch_uid="kindred-mfa-s")
post_delete.connect(_forget_for_authenticator, sender=Authenticator, dispatch_uid="kindred-mfa-d")
post_save.connect(_forget_for_user, sender=settings.AUTH_USER_MODEL, dispatch_uid="kindred-mfa-u")

_watched: set[tuple[str, str]] = set()


def watch_required_relations() -> None:
    """Forget a person's decision when a row that may make them need MFA changes."""
    for relation in getattr(settings, "MFA_REQUIRED_RELATIONS", []):
        for rel in get_user_model()._meta.related_objects:
            if rel.get_accessor_name() != relation or (relation, rel.field.name) in _watched:
                continue
            attname = rel.field.attname

            def forget(sender, instance, attname=attname, **kwargs):
                forget_mfa_decision(getattr(instance, attname, None))

            uid = f"kindred-mfa-{relation}"
            post_save.connect(forget, sender=rel.related_model, weak=False, dispatch_uid=uid)
            post_delete.connect(forget, sender=rel.related_model, weak=False, dispatch_uid=uid)
            _watched.add((relation, rel.field.name))
