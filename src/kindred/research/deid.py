"""De-identification: HIPAA Safe Harbor transforms and a k-anonymity check (no database).

Safe Harbor (45 CFR 164.514(b)(2)): no direct identifiers; dates reduced to the year, or to
the child's age in months at the visit; ZIP reduced to its first three digits, with the
sparsely populated three-digit areas set to ``000``; ages over 89 grouped as 90 or older.
Study IDs are random (164.514(c): a code not derived from the person's data).

Quasi-identifiers are then generalised step by step (Datafly-style: the variable with the most
distinct values first) until at most ``max_suppression`` of the rows sit in groups shared by
fewer than ``k`` families; those rows have their quasi-identifiers suppressed (left blank).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Three-digit ZIP areas of 20,000 people or fewer (2000 Census, as listed by HHS).
# Deployments with newer census data set RESEARCH_RESTRICTED_ZIP3 in settings.
RESTRICTED_ZIP3 = [
    "036",
    "059",
    "063",
    "102",
    "203",
    "556",
    "692",
    "790",
    "821",
    "823",
    "830",
    "831",
    "878",
    "879",
    "884",
    "890",
    "893",
]
DAYS_PER_MONTH = 30.4375
AGE_CAP_YEARS = 90
AGE_CAP_MONTHS = AGE_CAP_YEARS * 12
MAX_SUPPRESSION = 0.05
STUDY_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MISSING = -1


def restricted_zip3() -> frozenset[str]:
    return frozenset(getattr(settings, "RESEARCH_RESTRICTED_ZIP3", RESTRICTED_ZIP3))


def zip3(code: str | None, restricted: Iterable[str] | None = None) -> str:
    """The first three digits of a ZIP code; ``000`` for restricted areas; "" if unknown."""
    digits = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(digits) < 3:
        return ""
    prefix = digits[:3]
    return "000" if prefix in (restricted or restricted_zip3()) else prefix


def age_in_months(days: int | None) -> int | None:
    """Whole months of age, with every age of 90 years or more shown as 1080 (90 years)."""
    if days is None or days < 0:
        return None
    return min(int(days / DAYS_PER_MONTH), AGE_CAP_MONTHS)


def birth_year(year: int | None, visit_year: int | None) -> int | None:
    """The year of birth, unless it reveals an age over 89 (then it is withheld)."""
    if year is None:
        return None
    if visit_year is not None and visit_year - year >= AGE_CAP_YEARS:
        return None
    return year


class StudyIds:
    """Random study IDs: drawn from the system's random source, never from a real ID."""

    def __init__(self, length: int = 10):
        self.length = length
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            value = "".join(secrets.choice(STUDY_ID_ALPHABET) for _ in range(self.length))
            if value not in self.used:
                self.used.add(value)
                return value


# --- variables and their generalisation hierarchies -------------------------------------------


@dataclass(frozen=True)
class Level:
    """One step of a hierarchy: codes in, codes out, and how to write a code."""

    name: str
    recode: Callable[[np.ndarray], np.ndarray]
    label: Callable[[int], object]
    is_suppressed: bool = False


def _same(codes: np.ndarray) -> np.ndarray:
    return codes


def _suppress(codes: np.ndarray) -> np.ndarray:
    return np.where(codes == MISSING, MISSING, 0)


def _band(width: int) -> Callable[[np.ndarray], np.ndarray]:
    def recode(codes: np.ndarray) -> np.ndarray:
        return np.where(codes == MISSING, MISSING, codes // width)

    return recode


def _band_label(width: int, cap: int | None = None) -> Callable[[int], str]:
    def label(code: int) -> str:
        low, high = code * width, code * width + width - 1
        if cap is not None and high >= cap:
            return f"{low}+"
        return f"{low}-{high}"

    return label


SUPPRESSED = Level("suppressed", _suppress, lambda code: None, is_suppressed=True)


@dataclass
class Variable:
    """A variable researchers may request; every one of them can be a quasi-identifier."""

    name: str
    label: object
    kind: str  # "int" or "str"
    description: object
    levels: list[Level] = field(default_factory=list)


def _months_levels() -> list[Level]:
    return [
        Level("months", _same, lambda code: code),
        Level("3-month bands", _band(3), _band_label(3, AGE_CAP_MONTHS)),
        Level("6-month bands", _band(6), _band_label(6, AGE_CAP_MONTHS)),
        Level("12-month bands", _band(12), _band_label(12, AGE_CAP_MONTHS)),
        SUPPRESSED,
    ]


def _year_levels() -> list[Level]:
    return [
        Level("year", _same, lambda code: code),
        Level("5-year bands", _band(5), lambda code: f"{code * 5}-{code * 5 + 4}"),
        SUPPRESSED,
    ]


def catalog() -> dict[str, Variable]:
    """Every requestable variable; labels use the vocabularies filled in by the extract."""
    return {
        "language": Variable(
            "language", _("Language of the visit"), "str", _("Language the visit was held in.")
        ),
        "site": Variable(
            "site",
            _("Site"),
            "str",
            _("The program where the family was seen (a site code; names in the codebook)."),
        ),
        "site_kind": Variable(
            "site_kind", _("Kind of site"), "str", _("Clinic, home visiting, doula or community.")
        ),
        "zip3": Variable(
            "zip3",
            _("Three-digit ZIP area of the site"),
            "str",
            _("First three digits of the site's ZIP code; 000 where the area is small."),
        ),
        "visit_year": Variable(
            "visit_year", _("Year of the visit"), "int", _("Only the year: no full dates.")
        ),
        "child_age_months": Variable(
            "child_age_months",
            _("Child's age at the visit (months)"),
            "int",
            _("Whole months; ages of 90 years or more are grouped."),
        ),
        "child_birth_year": Variable(
            "child_birth_year", _("Child's year of birth"), "int", _("Only the year.")
        ),
        "caregiver_relationship": Variable(
            "caregiver_relationship",
            _("Caregiver's relationship to the child"),
            "str",
            _("Mother, father, grandparent, foster parent or other caregiver."),
        ),
        "preterm": Variable(
            "preterm",
            _("Born early"),
            "int",
            _("1 if the child was born three or more weeks early."),
        ),
    }


VARIABLE_NAMES = list(catalog())
DEFAULT_VARIABLES = ["language", "site", "visit_year", "child_age_months", "caregiver_relationship"]


def levels_for(name: str, vocab: dict[str, list[str]], parents: dict[str, dict[int, int]]):
    """The generalisation hierarchy of one variable; ``vocab`` maps string variables to their
    values (code = position) and ``parents`` gives coarser groupings (site → kind, ZIP3 →
    state, relationship → parent / other)."""

    def words(var: str) -> Callable[[int], str]:
        return lambda code: vocab.get(var, [])[code]

    def up(var: str, target: str) -> Level:
        table = parents.get(var, {})
        size = len(vocab.get(var, []))
        lookup = np.array([table.get(i, MISSING) for i in range(size)] or [MISSING])

        def recode(codes: np.ndarray) -> np.ndarray:
            return np.where(codes == MISSING, MISSING, lookup[np.maximum(codes, 0)])

        return Level(target, recode, words(target))

    if name == "child_age_months":
        return _months_levels()
    if name in {"visit_year", "child_birth_year"}:
        return _year_levels()
    if name == "preterm":
        return [Level("value", _same, lambda code: code), SUPPRESSED]
    if name == "site":
        return [Level("site", _same, words("site")), up("site", "site_kind"), SUPPRESSED]
    if name == "zip3":
        return [Level("zip3", _same, words("zip3")), up("zip3", "state"), SUPPRESSED]
    if name == "caregiver_relationship":
        return [
            Level("relationship", _same, words("caregiver_relationship")),
            up("caregiver_relationship", "caregiver_group"),
            SUPPRESSED,
        ]
    return [Level(name, _same, words(name)), SUPPRESSED]


# --- k-anonymity ------------------------------------------------------------------------------


def _combine(columns: list[np.ndarray]) -> np.ndarray:
    """One small integer per distinct combination of the columns' codes."""
    if not columns:
        return np.zeros(0, dtype=np.int64)
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        shifted = column.astype(np.int64) + 1  # MISSING becomes 0
        key *= int(shifted.max(initial=0)) + 1
        key += shifted
        del shifted
        _, key = np.unique(key, return_inverse=True)
        key = key.astype(np.int64, copy=False)
    return key


def class_sizes(columns: list[np.ndarray], families: np.ndarray) -> np.ndarray:
    """For each row, how many distinct families share its combination of codes."""
    return _sizes_and_keys(columns, families)[0]


def _sizes_and_keys(columns: list[np.ndarray], families: np.ndarray):
    if len(families) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if not columns:
        count = len(np.unique(families))
        return np.full(len(families), count, dtype=np.int64), np.zeros(len(families), np.int64)
    key = _combine(columns)
    width = int(families.max()) + 1
    pairs = key * width
    pairs += families
    pairs = np.unique(pairs)
    pairs //= width
    per_class = np.bincount(pairs, minlength=int(key.max()) + 1)
    del pairs
    return per_class[key].astype(np.int32), key


@dataclass
class KResult:
    k: int
    levels: dict[str, int]
    suppressed: np.ndarray  # bool per row
    steps: list[dict]
    classes: int
    smallest: int


def anonymize(
    raw: dict[str, np.ndarray],
    hierarchies: dict[str, list[Level]],
    families: np.ndarray,
    *,
    k: int,
    max_suppression: float = MAX_SUPPRESSION,
) -> KResult:
    """Generalise the quasi-identifiers in ``raw`` until k-anonymity holds for all but a
    small share of rows, then suppress the quasi-identifiers of the rows still at risk."""
    names = list(raw)
    levels = dict.fromkeys(names, 0)
    steps: list[dict] = []
    rows = len(families)
    if not names:  # nothing to check: no row can be told apart by quasi-identifiers
        count = len(np.unique(families)) if rows else 0
        return KResult(k, levels, np.zeros(rows, dtype=bool), steps, 1 if rows else 0, count)
    while True:
        coded = [hierarchies[n][levels[n]].recode(raw[n]) for n in names]
        sizes, key = _sizes_and_keys(coded, families)
        at_risk = sizes < k
        share = float(at_risk.mean()) if rows else 0.0
        steps.append({"levels": dict(levels), "rows_at_risk": int(at_risk.sum())})
        candidates = [n for n in names if levels[n] < len(hierarchies[n]) - 1]
        if share <= max_suppression or not candidates:
            break
        # Coarsen the variable that splits the rows most finely (Datafly).
        widths = {n: len(np.unique(c)) for n, c in zip(names, coded, strict=True)}
        widest = max(candidates, key=lambda n: (widths[n], n))
        levels[widest] += 1
        del coded, sizes, key
    # A class is either wholly at risk or wholly kept, so kept rows keep their class sizes.
    kept = ~at_risk
    if kept.any():
        smallest = int(sizes[kept].min())
        classes = len(np.unique(key[kept]))
    else:
        smallest, classes = 0, 0
    return KResult(k, levels, at_risk, steps, classes, smallest)
