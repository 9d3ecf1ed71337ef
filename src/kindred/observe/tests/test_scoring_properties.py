"""Property-based tests of the scoring engine (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.observe.engine.scoring import score
from kindred.observe.tests.helpers import bundled

freq = st.sampled_from(["0", "1", "2", "3"])


@settings(max_examples=200, deadline=None)
@given(st.lists(freq, min_size=9, max_size=9))
def test_phq9_total_is_the_sum_and_band_contains_it(values):
    answers = {f"phq9_{n}": v for n, v in enumerate(values, 1)}
    if any(v != "0" for v in values):
        answers["phq9_difficulty"] = "0"
    result = score(bundled("phq-9"), answers)
    total = sum(int(v) for v in values)
    assert result.scores["total"] == total
    band = result.bands["total"]
    assert band.min <= total <= band.max
    assert bool(result.alerts) == (values[8] != "0")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcd"), min_size=10, max_size=10))
def test_epds_total_stays_in_range_and_reversal_is_symmetric(values):
    spec = bundled("epds")
    answers = {f"epds_{n}": v for n, v in enumerate(values, 1)}
    flipped = {k: "abcd"[3 - "abcd".index(v)] for k, v in answers.items()}
    total = score(spec, answers).scores["total"]
    other = score(spec, flipped).scores["total"]
    assert 0 <= total <= 30
    # Flipping every answer maps each item score s to 3 - s.
    assert total + other == 30


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f"bpsc_{n}" for n in range(1, 13)]), st.sampled_from(["0", "1", "2"])
    )
)
def test_bpsc_flag_iff_a_subscale_reaches_3(answers):
    result = score(bundled("bpsc"), answers)
    assert all(0 <= v <= 8 for v in result.scores.values())
    assert bool(result.flags) == any(v >= 3 for v in result.scores.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([1, 1.5, 2, 2.5, 3]), min_size=8, max_size=8), st.booleans())
def test_wecs_means_lie_within_the_scale(ratings, connected):
    spec = bundled("wecs")
    items = [i.link_id for i in spec.items if i.type == "rating"]
    result = score(spec, dict(zip(items, ratings, strict=True)) | {"wecs_connected": connected})
    for value in result.scores.values():
        assert 1 <= value <= 3
    assert [f.code for f in result.flags] == ["connected" if connected else "not_yet_connected"]
