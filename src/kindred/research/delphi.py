"""Delphi round results with each stakeholder group weighted equally.

One grouped query counts ratings per (question, group, score); everything else is arithmetic
on a small (questions × groups × 9) array. Each group's ratings become proportions, and the
weighted distribution is the plain average of the groups' proportions, so a group of 12
parents counts as much as a group of 300 practitioners.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count
from django.utils.translation import gettext as _

from kindred.research.models import Question, Rating, Round, StakeholderGroup

GROUPS = list(StakeholderGroup.values)
SCORES = np.arange(1, 10)


@dataclass
class Stats:
    n: int
    median: float | None
    q1: float | None
    q3: float | None
    high: float  # share rating high (e.g. 7–9), 0..1
    low: float  # share rating low (e.g. 1–3)
    mid: float

    @property
    def iqr(self) -> float | None:
        return None if self.q1 is None else self.q3 - self.q1


@dataclass
class QuestionResult:
    question: Question
    weighted: Stats
    overall: Stats
    groups: dict[str, Stats]
    consensus: str  # "important", "not_important" or "none"
    rank: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def consensus_label(self) -> str:
        return {
            "important": _("Agreed: important"),
            "not_important": _("Agreed: not a priority"),
            "none": _("No agreement yet"),
        }[self.consensus]


def quantile(p: np.ndarray, q: float) -> float | None:
    """The q-quantile of a distribution over scores 1–9 given as proportions ``p``; where
    the cumulative share lands exactly on q, the midpoint with the next score (so the median
    of 2 and 3 is 2.5, as usual)."""
    total = p.sum()
    if total <= 0:
        return None
    cum = np.cumsum(p) / total
    index = int(np.searchsorted(cum, q - 1e-9))
    value = float(SCORES[index])
    if abs(cum[index] - q) < 1e-9:
        later = np.nonzero(p[index + 1 :])[0]
        if len(later):
            value = (value + float(SCORES[index + 1 + later[0]])) / 2
    return value


def _stats(p: np.ndarray, n: int, high_from: int, low_to: int) -> Stats:
    total = p.sum()
    if total <= 0:
        return Stats(n, None, None, None, 0.0, 0.0, 0.0)
    share = p / total
    high = float(share[high_from - 1 :].sum())
    low = float(share[:low_to].sum())
    return Stats(
        n,
        quantile(p, 0.5),
        quantile(p, 0.25),
        quantile(p, 0.75),
        high,
        low,
        max(0.0, 1.0 - high - low),
    )


def counts_for(round_: Round) -> tuple[list[int], np.ndarray]:
    """(question ids, counts[question, group, score-1]) in one grouped query."""
    question_ids = list(
        round_.round_questions.order_by("order", "id").values_list("question_id", flat=True)
    )
    position = {qid: i for i, qid in enumerate(question_ids)}
    counts = np.zeros((len(question_ids), len(GROUPS), 9), dtype=np.int64)
    group_index = {g: i for i, g in enumerate(GROUPS)}
    rows = (
        Rating.objects.filter(round=round_)
        .values_list("question_id", "group", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, group, score, n in rows:
        if question_id in position and group in group_index and 1 <= score <= 9:
            counts[position[question_id], group_index[group], score - 1] = n
    return question_ids, counts


def consensus(weighted: Stats, round_: Round) -> str:
    agree, disagree = round_.agree_percent / 100, round_.disagree_percent / 100
    if weighted.n == 0:
        return "none"
    if weighted.high >= agree - 1e-9 and weighted.low <= disagree + 1e-9:
        return "important"
    if weighted.low >= agree - 1e-9 and weighted.high <= disagree + 1e-9:
        return "not_important"
    return "none"


def compute_results(round_: Round) -> list[QuestionResult]:
    """Every question of the round, ranked: agreed-important first, then by the weighted
    share rating it high, then by the weighted median."""
    question_ids, counts = counts_for(round_)
    questions = Question.objects.in_bulk(question_ids)
    results = []
    for qi, question_id in enumerate(question_ids):
        per_group = {}
        shares = []
        for gi, group in enumerate(GROUPS):
            c = counts[qi, gi]
            n = int(c.sum())
            per_group[group] = _stats(c.astype(float), n, round_.high_from, round_.low_to)
            if n:
                shares.append(c / n)
        total_n = int(counts[qi].sum())
        mixture = np.mean(shares, axis=0) if shares else np.zeros(9)
        weighted = _stats(mixture, total_n, round_.high_from, round_.low_to)
        overall = _stats(
            counts[qi].sum(axis=0).astype(float), total_n, round_.high_from, round_.low_to
        )
        results.append(
            QuestionResult(
                question=questions[question_id],
                weighted=weighted,
                overall=overall,
                groups=per_group,
                consensus=consensus(weighted, round_),
            )
        )
    order = {"important": 0, "none": 1, "not_important": 2}
    results.sort(
        key=lambda r: (
            order[r.consensus],
            -r.weighted.high,
            -(r.weighted.median or 0),
            r.question.pk,
        )
    )
    for rank, result in enumerate(results, start=1):
        result.rank = rank
    return results


def previous_feedback(round_: Round, user) -> dict[int, dict]:
    """For round 2 onwards: each question's weighted median and IQR in the previous round,
    beside this person's own rating there."""
    previous = round_.previous
    if previous is None:
        return {}
    own = dict(
        Rating.objects.filter(round=previous, panelist__user=user).values_list(
            "question_id", "score"
        )
    )
    feedback = {}
    for result in compute_results(previous):
        feedback[result.question.pk] = {
            "median": result.weighted.median,
            "q1": result.weighted.q1,
            "q3": result.weighted.q3,
            "high": result.weighted.high,
            "own": own.get(result.question.pk),
            "consensus": result.consensus_label,
        }
    return feedback


def _pct(value: float) -> str:
    return f"{value * 100:.0f}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def results_csv(round_: Round, results: list[QuestionResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        "rank",
        "question_id",
        "question",
        "theme",
        "consensus",
        "ratings",
        "weighted_median",
        "weighted_q1",
        "weighted_q3",
        f"weighted_pct_{round_.high_from}_9",
        f"weighted_pct_1_{round_.low_to}",
        "unweighted_median",
        f"unweighted_pct_{round_.high_from}_9",
    ]
    for group in GROUPS:
        header += [f"{group}_n", f"{group}_median", f"{group}_pct_high", f"{group}_pct_low"]
    writer.writerow(header)
    for r in results:
        row = [
            r.rank,
            r.question.pk,
            _cell(r.question.title),
            r.question.theme,
            r.consensus,
            r.weighted.n,
            _num(r.weighted.median),
            _num(r.weighted.q1),
            _num(r.weighted.q3),
            _pct(r.weighted.high),
            _pct(r.weighted.low),
            _num(r.overall.median),
            _pct(r.overall.high),
        ]
        for group in GROUPS:
            g = r.groups[group]
            row += [g.n, _num(g.median), _pct(g.high) if g.n else "", _pct(g.low) if g.n else ""]
        writer.writerow(row)
    return buffer.getvalue()
