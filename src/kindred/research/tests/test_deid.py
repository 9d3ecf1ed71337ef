"""Safe Harbor transforms and the k-anonymity step (no database)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.research import deid


def test_zip3_keeps_three_digits_and_blanks_small_areas():
    assert deid.zip3("74103") == "741"
    assert deid.zip3("03601") == "000"  # 036 has 20,000 people or fewer
    assert deid.zip3("89301-1234") == "000"
    assert deid.zip3("") == ""
    assert deid.zip3("12") == ""


def test_restricted_list_is_configurable(settings):
    settings.RESEARCH_RESTRICTED_ZIP3 = ["741"]
    assert deid.zip3("74103") == "000"
    assert deid.zip3("03601") == "036"


def test_ages_over_89_are_grouped():
    assert deid.age_in_months(0) == 0
    assert deid.age_in_months(61) == 2
    assert deid.age_in_months(95 * 366) == deid.AGE_CAP_MONTHS
    assert deid.age_in_months(None) is None
    assert deid.birth_year(1930, 2026) is None  # would reveal an age over 89
    assert deid.birth_year(2025, 2026) == 2025


def test_study_ids_are_random_and_unique():
    ids = deid.StudyIds()
    drawn = {ids.new() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(v) == 10 and set(v) <= set(deid.STUDY_ID_ALPHABET) for v in drawn)


def test_class_sizes_count_distinct_families():
    codes = [np.array([0, 0, 0, 1]), np.array([5, 5, 5, 5])]
    families = np.array([0, 0, 1, 2])  # family 0 has two rows in the first group
    assert deid.class_sizes(codes, families).tolist() == [2, 2, 2, 1]


def test_months_coarsen_in_bands():
    levels = deid.levels_for("child_age_months", {}, {})
    codes = np.array([0, 4, 13, deid.MISSING])
    assert levels[1].recode(codes).tolist() == [0, 1, 4, deid.MISSING]
    assert levels[3].label(1) == "12-23"
    assert levels[-1].is_suppressed


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 3), st.integers(0, 60)),
        min_size=1,
        max_size=150,
    ),
    st.integers(2, 6),
)
def test_anonymize_reaches_k_for_every_row_kept(rows, k):
    ages = np.array([r[0] for r in rows], dtype=np.int32)
    language = np.array([r[1] for r in rows], dtype=np.int32)
    families = np.array([r[2] for r in rows], dtype=np.int64)
    hierarchies = {
        "child_age_months": deid.levels_for("child_age_months", {}, {}),
        "language": deid.levels_for("language", {"language": ["a", "b", "c", "d"]}, {}),
    }
    result = deid.anonymize(
        {"child_age_months": ages, "language": language}, hierarchies, families, k=k
    )
    kept = ~result.suppressed
    coded = [
        hierarchies[name][result.levels[name]].recode(values)[kept]
        for name, values in (("child_age_months", ages), ("language", language))
    ]
    if kept.any():
        assert deid.class_sizes(coded, families[kept]).min() >= k
    assert result.suppressed.mean() <= deid.MAX_SUPPRESSION or all(
        result.levels[n] == len(hierarchies[n]) - 1 for n in hierarchies
    )
