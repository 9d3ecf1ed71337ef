"""Research's part of "download my data" (listed in settings.PERSONAL_DATA_EXPORTERS)."""

from __future__ import annotations

from typing import Any

from kindred.research.models import Question, QuestionComment, Rating, Study


def export_personal_data(user) -> tuple[str, dict[str, Any]]:
    """Questions proposed and followed, comments, panel ratings and studies of ``user``."""
    ratings = Rating.objects.filter(panelist__user=user).select_related("round", "question")
    return (
        "research",
        {
            "questions_proposed": [
                {
                    "title": q.title,
                    "why": q.why,
                    "status": q.status,
                    "created": q.created.isoformat(),
                }
                for q in Question.objects.filter(proposed_by=user)
            ],
            "questions_followed": list(
                user.followed_research_questions.values_list("title", flat=True)
            ),
            "comments": [
                {"question": c.question.title, "body": c.body, "created": c.created.isoformat()}
                for c in QuestionComment.objects.filter(author=user).select_related("question")
            ],
            "ratings": [
                {
                    "round": r.round.title,
                    "question": r.question.title,
                    "group": r.group,
                    "score": r.score,
                    "comment": r.comment,
                }
                for r in ratings
            ],
            "studies_led": list(Study.objects.filter(lead=user).values_list("title", flat=True)),
            "study_teams": list(user.research_studies.values_list("title", flat=True)),
        },
    )
