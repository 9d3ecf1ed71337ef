"""Enrolment, quizzes, completion and certificates."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.network.models import Organization, OrganizationMembership
from kindred.network.services import display_name
from kindred.systems.models import (
    Certificate,
    Competency,
    Enrolment,
    LearningPath,
    Module,
    ModuleProgress,
)
from kindred.systems.services.errors import SystemsError

CONFIDENCE_SCALE = (1, 2, 3, 4, 5)


def path_competencies(path: LearningPath) -> list[Competency]:
    return list(path.competencies.filter(is_active=True).order_by("order", "name_en"))


def _check_ratings(path: LearningPath, ratings: dict) -> dict[str, int]:
    cleaned = {}
    for competency in path_competencies(path):
        value = ratings.get(competency.slug)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in CONFIDENCE_SCALE:
            raise SystemsError(
                _("Rate your confidence from 1 to 5 for each competency."),
                field=f"confidence_{competency.slug}",
            )
        cleaned[competency.slug] = value
    return cleaned


@transaction.atomic
def enrol_in_path(*, user, path: LearningPath, pre_confidence: dict) -> Enrolment:
    """Enrol ``user``; ``pre_confidence`` rates each of the path's competencies 1-5."""
    if not path.is_published:
        raise SystemsError(_("This learning path is not open for enrolment."))
    ratings = _check_ratings(path, pre_confidence)
    existing = Enrolment.objects.filter(user=user, path=path).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(user=user, path=path, pre_confidence=ratings)
    except IntegrityError:  # a double click
        return Enrolment.objects.get(user=user, path=path)
    log_action(user, "learning.enrolled", path)
    return enrolment


def progress_by_module(enrolment: Enrolment) -> dict[int, ModuleProgress]:
    return {p.module_id: p for p in enrolment.modules_progress.all()}


@transaction.atomic
def submit_quiz(*, enrolment: Enrolment, module: Module, answers: dict) -> ModuleProgress:
    """Score ``answers`` ({question id: chosen index}); every question must be answered.
    The best score is kept; the module is passed once a score reaches its pass mark."""
    if module.path_id != enrolment.path_id:
        raise SystemsError(_("This module is not part of your learning path."))
    if enrolment.is_complete:
        raise SystemsError(_("You have already completed this path."))
    questions = list(module.questions.all())
    if not questions:
        raise SystemsError(_("This module has no quiz."))
    right = 0
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        try:
            chosen = int(raw)
        except (TypeError, ValueError):
            raise SystemsError(
                _("Please answer every question."), field=f"question_{question.pk}"
            ) from None
        if not 0 <= chosen < len(question.choices_en):
            raise SystemsError(
                _("Please choose one of the answers shown."), field=f"question_{question.pk}"
            )
        right += chosen == question.correct
    score = round(100 * right / len(questions))
    progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, module=module
    )
    progress.attempts += 1
    progress.best_score = max(progress.best_score, score)
    if score >= module.pass_mark and progress.passed_at is None:
        progress.passed_at = timezone.now()
    progress.save(update_fields=["attempts", "best_score", "passed_at"])
    progress.last_score = score
    log_action(
        enrolment.user, "learning.quiz", module, score=score, passed=score >= module.pass_mark
    )
    return progress


def modules_left(enrolment: Enrolment) -> list[Module]:
    passed = set(
        enrolment.modules_progress.filter(passed_at__isnull=False).values_list("module", flat=True)
    )
    return [m for m in enrolment.path.modules.all() if m.pk not in passed]


@transaction.atomic
def complete_path(*, enrolment: Enrolment, post_confidence: dict) -> Certificate:
    """Record the closing self-assessment and issue the certificate (once)."""
    if hasattr(enrolment, "certificate"):
        return enrolment.certificate
    if modules_left(enrolment):
        raise SystemsError(_("Pass every module's quiz first; then your certificate is ready."))
    ratings = _check_ratings(enrolment.path, post_confidence)
    enrolment.post_confidence = ratings
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["post_confidence", "completed_at"])
    path = enrolment.path
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        holder_name=display_name(enrolment.user),
        path_title=path.title_en,
        ce_hours=path.ce_hours,
        competencies=[c.name_en for c in path_competencies(path)],
    )
    log_action(enrolment.user, "learning.certified", certificate, path=path.slug)
    return certificate


def find_certificate(code: str) -> Certificate | None:
    """The certificate with this code (any case, spaces ignored), or None."""
    cleaned = "".join((code or "").split()).upper()
    if len(cleaned) != 14:
        return None
    return Certificate.objects.filter(code=cleaned).first()


def staff_progress(organization: Organization) -> list[dict]:
    """Each member of ``organization`` with their enrolments (for its admins)."""
    members = (
        OrganizationMembership.objects.filter(organization=organization)
        .select_related("user__profile")
        .order_by("user__email")
    )
    user_ids = [m.user_id for m in members]
    enrolments = (
        Enrolment.objects.filter(user_id__in=user_ids)
        .select_related("path", "certificate")
        .prefetch_related("modules_progress", "path__modules")
    )
    by_user: dict[int, list[dict]] = {}
    for enrolment in enrolments:
        total = len(enrolment.path.modules.all())
        passed = sum(1 for p in enrolment.modules_progress.all() if p.passed_at)
        by_user.setdefault(enrolment.user_id, []).append(
            {
                "enrolment": enrolment,
                "passed": passed,
                "total": total,
                "certificate": getattr(enrolment, "certificate", None),
            }
        )
    return [
        {"membership": m, "name": display_name(m.user), "enrolments": by_user.get(m.user_id, [])}
        for m in members
    ]
