"""The directory of people and organizations, with live filters and a CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kindred.core.audit import log_action
from kindred.network.forms import DirectoryForm
from kindred.network.models import CommunityMembership
from kindred.network.search import search_organizations, search_people
from kindred.network.views import query_without_page

PAGE_SIZE = 20
EXPORT_CHUNK = 2000
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` results: past that the page says "1,000+" and offers the first
    ``cap`` of them. An exact count of a broad search reads every matching row; this reads
    at most ``cap`` + 1 of them."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        # No ORDER BY: the database may stop at any cap + 1 matches.
        counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def _filters(request: HttpRequest) -> tuple[DirectoryForm, dict]:
    form = DirectoryForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # a bad value is reported beside its field and otherwise ignored
        return form, form.cleaned_data
    return form, {"kind": DirectoryForm.PEOPLE}


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    kind = filters.get("kind") or DirectoryForm.PEOPLE
    if kind == DirectoryForm.ORGANIZATIONS:
        results = (
            search_organizations(filters, request.user)
            .select_related("county__state", "state")
            .prefetch_related("sectors")
        )
    else:
        results = (
            search_people(filters, request.user)
            .select_related("county__state", "state")
            .prefetch_related("roles", "sectors")
        )
    page = CappedPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        # An htmx swap shows the results and refreshes only the county list.
        "selects": form.selects(("county",) if request.htmx else DirectoryForm.SELECTS),
        "kind": kind,
        "page": page,
        "query": query_without_page(request),
        "can_export": can_export(request.user),
    }
    template = "network/directory.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def can_export(user) -> bool:
    """Community organizers (and network staff) may download what they can see."""
    if not user.is_authenticated:
        return False
    return (
        user.is_staff
        or CommunityMembership.objects.filter(
            user=user,
            role=CommunityMembership.Role.ORGANIZER,
            status=CommunityMembership.Status.ACTIVE,
        ).exists()
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    # Spreadsheets run cells starting with these as formulas ("CSV injection").
    text = str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _names(items) -> str:
    return "; ".join(item.name for item in items)


@require_GET
@login_required
def directory_export(request: HttpRequest) -> StreamingHttpResponse:
    if not can_export(request.user):
        raise PermissionDenied
    _form, filters = _filters(request)
    people = (
        search_people(filters, request.user)
        .select_related("user", "county", "state")
        .prefetch_related(
            "roles",
            "sectors",
            "topics",
            "languages",
            "user__organization_memberships__organization",
        )
    )
    log_action(request.user, "directory.exported", None, filters=request.GET.urlencode())
    base = request.build_absolute_uri("/")[:-1]
    header = [
        _("Name"),
        _("Pronouns"),
        _("Roles"),
        _("Sectors"),
        _("Organizations"),
        _("County"),
        _("State"),
        _("Languages"),
        _("Topics"),
        _("Profile"),
    ]

    def rows():
        yield header
        for person in people.iterator(chunk_size=EXPORT_CHUNK):
            organizations = [m.organization for m in person.user.organization_memberships.all()]
            yield [
                _cell(person.display_name),
                _cell(person.pronouns),
                _names(person.roles.all()),
                _names(person.sectors.all()),
                _cell(_names(organizations)),
                person.county.name if person.county_id else "",
                person.state.usps if person.state_id else "",
                _names(person.languages.all()),
                _names(person.topics.all()),
                base + person.get_absolute_url(),
            ]

    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="kindred-directory.csv"'
    return response
