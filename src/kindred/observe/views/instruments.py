"""The instrument catalogue, and importing a FHIR Questionnaire or REDCap dictionary (with a
preview and every problem named before anything is stored)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kindred.observe import services
from kindred.observe.engine.definition import Definition
from kindred.observe.engine.fhir import FhirError, from_questionnaire
from kindred.observe.engine.redcap import RedcapError, from_data_dictionary
from kindred.observe.forms import ImportInstrumentForm
from kindred.observe.models import InstrumentVersion

MAX_IMPORT = 2 * 1024 * 1024


def parse_instrument_file(content: str, filename: str) -> tuple[Definition, str]:
    """(definition, source) from a .json Questionnaire or a .csv dictionary; raises
    FhirError/RedcapError naming every problem."""
    if filename.lower().endswith(".csv") or not content.lstrip().startswith("{"):
        stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
        slug = "".join(c if c.isalnum() else "-" for c in stem).strip("-")[:48] or None
        return from_data_dictionary(content, slug=slug), InstrumentVersion.Source.REDCAP
    return from_questionnaire(content), InstrumentVersion.Source.FHIR


@login_required
def instrument_list(request: HttpRequest) -> HttpResponse:
    versions = InstrumentVersion.objects.latest_published()
    return render(
        request,
        "observe/instrument_list.html",
        {"versions": versions, "language": get_language() or "en"},
    )


@login_required
def instrument_import(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    form = ImportInstrumentForm(request.POST or None, request.FILES or None)
    preview = None
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is not None:
            if upload.size > MAX_IMPORT:
                problems = [_("The file is larger than 2 MB.")]
            raw = upload.read()
            filename = upload.name
            try:
                content = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                content, problems = "", [_("The file is not UTF-8 text.")]
        else:
            content, filename = form.cleaned_data["content"], form.cleaned_data["filename"]
        if not content and not problems:
            problems = [_("Choose a file to import.")]
        if not problems:
            try:
                preview, source = parse_instrument_file(content, filename)
            except (FhirError, RedcapError) as exc:
                problems = exc.problems
        if preview is not None and request.POST.get("confirm") == "1":
            try:
                version = services.import_instrument(preview, source=source, by=request.user)
            except services.InstrumentExists as exc:
                problems = [str(exc)]
            else:
                messages.success(request, _("Imported %(name)s.") % {"name": version})
                return redirect("observe:instruments")
        form = ImportInstrumentForm(initial={"content": content, "filename": filename})
    return render(
        request,
        "observe/instrument_import.html",
        {
            "form": form,
            "preview": preview,
            "problems": problems,
            "language": get_language() or "en",
        },
    )
