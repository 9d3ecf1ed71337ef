"""Import services from Open Referral HSDS 3.1: JSON (one service, a list, or an HSDS page
with ``contents``) or a ``services.csv`` table. Every row is checked against the HSDS
schema and our own rules first; if any row has a problem nothing is imported, and each
problem names its row.

CSV columns are those of HSDS ``services.csv`` (``id``, ``name``, ``description``,
``status``, ``minimum_age``, ``maximum_age``, ...) plus, optionally, ``needs`` (our need
codes), ``languages`` (ISO codes), ``counties`` (5-digit FIPS codes), each separated by
``;``, ``phone`` and ``capacity`` (accepting, waitlist or full). A blank ``id`` in a CSV
row adds a new service; a known id updates that service.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindred.network.models import Language, Organization
from kindred.places.models import County, ZipCode
from kindred.systems.hsds import CAPACITY_TAXONOMY
from kindred.systems.hsds_schema import problems as schema_problems
from kindred.systems.models import Need, Schedule, Service, ServiceLocation
from kindred.systems.services.directory import (
    create_location,
    create_service,
    hsds_id_for,
    update_service,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_SERVICES = 5000
NUMBER_COLUMNS = {"minimum_age", "maximum_age"}
_FIPS = re.compile(r"(\d{5})$")
_COUNTY_NAME = re.compile(r"^(.+?),\s*([A-Za-z]{2})$")
_TIME = re.compile(r"^(\d{2}):(\d{2})")


class HsdsImportError(ValueError):
    def __init__(self, summary, problems: list[str] | None = None):
        super().__init__(str(summary))
        self.summary = summary
        self.problems = problems or []


@dataclass
class Row:
    label: str
    data: dict
    needs: list[Need] = field(default_factory=list)
    counties: list[County] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    capacity: str = "accepting"
    existing: Service | None = None


def _parse_json(content: str) -> list[dict]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise HsdsImportError(
            _("This is not valid JSON (line %(line)d, column %(col)d: %(msg)s).")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise HsdsImportError(
            _("Expected an HSDS service, a list of services, or a page with “contents”.")
        )
    return data


def _parse_csv(content: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in ("name", "status") if name not in header]
    if missing:
        raise HsdsImportError(
            _("The CSV needs a header row with HSDS service columns; missing: %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    rows = []
    for raw in reader:
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        rows.append({k: v for k, v in row.items() if v != ""})
    return rows


def _number(value):
    try:
        return float(value) if "." in str(value) else int(value)
    except (TypeError, ValueError):
        return value  # the schema check reports it


def _months(years) -> int | None:
    if years is None:
        return None
    return round(float(years) * 12)


def _needs_from(item: dict, needs_by_key: dict[str, Need]) -> list[Need]:
    found = []
    keys = [k.strip().lower() for k in str(item.get("needs", "")).split(";") if k.strip()]
    for attribute in item.get("attributes") or []:
        term = (attribute or {}).get("taxonomy_term") or {}
        if term.get("taxonomy") == CAPACITY_TAXONOMY:
            continue
        keys += [str(term.get("code", "")).lower(), str(term.get("name", "")).lower()]
    for key in keys:
        need = needs_by_key.get(key)
        if need is not None and need not in found:
            found.append(need)
    return found


def _capacity_from(item: dict) -> str:
    value = str(item.get("capacity", "")).strip().lower()
    for attribute in item.get("attributes") or []:
        term = (attribute or {}).get("taxonomy_term") or {}
        if term.get("taxonomy") == CAPACITY_TAXONOMY:
            value = str(term.get("code") or attribute.get("value") or "").lower()
    return value or "accepting"


def _counties_from(item: dict, counties_by_name: dict) -> list[County]:
    fips = [f.strip() for f in str(item.get("counties", "")).split(";") if f.strip()]
    for area in item.get("service_areas") or []:
        area = area or {}
        match = _FIPS.search(str(area.get("uri", "")))
        if match:
            fips.append(match.group(1))
            continue
        named = _COUNTY_NAME.match(str(area.get("name", "")).strip())
        if named:
            county = counties_by_name.get((named.group(1).lower(), named.group(2).upper()))
            if county:
                fips.append(county.fips)
    return list(County.objects.filter(fips__in=fips)) if fips else []


def _check_row(row: Row, organization: Organization, default_need: Need | None) -> list[str]:
    data = row.data
    out = [f"{row.label}: {p}" for p in schema_problems(data, "service")]
    if out:
        return out
    if not str(data.get("description", "")).strip():
        out.append(f"{row.label}: " + _("a description is needed, so families know what it is."))
    if not row.needs:
        if default_need is None:
            out.append(
                f"{row.label}: "
                + _(
                    "no need we know (add a “needs” column or attribute, or choose a default need)."
                )
            )
        else:
            row.needs = [default_need]
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and low > high:
        out.append(f"{row.label}: " + _("minimum_age is above maximum_age."))
    if row.capacity not in Service.Capacity.values:
        out.append(f"{row.label}: " + _("capacity must be accepting, waitlist or full."))
    if data.get("id"):
        try:
            pk = uuid.UUID(str(data["id"]))
        except ValueError:
            return [*out, f"{row.label}: " + _("id is not a UUID.")]
        row.existing = Service.objects.filter(pk=pk).first()
        if row.existing and row.existing.organization_id != organization.pk:
            out.append(
                f"{row.label}: " + _("a service with this id belongs to another organization.")
            )
    return out


def _prepare(items: list[dict], organization, default_need, *, from_csv: bool) -> list[Row]:
    needs_by_key = {}
    for need in Need.objects.all():
        needs_by_key[need.slug] = needs_by_key[need.name_en.lower()] = need
        needs_by_key[need.name_es.lower()] = need
    counties_by_name = {}
    rows, problems, seen = [], [], set()
    if any(item.get("service_areas") for item in items):
        counties_by_name = {
            (c.name.lower(), c.state.usps): c for c in County.objects.select_related("state")
        }
    known_languages = set(Language.objects.values_list("code", flat=True))
    for index, item in enumerate(items, start=1):
        label = (_("Row %(n)d") if from_csv else _("Service %(n)d")) % {
            "n": index + 1 if from_csv else index
        }
        data = dict(item)
        extra = {
            k: data.pop(k)
            for k in ("needs", "languages", "counties", "phone", "capacity")
            if k in data and from_csv
        }
        for key in NUMBER_COLUMNS & set(data):
            data[key] = _number(data[key])
        if from_csv and not data.get("id"):
            data["id"] = str(uuid.uuid4())  # a blank id in a CSV row means "a new service"
        codes = [c.strip() for c in str(extra.get("languages", "")).split(";") if c.strip()]
        codes += [
            str((lang or {}).get("code", ""))
            for lang in item.get("languages") or []
            if isinstance(lang, dict)
        ]
        row = Row(
            label=f"{label} ({str(item.get('name', ''))[:60]})",
            data=data,
            needs=_needs_from({**item, **extra}, needs_by_key),
            counties=_counties_from({**item, **extra}, counties_by_name),
            languages=[c for c in dict.fromkeys(codes) if c in known_languages],
            capacity=_capacity_from({**item, **extra}),
        )
        row.data["_phone"] = extra.get("phone") or next(
            (p.get("number") for p in item.get("phones") or [] if isinstance(p, dict)), ""
        )
        phone = row.data.pop("_phone")
        found = _check_row(row, organization, default_need)
        row.data["_phone"] = phone
        if check_id := str(data.get("id") or ""):
            if check_id in seen:
                found.append(f"{row.label}: " + _("this id appears twice in the file."))
            seen.add(check_id)
        problems += found
        rows.append(row)
    if problems:
        raise HsdsImportError(
            _("Nothing was imported: %(count)d problem(s) to fix first.")
            % {"count": len(problems)},
            problems,
        )
    return rows


def _fields(row: Row) -> dict:
    data = row.data
    text = {
        name: str(data.get(name, ""))[:limit]
        for name, limit in (
            ("alternate_name", 200),
            ("url", 200),
            ("email", 254),
            ("interpretation_services", 300),
            ("fees_description", 500),
            ("eligibility_description", 2000),
            ("application_process", 2000),
        )
    }
    return {
        **text,
        "status": data["status"],
        "phone": str(data.get("_phone") or "")[:30],
        "min_age_months": _months(data.get("minimum_age")),
        "max_age_months": _months(data.get("maximum_age")),
        "capacity": row.capacity,
    }


def _locations(item: dict, organization: Organization) -> list[ServiceLocation]:
    out = []
    for sal in item.get("service_at_locations") or []:
        location = (sal or {}).get("location") or {}
        if not location.get("name"):
            continue
        address = (location.get("addresses") or [{}])[0] or {}
        zip_code = ZipCode.objects.filter(code=str(address.get("postal_code", ""))[:5]).first()
        out.append(
            create_location(
                organization=organization,
                name=str(location["name"])[:200],
                zip_code=zip_code,
                address_1=str(address.get("address_1", ""))[:200],
                location_type="virtual"
                if location.get("location_type") == "virtual"
                else "physical",
            )
        )
    return out


def _schedules(item: dict) -> list[dict]:
    out = []
    for schedule in item.get("schedules") or []:
        schedule = schedule or {}
        times = {}
        for key in ("opens_at", "closes_at"):
            match = _TIME.match(str(schedule.get(key, "")))
            times[key] = f"{match.group(1)}:{match.group(2)}" if match else None
        out.append(
            {
                "freq": schedule.get("freq")
                if schedule.get("freq") in Schedule.Freq.values
                else Schedule.Freq.WEEKLY,
                "byday": str(schedule.get("byday", ""))[:40],
                "description": str(schedule.get("description", ""))[:300],
                **times,
            }
        )
    return out


def import_hsds(
    *,
    organization: Organization,
    actor,
    filename: str,
    content: str,
    default_need: Need | None = None,
    originals: list[dict] | None = None,
) -> list[Service]:
    """Check every service in ``content`` (JSON or CSV, told by ``filename``), then create or
    update them all for ``organization`` in one transaction. Raises ``HsdsImportError``
    (nothing changed) with one line per problem."""
    if not organization.can_edit(actor):
        raise HsdsImportError(_("Only the organization's administrators can import services."))
    if len(content.encode("utf-8")) > MAX_BYTES:
        raise HsdsImportError(_("The file is larger than 5 MB. Split it and import the parts."))
    from_csv = filename.lower().endswith(".csv")
    items = _parse_csv(content) if from_csv else _parse_json(content)
    if not items:
        raise HsdsImportError(_("The file has no services in it."))
    if len(items) > MAX_SERVICES:
        raise HsdsImportError(_("At most 5,000 services can be imported at once."))
    rows = _prepare(items, organization, default_need, from_csv=from_csv)
    services = []
    with transaction.atomic():
        hsds_id_for(organization)
        for row, item in zip(rows, items, strict=True):
            fields = _fields(row)
            name = str(row.data["name"])[:200]
            description = str(row.data.get("description", ""))
            if row.existing is not None:
                service = update_service(
                    service=row.existing,
                    actor=actor,
                    needs=row.needs,
                    counties=row.counties,
                    languages=row.languages,
                    name=name,
                    description=description,
                    **fields,
                )
            else:
                service = create_service(
                    actor=actor,
                    organization=organization,
                    name=name,
                    description=description,
                    needs=row.needs,
                    counties=row.counties or _home_county(organization),
                    languages=row.languages,
                    locations=_locations(item, organization),
                    schedules=_schedules(item),
                    pk=row.data.get("id") or None,
                    **fields,
                )
            services.append(service)
    return services


def _home_county(organization: Organization) -> list[County]:
    return [organization.county] if organization.county_id else []


IMPORT_HELP = gettext_lazy(
    "An HSDS 3.1 JSON file (one service, a list, or a page with “contents”) or a services.csv "
    "table. Nothing is imported unless every row is right."
)
