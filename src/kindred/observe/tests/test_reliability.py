"""Reliability statistics against reference values from the literature and by hand."""

import pytest

from kindred.observe.engine.reliability import cohens_kappa, icc2_1, percent_agreement

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_2_1_matches_shrout_and_fleiss():
    estimate = icc2_1(SHROUT_FLEISS)
    assert estimate.value == pytest.approx(0.29, abs=0.005)  # published ICC(2,1) = .29
    # 95% CI as reported by the reference implementations (pingouin, R psych): [.02, .76].
    assert estimate.low == pytest.approx(0.02, abs=0.005)
    assert estimate.high == pytest.approx(0.76, abs=0.005)


def test_unweighted_kappa_by_hand():
    # 2×2 table [[20, 5], [10, 15]]: po = .70, pe = .50, kappa = .40.
    first = ["y"] * 25 + ["n"] * 25
    second = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    estimate = cohens_kappa(first, second, categories=["y", "n"])
    assert estimate.value == pytest.approx(0.40)
    assert estimate.low < 0.40 < estimate.high


def test_linear_weighted_kappa_by_hand():
    # 3 ordered categories, table [[4,1,0],[1,3,1],[0,1,4]] (n = 15), linear weights
    # 1, .5, 0: po = (11 + .5×4)/15 = .8667; marginals all 5/15, pe = 1/9×(3 + 4×.5) = .5556;
    # kappa = (.8667 - .5556)/(1 - .5556) = .70.
    pairs = [(0, 0)] * 4 + [(0, 1)] + [(1, 0)] + [(1, 1)] * 3 + [(1, 2)] + [(2, 1)] + [(2, 2)] * 4
    first, second = zip(*pairs, strict=True)
    estimate = cohens_kappa(first, second, categories=[0, 1, 2], weights="linear")
    assert estimate.value == pytest.approx(0.70, abs=0.001)
    unweighted = cohens_kappa(first, second, categories=[0, 1, 2])
    assert unweighted.value == pytest.approx((11 / 15 - 1 / 3) / (1 - 1 / 3))


def test_percent_agreement_with_wilson_interval():
    estimate = percent_agreement([1, 1, 1, 0], [1, 1, 0, 0])
    assert estimate.value == 0.75
    assert 0.2 < estimate.low < 0.75 < estimate.high <= 1


def test_perfect_agreement_and_empty_input():
    assert cohens_kappa([1, 2, 3], [1, 2, 3]).value == pytest.approx(1.0)
    assert percent_agreement([], []).value is None
    assert icc2_1([[1, 1]]).value is None
