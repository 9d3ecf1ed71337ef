from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from kindred.library.services import record_visit


def capture_referral(view):
    """Count a visit from a campaign share link (``?ref=<code>``) and remember the code in
    the session, so a later join or sign-up is credited to whoever shared the link."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        code = request.GET.get("ref", "")
        if code:
            record_visit(request, code)
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    """Network staff only (signed-in people without the right get 403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
