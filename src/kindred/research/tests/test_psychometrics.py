"""Reliability statistics checked against values worked out from their formulas and from
factor structures whose omega is known exactly."""

import math

import numpy as np
import pytest
from scipy import stats

from kindred.research import psychometrics as psy

# Five people, three items, worked by hand: item variances 0.7, 1.3 and 3.7 (sum 5.7);
# totals 3, 6, 9, 9, 13 have variance 56/4 = 14; alpha = 3/2 × (1 − 5.7/14) = 0.889286.
SMALL = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3], [2, 3, 4], [3, 4, 6]], dtype=float)


def test_alpha_matches_the_hand_worked_example():
    assert SMALL.var(axis=0, ddof=1) == pytest.approx([0.7, 1.3, 3.7])
    total_var = np.var([3, 6, 9, 9, 13], ddof=1)
    assert total_var == pytest.approx(14.0)
    assert psy.cronbach_alpha(SMALL) == pytest.approx(3 / 2 * (1 - 5.7 / 14))
    assert psy.cronbach_alpha(SMALL) == pytest.approx(0.889286, abs=1e-6)


def test_feldt_interval_follows_the_f_distribution():
    low, high = psy.feldt_interval(0.8, 100, 10)
    assert low == pytest.approx(1 - 0.2 * stats.f.ppf(0.975, 99, 891))
    assert high == pytest.approx(1 - 0.2 * stats.f.ppf(0.025, 99, 891))
    assert low < 0.8 < high
    narrow = psy.feldt_interval(0.8, 10_000, 10)
    assert narrow[1] - narrow[0] < high - low


def _population(loadings):
    lam = np.array(loadings)
    r = np.outer(lam, lam)
    np.fill_diagonal(r, 1.0)
    return lam, r


def test_omega_recovers_known_loadings():
    lam, r = _population([0.8, 0.7, 0.6, 0.5, 0.4])
    fitted = psy.one_factor_loadings(r)
    assert fitted == pytest.approx(lam, abs=1e-4)
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert psy.omega_from_correlations(r) == pytest.approx(expected, abs=1e-4)
    # By hand: (0.8+0.7+0.6+0.5+0.4)² = 9; uniquenesses 0.36+0.51+0.64+0.75+0.84 = 3.1.
    assert expected == pytest.approx(9 / 12.1)


def test_omega_equals_standardised_alpha_when_loadings_are_equal():
    _lam, r = _population([0.6] * 6)
    k, mean_r = 6, 0.36
    standardised_alpha = k * mean_r / (1 + (k - 1) * mean_r)
    assert psy.omega_from_correlations(r) == pytest.approx(standardised_alpha, abs=1e-4)


def test_sampled_data_give_sensible_estimates_and_intervals():
    rng = np.random.default_rng(7)
    factor = rng.normal(size=3000)
    items = np.column_stack([0.7 * factor + rng.normal(scale=0.7, size=3000) for _ in range(6)])
    result = psy.scale_reliability(items)
    assert 0.85 < result["alpha"] < 0.92
    assert result["alpha_ci"][0] < result["alpha"] < result["alpha_ci"][1]
    assert result["omega_ci"][0] < result["omega"] < result["omega_ci"][1]
    assert all(0.5 < entry["r"] < 0.8 for entry in result["item_total"])


def test_incomplete_rows_are_left_out():
    with_gap = np.vstack([SMALL, [np.nan, 1, 1]])
    assert psy.scale_reliability(with_gap)["n"] == 5


def test_small_cells_are_suppressed():
    assert psy.suppress(0) == 0
    assert psy.suppress(3) is None
    assert psy.suppress(10) is None
    assert psy.suppress(11) == 11
    dist = psy.distribution(["en"] * 12 + ["es"] * 3, ["a"] * 15)
    assert dist["rows"] == [{"label": "en", "counts": [12]}, {"label": "es", "counts": [None]}]


def test_no_variance_gives_no_estimate():
    flat = np.ones((20, 3))
    assert math.isnan(psy.cronbach_alpha(flat))
    assert math.isnan(psy.mcdonald_omega(flat))
