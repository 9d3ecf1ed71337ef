"""Writes for research: each one atomic, validated and written to the audit log.

Views, the API, the ``build_dataset`` command, the task and the demo seeder call these.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.progress import advance, enqueue_with_progress, finish
from kindred.core.slugs import unique_slug
from kindred.research import deid
from kindred.research.extract import build_extract
from kindred.research.models import (
    Curator,
    DataRequest,
    Dataset,
    Finding,
    Panelist,
    Question,
    QuestionComment,
    Rating,
    Round,
    RoundQuestion,
    StakeholderGroup,
    Steward,
    Study,
)
from kindred.research.psychometrics import dataset_psychometrics

DOWNLOAD_DAYS = 30
PRACTITIONER_ROLES = {
    "pediatric-clinician",
    "nurse",
    "doula",
    "community-health-worker",
    "home-visitor",
    "early-educator",
    "infant-family-mental-health",
}


def data_root() -> Path:
    return Path(getattr(settings, "RESEARCH_DATA_DIR", Path(settings.VAR_DIR) / "research"))


def group_for(user) -> str:
    """The stakeholder group a member's roles put them in. Lived experience comes first:
    a parent who is also a researcher rates with the parents."""
    profile = getattr(user, "profile", None)
    slugs = set(profile.roles.values_list("slug", flat=True)) if profile else set()
    if "parent-caregiver" in slugs:
        return StakeholderGroup.PARENTS
    if slugs & PRACTITIONER_ROLES:
        return StakeholderGroup.PRACTITIONERS
    if "researcher" in slugs:
        return StakeholderGroup.RESEARCHERS
    return StakeholderGroup.OTHERS


# --- people -----------------------------------------------------------------------------------


@transaction.atomic
def appoint_steward(user, *, by) -> Steward:
    steward, created = Steward.objects.get_or_create(user=user, defaults={"appointed_by": by})
    if created:
        log_action(by, "research.steward_appointed", user)
    return steward


@transaction.atomic
def appoint_curator(user, *, by) -> Curator:
    curator, created = Curator.objects.get_or_create(user=user, defaults={"appointed_by": by})
    if created:
        log_action(by, "research.curator_appointed", user)
    return curator


# --- questions --------------------------------------------------------------------------------


@transaction.atomic
def propose_question(*, by, title: str, why: str, theme: str, **fields: Any) -> Question:
    question = Question(proposed_by=by, title=title, why=why, theme=theme, **fields)
    question.full_clean()
    question.save()
    if by is not None:
        question.followers.add(by)
    log_action(by, "question.proposed", question)
    return question


@transaction.atomic
def update_question(question: Question, *, by, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save(update_fields=[*fields, "updated"])
    log_action(by, "question.changed", question, fields=sorted(fields))


@transaction.atomic
def decide_question(question: Question, *, accept: bool, by) -> None:
    question.status = Question.Status.ACCEPTED if accept else Question.Status.DECLINED
    question.save(update_fields=["status", "updated"])
    log_action(by, "question.accepted" if accept else "question.declined", question)


@transaction.atomic
def merge_question(question: Question, *, into: Question, by) -> None:
    """Fold a duplicate into another question: followers and studies move with it."""
    if into.pk == question.pk or into.status == Question.Status.MERGED:
        raise ValidationError(_("Choose a different question that is still open."))
    question.status = Question.Status.MERGED
    question.merged_into = into
    question.save(update_fields=["status", "merged_into", "updated"])
    into.followers.add(*question.followers.all())
    for study in question.studies.all():
        study.questions.add(into)
    log_action(by, "question.merged", question, into=into.pk)


def follow_question(question: Question, user, *, follow: bool = True) -> None:
    if follow:
        question.followers.add(user)
    else:
        question.followers.remove(user)


@transaction.atomic
def comment_on_question(question: Question, *, by, body: str) -> QuestionComment:
    comment = QuestionComment(question=question, author=by, body=body.strip())
    comment.full_clean()
    comment.save()
    question.followers.add(by)
    log_action(by, "question.commented", question)
    return comment


# --- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    by,
    title: str,
    questions: Iterable[Question] = (),
    previous: Round | None = None,
    **fields: Any,
) -> Round:
    round_ = Round(title=title, previous=previous, created_by=by, **fields)
    if previous is not None:
        round_.number = previous.number + 1
    round_.full_clean()
    round_.save()
    set_round_questions(round_, questions or (previous.questions.all() if previous else []))
    log_action(by, "round.created", round_)
    return round_


@transaction.atomic
def update_round(round_: Round, *, by, questions: Iterable[Question] | None = None, **fields):
    for name, value in fields.items():
        setattr(round_, name, value)
    round_.full_clean()
    round_.save(update_fields=list(fields))
    if questions is not None:
        set_round_questions(round_, questions)
    log_action(by, "round.changed", round_, fields=sorted(fields))


def set_round_questions(round_: Round, questions: Iterable[Question]) -> None:
    if round_.status != Round.Status.DRAFT and round_.ratings.exists():
        raise ValidationError(_("Questions cannot change once panelists have rated."))
    RoundQuestion.objects.filter(round=round_).delete()
    RoundQuestion.objects.bulk_create(
        RoundQuestion(round=round_, question=q, order=n) for n, q in enumerate(questions)
    )


@transaction.atomic
def add_panelist(round_: Round, user, *, group: str = "", by=None) -> Panelist:
    panelist, created = Panelist.objects.get_or_create(
        round=round_, user=user, defaults={"group": group or group_for(user)}
    )
    if not created and group and panelist.group != group:
        panelist.group = group
        panelist.save(update_fields=["group"])
        panelist.ratings.update(group=group)
    if created:
        log_action(by or user, "round.panelist_added", round_, group=panelist.group)
    return panelist


def join_round(round_: Round, user) -> Panelist:
    if not (round_.open_enrolment and round_.is_open):
        raise ValidationError(_("This round is not open for new panelists."))
    return add_panelist(round_, user, by=user)


@transaction.atomic
def open_round(round_: Round, *, by) -> None:
    if not round_.round_questions.exists():
        raise ValidationError(_("Add at least one question before opening the round."))
    round_.status = Round.Status.OPEN
    round_.opened_at = timezone.now()
    round_.save(update_fields=["status", "opened_at"])
    log_action(by, "round.opened", round_)


@transaction.atomic
def close_round(round_: Round, *, by) -> None:
    round_.status = Round.Status.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    log_action(by, "round.closed", round_)


@transaction.atomic
def submit_ratings(panelist: Panelist, ratings: dict[int, tuple[int, str]], *, by) -> int:
    """Save a panelist's ratings {question id: (1–9, comment)}; returns how many."""
    round_ = panelist.round
    if not round_.is_open:
        raise ValidationError(_("This round is closed."))
    allowed = set(round_.round_questions.values_list("question_id", flat=True))
    for question_id, (score, comment) in ratings.items():
        if question_id not in allowed:
            raise ValidationError(_("That question is not part of this round."))
        if not 1 <= int(score) <= 9:
            raise ValidationError(_("Ratings go from 1 to 9."))
        Rating.objects.update_or_create(
            panelist=panelist,
            question_id=question_id,
            defaults={
                "round": round_,
                "group": panelist.group,
                "score": int(score),
                "comment": (comment or "").strip()[:1000],
            },
        )
    log_action(by, "round.rated", round_, count=len(ratings))
    return len(ratings)


# --- studies ----------------------------------------------------------------------------------


M2M_STUDY = ("questions", "team", "sites", "instruments")


@transaction.atomic
def create_study(*, by, title: str, summary: str, lead=None, **fields: Any) -> Study:
    related = {name: fields.pop(name) for name in M2M_STUDY if name in fields}
    study = Study(title=title, summary=summary, lead=lead or by, **fields)
    study.slug = study.slug or unique_slug(Study, title)
    study.full_clean()
    study.save()
    for name, values in related.items():
        getattr(study, name).set(values)
    log_action(by, "study.created", study)
    return study


@transaction.atomic
def update_study(study: Study, *, by, **fields: Any) -> None:
    related = {name: fields.pop(name) for name in M2M_STUDY if name in fields}
    for name, value in fields.items():
        setattr(study, name, value)
    study.full_clean()
    study.save(update_fields=[*fields, "updated"])
    for name, values in related.items():
        getattr(study, name).set(values)
    log_action(by, "study.changed", study, fields=sorted([*fields, *related]))


# --- data requests and datasets ---------------------------------------------------------------


@transaction.atomic
def request_data(
    study: Study,
    *,
    by,
    purpose: str,
    instruments: Iterable,
    sites: Iterable,
    variables: list[str],
    quasi_identifiers: list[str] | None = None,
    k: int = 5,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> DataRequest:
    unknown = set(variables) - set(deid.VARIABLE_NAMES)
    if unknown:
        raise ValidationError(_("Unknown variables: %(names)s") % {"names": ", ".join(unknown)})
    quasi = variables if quasi_identifiers is None else quasi_identifiers
    if set(quasi) - set(variables):
        raise ValidationError(_("Quasi-identifiers must be among the requested variables."))
    if date_from and date_to and date_from > date_to:
        raise ValidationError(_("The start date is after the end date."))
    request = DataRequest(
        study=study,
        requested_by=by,
        purpose=purpose,
        variables=list(variables),
        quasi_identifiers=list(quasi),
        k=k,
        date_from=date_from,
        date_to=date_to,
    )
    request.full_clean()
    request.save()
    request.instruments.set(instruments)
    request.sites.set(sites)
    log_action(by, "data_request.submitted", request, study=study.pk)
    return request


@transaction.atomic
def approve_request(
    request: DataRequest,
    *,
    by,
    dua_reference: str,
    dua_signed_on: dt.date,
    dua_expires_on: dt.date | None = None,
    dua_terms: str = "",
    note: str = "",
    build: bool = True,
) -> Dataset | None:
    """Approve with the data use agreement recorded; start building the extract."""
    if request.status != DataRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been decided."))
    if not dua_reference.strip():
        raise ValidationError(_("Record the data use agreement before approving."))
    request.status = DataRequest.Status.APPROVED
    request.reviewed_by, request.reviewed_at = by, timezone.now()
    request.dua_reference, request.dua_signed_on = dua_reference.strip(), dua_signed_on
    request.dua_expires_on, request.dua_terms = dua_expires_on, dua_terms
    request.decision_note = note
    request.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "dua_reference",
            "dua_signed_on",
            "dua_expires_on",
            "dua_terms",
            "decision_note",
        ]
    )
    log_action(by, "data_request.approved", request, dua=request.dua_reference)
    return start_build(request, by=by) if build else None


@transaction.atomic
def decline_request(request: DataRequest, *, by, note: str) -> None:
    if request.status != DataRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been decided."))
    if not note.strip():
        raise ValidationError(_("Say why, so the researcher can respond."))
    request.status = DataRequest.Status.DECLINED
    request.reviewed_by, request.reviewed_at, request.decision_note = by, timezone.now(), note
    request.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_note"])
    log_action(by, "data_request.declined", request)


@transaction.atomic
def start_build(request: DataRequest, *, by) -> Dataset:
    """Queue a fresh extract of an approved request, with a progress page for ``by``."""
    from kindred.research.tasks import build_dataset_task

    if not request.is_approved:
        raise ValidationError(_("Only approved requests are built."))
    dataset = Dataset.objects.create(request=request, built_by=by)
    log_action(by, "dataset.queued", dataset, request=request.pk)
    progress = enqueue_with_progress(
        build_dataset_task,
        by,
        _("Building the de-identified dataset"),
        dataset_id=dataset.pk,
    )
    Dataset.objects.filter(pk=dataset.pk).update(progress=progress)
    dataset.refresh_from_db()
    return dataset


def _expiry(request: DataRequest) -> dt.datetime:
    expires = timezone.now() + dt.timedelta(days=DOWNLOAD_DAYS)
    if request.dua_expires_on:
        end = timezone.make_aware(dt.datetime.combine(request.dua_expires_on, dt.time(23, 59)))
        expires = min(expires, end)
    return expires


def build_dataset(
    dataset: Dataset, *, progress_id: str = "", out_dir: Path | None = None, log=None
) -> Dataset:
    """Build the extract (not in one transaction: it is long, and it only adds files)."""
    request = dataset.request
    folder = (
        Path(out_dir) if out_dir else data_root() / f"dataset-{dataset.pk}-{secrets.token_hex(8)}"
    )
    dataset.status, dataset.folder = Dataset.Status.BUILDING, str(folder)
    dataset.save(update_fields=["status", "folder"])

    def on_progress(done: int, total: int) -> None:
        if progress_id:
            advance(progress_id, done=done, total=total, message=_("Reading visits…"))

    try:
        result = build_extract(request, folder, on_progress=on_progress, log=log)
        if progress_id:
            advance(progress_id, message=_("Checking reliability…"))
        dataset.psychometrics = dataset_psychometrics(folder, result.report.get("scales", {}))
    except Exception as exc:
        dataset.status, dataset.error = Dataset.Status.FAILED, str(exc)[:300]
        dataset.save(update_fields=["status", "error"])
        log_action(dataset.built_by, "dataset.failed", dataset, request=request.pk)
        raise
    dataset.status = Dataset.Status.READY
    dataset.files, dataset.report = result.files, result.report
    dataset.row_count, dataset.family_count = result.rows, result.families
    dataset.built_at, dataset.expires_at = timezone.now(), _expiry(request)
    dataset.save(
        update_fields=[
            "status",
            "files",
            "report",
            "row_count",
            "family_count",
            "built_at",
            "expires_at",
            "psychometrics",
        ]
    )
    log_action(
        dataset.built_by,
        "dataset.built",
        dataset,
        request=request.pk,
        rows=result.rows,
        families=result.families,
    )
    if progress_id:
        finish(
            progress_id,
            message=_("The dataset is ready: %(rows)s rows from %(families)s families.")
            % {"rows": result.rows, "families": result.families},
            result_url=dataset.get_absolute_url(),
        )
    return dataset


@transaction.atomic
def expire_dataset(dataset: Dataset, *, by) -> None:
    """End downloads now and delete the files (the record and its report stay)."""
    dataset.expires_at = timezone.now()
    dataset.save(update_fields=["expires_at"])
    if dataset.folder and Path(dataset.folder).is_relative_to(data_root()):
        shutil.rmtree(dataset.folder, ignore_errors=True)
    log_action(by, "dataset.expired", dataset)


def record_download(dataset: Dataset, *, by, what: str, ip: str = "") -> None:
    log_action(
        by,
        "dataset.downloaded",
        dataset,
        request=dataset.request_id,
        study=dataset.request.study_id,
        file=what,
        ip=ip,
    )


# --- findings ---------------------------------------------------------------------------------


@transaction.atomic
def create_finding(
    *, by, study: Study, title_en: str, questions: Iterable = (), **fields
) -> Finding:
    finding = Finding(study=study, title_en=title_en, author=by, **fields)
    finding.slug = finding.slug or unique_slug(Finding, title_en)
    finding.full_clean()
    finding.save()
    finding.questions.set(questions)
    log_action(by, "finding.created", finding)
    return finding


@transaction.atomic
def update_finding(finding: Finding, *, by, questions: Iterable | None = None, **fields) -> None:
    for name, value in fields.items():
        setattr(finding, name, value)
    finding.full_clean()
    finding.save(update_fields=[*fields, "updated"])
    if questions is not None:
        finding.questions.set(questions)
    log_action(by, "finding.changed", finding, fields=sorted(fields))


@transaction.atomic
def publish_finding(finding: Finding, *, by, publish: bool = True) -> None:
    if publish and not all(
        text.strip()
        for text in (finding.summary_en, finding.summary_es, finding.title_en, finding.title_es)
    ):
        raise ValidationError(_("Add the title and family summary in English and Spanish first."))
    finding.status = Finding.Status.PUBLISHED if publish else Finding.Status.DRAFT
    finding.published_at = timezone.now() if publish else None
    finding.save(update_fields=["status", "published_at", "updated"])
    log_action(by, "finding.published" if publish else "finding.unpublished", finding)
