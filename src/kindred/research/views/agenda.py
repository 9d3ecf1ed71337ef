"""The agenda: questions anyone can propose, and the page that follows each priority
question to the studies and findings that answer it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kindred.research import services
from kindred.research.delphi import compute_results
from kindred.research.forms import CommentForm, MergeForm, QuestionFilterForm, QuestionForm
from kindred.research.models import Finding, Question, Round, Study, is_curator

PAGE_SIZE = 25


def _latest_closed_round() -> Round | None:
    return Round.objects.filter(status=Round.Status.CLOSED).order_by("-closed_at", "-id").first()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Priority questions (ranked by the latest closed round) → studies → findings."""
    latest = _latest_closed_round()
    ranks = {}
    if latest is not None:
        for result in compute_results(latest):
            ranks[result.question.pk] = result
    questions = list(
        Question.objects.accepted().prefetch_related(
            Prefetch("studies", queryset=Study.objects.order_by("title")),
            Prefetch(
                "findings",
                queryset=Finding.objects.published().select_related("study"),
                to_attr="published_findings",
            ),
        )
    )
    questions.sort(key=lambda q: (ranks[q.pk].rank if q.pk in ranks else 10_000, -q.pk))
    rows = [{"question": q, "result": ranks.get(q.pk)} for q in questions]
    context = {
        "rows": rows,
        "latest": latest,
        "open_rounds": Round.objects.filter(status=Round.Status.OPEN),
        "recent_findings": Finding.objects.published().select_related("study")[:3],
        "proposed": Question.objects.filter(status=Question.Status.PROPOSED).count(),
    }
    return render(request, "research/agenda.html", context)


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET or None)
    questions = Question.objects.visible_to(request.user).annotate(
        follower_count=Count("followers", distinct=True)
    )
    status = theme = ""
    if form.is_valid():
        status, theme = form.cleaned_data["status"], form.cleaned_data["theme"]
    if status:
        questions = questions.filter(status=status)
    else:
        questions = questions.filter(
            status__in=[Question.Status.PROPOSED, Question.Status.ACCEPTED]
        )
    if theme:
        questions = questions.filter(theme=theme)
    page = Paginator(questions.order_by("-created", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "research/question_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def question_new(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        question = services.propose_question(by=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. Your question is on the agenda for discussion."))
        return redirect(question)
    return render(request, "research/question_form.html", {"form": form})


def _question(request: HttpRequest, pk: int) -> Question:
    return get_object_or_404(Question.objects.visible_to(request.user), pk=pk)


@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    user = request.user
    context = {
        "question": question,
        "comments": question.comments.select_related("author") if user.is_authenticated else [],
        "studies": question.studies.order_by("title"),
        "findings": question.findings.published().select_related("study"),
        "is_following": user.is_authenticated and question.followers.filter(pk=user.pk).exists(),
        "follower_count": question.followers.count(),
        "can_edit": question.can_edit(user),
        "is_curator": is_curator(user),
        "comment_form": CommentForm(),
        "merge_form": MergeForm(question=question) if is_curator(user) else None,
    }
    return render(request, "research/question_detail.html", context)


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not question.can_edit(request.user):
        raise PermissionDenied
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        services.update_question(question, by=request.user, **form.cleaned_data)
        messages.success(request, _("Question saved."))
        return redirect(question)
    return render(request, "research/question_form.html", {"form": form, "question": question})


@require_POST
@login_required
def question_follow(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    follow = request.POST.get("follow") == "1"
    services.follow_question(question, request.user, follow=follow)
    if request.htmx:
        context = {
            "question": question,
            "is_following": follow,
            "follower_count": question.followers.count(),
        }
        return render(request, "research/question_detail.html#follow", context)
    return redirect(question)


@require_POST
@login_required
def question_comment(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_on_question(question, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Thank you for adding your view."))
        return redirect(question.get_absolute_url() + "#discussion")
    messages.error(request, _("Write a comment before sending it."))
    return redirect(question.get_absolute_url() + "#discussion")


@require_POST
@login_required
def question_decide(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not is_curator(request.user):
        raise PermissionDenied
    accept = request.POST.get("decision") == "accept"
    services.decide_question(question, accept=accept, by=request.user)
    messages.success(
        request, _("Accepted onto the agenda.") if accept else _("Marked as not taken forward.")
    )
    return redirect(question)


@require_POST
@login_required
def question_merge(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not is_curator(request.user):
        raise PermissionDenied
    form = MergeForm(request.POST, question=question)
    if form.is_valid():
        try:
            services.merge_question(question, into=form.cleaned_data["into"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(question)
        messages.success(request, _("Merged. Followers and studies moved with it."))
        return redirect(form.cleaned_data["into"])
    messages.error(request, _("Choose the question to merge into."))
    return redirect(question)
