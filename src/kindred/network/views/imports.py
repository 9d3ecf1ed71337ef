"""Import members and organizations from a CSV: upload → map columns → preview → confirm.

Network staff import into the network (and, if they wish, a community); community organizers
import into a community they organize.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kindred.core.progress import enqueue_with_progress
from kindred.network import imports
from kindred.network.models import Community, CommunityMembership
from kindred.network.tasks import import_members


def importable_communities(user):
    """Communities ``user`` may import people into (all active ones for network staff)."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    communities = Community.objects.active().order_by("name")
    if user.is_staff or user.is_superuser:
        return communities
    return communities.filter(
        memberships__user=user,
        memberships__role=CommunityMembership.Role.ORGANIZER,
        memberships__status=CommunityMembership.Status.ACTIVE,
    )


def can_import(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or importable_communities(user).exists()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "One person per row, with a heading row. Up to 5 MB. "
            "From Excel, choose “Save as: CSV UTF-8”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    community = forms.ModelChoiceField(
        queryset=Community.objects.none(),
        label=gettext_lazy("Add everyone to this community"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = importable_communities(user)
        if not (user.is_staff or user.is_superuser):
            self.fields["community"].required = True
            self.fields["community"].label = gettext_lazy("Community")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files.")
            )
        raw = upload.read()
        try:
            self.headings, _rows = imports.read_csv(raw)
        except imports.ImportFileError as exc:
            raise forms.ValidationError(exc.message) from None
        self.raw = raw
        return upload


class MappingForm(forms.Form):
    def __init__(self, *args, headings: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [
            (str(i), heading) for i, heading in enumerate(headings)
        ]
        for name, label in imports.FIELDS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
            )

    def clean(self):
        data = super().clean()
        if data.get("email") is None and data.get("organization") is None:
            raise forms.ValidationError(
                _("Choose the column with email addresses, or the one with organizations.")
            )
        used: dict[int, str] = {}
        for name, index in list(data.items()):
            if index is None:
                continue
            if index in used:
                self.add_error(
                    name,
                    _("This column is already chosen for “%(other)s”.")
                    % {"other": imports.FIELDS[used[index]]},
                )
            used[index] = name
        return data


def _upload(request: HttpRequest, token: str) -> dict:
    if not can_import(request.user):
        raise PermissionDenied
    meta = imports.upload_for(token, request.user)
    if meta is None:
        raise Http404
    return meta


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        token = imports.save_upload(
            form.raw,
            owner=request.user,
            filename=form.cleaned_data["file"].name,
            community_id=community.pk if community else None,
        )
        return redirect("network:import-map", token=token)
    context = {"form": form, "fields": imports.FIELDS}
    return render(request, "network/import_upload.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def import_map(request: HttpRequest, token: str) -> HttpResponse:
    meta = _upload(request, token)
    headings, rows = imports.read_csv(imports.load_upload(token))
    initial = {name: index for name, index in meta["mapping"].items() if index is not None}
    form = MappingForm(request.POST or None, headings=headings, initial=initial)
    if request.method == "POST" and form.is_valid():
        meta["mapping"] = {name: form.cleaned_data[name] for name in imports.FIELDS}
        meta["mapped"] = True
        imports.save_meta(token, meta)
        return redirect("network:import-preview", token=token)
    context = {
        "form": form,
        "meta": meta,
        "headings": headings,
        "sample": [cells for _number, cells in rows[:3]],
    }
    return render(request, "network/import_map.html", context)


@require_http_methods(["GET"])
@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    meta = _upload(request, token)
    if not meta.get("mapped"):
        return redirect("network:import-map", token=token)
    validation = imports.validate(imports.load_upload(token), meta["mapping"])
    community = None
    if meta.get("community_id"):
        community = Community.objects.filter(pk=meta["community_id"]).first()
    fields = [
        (name, label)
        for name, label in imports.FIELDS.items()
        if meta["mapping"].get(name) is not None
    ]
    context = {
        "token": token,
        "meta": meta,
        "community": community,
        "validation": validation,
        "preview": [_preview_row(person) for person in validation.people[: imports.PREVIEW_ROWS]],
        "errors": [imports.describe(error) for error in validation.errors],
        "error_rows": validation.errors,
        "fields": fields,
    }
    return render(request, "network/import_preview.html", context)


def _preview_row(person: imports.Person) -> dict:
    return {
        "rows": ", ".join(str(n) for n in person.rows),
        "email": person.email,
        "name": person.name,
        "organization": person.organization,
        "place": person.zip_code.code + " " + person.zip_code.county.label
        if person.zip_code
        else "",
        "status": _("Already in Kindred: will be updated")
        if person.exists
        else (_("New member") if person.email else _("Organization")),
    }


@require_POST
@login_required
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    meta = _upload(request, token)
    if not meta.get("mapped"):
        return redirect("network:import-map", token=token)
    validation = imports.validate(imports.load_upload(token), meta["mapping"])
    if validation.errors:
        messages.error(request, _("Fix the problems listed below, then upload the file again."))
        return redirect("network:import-preview", token=token)
    progress = enqueue_with_progress(
        import_members,
        request.user,
        _("Importing %(file)s") % {"file": meta.get("filename", "")},
        upload=token,
        owner_id=request.user.pk,
    )
    return redirect(progress)
