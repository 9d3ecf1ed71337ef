from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kindred.core.models import Topic
from kindred.library import services
from kindred.library.access import get_resource_for
from kindred.library.decorators import capture_referral
from kindred.library.forms import AssignReviewerForm, ResourceForm, ResourceSearchForm, ReviewForm
from kindred.library.models import (
    Audience,
    Event,
    Resource,
    ResourceAudience,
    ResourceReview,
    Story,
)
from kindred.library.search import CountedPaginator, ResourceFilters, search

PAGE_SIZE = 20


FACET_SECONDS = 300
# The unfiltered library's counts cost the most (every resource) and change the least.
LANDING_FACET_SECONDS = 3600


def _facet_counts(results) -> dict:
    ids = results.order_by().values("pk")
    topics = (
        Topic.objects.filter(library_resources__in=ids)
        .annotate(n=Count("library_resources"))
        .order_by("-n", "name_en")[:12]
    )
    return {
        "types": dict(results.order_by().values_list("type").annotate(n=Count("pk"))),
        "languages": dict(results.order_by().values_list("language").annotate(n=Count("pk"))),
        "audiences": dict(
            ResourceAudience.objects.filter(resource__in=ids)
            .values_list("audience")
            .annotate(n=Count("pk"))
        ),
        "topics": [(topic.slug, topic.name_en, topic.name_es, topic.n) for topic in topics],
    }


def _facets(query: str, filters: ResourceFilters, results) -> dict:
    """How many results fall in each audience, language, type and topic. Counts are kept
    for a few minutes: on a large library they cost more than the search itself."""
    key = "library:facets:" + hashlib.sha256(repr((query, filters)).encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _facet_counts(results)
        landing = not query and filters == ResourceFilters()
        cache.set(key, counts, LANDING_FACET_SECONDS if landing else FACET_SECONDS)
    spanish = (get_language() or "en").startswith("es")
    choose = [
        ("types", Resource.Type.choices),
        ("languages", settings.LANGUAGES),
        ("audiences", Audience.choices),
    ]
    facets = {
        name: [(code, label, counts[name][code]) for code, label in choices if code in counts[name]]
        for name, choices in choose
    }
    facets["topics"] = [(slug, es if spanish else en, n) for slug, en, es, n in counts["topics"]]
    return facets


@capture_referral
def index(request: HttpRequest) -> HttpResponse:
    """The library: search, filters with counts, and the results, newest or best first."""
    form = ResourceSearchForm(request.GET or None)
    form.is_valid()
    query = request.GET.get("q", "")
    filters = ResourceFilters.from_mapping(request.GET)
    found = search(query, filters)
    paginator = CountedPaginator(found.results, PAGE_SIZE, count=found.count)
    page = paginator.get_page(request.GET.get("page"))
    items = list(page.object_list)
    prefetch_related_objects(items, "audience_rows", "topics")
    context = {
        "form": form,
        "capped": found.capped,
        "query": query,
        "filters": filters,
        "page": page,
        "items": items,
        "facets": _facets(query, filters, found.results),
        "is_filtered": bool(query or any(vars(filters).values())),
    }
    template = "library/resource_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@capture_referral
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug)
    reviews = []
    if resource.can_review(request.user) or resource.can_edit(request.user):
        reviews = list(resource.reviews.select_related("reviewer"))
    context = {
        "resource": resource,
        "topics": list(resource.topics.all()),
        "translations": list(resource.translations()),
        "related": list(services.related_resources(resource)),
        "reviews": reviews,
        "can_edit": resource.can_edit(request.user),
        "can_review": resource.can_review(request.user)
        and resource.status == Resource.Status.IN_REVIEW,
        "is_staff": request.user.is_staff,
        "review_form": ReviewForm(),
        "assign_form": AssignReviewerForm(),
    }
    return render(request, "library/resource_detail.html", context)


def _save_resource(request, form: ResourceForm, resource: Resource | None) -> Resource:
    data = dict(form.cleaned_data)
    extra = {
        "audiences": data.pop("audiences"),
        "topics": data.pop("topics"),
        "translation_of": data.pop("translation_of"),
    }
    if resource is None:
        return services.create_resource(author=request.user, **data, **extra)
    if data.get("file") is False:  # "clear" ticked
        data["file"] = ""
    elif data.get("file") is None:
        data.pop("file")
    return services.update_resource(resource, editor=request.user, **data, **extra)


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        resource = _save_resource(request, form, None)
        messages.success(request, _("Your draft is saved. Send it for review when it is ready."))
        return redirect(resource)
    return render(request, "library/resource_form.html", {"form": form})


@login_required
def resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug, write=True)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        resource = _save_resource(request, form, resource)
        messages.success(request, _("Your changes are saved."))
        return redirect(resource)
    return render(request, "library/resource_form.html", {"form": form, "resource": resource})


@require_POST
@login_required
def resource_submit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug, write=True)
    try:
        services.submit_resource_for_review(resource, by=request.user)
        messages.success(request, _("Thank you! Your resource is now waiting for review."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(resource)


@require_POST
@login_required
def resource_assign(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug)
    if not request.user.is_staff:
        raise PermissionDenied
    form = AssignReviewerForm(request.POST)
    if form.is_valid():
        try:
            services.assign_reviewer(resource, reviewer=form.cleaned_data["email"], by=request.user)
            messages.success(request, _("The reviewer has been asked to review."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    else:
        messages.error(request, form.errors["email"][0])
    return redirect(resource)


@require_POST
@login_required
def resource_review(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug)
    if not resource.can_review(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(resource)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.review_resource(
            resource, reviewer=request.user, approve=approve, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(resource)
    if approve:
        messages.success(request, _("Published. Thank you for reviewing."))
    else:
        messages.success(request, _("The author has been asked for changes."))
    return redirect(resource)


@require_POST
@login_required
def resource_archive(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_resource_for(request.user, slug)
    if not request.user.is_staff:
        raise PermissionDenied
    services.archive_resource(resource, by=request.user)
    messages.success(request, _("The resource is archived and no longer listed."))
    return redirect(resource)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """What waits for this person: resources to review, their drafts, and (for staff and
    organizers) stories and event proposals to moderate."""
    user = request.user
    to_review = Resource.objects.filter(status=Resource.Status.IN_REVIEW)
    if not user.is_staff:
        to_review = to_review.filter(
            reviews__reviewer=user, reviews__decision=ResourceReview.Decision.PENDING
        )
    context = {
        "to_review": list(to_review.select_related("author").order_by("updated")[:100]),
        "drafts": list(
            Resource.objects.filter(author=user)
            .exclude(status=Resource.Status.PUBLISHED)
            .order_by("-updated")[:100]
        ),
        "story_count": Story.objects.filter(status=Story.Status.SUBMITTED).count()
        if user.is_staff
        else 0,
        "proposal_count": Event.objects.visible_to(user)
        .filter(status=Event.Status.PROPOSED)
        .exclude(proposed_by=user)
        .count(),
    }
    return render(request, "library/review_queue.html", context)
