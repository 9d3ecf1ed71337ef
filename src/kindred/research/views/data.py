"""Data requests (researchers), decisions (data stewards) and de-identified datasets."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.research import access, services
from kindred.research.deid import catalog
from kindred.research.extract import FORMATS
from kindred.research.forms import ApproveForm, DataRequestForm, DeclineForm
from kindred.research.models import DataRequest, Dataset, Study, is_steward


@login_required
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    study = get_object_or_404(Study, slug=slug)
    if not study.is_team(request.user):
        raise PermissionDenied
    form = DataRequestForm(request.POST if request.method == "POST" else None, study=study)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            data_request = services.request_data(
                study,
                by=request.user,
                purpose=data["purpose"],
                instruments=data["instruments"],
                sites=data["sites"],
                variables=data["variables"],
                quasi_identifiers=data["quasi_identifiers"],
                k=data["k"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Request sent to the data steward."))
            return redirect(data_request)
    return render(request, "research/request_form.html", {"form": form, "study": study})


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    requests = (
        DataRequest.objects.visible_to(request.user)
        .select_related("study", "requested_by")
        .order_by("status", "-created")
    )
    return render(
        request,
        "research/request_list.html",
        {"requests": requests, "is_steward": is_steward(request.user)},
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access.get_request_for(request, pk)
    steward = is_steward(request.user)
    names = catalog()
    context = {
        "data_request": data_request,
        "variables": [names[v].label for v in data_request.variables if v in names],
        "quasi": [names[v].label for v in data_request.quasi_identifiers if v in names],
        "datasets": data_request.datasets.all(),
        "is_steward": steward,
        "approve_form": ApproveForm(instance=data_request) if steward else None,
        "decline_form": DeclineForm() if steward else None,
    }
    return render(request, "research/request_detail.html", context)


@require_POST
@login_required
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access.get_request_for(request, pk)
    access.require_steward(request)
    form = ApproveForm(request.POST, instance=DataRequest.objects.get(pk=data_request.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.approve_request(
                data_request,
                by=request.user,
                dua_reference=data["dua_reference"],
                dua_signed_on=data["dua_signed_on"],
                dua_expires_on=data["dua_expires_on"],
                dua_terms=data["dua_terms"],
                note=data["decision_note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(data_request)
        messages.success(request, _("Approved. The dataset is being built."))
        return redirect(dataset.progress or dataset)
    context = {
        "data_request": data_request,
        "datasets": data_request.datasets.all(),
        "is_steward": True,
        "approve_form": form,
        "decline_form": DeclineForm(),
    }
    return render(request, "research/request_detail.html", context, status=400)


@require_POST
@login_required
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access.get_request_for(request, pk)
    access.require_steward(request)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_request(data_request, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Request declined; the researcher can see why."))
    else:
        messages.error(request, _("Say why the request is declined."))
    return redirect(data_request)


@require_POST
@login_required
def request_build(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = access.get_request_for(request, pk)
    access.require_steward(request)
    try:
        dataset = services.start_build(data_request, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(data_request)
    return redirect(dataset.progress or dataset)


def _downloads(dataset: Dataset, user) -> list[dict]:
    if not dataset.is_ready or dataset.is_expired:
        return []
    items = [
        {"what": fmt, "label": label, "url": access.download_url(dataset, user, fmt)}
        for fmt, (label, _ext) in FORMATS.items()
        if fmt in dataset.files
    ]
    extras = [
        ("codebook", _("Codebook")),
        ("dictionary", _("Data dictionary (CSV)")),
        ("disclosure", _("Disclosure report")),
    ]
    items += [
        {"what": what, "label": label, "url": access.download_url(dataset, user, what)}
        for what, label in extras
        if what in dataset.files
    ]
    return items


@login_required
@require_GET
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = access.get_dataset_for(request, pk)
    context = {
        "dataset": dataset,
        "data_request": dataset.request,
        "report": dataset.report,
        "downloads": _downloads(dataset, request.user),
        "link_minutes": access.LINK_SECONDS // 60,
        "is_steward": is_steward(request.user),
    }
    return render(request, "research/dataset_detail.html", context)


@login_required
@require_GET
def dataset_psychometrics(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = access.get_dataset_for(request, pk)
    return render(
        request,
        "research/dataset_psychometrics.html",
        {"dataset": dataset, "results": dataset.psychometrics or {}},
    )


@login_required
@require_GET
def dataset_download(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    dataset = access.get_dataset_for(request, pk)
    problem = access.check_download(request, dataset, what)
    if problem:
        message = {
            "link_expired": _(
                "This download link has expired. Open the dataset page for a fresh one."
            ),
            "dataset_expired": _("Downloads of this dataset have ended."),
        }.get(problem, _("This download link is not valid. Open the dataset page for a fresh one."))
        return render(
            request,
            "research/download_refused.html",
            {"dataset": dataset, "message": message},
            status=403,
        )
    path = Path(dataset.folder) / dataset.files[what]
    if not path.is_file():
        return render(
            request,
            "research/download_refused.html",
            {"dataset": dataset, "message": _("The files of this dataset are no longer kept.")},
            status=410,
        )
    services.record_download(dataset, by=request.user, what=what, ip=access.client_ip(request))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@require_POST
@login_required
def dataset_expire(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = access.get_dataset_for(request, pk)
    access.require_steward(request)
    services.expire_dataset(dataset, by=request.user)
    messages.success(request, _("Downloads ended and the files were deleted."))
    return redirect(dataset)
