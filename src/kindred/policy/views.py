from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.core.client import client_ip
from kindred.core.models import TaskProgress, Topic
from kindred.places.maps import us_states_svg
from kindred.places.models import State
from kindred.policy import maps, services, signing
from kindred.policy.forms import (
    ActionForm,
    NewActionForm,
    NewPolicyForm,
    OfficialImportForm,
    PolicyFilterForm,
    PolicyForm,
    SignatureForm,
    StatusChangeForm,
    SubscriptionForm,
)
from kindred.policy.ical import hearings_calendar
from kindred.policy.models import (
    AdvocacyAction,
    Hearing,
    Jurisdiction,
    Policy,
    StatusChange,
    Subscription,
    can_manage_policy,
)
from kindred.policy.tasks import export_path

PAGE_SIZE = 25
SMALL_CELL = 11  # public aggregates below this are shown as "fewer than 11"


def _require_staff(request: HttpRequest) -> None:
    if not can_manage_policy(request.user):
        raise PermissionDenied


def _policies_for(user):
    return (
        Policy.objects.visible_to(user)
        .select_related("jurisdiction")
        .prefetch_related("topics")
        .order_by("jurisdiction__level", "jurisdiction__name", "title_en")
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = PolicyFilterForm(request.GET or None)
    policies = _policies_for(request.user)
    if form.is_bound and form.is_valid():
        policies = form.filter(policies)
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "topics": Topic.objects.active().filter(policies__isnull=False).distinct(),
        "open_actions": AdvocacyAction.objects.open()[:3],
        "can_edit": can_manage_policy(request.user),
    }
    template = "policy/policy_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
def policy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    policy = get_object_or_404(
        Policy.objects.visible_to(request.user)
        .select_related("jurisdiction")
        .prefetch_related(
            "topics",
            "sources",
            "hearings",
            Prefetch("related", queryset=Policy.objects.select_related("jurisdiction")),
            Prefetch("history", queryset=StatusChange.objects.order_by("-date", "-created")),
        ),
        slug=slug,
    )
    context = {
        "policy": policy,
        "actions": policy.actions.open(),
        "upcoming": [h for h in policy.hearings.all() if h.starts_at >= timezone.now()],
        "can_edit": policy.can_edit(request.user),
        "status_form": StatusChangeForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "policy/policy_detail.html", context)


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = NewPolicyForm(request.POST or None, initial={"status_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        policy = services.create_policy(user=request.user, **form.policy_data())
        messages.success(request, _("The policy is added, with its first status."))
        return redirect(policy)
    status = 422 if form.is_bound else 200
    return render(request, "policy/policy_form.html", {"form": form}, status=status)


@login_required
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    policy = get_object_or_404(Policy, slug=slug)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        changed = services.update_policy(policy, user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        return redirect(policy)
    status = 422 if form.is_bound else 200
    # The form may have set typed values on ``policy``; the page names the stored one.
    stored = Policy.objects.get(pk=policy.pk)
    return render(
        request, "policy/policy_form.html", {"form": form, "policy": stored}, status=status
    )


@require_POST
@login_required
def record_status(request: HttpRequest, slug: str) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.visible_to(request.user), slug=slug)
    if not policy.can_edit(request.user):
        raise PermissionDenied
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "policy/policy_status_form.html",
            {"policy": policy, "status_form": form},
            status=422,
        )
    services.record_status_change(policy, user=request.user, **form.cleaned_data)
    messages.success(request, _("The new status is recorded and subscribers are being told."))
    return redirect(policy)


def _status_cell(policies: list[Policy]) -> tuple[str, str, Policy | None]:
    """The strongest status among a state's policies on one topic: in place, then pending,
    then failed or repealed."""
    for group, category in ((Policy.ADOPTED, "adopted"), (Policy.PENDING, "pending")):
        for status in group:
            for policy in policies:
                if policy.status == status:
                    return category, policy.get_status_display(), policy
    if policies:
        return "ended", policies[0].get_status_display(), policies[0]
    return "none", "", None


def _state_topic_grid(user, topics) -> dict[tuple[str, int], list[Policy]]:
    grid: dict[tuple[str, int], list[Policy]] = defaultdict(list)
    policies = (
        Policy.objects.visible_to(user)
        .filter(jurisdiction__level=Jurisdiction.Level.STATE, topics__in=topics)
        .select_related("jurisdiction__state")
        .prefetch_related("topics")
        .distinct()
    )
    topic_ids = {t.pk for t in topics}
    for policy in policies:
        for topic in policy.topics.all():
            if topic.pk in topic_ids:
                grid[(policy.jurisdiction.state.usps, topic.pk)].append(policy)
    return grid


@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    topics = list(Topic.objects.active().filter(policies__isnull=False).distinct())
    grid = _state_topic_grid(request.user, topics)
    states = State.objects.filter(is_territory=False)
    rows = []
    for state in states:
        cells = []
        for topic in topics:
            category, label, policy = _status_cell(grid.get((state.usps, topic.pk), []))
            cells.append({"topic": topic, "category": category, "label": label, "policy": policy})
        rows.append({"state": state, "cells": cells})
    return render(request, "policy/policy_matrix.html", {"topics": topics, "rows": rows})


@require_GET
def topic_map(request: HttpRequest, topic: str) -> HttpResponse:
    topic_obj = get_object_or_404(Topic.objects.active(), slug=topic)
    grid = _state_topic_grid(request.user, [topic_obj])
    states = list(State.objects.filter(is_territory=False))
    cells, table = {}, []
    for state in states:
        category, label, policy = _status_cell(grid.get((state.usps, topic_obj.pk), []))
        url = policy.get_absolute_url() if policy else ""
        cells[state.usps] = (category, label, url)
        table.append({"state": state, "category": category, "label": label, "policy": policy})
    legend = [
        ("adopted", _("In place")),
        ("pending", _("Moving")),
        ("ended", _("Failed or repealed")),
        ("none", _("Nothing tracked")),
    ]
    counts = {key: sum(1 for row in table if row["category"] == key) for key, _label in legend}
    federal = Policy.objects.visible_to(request.user).filter(
        topics=topic_obj, jurisdiction__level=Jurisdiction.Level.FEDERAL
    )
    context = {
        "topic": topic_obj,
        "tiles": maps.tile_map(states, cells),
        "table": table,
        "legend": [(key, label, counts[key]) for key, label in legend],
        "federal": federal,
        "topics": Topic.objects.active().filter(policies__isnull=False).distinct(),
    }
    return render(request, "policy/policy_map.html", context)


@require_GET
def hearings_ics(request: HttpRequest) -> HttpResponse:
    hearings = (
        Hearing.objects.filter(policy__is_published=True)
        .select_related("policy__jurisdiction")
        .order_by("starts_at")
    )
    body = hearings_calendar(hearings, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kindred-policy-hearings.ics"'
    return response


# --- Alerts --------------------------------------------------------------------------------


def subscribe(request: HttpRequest) -> HttpResponse:
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    for name in ("topic", "jurisdiction"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscription, _created = services.subscribe(
            **form.cleaned_data,
            language=request.LANGUAGE_CODE,
            user=request.user,
        )
        if subscription.is_confirmed:
            messages.success(request, _("Your alert is set up."))
        else:
            messages.success(
                request,
                _("Almost done: we sent a link to %(email)s. Open it to start your alerts.")
                % {"email": subscription.email},
            )
        return redirect("policy:index")
    return render(request, "policy/subscription_form.html", {"form": form})


def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = get_object_or_404(Subscription, token=token)
    if request.method == "POST":
        services.confirm_subscription(subscription)
        messages.success(request, _("Thank you: your policy alerts have started."))
        return redirect("policy:subscription", token=token)
    return render(request, "policy/subscription_confirm.html", {"subscription": subscription})


def subscription_manage(request: HttpRequest, token: str) -> HttpResponse:
    subscription = get_object_or_404(
        Subscription.objects.select_related("topic", "jurisdiction"), token=token
    )
    if request.method == "POST":
        services.unsubscribe(subscription)
        messages.success(request, _("You will get no more of these alerts."))
        return redirect("policy:index")
    return render(request, "policy/subscription_detail.html", {"subscription": subscription})


# --- Actions -------------------------------------------------------------------------------


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    actions = list(AdvocacyAction.objects.open().select_related("jurisdiction", "policy"))
    for action in actions:
        action.count = signing.signature_count(action.pk)
    context = {"actions": actions, "can_edit": can_manage_policy(request.user)}
    return render(request, "policy/action_list.html", context)


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = NewActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = services.create_action(user=request.user, **form.cleaned_data)
        messages.success(
            request, _("The action is saved: %(status)s.") % {"status": action.get_status_display()}
        )
        return redirect("policy:action-manage", slug=action.slug)
    status = 422 if form.is_bound else 200
    return render(request, "policy/action_form.html", {"form": form}, status=status)


@login_required
def action_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    action = get_object_or_404(AdvocacyAction, slug=slug)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        changed = services.update_action(action, user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        return redirect("policy:action-manage", slug=action.slug)
    status = 422 if form.is_bound else 200
    stored = AdvocacyAction.objects.get(pk=action.pk)
    return render(
        request, "policy/action_form.html", {"form": form, "action": stored}, status=status
    )


def _public_counts(action: AdvocacyAction, *, exact: bool) -> tuple[str, list]:
    """The signatures-by-state map (places' SVG map) and the same numbers as table rows.
    The public sees counts under 11 as "fewer than 11"; staff see every number."""
    by_state = signing.counts_by_state(action.pk)
    names = dict(State.objects.values_list("usps", "name"))
    values, table = {}, []
    for usps, count in by_state.items():
        shown = str(count) if exact or count >= SMALL_CELL else _("fewer than 11")
        values[usps] = count if exact or count >= SMALL_CELL else None
        table.append((names.get(usps, usps), shown, count))
    # Largest shown counts first; hidden small counts alphabetically, so order leaks nothing.
    table.sort(key=lambda row: (-row[2], row[0]) if row[1] == str(row[2]) else (1, row[0]))
    svg = us_states_svg(
        values,
        title=_("Signatures by state"),
        link=None,
        value_label=lambda v: _("fewer than 11, or none") if v is None else str(v),
        html_id="signatures-map",
    )
    return svg, table


def _referral_links(request: HttpRequest, action: AdvocacyAction) -> list[tuple[str, str]]:
    """Share links for the communities this person belongs to; each credits its community."""
    if not request.user.is_authenticated:
        return []
    from kindred.network.models import Community, CommunityMembership

    communities = Community.objects.active().filter(
        memberships__user=request.user, memberships__status=CommunityMembership.Status.ACTIVE
    )
    base = request.build_absolute_uri(action.get_absolute_url())
    return [
        (community.name, f"{base}?ref={services.referral_code_for(community).code}")
        for community in communities[:10]
    ]


def action_detail(request: HttpRequest, slug: str) -> HttpResponse:
    action = get_object_or_404(
        AdvocacyAction.objects.visible_to(request.user).select_related("jurisdiction", "policy"),
        slug=slug,
    )
    snapshot = signing.get_action_snapshot(slug)
    text = signing.action_text(action, request.LANGUAGE_CODE)
    form = SignatureForm(
        request.POST or None,
        action=action,
        snapshot=snapshot,
        initial={
            "message": text if action.kind != action.Kind.PETITION else "",
            "ref": request.GET.get("ref", ""),
        },
    )
    status = 200
    if request.method == "POST":
        address = client_ip(request)
        if not signing.allow_attempt(address):
            form.add_error(
                None,
                _(
                    "Too many signatures from your connection. Please wait a few "
                    "minutes and try again."
                ),
            )
            status = 429
        elif form.is_valid():
            created = signing.sign_action(
                snapshot,
                form.signature_data,
                user=request.user,
                language=request.LANGUAGE_CODE,
                template_text=text,
            )
            if not created:
                messages.info(request, _("You had already signed this action: thank you!"))
            return redirect("policy:action-thanks", slug=slug)
        else:
            status = 422
    signature_map, table = _public_counts(action, exact=can_manage_policy(request.user))
    context = {
        "action": action,
        "form": form,
        "is_open": snapshot is not None and snapshot.is_open(),
        "closed_message": snapshot.closed_message() if snapshot else "",
        "count": signing.signature_count(action.pk),
        "signature_map": signature_map,
        "state_table": table,
        "targets": action.targets.filter(is_active=True)[:50],
        "letter_text": text,
        "share_links": _referral_links(request, action),
        "can_edit": action.can_edit(request.user),
    }
    return render(request, "policy/action_detail.html", context, status=status)


@require_GET
def action_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    action = get_object_or_404(AdvocacyAction.objects.visible_to(request.user), slug=slug)
    share_url = request.build_absolute_uri(action.get_absolute_url())
    return render(
        request,
        "policy/action_thanks.html",
        {"action": action, "count": signing.signature_count(action.pk), "share_url": share_url},
    )


@login_required
def action_manage(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    action = get_object_or_404(AdvocacyAction, slug=slug)
    _map, table = _public_counts(action, exact=True)
    context = {
        "action": action,
        "count": signing.signature_count(action.pk),
        "state_table": table,
        "communities": signing.counts_by_community(action.pk),
        "follow_up": action.signatures.filter(follow_up_consent=True).count(),
        "deliveries": action.signatures.filter(deliveries__status="sent").count(),
    }
    return render(request, "policy/action_manage.html", context)


@require_POST
@login_required
def action_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    _require_staff(request)
    action = get_object_or_404(AdvocacyAction, slug=slug)
    if file_format not in {"csv", "pdf"}:
        raise Http404
    progress = services.start_letters_export(action, user=request.user, file_format=file_format)
    return redirect(progress)


@require_POST
@login_required
def action_deliver(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    action = get_object_or_404(AdvocacyAction, slug=slug)
    progress = services.start_delivery(action, user=request.user)
    return redirect(progress)


@require_POST
@login_required
def action_status(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    action = get_object_or_404(AdvocacyAction, slug=slug)
    status = request.POST.get("status")
    if status not in AdvocacyAction.Status.values:
        messages.error(request, _("Please choose open, closed or draft."))
    else:
        services.set_action_status(action, status=status, user=request.user)
        messages.success(
            request, _("The action is now: %(status)s.") % {"status": action.get_status_display()}
        )
    return redirect("policy:action-manage", slug=slug)


@require_GET
@login_required
def export_download(request: HttpRequest, progress_id: UUID) -> HttpResponse:
    _require_staff(request)
    progress = get_object_or_404(TaskProgress, pk=progress_id, owner=request.user)
    for file_format in ("csv", "pdf"):
        path = export_path(str(progress.pk), file_format)
        if path.exists():
            return FileResponse(
                path.open("rb"), as_attachment=True, filename=f"letters-{progress.pk}.{file_format}"
            )
    raise Http404


@login_required
def officials_import(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = OfficialImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.import_officials(
            form.cleaned_data["file"].read(),
            user=request.user,
            retire_missing=form.cleaned_data["retire_missing"],
        )
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated, %(retired)d out of office.")
                % {"created": result.created, "updated": result.updated, "retired": result.retired},
            )
            return redirect(reverse("policy:officials-import"))
        status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request, "policy/officials_import.html", {"form": form, "result": result}, status=status
    )
