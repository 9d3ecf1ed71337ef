"""Research's JSON API, mounted at /api/research/ (public, read-only).

- ``GET /questions`` — agenda questions (accepted and proposed);
- ``GET /rounds/{id}/results`` — a closed round's ranked results, each group weighted equally;
- ``GET /studies`` — registered studies;
- ``GET /findings`` — published findings with their family summaries in English and Spanish.

Data requests and datasets are not in the API: they go through the steward's pages, where
every download is signed, expiring and audited.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kindred.research.delphi import GROUPS, compute_results
from kindred.research.models import Finding, Question, Round, Study

router = Router(tags=["research"])


class QuestionOut(Schema):
    id: int
    title: str
    theme: str
    status: str
    url: str


class GroupOut(Schema):
    n: int
    median: float | None
    share_high: float
    share_low: float


class ResultOut(Schema):
    rank: int
    question_id: int
    title: str
    consensus: str
    ratings: int
    weighted_median: float | None
    weighted_q1: float | None
    weighted_q3: float | None
    weighted_share_high: float
    weighted_share_low: float
    groups: dict[str, GroupOut]


class StudyOut(Schema):
    slug: str
    title: str
    status: str
    ethics_status: str
    registration_id: str
    question_ids: list[int]
    url: str


class FindingOut(Schema):
    slug: str
    title_en: str
    title_es: str
    summary_en: str
    summary_es: str
    study: str
    question_ids: list[int]
    published_at: str
    url: str


@router.get("/questions", response=list[QuestionOut], summary="Agenda questions")
def questions(request: HttpRequest):
    rows = Question.objects.filter(
        status__in=[Question.Status.ACCEPTED, Question.Status.PROPOSED]
    ).order_by("-created", "-id")[:500]
    return [
        {
            "id": q.pk,
            "title": q.title,
            "theme": q.theme,
            "status": q.status,
            "url": q.get_absolute_url(),
        }
        for q in rows
    ]


@router.get(
    "/rounds/{round_id}/results",
    response={200: list[ResultOut], 404: dict},
    summary="Ranked results of a closed round",
)
def round_results(request: HttpRequest, round_id: int):
    round_ = None
    if 0 < round_id < 2**31:
        round_ = Round.objects.filter(pk=round_id, status=Round.Status.CLOSED).first()
    if round_ is None:
        raise HttpError(404, "No closed round with that number.")
    return [
        {
            "rank": r.rank,
            "question_id": r.question.pk,
            "title": r.question.title,
            "consensus": r.consensus,
            "ratings": r.weighted.n,
            "weighted_median": r.weighted.median,
            "weighted_q1": r.weighted.q1,
            "weighted_q3": r.weighted.q3,
            "weighted_share_high": round(r.weighted.high, 4),
            "weighted_share_low": round(r.weighted.low, 4),
            "groups": {
                g: {
                    "n": r.groups[g].n,
                    "median": r.groups[g].median,
                    "share_high": round(r.groups[g].high, 4),
                    "share_low": round(r.groups[g].low, 4),
                }
                for g in GROUPS
            },
        }
        for r in compute_results(round_)
    ]


@router.get("/studies", response=list[StudyOut], summary="Registered studies")
def studies(request: HttpRequest):
    rows = Study.objects.prefetch_related("questions").order_by("title")[:500]
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "status": s.status,
            "ethics_status": s.ethics_status,
            "registration_id": s.registration_id,
            "question_ids": [q.pk for q in s.questions.all()],
            "url": s.get_absolute_url(),
        }
        for s in rows
    ]


@router.get("/findings", response=list[FindingOut], summary="Published findings")
def findings(request: HttpRequest):
    rows = Finding.objects.published().select_related("study").prefetch_related("questions")
    return [
        {
            "slug": f.slug,
            "title_en": f.title_en,
            "title_es": f.title_es,
            "summary_en": f.summary_en,
            "summary_es": f.summary_es,
            "study": f.study.title,
            "question_ids": [q.pk for q in f.questions.all()],
            "published_at": f.published_at.isoformat() if f.published_at else "",
            "url": f.get_absolute_url(),
        }
        for f in rows[:500]
    ]
