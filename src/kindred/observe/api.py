"""Observe's JSON API, mounted at /api/observe/.

Stable interfaces (EHR and research integrators rely on them):

- ``GET /instruments`` — published instruments;
- ``POST /score`` — score answers, store nothing (public; rate-limited per address);
- ``GET /instruments/{slug}/questionnaire`` — FHIR R4 Questionnaire JSON;
- ``GET /instruments/{slug}/redcap`` — REDCap data dictionary CSV.

Instrument definitions are public (they carry neutral labels only for instruments whose
wording needs permission), and scoring stores nothing, so these need no sign-in.
``POST /encounters`` records a visit for a family and needs a signed-in site clinician.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.security import django_auth

from kindred.core.ratelimit import over_limit
from kindred.core.ttl import TTLCache
from kindred.observe.access import client_ip, get_family_and_keys, record
from kindred.observe.engine.fhir import to_questionnaire
from kindred.observe.engine.redcap import to_data_dictionary
from kindred.observe.engine.scoring import AnswerErrors, score
from kindred.observe.models import Encounter, InstrumentVersion, Response
from kindred.observe.services import record_encounter

router = Router(tags=["observe"])

SCORE_RATE_PER_MINUTE = 120


class AgeWindow(Schema):
    min_days: int
    max_days: int


class InstrumentOut(Schema):
    slug: str
    version: str
    name: str
    licence_class: str
    respondent: str
    age_window: AgeWindow
    loinc: str | None = None
    item_text_source: str
    copyright: str


class ScoreIn(Schema):
    instrument: str
    version: str | None = None
    answers: dict[str, Any]
    child_age_days: int | None = None


class EncounterIn(Schema):
    family: int
    instrument: str
    version: str | None = None
    answers: dict[str, Any]


def _language() -> str:
    return (get_language() or "en").split("-")[0]


# Published versions never change, so a process may keep them; a newly published version is
# picked up within VERSION_CACHE_SECONDS.
VERSION_CACHE_SECONDS = 30
_versions = TTLCache(VERSION_CACHE_SECONDS, limit=1000)


def _load_version(key: tuple[str, str | None]) -> InstrumentVersion | None:
    slug, version = key
    versions = InstrumentVersion.objects.published().select_related("instrument")
    versions = versions.filter(instrument__slug=slug)
    if version:
        return versions.filter(version=version).first()
    return versions.order_by("-published_at", "-id").first()


def _find_version(slug: str, version: str | None) -> InstrumentVersion | None:
    if "\x00" in slug or "\x00" in (version or ""):
        return None  # no slug holds one, and PostgreSQL refuses it in a query
    return _versions.get((slug[:50], (version or "")[:20] or None), _load_version)


def _not_found(slug: str, version: str | None) -> JsonResponse:
    what = f"{slug} version {version}" if version else slug
    return JsonResponse({"detail": f"No published instrument {what}."}, status=404)


def _unprocessable(exc: AnswerErrors) -> JsonResponse:
    return JsonResponse(
        {
            "detail": "Some answers cannot be accepted; nothing was stored.",
            "errors": [error.as_dict() for error in exc.errors],
        },
        status=422,
    )


def _result_body(version: InstrumentVersion, result) -> dict[str, Any]:
    body = {"instrument": version.instrument.slug, "version": version.version}
    body.update(result.as_dict(_language()))
    return body


@router.get("/instruments", response=list[InstrumentOut], summary="Published instruments")
def list_instruments(request: HttpRequest):
    language = _language()
    out = []
    for version in InstrumentVersion.objects.latest_published():
        spec = version.spec
        out.append(
            {
                "slug": spec.slug,
                "version": spec.version,
                "name": spec.title(language),
                "licence_class": spec.licence_class,
                "respondent": spec.respondent,
                "age_window": {"min_days": spec.age_min_days, "max_days": spec.age_max_days},
                "loinc": spec.loinc,
                "item_text_source": spec.item_text_source,
                "copyright": spec.copyright,
            }
        )
    return out


def _rate_limited(request: HttpRequest) -> bool:
    limit = getattr(settings, "OBSERVE_SCORE_RATE_PER_MINUTE", SCORE_RATE_PER_MINUTE)
    return over_limit(request, "observe-score", limit=(limit, 60))


@router.post(
    "/score",
    summary="Score answers (stores nothing)",
    response={200: dict, 404: dict, 422: dict, 429: dict},
)
def score_answers(request: HttpRequest, payload: ScoreIn):
    """Validate and score ``answers`` (linkId → option code or plain value).

    Returns scores, bands, flags and alerts, or 422 naming each bad answer. Nothing is
    stored and nothing is logged: the request carries no family identity.
    """
    if _rate_limited(request):
        return JsonResponse({"detail": "Too many requests; try again in a minute."}, status=429)
    version = _find_version(payload.instrument, payload.version)
    if version is None:
        return _not_found(payload.instrument, payload.version)
    try:
        result = score(
            version.spec,
            payload.answers,
            child_age_days=payload.child_age_days,
            language=_language(),
        )
    except AnswerErrors as exc:
        return _unprocessable(exc)
    return _result_body(version, result)


def _documented(content_type: str, schema: dict, description: str) -> dict:
    """OpenAPI for a view that answers with its own HttpResponse (not JSON)."""
    json_object = {"application/json": {"schema": {"type": "object"}}}
    return {
        "responses": {
            200: {"description": description, "content": {content_type: {"schema": schema}}},
            404: {"description": "No published instrument by that slug", "content": json_object},
        }
    }


@router.get(
    "/instruments/{slug}/questionnaire",
    summary="FHIR R4 Questionnaire",
    openapi_extra=_documented(
        "application/fhir+json", {"type": "object"}, "The instrument as a FHIR Questionnaire"
    ),
)
def questionnaire(request: HttpRequest, slug: str, version: str | None = None):
    found = _find_version(slug, version)
    if found is None:
        return _not_found(slug, version)
    data = to_questionnaire(found.spec, base_url=settings.SITE_URL, language=_language())
    return JsonResponse(
        data, content_type="application/fhir+json", json_dumps_params={"ensure_ascii": False}
    )


@router.get(
    "/instruments/{slug}/redcap",
    summary="REDCap data dictionary (CSV)",
    openapi_extra=_documented("text/csv", {"type": "string"}, "The 18-column data dictionary"),
)
def redcap_dictionary(request: HttpRequest, slug: str, version: str | None = None):
    found = _find_version(slug, version)
    if found is None:
        return _not_found(slug, version)
    text = to_data_dictionary(found.spec, language=_language())
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{found.instrument.slug}-{found.version}-redcap.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/encounters",
    auth=django_auth,
    summary="Record a visit with one instrument (site clinicians)",
    response={201: dict, 401: dict, 403: dict, 404: dict, 422: dict},
)
def create_encounter(request: HttpRequest, payload: EncounterIn):
    """Validate, score, audit and commit one instrument for a family of your site."""
    family, keys = get_family_and_keys(
        request, payload.family, (Encounter, Response), need="screen"
    )
    version = _find_version(payload.instrument, payload.version)
    if version is None:
        return _not_found(payload.instrument, payload.version)
    try:
        encounter, response, result = record_encounter(
            family,
            by=request.user,
            version=version,
            answers=payload.answers,
            ip=client_ip(request),
            keys=keys,
        )
    except AnswerErrors as exc:
        record(request, "response.rejected", family, site=family.site_id, errors=len(exc.errors))
        return _unprocessable(exc)
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=422)
    body = _result_body(version, result)
    body.update(encounter=encounter.pk, response=response.pk)
    return 201, body
