from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.core.ratelimit import over_limit
from kindred.library import services
from kindred.library.access import get_event_for
from kindred.library.decorators import capture_referral
from kindred.library.emails import RSVP_SALT
from kindred.library.forms import EventForm, GuestRSVPForm, TrustHostForm
from kindred.library.models import RSVP, Event
from kindred.places.models import State

TOO_MANY = gettext_lazy(
    "Many RSVPs have come from this connection in the last few minutes. "
    "Please wait ten minutes and try again."
)


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events (or past ones), by place and by how people take part."""
    past = request.GET.get("when") == "past"
    events = Event.objects.public().select_related(
        "host_community", "host_organization", "state", "county__state"
    )
    now = timezone.now()
    events = (
        events.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else events.filter(ends_at__gte=now).order_by("starts_at")
    )
    mode = request.GET.get("mode", "")
    if mode in Event.Mode.values:
        events = events.filter(mode__in=[mode, Event.Mode.HYBRID])
    state = State.objects.filter(usps=request.GET.get("state", "").upper()[:2]).first()
    if state:
        events = events.filter(Q(state=state) | Q(host_community__state=state))
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "past": past,
        "mode": mode,
        "state": state,
        "modes": Event.Mode.choices,
        "states": State.objects.order_by("name"),
    }
    template = "library/event_list.html"
    if request.htmx:
        template += "#events"
    return render(request, template, context)


def _rsvp_for(request, event: Event) -> RSVP | None:
    if not request.user.is_authenticated:
        return None
    return event.rsvps.filter(email=request.user.email.lower()).first()


def _detail_context(request, event: Event, guest_form: GuestRSVPForm | None = None) -> dict:
    counts = dict(event.rsvps.values_list("status").annotate(n=Count("pk")))
    going = counts.get(RSVP.Status.GOING, 0)
    rsvp = _rsvp_for(request, event)
    can_manage = event.can_manage(request.user)
    context = {
        "event": event,
        "topics": list(event.topics.all()),
        "going": going,
        "waitlisted": counts.get(RSVP.Status.WAITLISTED, 0),
        "is_full": event.capacity is not None and going >= event.capacity,
        "rsvp": rsvp,
        "show_link": can_manage or (rsvp is not None and rsvp.status == RSVP.Status.GOING),
        "can_manage": can_manage,
        "can_edit": event.can_edit(request.user),
        "guest_form": guest_form or GuestRSVPForm(),
        "attendees": list(event.rsvps.exclude(status=RSVP.Status.CANCELLED)) if can_manage else [],
        "trust_form": TrustHostForm() if can_manage else None,
    }
    return context


@capture_referral
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug)
    return render(request, "library/event_detail.html", _detail_context(request, event))


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    """Hosts schedule events; other members propose them to a community or organization."""
    initial = {"language": (get_language() or "en")[:2]}
    if request.GET.get("host"):
        initial["host"] = request.GET["host"]
    form = EventForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["host"].choices:
        return render(request, "library/event_no_host.html", status=403)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(
            proposer=request.user,
            host=form.cleaned_data["host"],
            topics=form.cleaned_data["topics"],
            **form.service_fields(),
        )
        if event.status == Event.Status.SCHEDULED:
            messages.success(request, _("Your event is published."))
        else:
            messages.success(
                request, _("Thank you! The organizers will review your event and let you know.")
            )
        return redirect(event)
    return render(request, "library/event_form.html", {"form": form})


@login_required
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug, write=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_event(
            event, by=request.user, topics=form.cleaned_data["topics"], **form.service_fields()
        )
        messages.success(request, _("Your changes are saved. People coming will be told."))
        return redirect(event)
    return render(request, "library/event_form.html", {"form": form, "event": event})


@require_POST
@login_required
def event_approve(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug, manage=True)
    try:
        services.approve_event(event, by=request.user)
        if request.POST.get("trust"):
            services.trust_host(user=event.proposed_by, host=event.host, by=request.user)
        messages.success(request, _("The event is published."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("library:event-review")


@require_POST
@login_required
def event_decline(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug, manage=True)
    try:
        services.decline_event(event, by=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("The host has been told why."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("library:event-review")


@require_POST
@login_required
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug, manage=True)
    services.cancel_event(event, by=request.user)
    messages.success(request, _("The event is cancelled. Everyone coming will be told."))
    return redirect(event)


@login_required
def event_review(request: HttpRequest) -> HttpResponse:
    """Proposals waiting for this person, as an organizer or organization admin."""
    proposals = (
        Event.objects.visible_to(request.user)
        .filter(status=Event.Status.PROPOSED)
        .select_related("host_community", "host_organization", "proposed_by")
    )
    proposals = [event for event in proposals if event.can_manage(request.user)]
    return render(
        request,
        "library/event_review.html",
        {"proposals": proposals, "trust_form": TrustHostForm()},
    )


@require_POST
def event_rsvp(request: HttpRequest, slug: str) -> HttpResponse:
    """RSVP as a member (one click) or as a guest (name and email)."""
    event = get_event_for(request.user, slug)
    language = (get_language() or "en")[:2]
    if request.user.is_authenticated:
        who = {
            "email": request.user.email,
            "name": request.user.get_full_name(),
            "user": request.user,
        }
    else:
        form = GuestRSVPForm(request.POST)
        if form.is_valid() and over_limit(request, "rsvp"):
            form.add_error(None, TOO_MANY)
            context = _detail_context(request, event, guest_form=form)
            return render(request, "library/event_detail.html", context, status=429)
        if not form.is_valid():
            context = _detail_context(request, event, guest_form=form)
            return render(request, "library/event_detail.html", context, status=400)
        who = {"email": form.cleaned_data["email"], "name": form.cleaned_data["name"]}
    try:
        rsvp = services.rsvp_to_event(event, language=language, request=request, **who)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(event)
    if rsvp.status == RSVP.Status.GOING:
        messages.success(request, _("You have a place. We sent the details by email."))
    else:
        messages.info(
            request,
            _("The event is full, so you are on the waitlist. We will email you if a place opens."),
        )
    return redirect(event)


@require_POST
@login_required
def event_rsvp_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_for(request.user, slug)
    rsvp = _rsvp_for(request, event)
    if rsvp is None:
        raise PermissionDenied
    services.cancel_rsvp(rsvp, by=request.user)
    messages.success(request, _("Thank you for letting the hosts know you cannot come."))
    return redirect(event)


def rsvp_manage(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's own RSVP, from the signed link in their email (no account needed)."""
    try:
        data = signing.loads(token, salt=RSVP_SALT)
    except signing.BadSignature:
        return render(request, "library/link_invalid.html", status=400)
    rsvp = get_object_or_404(
        RSVP.objects.select_related("event"), pk=data.get("r"), email=data.get("e")
    )
    if request.method == "POST":
        services.cancel_rsvp(rsvp)
        messages.success(request, _("Thank you for letting the hosts know you cannot come."))
        return redirect(rsvp.event)
    return render(request, "library/rsvp_manage.html", {"rsvp": rsvp, "event": rsvp.event})


@require_POST
@login_required
def trust_host(request: HttpRequest, slug: str) -> HttpResponse:
    """Let a member publish future events for this host without review."""
    event = get_event_for(request.user, slug, manage=True)
    form = TrustHostForm(request.POST)
    if form.is_valid():
        services.trust_host(user=form.cleaned_data["email"], host=event.host, by=request.user)
        messages.success(request, _("Their next events will be published without review."))
    else:
        messages.error(request, form.errors["email"][0])
    return redirect(event)


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The member's events and the secret address of their calendar feed."""
    if request.method == "POST":
        services.calendar_feed_for(request.user, reset=True)
        messages.success(request, _("Your calendar has a new address; the old one stops working."))
        return redirect("library:my-calendar")
    feed = services.calendar_feed_for(request.user)
    events = (
        services.events_for_member(request.user)
        .filter(ends_at__gte=timezone.now())
        .select_related("host_community", "host_organization")
        .order_by("starts_at")[:50]
    )
    return render(request, "library/my_calendar.html", {"feed": feed, "events": list(events)})
