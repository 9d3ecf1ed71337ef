from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from kindred.accounts.models import User
from kindred.accounts.tasks import send_email_message


class AccountAdapter(DefaultAccountAdapter):
    """Kindred's hooks into django-allauth."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the email in its reader's language, then send it from a background task."""
        request = allauth_context.request
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "login_url": request.build_absolute_uri(reverse("account_login")),
        }
        ctx.update(context)
        with translation.override(_language_for(email, ctx.get("user"))):
            message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        if message.content_subtype == "html":
            html = message.body
        send_email_message.enqueue(
            subject=str(message.subject),
            body=message.body,
            to=list(message.to),
            html=html,
            from_email=message.from_email,
            headers=dict(message.extra_headers) or None,
        )

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # Remember the language someone signed up in, so emails and pages stay in it.
        language = translation.get_language() or ""
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Ask django-axes first: allauth's own failed-login limit would otherwise answer a
        # locked-out account with a form error before axes could show its locked-out page.
        if AxesProxyHandler.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)


def _language_for(email: str, user: Any = None) -> str | None:
    """The language the person reading ``email`` chose, else the page's language."""
    if not isinstance(user, User):
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else User.objects.filter(email__iexact=email).first()
    if user is not None and user.language:
        return user.language
    return translation.get_language()
