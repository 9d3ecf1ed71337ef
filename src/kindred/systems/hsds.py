"""Our directory as Open Referral HSDS 3.1 JSON (the ``/api/hsds/`` responses).

Ids of rows we do not store as HSDS rows (phones, service areas, languages, cost options,
attributes) are derived with UUID v5 from the service id, so they are stable between calls.
Needs and capacity status go out as ``attributes`` with terms of our own taxonomies.
"""

from __future__ import annotations

import math
import uuid
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from kindred.network.models import Organization
from kindred.systems.hsds_schema import HSDS_VERSION
from kindred.systems.models import (
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceLocation,
)
from kindred.systems.models.directory import HSDS_NAMESPACE

NEEDS_TAXONOMY = "kindred-needs"
CAPACITY_TAXONOMY = "kindred-capacity-status"
MAX_PAGE_SIZE = 100
COST_LABELS = {
    "free": "Free",
    "sliding": "Sliding scale",
    "insurance": "Medicaid or insurance",
    "fee": "Fee",
}


def derived_id(*parts) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, ":".join(str(p) for p in parts)))


def _compact(data: dict) -> dict:
    """HSDS fields are typed strings or numbers: leave out empty ones rather than send null."""
    return {k: v for k, v in data.items() if v not in (None, "")}


def _years(months: int | None) -> float | None:
    if months is None:
        return None
    return float(Decimal(months) / 12) if months % 12 else months // 12


def organization_json(organization: Organization, hsds_id: str, *, full: bool = False) -> dict:
    data = _compact(
        {
            "id": hsds_id,
            "name": organization.name,
            "description": organization.description or organization.name,
            "website": organization.website,
            "uri": None,
        }
    )
    if full:
        data["services"] = [
            {"id": str(pk)}
            for pk in organization.systems_services.filter(status=Service.Status.ACTIVE)
            .order_by("name")
            .values_list("pk", flat=True)
        ]
    return data


def _term(taxonomy: str, code: str, name: str) -> dict:
    return {
        "id": derived_id("term", taxonomy, code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy,
        "language": "en",
    }


def _attributes(service: Service) -> list[dict]:
    out = []
    for need in service.needs.all():
        term = _term(NEEDS_TAXONOMY, need.slug, need.name_en)
        out.append(
            {
                "id": derived_id(service.pk, "need", need.slug),
                "link_id": str(service.pk),
                "link_type": "service_type",
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            }
        )
    capacity = service.capacity
    term = _term(CAPACITY_TAXONOMY, capacity, Service.Capacity(capacity).label)
    # Labels are lazy translations; HSDS data is in English.
    term["name"] = term["description"] = {
        "accepting": "Accepting new clients",
        "waitlist": "Waitlist",
        "full": "Full",
    }[capacity]
    out.append(
        {
            "id": derived_id(service.pk, "capacity"),
            "link_id": str(service.pk),
            "link_type": "capacity_status",
            "link_entity": "service",
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
            "value": capacity,
        }
    )
    return out


def location_json(location: ServiceLocation, organization_hsds_id: str | None = None) -> dict:
    data = _compact(
        {
            "id": str(location.pk),
            "location_type": location.location_type,
            "organization_id": organization_hsds_id,
            "name": location.name,
            "transportation": location.transportation,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    if location.location_type == "physical" and location.address_1 and location.zip_code_id:
        data["addresses"] = [
            {
                "id": derived_id(location.pk, "address"),
                "location_id": str(location.pk),
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.state.usps if location.state_id else "",
                "postal_code": location.zip_code_id,
                "country": "US",
                "address_type": "physical",
            }
        ]
    return data


def _schedule_json(schedule: Schedule) -> dict:
    return _compact(
        {
            "id": str(schedule.pk),
            "service_id": str(schedule.service_id),
            "freq": schedule.freq,
            "byday": schedule.byday,
            "opens_at": schedule.opens_at.strftime("%H:%M") if schedule.opens_at else None,
            "closes_at": schedule.closes_at.strftime("%H:%M") if schedule.closes_at else None,
            "description": schedule.description,
        }
    )


def service_json(service: Service, org_ids: dict[int, str], *, full: bool = True) -> dict:
    """One service; ``full`` adds its related tables (phones, schedules, areas...)."""
    sid = str(service.pk)
    data = _compact(
        {
            "id": sid,
            "organization_id": org_ids.get(service.organization_id),
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility_description,
            "minimum_age": _years(service.min_age_months),
            "maximum_age": _years(service.max_age_months),
            "last_modified": service.last_modified.isoformat().replace("+00:00", "Z"),
        }
    )
    data["organization"] = organization_json(
        service.organization, org_ids.get(service.organization_id, "")
    )
    if not full:
        return data
    data["phones"] = (
        [
            {
                "id": derived_id(sid, "phone"),
                "service_id": sid,
                "number": service.phone,
                "type": "voice",
            }
        ]
        if service.phone
        else []
    )
    data["schedules"] = [_schedule_json(s) for s in service.schedules.all()]
    data["service_areas"] = [
        {
            "id": derived_id(sid, "area", county.fips),
            "service_id": sid,
            "name": f"{county.name}, {county.state.usps}",
            "extent_type": "text",
            "extent": f"{county.name}, {county.state.usps}",
            "uri": f"urn:us:fips:county:{county.fips}",
        }
        for county in service.counties.all()
    ]
    data["languages"] = [
        {
            "id": derived_id(sid, "language", lang.code),
            "service_id": sid,
            "name": lang.name_en,
            "code": lang.code,
        }
        for lang in service.languages.all()
    ]
    cost = _compact(
        {
            "id": derived_id(sid, "cost"),
            "service_id": sid,
            "option": COST_LABELS[service.cost],
            "amount": 0 if service.cost == "free" else None,
            "currency": "USD" if service.cost == "free" else None,
            "amount_description": service.fees_description,
        }
    )
    data["cost_options"] = [cost]
    data["service_at_locations"] = [
        service_at_location_json(sal, org_ids, with_service=False)
        for sal in service.at_locations.all()
    ]
    data["attributes"] = _attributes(service)
    data["capacities"] = []
    data["metadata"] = []
    return data


def service_at_location_json(
    sal: ServiceAtLocation, org_ids: dict[int, str], *, with_service: bool = False
) -> dict:
    data = _compact(
        {
            "id": str(sal.pk),
            "service_id": str(sal.service_id),
            "location_id": str(sal.location_id),
            "description": sal.description,
        }
    )
    data["location"] = location_json(sal.location, org_ids.get(sal.location.organization_id))
    return data


def services_queryset(*, full: bool) -> QuerySet[Service]:
    qs = Service.objects.select_related("organization")
    if full:
        qs = qs.prefetch_related(
            "needs",
            "languages",
            "schedules",
            Prefetch("counties", queryset=_counties()),
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related(
                    "location__state", "location__zip_code"
                ),
            ),
        )
    return qs


def _counties():
    from kindred.places.models import County

    return County.objects.select_related("state")


def organization_ids_for(organization_pks) -> dict[int, str]:
    from kindred.systems.models import OrganizationHsdsId

    return {
        row.organization_id: str(row.hsds_id)
        for row in OrganizationHsdsId.objects.filter(organization_id__in=set(organization_pks))
    }


def page(contents: list, *, total: int, number: int, size: int) -> dict:
    """An HSDS list response: contents plus the pagination fields."""
    total_pages = max(1, math.ceil(total / size)) if size else 1
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def api_info() -> dict:
    return {"version": HSDS_VERSION, "profile": "https://docs.openreferral.org/en/latest/"}
