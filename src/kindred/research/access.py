"""Looking up research data for a request, and signed download links that expire.

A data request or dataset outside a person's studies is a 404 *and* an audit entry. A
download needs a link signed for that person, that dataset and that file, made less than
``LINK_SECONDS`` ago, and a dataset whose downloads have not ended; every download (and
every refused one) is in the audit log.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse

from kindred.core.audit import log_action
from kindred.core.client import client_ip
from kindred.research.models import DataRequest, Dataset, is_steward

LINK_SECONDS = 15 * 60
SALT = "kindred.research.download"


def _denied(request: HttpRequest, kind: str, pk) -> None:
    log_action(
        request.user,
        "research.access_denied",
        None,
        kind=kind,
        id=str(pk)[:40],
        path=request.path[:200],
        ip=client_ip(request),
    )
    raise Http404(f"No {kind} here.")


def get_request_for(request: HttpRequest, pk: int) -> DataRequest:
    found = (
        DataRequest.objects.visible_to(request.user)
        .select_related("study__lead", "requested_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        _denied(request, "data request", pk)
    return found


def get_dataset_for(request: HttpRequest, pk: int) -> Dataset:
    requests = DataRequest.objects.visible_to(request.user)
    found = (
        Dataset.objects.filter(request__in=requests)
        .select_related("request__study")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        _denied(request, "dataset", pk)
    return found


def require_steward(request: HttpRequest) -> None:
    if not is_steward(request.user):
        raise PermissionDenied


def download_url(dataset: Dataset, user, what: str) -> str:
    token = signing.dumps({"d": dataset.pk, "u": user.pk, "f": what}, salt=SALT, compress=True)
    return reverse("research:download", args=[dataset.pk, what]) + f"?t={token}"


def check_download(request: HttpRequest, dataset: Dataset, what: str) -> str | None:
    """None when the link is good; otherwise why it is not (and the refusal is audited)."""
    problem = None
    try:
        data = signing.loads(request.GET.get("t", ""), salt=SALT, max_age=LINK_SECONDS)
        if data != {"d": dataset.pk, "u": request.user.pk, "f": what}:
            problem = "mismatch"
    except signing.SignatureExpired:
        problem = "link_expired"
    except signing.BadSignature:
        problem = "bad_link"
    if problem is None and dataset.is_expired:
        problem = "dataset_expired"
    if problem is None and (not dataset.is_ready or what not in dataset.files):
        problem = "not_ready"
    if problem:
        log_action(
            request.user,
            "dataset.download_refused",
            dataset,
            file=what[:40],
            reason=problem,
            ip=client_ip(request),
        )
    return problem
