from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kindred.network.models import MemberProfile


def member_required(view):
    """Signed in and joined: people with an account but no profile are sent to join."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not MemberProfile.objects.filter(user=request.user).exists():
            messages.info(request, _("Tell us a little about yourself first: it takes a minute."))
            return redirect("network:join")
        return view(request, *args, **kwargs)

    return wrapper
