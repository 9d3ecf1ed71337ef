"""A referral as FHIR R4 ServiceRequest + Task (the HL7 SDOH Clinical Care pattern), in a
collection Bundle, validated with ``fhir.resources.R4B``. Only the information the family
agreed to share goes out."""

from __future__ import annotations

import uuid
from typing import Any

from kindred.systems.models import Referral
from kindred.systems.models.directory import HSDS_NAMESPACE

TASK_STATUS = {
    "sent": "requested",
    "accepted": "accepted",
    "declined": "rejected",
    "contacted": "in-progress",
    "service_started": "in-progress",
    "completed": "completed",
    "could_not_reach": "failed",
    "cancelled": "cancelled",
}
REQUEST_STATUS = {
    "completed": "completed",
    "declined": "revoked",
    "cancelled": "revoked",
    "could_not_reach": "revoked",
}
PRIORITY = {"routine": "routine", "soon": "urgent", "urgent": "asap"}
SDOHCC_TEMP = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"


def _instant(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _org(organization, base_url: str) -> dict:
    return {
        "display": organization.name,
        "identifier": {"system": f"{base_url}/network/organizations", "value": organization.slug},
    }


def referral_bundle(referral: Referral, *, base_url: str) -> dict[str, Any]:
    from fhir.resources.R4B.bundle import Bundle

    base_url = base_url.rstrip("/")
    subject = {
        "identifier": {
            "system": f"{base_url}/fhir/subject/{referral.subject_kind}",
            "value": referral.subject_ref,
        },
        "display": referral.shared_first_name or referral.subject_kind,
    }
    request_id = str(referral.pk)
    task_id = str(uuid.uuid5(HSDS_NAMESPACE, f"task:{referral.pk}"))
    needs = [n.name_en for n in referral.service.needs.all()]
    service_request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": request_id,
        "status": REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "category": [
            {
                "coding": [
                    {
                        "system": SDOHCC_TEMP,
                        "code": "sdoh-category-unspecified",
                        "display": "SDOH Category Unspecified",
                    }
                ],
                "text": "; ".join(needs) or "Community service referral",
            }
        ],
        "code": {"text": referral.service.name},
        "subject": subject,
        "authoredOn": _instant(referral.created),
        "requester": _org(referral.from_organization, base_url),
        "performer": [_org(referral.to_organization, base_url)],
        "identifier": [{"system": f"{base_url}/systems/referrals", "value": request_id}],
    }
    if referral.note:
        service_request["note"] = [{"text": referral.note}]
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": task_id,
        "status": TASK_STATUS[referral.status],
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "code": {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/CodeSystem/task-code",
                    "code": "fulfill",
                    "display": "Fulfill the focal request",
                }
            ]
        },
        "focus": {"reference": f"ServiceRequest/{request_id}"},
        "for": subject,
        "authoredOn": _instant(referral.created),
        "lastModified": _instant(referral.status_changed_at),
        "requester": _org(referral.from_organization, base_url),
        "owner": _org(referral.to_organization, base_url),
        "businessStatus": {"text": referral.status},
    }
    if referral.status == "declined" and referral.decline_reason:
        task["statusReason"] = {"text": referral.decline_reason}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(referral.status_changed_at),
        "entry": [
            {"fullUrl": f"urn:uuid:{request_id}", "resource": service_request},
            {"fullUrl": f"urn:uuid:{task_id}", "resource": task},
        ],
    }
    Bundle.model_validate(bundle)
    return bundle
