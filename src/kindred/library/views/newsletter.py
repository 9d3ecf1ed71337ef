from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kindred.core.ratelimit import over_limit
from kindred.library import services
from kindred.library.decorators import staff_required
from kindred.library.forms import IssueForm, NewLinkForm, SubscribeForm
from kindred.library.models import NewsletterIssue, Subscriber
from kindred.library.tasks import send_subscription_confirmation, send_unsubscribe_link

TOO_MANY = gettext_lazy(
    "Many sign-ups have come from this connection in the last few minutes. "
    "Please wait ten minutes and try again."
)


def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe (double opt-in): the same answer whether or not the address is known."""
    initial = {"language": (get_language() or "en")[:2]}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and over_limit(request, "newsletter"):
        form.add_error(None, TOO_MANY)
        return render(request, "library/newsletter_subscribe.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        services.subscribe(
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            topics=form.cleaned_data["topics"],
            user=user,
            request=request,
        )
        return render(request, "library/newsletter_check_email.html")
    return render(request, "library/newsletter_subscribe.html", {"form": form})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = services.confirm_subscription(token)
    except services.BadLink:
        return render(
            request, "library/newsletter_bad_link.html", {"form": NewLinkForm()}, status=400
        )
    return render(request, "library/newsletter_confirmed.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058 one-click unsubscribe: the signed token is the credential.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; POST (from that button or a mail client) unsubscribes."""
    try:
        if request.method == "POST":
            subscriber = services.unsubscribe(token)
            return render(
                request, "library/newsletter_unsubscribed.html", {"subscriber": subscriber}
            )
        subscriber = services.subscriber_for_unsubscribe(token)
    except services.BadLink:
        return render(
            request, "library/newsletter_bad_link.html", {"form": NewLinkForm()}, status=400
        )
    return render(request, "library/newsletter_unsubscribe.html", {"subscriber": subscriber})


@require_POST
def new_link(request: HttpRequest) -> HttpResponse:
    """Email a fresh unsubscribe link (after an old or broken one); same answer for any
    address, so nobody learns who subscribes."""
    form = NewLinkForm(request.POST)
    if not form.is_valid():
        return render(request, "library/newsletter_bad_link.html", {"form": form}, status=400)
    subscriber = Subscriber.objects.filter(email=form.cleaned_data["email"].lower()).first()
    if subscriber and subscriber.status == Subscriber.Status.PENDING:
        send_subscription_confirmation.enqueue(subscriber.pk)
    elif subscriber and subscriber.status == Subscriber.Status.ACTIVE:
        send_unsubscribe_link.enqueue(subscriber.pk)
    return render(request, "library/newsletter_check_email.html")


@staff_required
def issues(request: HttpRequest) -> HttpResponse:
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = services.create_issue(by=request.user, **form.cleaned_data)
        messages.success(request, _("Draft saved. Check the preview, then send it."))
        return redirect("library:newsletter-issue", issue.pk)
    context = {
        "form": form,
        "issues": list(NewsletterIssue.objects.all()[:50]),
        "counts": {
            "active": Subscriber.objects.active().count(),
            "pending": Subscriber.objects.filter(status=Subscriber.Status.PENDING).count(),
        },
    }
    return render(request, "library/newsletter_issues.html", context)


@staff_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if request.method == "POST":
        if issue.status != NewsletterIssue.Status.DRAFT:
            messages.error(request, _("This issue has already been sent."))
            return redirect("library:newsletter-issue", issue.pk)
        tracker = services.send_issue(issue, by=request.user)
        return redirect(tracker)
    return render(request, "library/newsletter_issue.html", {"issue": issue})


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    body = services.export_subscribers_csv(by=request.user)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="kindred-subscribers-{stamp}.csv"'
    return response
