"""Listing services and finding the ones that fit a family."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.network.models import Language, Organization
from kindred.places.models import County, ZipCode
from kindred.places.services import ZipCodeError, lookup_zip
from kindred.systems.models import Need, OrganizationHsdsId, Schedule, Service, ServiceLocation
from kindred.systems.services.errors import SystemsError

# What an observation result points to (observe's "<instrument>:<band level>" codes) and
# the kinds of services that fit. Observe passes these codes; we never import observe.
RESULT_NEEDS = {
    "epds": ["perinatal-mental-health", "home-visiting"],
    "phq-2": ["perinatal-mental-health"],
    "phq-9": ["perinatal-mental-health"],
    "bpsc": ["infant-mental-health", "early-intervention"],
    "wecs": ["relational-support", "home-visiting", "parenting-groups"],
    "safety": ["safety", "perinatal-mental-health"],
}
CAPACITY_ORDER = {"accepting": 0, "waitlist": 1, "full": 2}

EDITABLE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "phone",
    "status",
    "eligibility_description",
    "min_age_months",
    "max_age_months",
    "interpretation_services",
    "cost",
    "fees_description",
    "application_process",
    "accepts_referrals",
    "capacity",
)


def needs_for_result(codes: Iterable[str]) -> list[str]:
    """Need slugs for observe's result codes (``["phq-9:support", "safety"]``), in order."""
    slugs: list[str] = []
    for code in codes or ():
        for slug in RESULT_NEEDS.get(str(code).split(":", 1)[0], []):
            if slug not in slugs:
                slugs.append(slug)
    return slugs


def hsds_id_for(organization: Organization) -> str:
    row, _created = OrganizationHsdsId.objects.get_or_create(organization=organization)
    return str(row.hsds_id)


def refresh_search_text(service: Service) -> None:
    text = " ".join(
        [service.name, service.alternate_name, service.description, service.organization.name]
    )
    service.search_text = text.lower()[:6000]


def _check_ages(low, high) -> None:
    if low is not None and high is not None and low > high:
        raise SystemsError(
            _("The youngest age served must not be above the oldest."), field="max_age_months"
        )


@transaction.atomic
def create_service(
    *,
    actor,
    organization: Organization,
    name: str,
    description: str,
    needs: Iterable[Need],
    counties: Iterable[County] = (),
    languages: Iterable[Language | str] = (),
    locations: Iterable[ServiceLocation] = (),
    schedules: Iterable[dict] = (),
    check_access: bool = True,
    pk=None,
    **fields,
) -> Service:
    """List a service of ``organization`` (whose admin ``actor`` must be)."""
    if check_access and not organization.can_edit(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    needs = list(needs)
    if not needs:
        raise SystemsError(_("Choose at least one need this service helps with."), field="needs")
    _check_ages(fields.get("min_age_months"), fields.get("max_age_months"))
    service = Service(
        **({"pk": uuid.UUID(str(pk))} if pk else {}),
        organization=organization,
        name=name.strip(),
        description=description.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        capacity_updated=timezone.now(),
        **fields,
    )
    refresh_search_text(service)
    try:
        service.full_clean(exclude=["search_text"])
    except ValidationError as exc:
        field, problems = next(iter(exc.message_dict.items()))
        raise SystemsError(problems[0], field=field) from None
    service.save()
    service.needs.set(needs)
    service.counties.set(counties)
    service.languages.set(languages)
    for location in locations:
        service.at_locations.create(location=location)
    for schedule in schedules:
        Schedule.objects.create(service=service, **schedule)
    hsds_id_for(organization)
    log_action(actor, "service.listed", service)
    return service


@transaction.atomic
def update_service(
    *,
    service: Service,
    actor,
    needs: Iterable[Need] | None = None,
    counties: Iterable[County] | None = None,
    languages: Iterable[Language | str] | None = None,
    **fields,
) -> Service:
    if not service.can_edit(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    _check_ages(
        fields.get("min_age_months", service.min_age_months),
        fields.get("max_age_months", service.max_age_months),
    )
    if needs is not None and not list(needs):
        raise SystemsError(_("Choose at least one need this service helps with."), field="needs")
    changed = [name for name, value in fields.items() if getattr(service, name) != value]
    for name, value in fields.items():
        setattr(service, name, value)
    if "capacity" in changed:
        service.capacity_updated = timezone.now()
        changed.append("capacity_updated")
    refresh_search_text(service)
    service.save(update_fields=[*changed, "search_text", "last_modified"])
    if needs is not None:
        service.needs.set(needs)
    if counties is not None:
        service.counties.set(counties)
    if languages is not None:
        service.languages.set(languages)
    log_action(actor, "service.updated", service, fields=changed)
    return service


@transaction.atomic
def set_capacity(*, service: Service, actor, capacity: str) -> Service:
    if capacity not in Service.Capacity.values:
        raise SystemsError(_("Choose accepting, waitlist or full."), field="capacity")
    return update_service(service=service, actor=actor, capacity=capacity)


def _resolve_need(need) -> list[int] | None:
    if need is None or need == "" or need == []:
        return None
    items = need if isinstance(need, list | tuple | set) else [need]
    slugs = [n for n in items if isinstance(n, str)]
    ids = [n.pk for n in items if isinstance(n, Need)]
    if slugs:
        ids += list(Need.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    return ids


def matching_services(
    *,
    zip_code: ZipCode | str | None = None,
    county: County | None = None,
    need=None,
    age_months: int | None = None,
    language: str | None = None,
    limit: int = 5,
) -> list[Service]:
    """Active services that take referrals and fit: serving ``county`` (or the county of
    ``zip_code``), helping with ``need`` (a ``Need``, a slug, or a list: any of them),
    serving a child of ``age_months``, in ``language`` (a code such as "es"). Services
    accepting new families come first, then waitlists, then full ones. An unknown ZIP
    code is ignored rather than refused: this feeds suggestions, not a search form."""
    if county is None and zip_code:
        try:
            place = zip_code if isinstance(zip_code, ZipCode) else lookup_zip(zip_code)
            county = place.county
        except ZipCodeError:
            county = None
    qs = Service.objects.active().filter(accepts_referrals=True)
    qs = qs.search(county=county, age_months=age_months, language=language or None)
    need_ids = _resolve_need(need)
    if need_ids is not None:
        # Any of the needs: one more IN over the through table (no join, no DISTINCT).
        through = Service.needs.through.objects.filter(need_id__in=need_ids)
        qs = qs.filter(pk__in=through.values("service_id"))
    found = list(qs.select_related("organization").order_by("name", "id")[: max(limit * 4, limit)])
    found.sort(key=lambda s: (CAPACITY_ORDER.get(s.capacity, 3), s.name))
    return found[:limit]


def create_location(
    *, organization: Organization, name: str, zip_code: ZipCode | None = None, **fields
) -> ServiceLocation:
    place = {}
    if zip_code is not None:
        place = {
            "zip_code": zip_code,
            "county": zip_code.county,
            "state": zip_code.state,
            "latitude": zip_code.latitude,
            "longitude": zip_code.longitude,
            "city": fields.pop("city", "") or zip_code.city,
        }
    return ServiceLocation.objects.create(organization=organization, name=name, **place, **fields)
