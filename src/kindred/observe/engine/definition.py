"""An instrument as data: the typed form of an instrument version's JSON definition.

A definition says what to ask (items, options, conditions), who answers (caregiver or
observer), for which children (age window, schedule), how to score (scales, reverse items,
weights, missing-data rules), how to read the scores (bands, flags) and which answers raise
an alert whatever the total (critical items). Texts are ``{"en": ..., "es": ...}`` maps.

Everything here is plain pydantic: no database, so the engine can be tested on its own and
used by the API, the import command and the views alike.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

Text = dict[str, str]
LINK_ID = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")

ItemType = Literal[
    "choice", "multi_choice", "integer", "decimal", "text", "date", "boolean", "rating", "display"
]
Operator = Literal["exists", "=", "!=", ">", "<", ">=", "<="]
Level = Literal["strength", "typical", "watch", "support"]


class DefinitionError(ValueError):
    """A definition that cannot be used, with every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def pick(text: Text | None, language: str = "en") -> str:
    """The text in ``language``, falling back to English, then to any language."""
    if not text:
        return ""
    base = (language or "en").split("-")[0]
    return text.get(base) or text.get("en") or next(iter(text.values()), "")


class Option(_Model):
    code: str = Field(min_length=1, max_length=40)
    value: float | None = None
    text: Text = Field(default_factory=dict)
    loinc: str | None = None


class Condition(_Model):
    """enableWhen: show an item only when an earlier answer meets this test."""

    question: str
    operator: Operator = "="
    answer: str | float | bool | None = None


class Item(_Model):
    link_id: str
    type: ItemType
    text: Text = Field(default_factory=dict)
    section: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    enable_when: tuple[Condition, ...] = ()
    enable_behavior: Literal["all", "any"] = "all"
    loinc: str | None = None
    help: Text = Field(default_factory=dict)

    @property
    def is_answerable(self) -> bool:
        return self.type != "display"

    @property
    def has_options(self) -> bool:
        return self.type in {"choice", "multi_choice", "rating"}

    def answer_options(self) -> tuple[Option, ...]:
        """Choice options, with rating scales expanded to one option per step."""
        if self.type != "rating":
            return self.options
        if self.options:
            return self.options
        return tuple(
            Option(code=format_number(v), value=v, text={"en": format_number(v)})
            for v in rating_values(self.min or 0, self.max or 0, self.step or 1)
        )

    def option(self, code: str) -> Option | None:
        for opt in self.answer_options():
            if opt.code == code:
                return opt
        return None

    def value_range(self) -> tuple[float, float] | None:
        """Lowest and highest scoreable value, used to reverse-score the item."""
        if self.type in {"choice", "rating"}:
            values = [o.value for o in self.answer_options() if o.value is not None]
            return (min(values), max(values)) if values else None
        if self.type == "boolean":
            return (0.0, 1.0)
        if self.min is not None and self.max is not None:
            return (self.min, self.max)
        return None


class Band(_Model):
    code: str
    min: float | None = None
    max: float | None = None
    label: Text
    family_label: Text = Field(default_factory=dict)
    level: Level = "typical"

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Scale(_Model):
    id: str
    label: Text
    items: tuple[str, ...]
    method: Literal["sum", "mean"] = "sum"
    reverse: tuple[str, ...] = ()
    weights: dict[str, float] = Field(default_factory=dict)
    # none: any missing item → no score; zero: missing counts 0 (BPSC);
    # prorate: up to max_missing missing items are replaced by the mean of the others.
    missing: Literal["none", "zero", "prorate"] = "none"
    max_missing: int = 0
    bands: tuple[Band, ...] = ()
    loinc: str | None = None
    primary: bool = False


class Flag(_Model):
    """A reading over several scales or an item, e.g. BPSC "≥3 on any subscale"."""

    code: str
    scales: tuple[str, ...] = ()
    item: str | None = None
    operator: Operator = ">="
    value: float | str | bool
    label: Text
    family_label: Text = Field(default_factory=dict)
    level: Level = "watch"


class Critical(_Model):
    """An answer that raises an alert whatever the total (EPDS 10, PHQ-9 item 9)."""

    item: str
    operator: Operator = ">"
    value: float
    # Compare the item as scored in this scale (after reversing), e.g. EPDS item 10.
    scale: str | None = None
    code: str = "safety"
    message: Text


class Definition(_Model):
    slug: str
    version: str = Field(min_length=1, max_length=20)
    name: Text
    short_name: str = ""
    description: Text = Field(default_factory=dict)
    respondent: Literal["caregiver", "observer"] = "caregiver"
    licence_class: Literal["A", "A-", "B", "C"] = "A"
    copyright: str = ""
    item_text_source: Literal["bundled", "content_pack", "user"] = "bundled"
    age_min_days: int = Field(default=0, ge=0)
    age_max_days: int = Field(default=36500, ge=0)
    schedule_months: tuple[float, ...] = ()
    loinc: str | None = None
    intro: Text = Field(default_factory=dict)
    sections: dict[str, Text] = Field(default_factory=dict)
    items: tuple[Item, ...]
    scales: tuple[Scale, ...] = ()
    flags: tuple[Flag, ...] = ()
    critical: tuple[Critical, ...] = ()

    _item_index: dict[str, Item] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check(self) -> Definition:
        problems = check_definition(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # --- lookups --------------------------------------------------------------------------
    def item(self, link_id: str) -> Item | None:
        return self._index().get(link_id)

    def _index(self) -> dict[str, Item]:
        if self._item_index is None:
            self._item_index = {item.link_id: item for item in self.items}
        return self._item_index

    @property
    def answerable_items(self) -> list[Item]:
        return [item for item in self.items if item.is_answerable]

    @property
    def primary_scale(self) -> Scale | None:
        for scale in self.scales:
            if scale.primary:
                return scale
        return self.scales[0] if self.scales else None

    @property
    def is_observation(self) -> bool:
        return self.respondent == "observer"

    def title(self, language: str = "en") -> str:
        return pick(self.name, language)


def rating_values(low: float, high: float, step: float) -> list[float]:
    """Every allowed value of a rating scale, exact for half steps."""
    lo, hi, st = Decimal(str(low)), Decimal(str(high)), Decimal(str(step))
    values, v = [], lo
    while v <= hi:
        values.append(float(v))
        v += st
    return values


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format(value, "g")


def check_definition(defn: Definition) -> list[str]:
    """Every structural problem in a definition (empty when it is usable)."""
    problems: list[str] = []
    if not SLUG.match(defn.slug):
        problems.append(f"slug {defn.slug!r} must be lower-case letters, digits and hyphens")
    if defn.age_min_days > defn.age_max_days:
        problems.append("age_min_days is after age_max_days")
    seen: dict[str, Item] = {}
    for item in defn.items:
        where = f"item {item.link_id!r}"
        if not LINK_ID.match(item.link_id):
            problems.append(f"{where}: linkId must be lower-case letters, digits, underscores")
        if item.link_id in seen:
            problems.append(f"{where}: linkId used twice")
        if item.type in {"choice", "multi_choice"} and not item.options:
            problems.append(f"{where}: a choice item needs options")
        codes = [o.code for o in item.options]
        if len(codes) != len(set(codes)):
            problems.append(f"{where}: option codes repeat")
        if item.type == "rating":
            if item.min is None or item.max is None or not item.step or item.step <= 0:
                problems.append(f"{where}: a rating scale needs min, max and a positive step")
            elif item.max < item.min:
                problems.append(f"{where}: max is below min")
        if item.min is not None and item.max is not None and item.max < item.min:
            problems.append(f"{where}: max is below min")
        if item.type == "display" and item.required:
            problems.append(f"{where}: display text cannot be required")
        if item.section and defn.sections and item.section not in defn.sections:
            problems.append(f"{where}: unknown section {item.section!r}")
        for cond in item.enable_when:
            if cond.question not in seen:
                problems.append(
                    f"{where}: condition refers to {cond.question!r}, not an earlier item"
                )
        seen[item.link_id] = item
    scale_ids: set[str] = set()
    for scale in defn.scales:
        where = f"scale {scale.id!r}"
        if scale.id in scale_ids:
            problems.append(f"{where}: id used twice")
        scale_ids.add(scale.id)
        for link_id in (*scale.items, *scale.reverse, *scale.weights):
            item = seen.get(link_id)
            if item is None:
                problems.append(f"{where}: unknown item {link_id!r}")
            elif item.type in {"text", "date", "display", "multi_choice"}:
                problems.append(f"{where}: item {link_id!r} cannot be scored")
        for link_id in scale.reverse:
            if link_id in seen and seen[link_id].value_range() is None:
                problems.append(f"{where}: {link_id!r} has no range to reverse")
        if not scale.items:
            problems.append(f"{where}: no items")
    for flag in defn.flags:
        for scale_id in flag.scales:
            if scale_id not in scale_ids:
                problems.append(f"flag {flag.code!r}: unknown scale {scale_id!r}")
        if flag.item and flag.item not in seen:
            problems.append(f"flag {flag.code!r}: unknown item {flag.item!r}")
        if not flag.scales and not flag.item:
            problems.append(f"flag {flag.code!r}: needs scales or an item")
    for rule in defn.critical:
        if rule.item not in seen:
            problems.append(f"critical rule: unknown item {rule.item!r}")
        if rule.scale and rule.scale not in scale_ids:
            problems.append(f"critical rule: unknown scale {rule.scale!r}")
    return problems


def parse_definition(data: dict[str, Any] | str | bytes) -> Definition:
    """Parse and check a definition; raise DefinitionError listing every problem."""
    try:
        if isinstance(data, str | bytes):
            return Definition.model_validate_json(data)
        return Definition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            location = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            problems.extend(message.split("; ") if not location else [f"{location}: {message}"])
        raise DefinitionError(problems) from None
