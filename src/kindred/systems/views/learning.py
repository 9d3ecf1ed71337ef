from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.core.audit import log_action
from kindred.network.models import Organization
from kindred.systems import services
from kindred.systems.certificates import certificate_pdf
from kindred.systems.forms import CertificateLookupForm, CompetencyForm, ConfidenceForm, QuizForm
from kindred.systems.models import Competency, Enrolment, LearningPath, Module
from kindred.systems.models.access import is_staff
from kindred.systems.services import SystemsError
from kindred.systems.services.learning import path_competencies, progress_by_module
from kindred.systems.text import render_markdown
from kindred.systems.views.common import add_error


def _path(request: HttpRequest, slug: str) -> LearningPath:
    return get_object_or_404(LearningPath.objects.visible_to(request.user), slug=slug)


def _enrolment(request: HttpRequest, path: LearningPath) -> Enrolment | None:
    if not request.user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=request.user, path=path).first()


@require_GET
def path_list(request: HttpRequest) -> HttpResponse:
    paths = (
        LearningPath.objects.visible_to(request.user)
        .annotate(module_count=Count("modules"))
        .prefetch_related("competencies")
    )
    mine = {}
    if request.user.is_authenticated:
        mine = {e.path_id: e for e in Enrolment.objects.filter(user=request.user)}
    return render(request, "systems/path_list.html", {"paths": paths, "mine": mine})


@require_GET
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path(request, slug)
    enrolment = _enrolment(request, path)
    modules = list(path.modules.all())
    done = progress_by_module(enrolment) if enrolment else {}
    context = {
        "path": path,
        "modules": [(m, done.get(m.pk)) for m in modules],
        "enrolment": enrolment,
        "competencies": path_competencies(path),
        "certificate": getattr(enrolment, "certificate", None) if enrolment else None,
        "ready_to_finish": bool(
            enrolment and not enrolment.is_complete and not services.modules_left(enrolment)
        ),
    }
    if not enrolment:
        context["form"] = ConfidenceForm(competencies=context["competencies"])
    return render(request, "systems/path_detail.html", context)


@require_POST
@login_required
def path_enrol(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path(request, slug)
    competencies = path_competencies(path)
    form = ConfidenceForm(request.POST, competencies=competencies)
    if form.is_valid():
        try:
            services.enrol_in_path(user=request.user, path=path, pre_confidence=form.ratings())
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("You are enrolled. Start with the first module."))
            return redirect(path)
    context = {
        "path": path,
        "form": form,
        "competencies": competencies,
        "modules": [(m, None) for m in path.modules.all()],
    }
    return render(request, "systems/path_detail.html", context, status=422)


def _module(request: HttpRequest, slug: str, order: int) -> tuple[LearningPath, Module]:
    path = _path(request, slug)
    module = get_object_or_404(
        path.modules.prefetch_related("pages", "questions", "competencies"), order=order
    )
    return path, module


@require_GET
def module_detail(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    path, module = _module(request, slug, order)
    enrolment = _enrolment(request, path)
    return render(request, "systems/module_detail.html", _module_context(path, module, enrolment))


def _module_context(path, module, enrolment, form=None, result=None) -> dict:
    progress = progress_by_module(enrolment).get(module.pk) if enrolment else None
    modules = list(path.modules.all())
    index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
    return {
        "path": path,
        "module": module,
        "pages": [(page, render_markdown(page.body)) for page in module.pages.all()],
        "enrolment": enrolment,
        "progress": progress,
        "form": form or QuizForm(questions=list(module.questions.all())),
        "result": result,
        "next_module": modules[index + 1] if index + 1 < len(modules) else None,
        "previous_module": modules[index - 1] if index else None,
    }


@require_POST
@login_required
def module_quiz(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    path, module = _module(request, slug, order)
    enrolment = _enrolment(request, path)
    if enrolment is None:
        messages.info(request, _("Enrol in the path first; then the quizzes count."))
        return redirect(path)
    form = QuizForm(request.POST, questions=list(module.questions.all()))
    result = None
    if form.is_valid():
        try:
            progress = services.submit_quiz(
                enrolment=enrolment, module=module, answers=form.answers()
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            result = {
                "score": progress.last_score,
                "passed": progress.last_score >= module.pass_mark,
            }
            if result["passed"]:
                messages.success(
                    request,
                    _("You passed this module with %(score)d%%.") % {"score": progress.last_score},
                )
                return redirect(module.get_absolute_url() + "#quiz")
    context = _module_context(path, module, enrolment, form=form, result=result)
    return render(request, "systems/module_detail.html", context, status=200 if result else 422)


@login_required
def path_finish(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path(request, slug)
    enrolment = _enrolment(request, path)
    if enrolment is None:
        raise Http404
    if hasattr(enrolment, "certificate"):
        return redirect(enrolment.certificate)
    competencies = path_competencies(path)
    form = ConfidenceForm(request.POST or None, competencies=competencies)
    left = services.modules_left(enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.complete_path(
                enrolment=enrolment, post_confidence=form.ratings()
            )
        except SystemsError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Congratulations! Your certificate is ready."))
            return redirect(certificate)
    context = {"path": path, "form": form, "left": left, "enrolment": enrolment}
    status = 422 if request.method == "POST" else 200
    return render(request, "systems/path_finish.html", context, status=status)


@require_GET
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    form = CertificateLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        certificate = services.find_certificate(form.cleaned_data["code"])
        if certificate is not None:
            return redirect(certificate)
        form.add_error("code", _("No certificate has this code. Check it letter by letter."))
    status = 404 if form.is_bound and form.errors else 200
    return render(request, "systems/certificate_lookup.html", {"form": form}, status=status)


def _certificate_or_404(request: HttpRequest, code: str):
    certificate = services.find_certificate(code)
    if certificate is None:
        # The same answer for every missing code: nothing hints at which codes exist.
        response = render(
            request,
            "systems/certificate_lookup.html",
            {"form": CertificateLookupForm(), "not_found": True},
            status=404,
        )
        return None, response
    return certificate, None


@require_GET
def certificate_detail(request: HttpRequest, code: str) -> HttpResponse:
    certificate, missing = _certificate_or_404(request, code)
    if missing:
        return missing
    is_holder = request.user.is_authenticated and certificate.enrolment.user_id == request.user.pk
    return render(
        request,
        "systems/certificate_detail.html",
        {"certificate": certificate, "is_holder": is_holder},
    )


@require_GET
def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    certificate, missing = _certificate_or_404(request, code)
    if missing:
        return missing
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    response = HttpResponse(
        certificate_pdf(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="kindred-certificate-{certificate.code}.pdf"'
    )
    return response


@require_GET
def competency_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Competency.objects.all()
        if is_staff(request.user)
        else Competency.objects.filter(is_active=True)
    )
    return render(
        request,
        "systems/competency_list.html",
        {"competencies": qs, "can_edit": is_staff(request.user)},
    )


@login_required
def competency_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    competency = get_object_or_404(Competency, slug=slug) if slug else None
    form = CompetencyForm(request.POST or None, instance=competency)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        log_action(request.user, "competency.saved", saved)
        messages.success(request, _("The competency framework is updated."))
        return redirect("systems:competencies")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "systems/competency_form.html",
        {"form": form, "competency": competency},
        status=status,
    )


@login_required
def organization_learning(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), slug=slug)
    if not organization.can_edit(request.user):
        raise PermissionDenied
    rows = services.staff_progress(organization)
    return render(
        request,
        "systems/organization_learning.html",
        {"organization": organization, "rows": rows},
    )
