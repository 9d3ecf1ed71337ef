"""Person-to-person connections: ask, answer, withdraw, block; and my connections."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.accounts.models import User
from kindred.network import services
from kindred.network.decorators import member_required
from kindred.network.forms import ConnectionRequestForm
from kindred.network.models import Block, Connection, MemberProfile


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _person(request: HttpRequest, user_id: int) -> User:
    """Someone whose profile the requester may see (404 otherwise)."""
    profile = get_object_or_404(
        MemberProfile.objects.visible_to(request.user).select_related("user"), user_id=user_id
    )
    return profile.user


def _run(request: HttpRequest, action, success: str) -> None:
    try:
        action()
    except services.NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@require_POST
@member_required
def connection_request(request: HttpRequest, user_id: int) -> HttpResponse:
    person = _person(request, user_id)
    form = ConnectionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your note is too long: please keep it under 1,000 characters."))
        return redirect("network:profile", pk=person.profile.pk)
    name = services.display_name(person)
    _run(
        request,
        lambda: services.send_connection_request(
            from_user=request.user, to_user=person, note=form.cleaned_data["note"]
        ),
        _("Your request is on its way to %(name)s.") % {"name": name},
    )
    return _back(request, person.profile.get_absolute_url())


@require_POST
@member_required
def connection_respond(request: HttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(Connection, pk=pk, to_user=request.user)
    accept = request.POST.get("answer") == "accept"
    name = services.display_name(connection.from_user)
    success = (
        _("You are now connected with %(name)s.") if accept else _("You declined the request.")
    ) % {"name": name}
    _run(
        request,
        lambda: services.respond_to_connection(
            connection=connection, user=request.user, accept=accept
        ),
        success,
    )
    return _back(request, "network:connections")


@require_POST
@member_required
def connection_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    connection = get_object_or_404(
        Connection, Q(from_user=request.user) | Q(to_user=request.user), pk=pk
    )
    _run(
        request,
        lambda: services.withdraw_connection(connection=connection, user=request.user),
        _("Done. The request or connection has been withdrawn."),
    )
    return _back(request, "network:connections")


@require_POST
@member_required
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id, profile__isnull=False)
    name = services.display_name(person)
    _run(
        request,
        lambda: services.block_user(blocker=request.user, blocked=person),
        _("You blocked %(name)s. They can no longer contact you or find you.") % {"name": name},
    )
    return _back(request, "network:connections")


@require_POST
@member_required
def unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    _run(
        request,
        lambda: services.unblock_user(blocker=request.user, blocked=person),
        _("You unblocked %(name)s.") % {"name": services.display_name(person)},
    )
    return _back(request, "network:connections")


@require_GET
@member_required
def my_connections(request: HttpRequest) -> HttpResponse:
    me = request.user
    related = ("from_user__profile", "to_user__profile")
    incoming = Connection.objects.filter(to_user=me, status=Connection.Status.PENDING)
    outgoing = Connection.objects.filter(from_user=me, status=Connection.Status.PENDING)
    accepted = Connection.objects.filter(
        Q(from_user=me) | Q(to_user=me), status=Connection.Status.ACCEPTED
    ).order_by("-responded_at", "-id")
    page = Paginator(accepted.select_related(*related), 30).get_page(request.GET.get("page"))
    context = {
        "incoming": incoming.select_related(*related),
        "outgoing": outgoing.select_related(*related),
        "page": page,
        "connections": [(c, c.other(me)) for c in page],
        "blocked": Block.objects.filter(blocker=me).select_related("blocked__profile"),
    }
    return render(request, "network/connection_list.html", context)
