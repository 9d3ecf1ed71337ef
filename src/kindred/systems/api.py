"""Systems API. ``router`` is mounted at /api/systems/; ``hsds_router`` at /api/hsds/ and
speaks Open Referral HSDS 3.1 (its paths and pagination fields). These shapes are stable:
add fields, never rename."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from kindred.places.models import State
from kindred.systems import hsds
from kindred.systems.models import (
    Commitment,
    Milestone,
    Need,
    OrganizationHsdsId,
    Service,
    ServiceAtLocation,
)
from kindred.systems.services import find_certificate, referral_metrics
from kindred.systems.services.referrals import suppress

router = Router(tags=["systems"])
hsds_router = Router(tags=["hsds"])


class ErrorOut(Schema):
    detail: str


# --- /api/systems/ ----------------------------------------------------------------------------


class MilestoneOut(Schema):
    title: str
    due_on: str
    done_on: str | None


class CommitmentOut(Schema):
    slug: str
    title: str
    kind: str
    status: str
    organization: str
    partners: list[str]
    states: list[str]
    made_on: str
    target_date: str | None
    percent: int
    milestones: list[MilestoneOut]
    url: str


def _commitment(c: Commitment) -> dict:
    return {
        "slug": c.slug,
        "title": c.title,
        "kind": c.kind,
        "status": c.status,
        "organization": c.organization.name,
        "partners": [p.name for p in c.partners.all()],
        "states": [s.usps for s in c.states.all()],
        "made_on": c.made_on.isoformat(),
        "target_date": c.target_date.isoformat() if c.target_date else None,
        "percent": c.percent,
        "milestones": [
            {
                "title": m.title,
                "due_on": m.due_on.isoformat(),
                "done_on": m.done_on.isoformat() if m.done_on else None,
            }
            for m in c.milestones.all()
        ],
        "url": c.get_absolute_url(),
    }


class CommitmentFilter(Schema):
    state: str | None = Field(None, max_length=2, description="USPS code, e.g. OK")
    kind: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=20)


@router.get("/commitments", response=list[CommitmentOut], summary="Public commitments")
def list_commitments(request: HttpRequest, filters: Query[CommitmentFilter]):
    """Commitments to change, newest first (at most 200), filtered by state, type, status."""
    qs = Commitment.objects.visible_to(request.user)
    if filters.state:
        qs = qs.filter(states__usps=filters.state.upper())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    qs = qs.select_related("organization").prefetch_related(
        "partners", "states", Prefetch("milestones", queryset=Milestone.objects.all())
    )
    return [_commitment(c) for c in qs[:200]]


@router.get(
    "/commitments/{slug}",
    response={200: CommitmentOut, 404: ErrorOut},
    summary="One commitment",
)
def get_commitment(request: HttpRequest, slug: str):
    commitment = (
        Commitment.objects.visible_to(request.user)
        .select_related("organization")
        .filter(slug=slug)
        .first()
    )
    if commitment is None:
        return 404, {"detail": _("There is no commitment at this address.")}
    return 200, _commitment(commitment)


class CertificateOut(Schema):
    code: str
    valid: bool
    holder_name: str
    learning_path: str
    ce_hours: float
    issued_at: datetime
    competencies: list[str]


@router.get(
    "/certificates/{code}",
    response={200: CertificateOut, 404: ErrorOut},
    summary="Verify a certificate",
)
def verify_certificate(request: HttpRequest, code: str):
    """Whether a learning certificate with this code exists, and what it says."""
    certificate = find_certificate(code)
    if certificate is None:
        return 404, {"detail": _("No certificate has this code.")}
    return 200, {
        "code": certificate.code,
        "valid": certificate.is_valid,
        "holder_name": certificate.holder_name,
        "learning_path": certificate.path_title,
        "ce_hours": float(certificate.ce_hours),
        "issued_at": certificate.issued_at,
        "competencies": certificate.competencies,
    }


class SectorPairOut(Schema):
    from_sector: str | None
    to_sector: str | None
    count: int | str
    crosses_sectors: bool


class MetricsOut(Schema):
    total: int | str
    crossing_sectors: int | str | None
    crossing_percent: int | None
    median_hours_to_accept: float | None
    completion_rate: int | None
    pairs: list[SectorPairOut]


@router.get(
    "/referrals/metrics",
    response={200: MetricsOut, 404: ErrorOut},
    summary="Referral metrics (public, small counts suppressed)",
)
def referral_figures(
    request: HttpRequest, state: str | None = Query(None, max_length=2, description="USPS code")
):
    """Referrals by sector pair, how many cross a system line, time to acceptance and
    completion rate. Counts under 11 read "fewer than 11"."""
    place = None
    if state:
        place = State.objects.filter(usps=state.upper()).first()
        if place is None:
            return 404, {"detail": _("There is no state with this code.")}
    figures = referral_metrics(state=place)
    enough = figures["total"] >= 11
    return 200, {
        "total": suppress(figures["total"]),
        "crossing_sectors": suppress(figures["crossing"]),
        "crossing_percent": figures["crossing_percent"] if enough else None,
        "median_hours_to_accept": figures["median_hours_to_accept"] if enough else None,
        "completion_rate": figures["completion_rate"] if enough else None,
        "pairs": [
            {
                "from_sector": row["from"].slug if row["from"] else None,
                "to_sector": row["to"].slug if row["to"] else None,
                "count": suppress(row["count"]),
                "crosses_sectors": row["crosses"],
            }
            for row in figures["pairs"]
        ],
    }


# --- /api/hsds/ (Open Referral HSDS 3.1) ------------------------------------------------------


# An HSDS object; its full shape is the HSDS 3.1 JSON Schema of its table.
HsdsObject = dict[str, Any]


class HsdsPage(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class HsdsInfo(Schema):
    version: str
    profile: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100000, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=hsds.MAX_PAGE_SIZE, description="Items per page.")


class ServiceQuery(PageQuery):
    search: str | None = Field(None, max_length=200, description="Words in name/description.")
    organization_id: str | None = Field(None, max_length=40)
    taxonomy_term_id: str | None = Field(None, max_length=40)
    postcode: str | None = Field(None, max_length=10, description="ZIP code served.")
    modified_after: datetime | None = None
    full: bool = Field(False, description="Fully nested services.")


def _slice(qs, query: PageQuery) -> tuple[list, int]:
    total = qs.count()
    start = (query.page - 1) * query.per_page
    return list(qs[start : start + query.per_page]), total


def _org_filter(value: str | None):
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return False


@hsds_router.get("/", response=HsdsInfo, summary="About this HSDS API")
def hsds_info(request: HttpRequest):
    return hsds.api_info()


@hsds_router.get("/services", response=HsdsPage, summary="Services (HSDS 3.1, paginated)")
def hsds_services(request: HttpRequest, query: Query[ServiceQuery]):
    """Active services. Filters combine with AND, as HSDS asks."""
    qs = hsds.services_queryset(full=query.full).filter(status=Service.Status.ACTIVE)
    if query.search:
        qs = qs.search(text=query.search)
    org = _org_filter(query.organization_id)
    if org is False:
        qs = qs.none()
    elif org:
        qs = qs.filter(organization__hsds__hsds_id=org)
    if query.taxonomy_term_id:
        slugs = [n.slug for n in Need.objects.all() if n.hsds_id == query.taxonomy_term_id]
        qs = qs.filter(needs__slug__in=slugs)
    if query.postcode:
        from kindred.places.models import ZipCode

        place = ZipCode.objects.filter(code=query.postcode.strip()[:5]).first()
        qs = qs.search(county=place.county) if place else qs.none()
    if query.modified_after:
        qs = qs.filter(last_modified__gte=query.modified_after)
    services, total = _slice(qs.order_by("name", "id"), query)
    org_ids = hsds.organization_ids_for(s.organization_id for s in services)
    contents = [hsds.service_json(s, org_ids, full=query.full) for s in services]
    return hsds.page(contents, total=total, number=query.page, size=query.per_page)


@hsds_router.get(
    "/services/{id}", response={200: HsdsObject, 404: ErrorOut}, summary="One service (HSDS)"
)
def hsds_service(request: HttpRequest, id: str):
    """A fully nested service, with all related data."""
    try:
        pk = uuid.UUID(id)
    except ValueError:
        return 404, {"detail": _("There is no service with this id.")}
    service = hsds.services_queryset(full=True).filter(pk=pk, status=Service.Status.ACTIVE).first()
    if service is None:
        return 404, {"detail": _("There is no service with this id.")}
    org_ids = hsds.organization_ids_for([service.organization_id])
    return 200, hsds.service_json(service, org_ids, full=True)


@hsds_router.get("/organizations", response=HsdsPage, summary="Organizations (HSDS 3.1)")
def hsds_organizations(request: HttpRequest, query: Query[PageQuery]):
    """Organizations that list services in the directory."""
    qs = OrganizationHsdsId.objects.select_related("organization").order_by(
        "organization__name", "pk"
    )
    rows, total = _slice(qs, query)
    contents = [hsds.organization_json(r.organization, str(r.hsds_id)) for r in rows]
    return hsds.page(contents, total=total, number=query.page, size=query.per_page)


@hsds_router.get(
    "/organizations/{id}",
    response={200: HsdsObject, 404: ErrorOut},
    summary="One organization (HSDS)",
)
def hsds_organization(request: HttpRequest, id: str):
    try:
        row = OrganizationHsdsId.objects.select_related("organization").get(hsds_id=uuid.UUID(id))
    except (ValueError, OrganizationHsdsId.DoesNotExist):
        return 404, {"detail": _("There is no organization with this id.")}
    return 200, hsds.organization_json(row.organization, str(row.hsds_id), full=True)


class SalQuery(PageQuery):
    postcode: str | None = Field(None, max_length=10)
    organization_id: str | None = Field(None, max_length=40)


def _sal_queryset():
    return ServiceAtLocation.objects.filter(service__status=Service.Status.ACTIVE).select_related(
        "location__state", "location__zip_code"
    )


@hsds_router.get(
    "/service_at_locations", response=HsdsPage, summary="Services at locations (HSDS 3.1)"
)
def hsds_service_at_locations(request: HttpRequest, query: Query[SalQuery]):
    qs = _sal_queryset()
    if query.postcode:
        qs = qs.filter(location__zip_code_id=query.postcode.strip()[:5])
    org = _org_filter(query.organization_id)
    if org is False:
        qs = qs.none()
    elif org:
        qs = qs.filter(service__organization__hsds__hsds_id=org)
    rows, total = _slice(qs.order_by("location__name", "id"), query)
    org_ids = hsds.organization_ids_for(r.location.organization_id for r in rows)
    contents = [hsds.service_at_location_json(r, org_ids) for r in rows]
    return hsds.page(contents, total=total, number=query.page, size=query.per_page)


@hsds_router.get(
    "/service_at_locations/{id}",
    response={200: HsdsObject, 404: ErrorOut},
    summary="One service at a location (HSDS)",
)
def hsds_service_at_location(request: HttpRequest, id: str):
    try:
        sal = _sal_queryset().get(pk=uuid.UUID(id))
    except (ValueError, ServiceAtLocation.DoesNotExist):
        return 404, {"detail": _("There is no service at a location with this id.")}
    org_ids = hsds.organization_ids_for([sal.location.organization_id])
    return 200, hsds.service_at_location_json(sal, org_ids)
