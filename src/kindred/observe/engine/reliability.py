"""Inter-rater reliability from published formulas, on numpy and scipy (BSD).

- percent agreement with a Wilson score interval;
- Cohen's kappa, unweighted or weighted (linear/quadratic) for ordinal ratings, with the
  large-sample standard error of Fleiss, Cohen & Everitt (1969);
- ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss 1979),
  with the McGraw & Wong (1996) confidence interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        def r(x):
            return None if x is None or not math.isfinite(x) else round(float(x), 3)

        return {"value": r(self.value), "low": r(self.low), "high": r(self.high), "n": self.n}


EMPTY = Estimate(None, None, None, 0)


def percent_agreement(first: Sequence, second: Sequence, *, confidence: float = 0.95) -> Estimate:
    n = len(first)
    if n == 0:
        return EMPTY
    agree = sum(1 for a, b in zip(first, second, strict=True) if a == b)
    p = agree / n
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def cohens_kappa(
    first: Sequence,
    second: Sequence,
    *,
    categories: Sequence | None = None,
    weights: str | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """Cohen's kappa; ``weights`` None, "linear" or "quadratic" (categories in order)."""
    n = len(first)
    if n == 0:
        return EMPTY
    cats = list(categories) if categories is not None else sorted(set(first) | set(second))
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    table = np.zeros((k, k))
    for a, b in zip(first, second, strict=True):
        table[index[a], index[b]] += 1
    p = table / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    i, j = np.indices((k, k))
    if weights is None or k < 2:
        w = (i == j).astype(float)
    elif weights == "linear":
        w = 1 - np.abs(i - j) / (k - 1)
    elif weights == "quadratic":
        w = 1 - ((i - j) / (k - 1)) ** 2
    else:
        raise ValueError("weights must be None, 'linear' or 'quadratic'")
    po = float((w * p).sum())
    pe = float((w * np.outer(rows, cols)).sum())
    if math.isclose(pe, 1.0):
        return Estimate(1.0 if math.isclose(po, 1.0) else None, None, None, n)
    kappa = (po - pe) / (1 - pe)
    w_row = w @ cols  # w̄_i. = Σ_j p_.j w_ij
    w_col = rows @ w  # w̄_.j = Σ_i p_i. w_ij
    term = (p * (w - (w_row[:, None] + w_col[None, :]) * (1 - kappa)) ** 2).sum()
    variance = (term - (kappa - pe * (1 - kappa)) ** 2) / (n * (1 - pe) ** 2)
    se = math.sqrt(max(variance, 0.0))
    z = stats.norm.ppf(0.5 + confidence / 2)
    return Estimate(kappa, max(-1.0, kappa - z * se), min(1.0, kappa + z * se), n)


def icc2_1(ratings: Sequence[Sequence[float]], *, confidence: float = 0.95) -> Estimate:
    """ICC(2,1) of an n targets × k raters table with no gaps."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return Estimate(None, None, None, int(x.shape[0]) if x.ndim == 2 else 0)
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((x - grand) ** 2).sum()
    ss_error = ss_total - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if denominator == 0:
        return Estimate(None, None, None, n)
    icc = (msr - mse) / denominator
    if mse == 0 or icc >= 1:
        return Estimate(icc, None, None, n)
    alpha = 1 - confidence
    a = k * icc / (n * (1 - icc))
    b = 1 + k * icc * (n - 1) / (n * (1 - icc))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
    f_low = stats.f.ppf(1 - alpha / 2, n - 1, v)
    f_high = stats.f.ppf(1 - alpha / 2, v, n - 1)
    low = n * (msr - f_low * mse) / (f_low * (k * msc + (k * n - k - n) * mse) + n * msr)
    high = n * (f_high * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_high * msr)
    return Estimate(icc, low, high, n)
