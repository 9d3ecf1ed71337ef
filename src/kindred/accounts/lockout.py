"""How django-axes recognises the account behind a failed sign-in."""

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The email address a sign-in was for, lower-cased so "Ana@x.org" and "ana@x.org" share
    one failure count.

    allauth authenticates with ``email=...`` while its form field is ``login``; axes needs
    the same answer from both, or it would count failures against no account at all.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value:
        data = getattr(request, "data", None) or request.POST
        value = data.get("login") or data.get("email") or data.get("username")
    return value.strip().lower() if value else None
