from django.shortcuts import redirect
from django.urls import reverse


class RequireMFAMiddleware:
    """Send anyone who must use MFA, and has not set it up, to the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._needs_setup(request, user):
            return redirect(reverse("accounts:mfa-required"))
        return self.get_response(request)

    @staticmethod
    def _needs_setup(request, user) -> bool:
        path = request.path
        allowed = ("/accounts/", "/static/", "/healthz", "/language/", "/tasks/")
        if path.startswith(allowed):
            return False
        if not user.must_use_mfa:
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
