"""Validate answers and score them: a pure function of a definition and the answers.

``score(definition, answers, child_age_days=...)`` either returns a ``Result`` (scale scores,
bands, flags, alerts, and the answers in canonical form) or raises ``AnswerErrors`` naming
each bad answer. It touches no database and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kindred.observe.engine.definition import (
    Band,
    Condition,
    Definition,
    Flag,
    Item,
    Scale,
    format_number,
    pick,
)

MAX_TEXT = 2000


@dataclass(frozen=True)
class AnswerError:
    link_id: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"linkId": self.link_id, "message": self.message}


class AnswerErrors(ValueError):
    def __init__(self, errors: list[AnswerError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.link_id}: {e.message}" for e in errors))

    def by_item(self) -> dict[str, str]:
        return {e.link_id: e.message for e in self.errors}


@dataclass
class Alert:
    code: str
    item: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "item": self.item, "message": self.message}


@dataclass
class Result:
    answers: dict[str, Any]
    scores: dict[str, float | None]
    bands: dict[str, Band]
    flags: list[Flag]
    alerts: list[Alert]
    missing: dict[str, int] = field(default_factory=dict)
    complete: bool = True

    @property
    def has_critical(self) -> bool:
        return bool(self.alerts)

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        return {
            "scores": self.scores,
            "bands": {
                scale: {
                    "code": band.code,
                    "label": pick(band.label, language),
                    "family_label": pick(band.family_label, language),
                    "level": band.level,
                }
                for scale, band in self.bands.items()
            },
            "flags": [
                {
                    "code": flag.code,
                    "label": pick(flag.label, language),
                    "family_label": pick(flag.family_label, language),
                    "level": flag.level,
                }
                for flag in self.flags
            ],
            "alerts": [alert.as_dict() for alert in self.alerts],
            "missing": self.missing,
        }


# --- answers ------------------------------------------------------------------------------


def normalize_answer(item: Item, raw: Any) -> Any:
    """The canonical stored form of one answer, or raise ValueError with a clear message."""
    kind = item.type
    if kind == "display":
        raise ValueError(_("This is display text; it takes no answer."))
    if kind == "choice":
        return _choice_code(item, raw)
    if kind == "multi_choice":
        values = raw if isinstance(raw, list | tuple) else [raw]
        codes = [_choice_code(item, v) for v in values]
        if len(set(codes)) != len(codes):
            raise ValueError(_("The same option is chosen twice."))
        return codes
    if kind == "rating":
        code = _choice_code(item, raw)
        return item.option(code).value
    if kind == "boolean":
        return _boolean(raw)
    if kind in {"integer", "decimal"}:
        return _number(item, raw)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if not isinstance(raw, str):
        raise ValueError(_("Enter text."))
    if len(raw) > MAX_TEXT:
        raise ValueError(_("Keep this under %(max)s characters.") % {"max": MAX_TEXT})
    if "\x00" in raw:
        raise ValueError(_("Remove the null character from this text."))
    return raw


def _choice_code(item: Item, raw: Any) -> str:
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("Choose one of the listed options."))
    if isinstance(raw, int | float):
        raw = format_number(float(raw)) if math.isfinite(raw) else str(raw)
    code = str(raw).strip()
    for option in item.answer_options():
        if code == option.code or (option.loinc and code == option.loinc):
            return option.code
    if item.type == "rating":
        try:
            value = float(code)
        except ValueError:
            value = None
        if value is not None and math.isfinite(value):
            for option in item.answer_options():
                if option.value == value:
                    return option.code
    allowed = ", ".join(o.code for o in item.answer_options())
    return _raise(
        _("%(value)s is not one of the allowed answers (%(allowed)s).")
        % {"value": code[:40], "allowed": allowed}
    )


def _raise(message: str):
    raise ValueError(message)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return raw.strip().lower() in {"true", "yes", "1"}
    raise ValueError(_("Answer yes or no."))


def _number(item: Item, raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise ValueError(_("Enter a number."))
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if not math.isfinite(value):
        raise ValueError(_("Enter a number."))
    if item.type == "integer":
        if not value.is_integer():
            raise ValueError(_("Enter a whole number."))
        value = int(value)
    if item.min is not None and value < item.min:
        raise ValueError(_("Enter %(min)s or more.") % {"min": format_number(item.min)})
    if item.max is not None and value > item.max:
        raise ValueError(_("Enter %(max)s or less.") % {"max": format_number(item.max)})
    return value


# --- conditions ---------------------------------------------------------------------------


def _compare(left: Any, operator: str, right: Any) -> bool:
    if operator == "exists":
        return (left is not None) == bool(right if right is not None else True)
    if left is None:  # FHIR enableWhen: an unanswered question meets no test but "exists"
        return False
    if isinstance(left, list):
        hit = str(right) in left
        return hit if operator == "=" else (not hit if operator == "!=" else False)
    if isinstance(left, bool) or isinstance(right, bool):
        left_b = left if isinstance(left, bool) else str(left).lower() in {"true", "1", "yes"}
        right_b = right if isinstance(right, bool) else str(right).lower() in {"true", "1", "yes"}
        return {"=": left_b == right_b, "!=": left_b != right_b}.get(operator, False)
    try:
        lnum, rnum = float(left), float(right)
    except (TypeError, ValueError):
        lnum = rnum = None
    if lnum is not None:
        return {
            "=": lnum == rnum,
            "!=": lnum != rnum,
            ">": lnum > rnum,
            "<": lnum < rnum,
            ">=": lnum >= rnum,
            "<=": lnum <= rnum,
        }[operator]
    return {"=": str(left) == str(right), "!=": str(left) != str(right)}.get(operator, False)


def _condition_met(cond: Condition, answers: dict[str, Any]) -> bool:
    return _compare(answers.get(cond.question), cond.operator, cond.answer)


def enabled_items(defn: Definition, answers: dict[str, Any]) -> set[str]:
    """linkIds shown given these (canonical) answers; hidden items count as unanswered."""
    shown: set[str] = set()
    visible_answers: dict[str, Any] = {}
    for item in defn.items:
        if item.enable_when:
            tests = [_condition_met(c, visible_answers) for c in item.enable_when]
            ok = all(tests) if item.enable_behavior == "all" else any(tests)
            if not ok:
                continue
        shown.add(item.link_id)
        if item.link_id in answers:
            visible_answers[item.link_id] = answers[item.link_id]
    return shown


# --- scoring ------------------------------------------------------------------------------


def item_value(item: Item, answer: Any) -> float | None:
    """The number an answer contributes before reversing and weighting."""
    if answer is None:
        return None
    if item.type == "choice":
        option = item.option(answer)
        return option.value if option else None
    if item.type == "boolean":
        return 1.0 if answer else 0.0
    if item.type in {"rating", "integer", "decimal"}:
        return float(answer)
    return None


def scored_value(defn: Definition, scale: Scale | None, link_id: str, answer: Any):
    item = defn.item(link_id)
    value = item_value(item, answer)
    if value is None:
        return None
    if scale is not None and link_id in scale.reverse:
        low, high = item.value_range()
        value = low + high - value
    if scale is not None:
        value *= scale.weights.get(link_id, 1.0)
    return value


def score_scale(defn: Definition, scale: Scale, answers: dict[str, Any]):
    """(score or None, number of missing items) for one scale."""
    values = [scored_value(defn, scale, link_id, answers.get(link_id)) for link_id in scale.items]
    present = [v for v in values if v is not None]
    missing = len(values) - len(present)
    if scale.missing == "zero":
        present = present + [0.0] * missing
    elif missing and (scale.missing == "none" or missing > scale.max_missing or not present):
        return None, missing
    elif missing:  # prorate: fill each gap with the mean of the answered items
        present = present + [sum(present) / len(present)] * missing
    total = sum(present) if scale.method == "sum" else sum(present) / len(present)
    return round(total, 2), missing


def _flag_hits(flag: Flag, scores: dict[str, float | None], answers: dict[str, Any]) -> bool:
    if flag.item:
        return _compare(answers.get(flag.item), flag.operator, flag.value)
    return any(
        scores.get(s) is not None and _compare(scores[s], flag.operator, flag.value)
        for s in flag.scales
    )


def score(
    defn: Definition,
    answers: dict[str, Any],
    *,
    child_age_days: int | None = None,
    partial: bool = False,
    language: str = "en",
) -> Result:
    """Validate ``answers`` (linkId → value) against ``defn`` and score them.

    ``partial`` (save and resume) skips the required-item check and scores what it can.
    Raises ``AnswerErrors`` with one entry per bad answer; nothing is half-accepted.
    """
    if not isinstance(answers, dict):
        raise AnswerErrors([AnswerError("answers", _("Send the answers as an object."))])
    errors: list[AnswerError] = []
    if child_age_days is not None and not (
        defn.age_min_days <= child_age_days <= defn.age_max_days
    ):
        errors.append(
            AnswerError(
                "child_age_days",
                _(
                    "The child is %(age)s days old; this instrument is for children "
                    "%(min)s to %(max)s days old."
                )
                % {"age": child_age_days, "min": defn.age_min_days, "max": defn.age_max_days},
            )
        )
    canonical: dict[str, Any] = {}
    for link_id, raw in answers.items():
        item = defn.item(str(link_id))
        if item is None:
            errors.append(AnswerError(str(link_id)[:100], _("There is no question with this id.")))
            continue
        if raw is None or raw == "" or raw == []:
            continue
        try:
            canonical[item.link_id] = normalize_answer(item, raw)
        except ValueError as exc:
            errors.append(AnswerError(item.link_id, str(exc)))
    shown = enabled_items(defn, canonical)
    for link_id in canonical:
        if link_id not in shown:
            errors.append(
                AnswerError(link_id, _("This question is hidden by earlier answers; leave it out."))
            )
    if not partial:
        flagged = {e.link_id for e in errors}
        for item in defn.items:
            if (
                item.required
                and item.link_id in shown
                and item.link_id not in canonical
                and item.link_id not in flagged
            ):
                errors.append(AnswerError(item.link_id, _("This question needs an answer.")))
    if errors:
        raise AnswerErrors(errors)

    scores: dict[str, float | None] = {}
    missing: dict[str, int] = {}
    bands: dict[str, Band] = {}
    for scale in defn.scales:
        value, gaps = score_scale(defn, scale, canonical)
        scores[scale.id] = value
        missing[scale.id] = gaps
        if value is not None:
            for band in scale.bands:
                if band.contains(value):
                    bands[scale.id] = band
                    break
    flags = [f for f in defn.flags if _flag_hits(f, scores, canonical)]
    alerts = []
    scales_by_id = {scale.id: scale for scale in defn.scales}
    for rule in defn.critical:
        scale = scales_by_id.get(rule.scale) if rule.scale else None
        value = scored_value(defn, scale, rule.item, canonical.get(rule.item))
        if scale is not None and value is not None:
            value /= scale.weights.get(rule.item, 1.0) or 1.0
        if value is not None and _compare(value, rule.operator, rule.value):
            alerts.append(Alert(rule.code, rule.item, pick(rule.message, language)))
    complete = all(
        item.link_id in canonical for item in defn.items if item.required and item.link_id in shown
    )
    return Result(canonical, scores, bands, flags, alerts, missing, complete)


def drop_hidden(defn: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Leave out answers to questions that other answers hide (for web forms, where a
    person may have filled a question before changing the answer it depends on)."""
    canonical = {}
    for link_id, raw in answers.items():
        item = defn.item(link_id)
        if item is None or raw in (None, "", []):
            continue
        try:
            canonical[link_id] = normalize_answer(item, raw)
        except ValueError:
            continue
    shown = enabled_items(defn, canonical)
    return {k: v for k, v in answers.items() if defn.item(k) is None or k in shown}
