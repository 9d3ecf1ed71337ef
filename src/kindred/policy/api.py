"""Policy JSON API (stable interface, see docs in the operation descriptions).

- ``GET /api/policy/policies?topic=&jurisdiction=&status=&q=&page=``
- ``GET /api/policy/actions`` (open actions)
- ``POST /api/policy/actions/{slug}/sign`` → 201 new, 200 duplicate, 422 bad fields,
  404 unknown action, 409 closed action, 429 too many attempts from one address.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kindred.core.client import client_ip
from kindred.core.models import Topic
from kindred.policy import signing
from kindred.policy.models import AdvocacyAction, Policy, StatusChange
from kindred.policy.services import find_jurisdiction

router = Router(tags=["policy"])
PAGE_SIZE = 25


class ErrorsOut(Schema):
    errors: dict[str, str]


class JurisdictionOut(Schema):
    ocd_id: str
    slug: str
    name: str
    level: str


class SourceOut(Schema):
    title: str
    url: str
    source_date: date | None


class StatusChangeOut(Schema):
    status: str
    date: date
    note_en: str
    note_es: str
    source_title: str
    source_url: str
    source_date: date | None


class PolicyOut(Schema):
    slug: str
    url: str
    title_en: str
    title_es: str
    jurisdiction: JurisdictionOut
    policy_type: str
    identifier: str
    ocd_id: str
    topics: list[str]
    summary_en: str
    summary_es: str
    why_it_matters_en: str
    why_it_matters_es: str
    status: str
    status_date: date | None
    effective_date: date | None
    last_verified: date | None
    position: str
    position_rationale_en: str
    position_rationale_es: str
    is_fictional: bool
    related: list[str]
    history: list[StatusChangeOut]
    sources: list[SourceOut]


class PolicyPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PolicyOut]


class ActionOut(Schema):
    slug: str
    kind: str
    title_en: str
    title_es: str
    url: str
    sign_url: str
    jurisdiction: JurisdictionOut
    policy: str | None
    closes_at: datetime | None
    goal: int | None
    signature_count: int


class ActionPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ActionOut]


class SignedOut(Schema):
    status: str
    action: str
    signature_count: int


def _jurisdiction(j) -> dict:
    return {"ocd_id": j.ocd_id, "slug": j.slug, "name": j.name, "level": j.level}


def _policy(policy: Policy) -> dict:
    return {
        "slug": policy.slug,
        "url": policy.get_absolute_url(),
        "title_en": policy.title_en,
        "title_es": policy.title_es,
        "jurisdiction": _jurisdiction(policy.jurisdiction),
        "policy_type": policy.policy_type,
        "identifier": policy.identifier,
        "ocd_id": policy.ocd_id,
        "topics": [topic.slug for topic in policy.topics.all()],
        "summary_en": policy.summary_en,
        "summary_es": policy.summary_es,
        "why_it_matters_en": policy.why_it_matters_en,
        "why_it_matters_es": policy.why_it_matters_es,
        "status": policy.status,
        "status_date": policy.status_date,
        "effective_date": policy.effective_date,
        "last_verified": policy.last_verified,
        "position": policy.position,
        "position_rationale_en": policy.position_rationale_en,
        "position_rationale_es": policy.position_rationale_es,
        "is_fictional": policy.is_fictional,
        "related": [other.slug for other in policy.related.all()],
        "history": list(policy.history.all()),
        "sources": list(policy.sources.all()),
    }


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


@router.get(
    "/policies",
    response={200: PolicyPage, 422: ErrorsOut},
    summary="Tracked policies",
    description=(
        "Published policies, 25 a page, each with its dated status history (every step cites "
        "a source) and its sources. Filters: `topic` (topic code), `jurisdiction` (slug such "
        "as `us-ok`, Open Civic Data id, or state code; a state includes its counties and "
        "cities), `status`, `q` (words in the title, bill number or summary). An unknown "
        "filter value gives 422 naming the parameter."
    ),
)
def list_policies(
    request: HttpRequest,
    topic: str = "",
    jurisdiction: str = "",
    status: str = "",
    q: str = "",
    page: str = "1",
):
    errors: dict[str, str] = {}
    policies = Policy.objects.visible_to(request.user).search(q)
    if topic:
        topic_obj = Topic.objects.filter(slug=topic).first()
        if topic_obj is None:
            errors["topic"] = _("There is no topic with the code “%(value)s”.") % {"value": topic}
        else:
            policies = policies.filter(topics=topic_obj)
    if jurisdiction:
        place = find_jurisdiction(jurisdiction)
        if place is None:
            errors["jurisdiction"] = _("There is no jurisdiction “%(value)s”.") % {
                "value": jurisdiction
            }
        elif place.level == place.Level.STATE:
            policies = policies.filter(jurisdiction__state=place.state_id)
        else:
            policies = policies.filter(jurisdiction=place)
    if status:
        if status not in Policy.Status.values:
            errors["status"] = _("Status must be one of: %(values)s.") % {
                "values": ", ".join(Policy.Status.values)
            }
        else:
            policies = policies.filter(status=status)
    number = _page_number(request)
    if number is None:
        errors["page"] = _("The page must be a whole number from 1.")
    if errors:
        return 422, {"errors": errors}
    policies = (
        policies.select_related("jurisdiction")
        .prefetch_related(
            "topics",
            "sources",
            Prefetch("related", queryset=Policy.objects.only("slug")),
            Prefetch("history", queryset=StatusChange.objects.order_by("date", "created")),
        )
        .order_by("jurisdiction__level", "jurisdiction__name", "title_en", "pk")
    )
    paginator = Paginator(policies, PAGE_SIZE)
    page_obj = paginator.get_page(number)
    return {
        "count": paginator.count,
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "items": [_policy(policy) for policy in page_obj.object_list],
    }


@router.get(
    "/actions",
    response={200: ActionPage, 422: ErrorsOut},
    summary="Open advocacy actions",
    description="Letters, petitions and sign-on letters taking signatures now, 25 a page.",
)
def list_actions(request: HttpRequest, page: str = "1"):
    number = _page_number(request)
    if number is None:
        return 422, {"errors": {"page": _("The page must be a whole number from 1.")}}
    actions = AdvocacyAction.objects.open().select_related("jurisdiction", "policy")
    paginator = Paginator(actions.order_by("-created", "pk"), PAGE_SIZE)
    page_obj = paginator.get_page(number)
    items = [
        {
            "slug": action.slug,
            "kind": action.kind,
            "title_en": action.title_en,
            "title_es": action.title_es,
            "url": action.get_absolute_url(),
            "sign_url": f"/api/policy/actions/{action.slug}/sign",
            "jurisdiction": _jurisdiction(action.jurisdiction),
            "policy": action.policy.slug if action.policy else None,
            "closes_at": action.closes_at,
            "goal": action.goal,
            "signature_count": signing.signature_count(action.pk),
        }
        for action in page_obj.object_list
    ]
    return {
        "count": paginator.count,
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "items": items,
    }


SIGN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["name", "email", "zip"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 150},
                        "email": {"type": "string", "format": "email"},
                        "zip": {"type": "string", "examples": ["74103"]},
                        "message": {
                            "type": "string",
                            "maxLength": 5000,
                            "description": "The signer's own letter or comment, plain text.",
                        },
                        "follow_up_consent": {"type": "boolean", "default": False},
                        "state": {
                            "type": "string",
                            "description": "Optional two-letter state; the ZIP must be in it.",
                        },
                        "organization": {
                            "type": "string",
                            "description": "Required for organizational sign-on letters.",
                        },
                        "consent": {
                            "type": "boolean",
                            "default": True,
                            "description": "Sending the request is consent to sign; "
                            "false is refused with 422.",
                        },
                        "ref": {"type": "string", "description": "Referral code."},
                    },
                }
            }
        },
    }
}


def _errors(status: int, errors: dict[str, str], **headers) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@router.post(
    "/actions/{slug}/sign",
    response={
        201: SignedOut,
        200: SignedOut,
        404: ErrorsOut,
        409: ErrorsOut,
        422: ErrorsOut,
        429: ErrorsOut,
    },
    summary="Sign an action",
    description=(
        "Sign as a non-member with a JSON object. 201: signed. 200: this email (any case) had "
        "already signed this action; nothing changed. 422: `errors` names each bad field "
        "(`name`, `email`, `zip` malformed, unknown or outside the action's state, `message` "
        "with HTML, `organization` for sign-on letters, `follow_up_consent` not a boolean). "
        "404: no such action. 409: the action is closed. 429: too many attempts from one "
        "address; retry after the `Retry-After` seconds. No CSRF token is needed."
    ),
    openapi_extra=SIGN_BODY,
)
def sign(request: HttpRequest, slug: str):
    if not signing.allow_attempt(client_ip(request)):
        return _errors(
            429,
            {"rate": _("Too many signatures from this address. Please try again later.")},
            Retry_After=str(signing.rate_limit()[1]),
        )
    action = signing.get_action_snapshot(slug)
    if action is None:
        return _errors(404, {"action": _("There is no open action at this address.")})
    if not action.is_open():
        return _errors(409, {"action": action.closed_message()})
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return _errors(422, {"body": _("Send a JSON object with name, email and zip.")})
    clean, errors = signing.clean_signature(action, data, consent_default=True)
    if errors:
        return _errors(422, errors)
    created = signing.sign_action(
        action, clean, user=request.user, language=getattr(request, "LANGUAGE_CODE", "en")
    )
    body = {
        "status": "signed" if created else "already_signed",
        "action": action.slug,
        "signature_count": signing.signature_count(action.id),
    }
    return JsonResponse(body, status=201 if created else 200)
