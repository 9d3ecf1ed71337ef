"""A site's data as CSV, XLSX and FHIR NDJSON, streamed row by row.

Rows come from ``.iterator()`` in chunks, so memory stays flat whatever the site's size.
Exports carry the family code, never names or contact details.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.conf import settings

from kindred.observe.engine.fhir import build_response, check_conformance
from kindred.observe.models import Response, Site

COLUMNS = [
    "response_id",
    "family_code",
    "encounter_id",
    "visit_date",
    "child_age_days",
    "instrument",
    "version",
    "status",
    "primary_score",
    "band",
    "flags",
    "critical",
    "scores",
    "answers",
]
CHUNK = 2000
# Every resource of the first responses goes through fhir.resources' full validation; the
# rest come from the same builder and pass our (much cheaper) conformance check.
FULLY_VALIDATED = 50


def export_rows(site: Site):
    return (
        Response.objects.counted()
        .filter(site=site)
        .select_related("family", "encounter", "instrument_version")
        .order_by("pk")
    )


def _row(response: Response) -> list:
    return [
        response.pk,
        response.family.code,
        response.encounter_id,
        response.encounter.date.isoformat(),
        response.child_age_days,
        response.instrument_slug,
        response.instrument_version.version,
        response.status,
        response.primary_score,
        response.band,
        " ".join(response.flags),
        int(response.has_critical),
        json.dumps(response.scores, sort_keys=True),
        json.dumps(response.answers, sort_keys=True, ensure_ascii=False),
    ]


def csv_lines(site: Site) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for response in export_rows(site).iterator(chunk_size=CHUNK):
        writer.writerow(_row(response))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(site: Site) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(COLUMNS)
    for response in export_rows(site).iterator(chunk_size=CHUNK):
        sheet.append(_row(response))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _subject(response: Response) -> tuple[str, str | None]:
    child = f"Patient/{response.family.code}-child"
    if response.spec.respondent == "caregiver":
        return f"Patient/{response.family.code}-caregiver", child
    return child, None


def ndjson_lines(site: Site) -> Iterator[str]:
    """FHIR NDJSON: a QuestionnaireResponse then its Observations, one resource a line."""
    base = settings.SITE_URL
    for index, response in enumerate(export_rows(site).iterator(chunk_size=CHUNK)):
        spec = response.spec
        subject, focus = _subject(response)
        result = _stored_result(response)
        resources = build_response(
            spec,
            response.answers,
            base_url=base,
            response_id=str(response.pk),
            status=response.fhir_status,
            subject=subject,
            focus=focus,
            authored=(response.submitted_at or response.created).isoformat(),
            encounter=f"Encounter/{response.encounter_id}",
            result=result,
            validate=index < FULLY_VALIDATED,
        )
        problems = check_conformance(spec, resources[0], base_url=base)
        if problems:
            raise ValueError(f"response {response.pk} does not conform: {problems}")
        yield "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in resources
        )


def _stored_result(response: Response):
    """The stored scores in the engine's Result shape (no rescoring on export)."""
    from kindred.observe.engine.scoring import Result

    spec = response.spec
    bands = {}
    primary = spec.primary_scale
    if primary is not None:
        for band in primary.bands:
            if band.code == response.band:
                bands[primary.id] = band
    return Result(response.answers, response.scores, bands, [], [])
