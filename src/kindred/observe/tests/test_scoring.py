"""Scoring per instrument against hand-computed cases, and the bad-answer messages."""

import pytest

from kindred.observe.engine.definition import DefinitionError, parse_definition
from kindred.observe.engine.scoring import AnswerErrors, score
from kindred.observe.tests.helpers import bundled, phq9_answers, wecs_answers


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((0,) * 9, 0, "minimal"),
        ((1, 1, 1, 1, 0, 0, 0, 0, 0), 4, "minimal"),
        ((1, 1, 1, 1, 1, 0, 0, 0, 0), 5, "mild"),
        ((2, 2, 2, 2, 1, 1, 0, 0, 0), 10, "moderate"),
        ((3, 3, 2, 2, 2, 2, 1, 0, 0), 15, "moderately_severe"),
        ((3,) * 9, 27, "severe"),
    ],
)
def test_phq9_totals_and_bands(values, total, band):
    answers = phq9_answers(*values, difficulty="1" if any(values) else None)
    result = score(bundled("phq-9"), answers)
    assert result.scores["total"] == total
    assert result.bands["total"].code == band
    assert ("phq9_positive" in [f.code for f in result.flags]) == (total >= 10)


def test_phq9_item_9_raises_an_alert_whatever_the_total():
    result = score(bundled("phq-9"), phq9_answers(0, 0, 0, 0, 0, 0, 0, 0, 1, difficulty="0"))
    assert result.scores["total"] == 1
    assert result.bands["total"].code == "minimal"
    assert [a.code for a in result.alerts] == ["self_harm"]


def test_phq9_accepts_loinc_answer_codes_and_numbers():
    answers = {f"phq9_{n}": "LA6568-5" for n in range(1, 10)}
    answers["phq9_1"] = 2
    result = score(bundled("phq-9"), answers | {"phq9_difficulty": "LA6573-5"})
    assert result.scores["total"] == 2
    assert result.answers["phq9_1"] == "2"
    assert result.answers["phq9_difficulty"] == "1"


def test_phq2_cut_off_at_3_and_sensitive_flag_at_2():
    spec = bundled("phq-2")
    two = score(spec, {"phq2_1": "1", "phq2_2": "1"})
    three = score(spec, {"phq2_1": "2", "phq2_2": "1"})
    assert (two.bands["total"].code, three.bands["total"].code) == ("negative", "positive")
    assert [f.code for f in two.flags] == ["phq2_sensitive"]


def test_epds_reverse_items_and_bands():
    spec = bundled("epds")
    # Everyone answers the first option: items 1, 2, 4 score 0; the 7 reversed items score 3.
    result = score(spec, {f"epds_{n}": "a" for n in range(1, 11)})
    assert result.scores["total"] == 21
    assert result.bands["total"].code == "probable"
    # Last option everywhere: 3+3+0+3+0*6 = 9.
    result = score(spec, {f"epds_{n}": "d" for n in range(1, 11)})
    assert result.scores["total"] == 9
    assert result.bands["total"].code == "below"
    assert result.alerts == []


def test_epds_item_10_alert_uses_the_reversed_score():
    spec = bundled("epds")
    answers = {f"epds_{n}": "d" for n in range(1, 10)} | {"epds_10": "c"}  # scores 1
    result = score(spec, answers)
    assert result.scores["total"] == 10
    assert result.bands["total"].code == "possible"
    assert [a.item for a in result.alerts] == ["epds_10"]


def test_bpsc_missing_items_count_zero_and_any_subscale_at_3_flags():
    spec = bundled("bpsc")
    result = score(spec, {"bpsc_5": "2", "bpsc_6": "1"})
    assert result.scores == {"irritability": 0, "inflexibility": 3, "routines": 0}
    assert result.bands["inflexibility"].code == "review"
    assert [f.code for f in result.flags] == ["bpsc_review"]
    assert score(spec, {"bpsc_1": "2"}).flags == []


def test_wecs_half_steps_means_and_judgement():
    spec = bundled("wecs")
    answers = wecs_answers(2.5, connected=False)
    answers["wecs_child_vocal"] = "1.5"
    result = score(spec, answers)
    assert result.scores["caregiver"] == 2.5
    assert result.scores["child"] == 2.25
    assert result.scores["total"] == 2.38  # (4×2.5 + 3×2.5 + 1.5) / 8 = 2.375
    assert [f.code for f in result.flags] == ["not_yet_connected"]


def test_wecs_rejects_a_rating_off_the_half_step_grid():
    with pytest.raises(AnswerErrors) as exc:
        score(bundled("wecs"), wecs_answers() | {"wecs_caregiver_vocal": 2.25})
    assert "wecs_caregiver_vocal" in exc.value.by_item()


def test_each_bad_answer_is_named():
    answers = phq9_answers(0, 0, 0, 0, 0, 0, 0, 0) | {"phq9_1": "7", "nope": 1}
    answers["phq9_difficulty"] = "2"  # hidden: every answer is "not at all"
    with pytest.raises(AnswerErrors) as exc:
        score(bundled("phq-9"), answers)
    errors = exc.value.by_item()
    assert set(errors) == {"phq9_1", "nope", "phq9_difficulty", "phq9_9"}
    assert "not one of the allowed answers" in errors["phq9_1"]
    assert "hidden" in errors["phq9_difficulty"]
    assert "needs an answer" in errors["phq9_9"]


def test_child_outside_the_age_window_is_an_error():
    with pytest.raises(AnswerErrors) as exc:
        score(bundled("epds"), {f"epds_{n}": "a" for n in range(1, 11)}, child_age_days=400)
    assert "child_age_days" in exc.value.by_item()


def test_partial_scoring_skips_required_items():
    result = score(bundled("phq-9"), {"phq9_1": "1"}, partial=True)
    assert result.scores["total"] is None
    assert result.complete is False


def test_prorated_mean_and_weights():
    spec = parse_definition(
        {
            "slug": "toy",
            "version": "1",
            "name": {"en": "Toy"},
            "items": [
                {"link_id": f"q{n}", "type": "integer", "min": 0, "max": 4} for n in range(1, 5)
            ],
            "scales": [
                {
                    "id": "s",
                    "label": {"en": "S"},
                    "items": ["q1", "q2", "q3", "q4"],
                    "missing": "prorate",
                    "max_missing": 1,
                    "weights": {"q1": 2},
                },
                {
                    "id": "m",
                    "label": {"en": "M"},
                    "items": ["q1", "q2"],
                    "method": "mean",
                    "reverse": ["q2"],
                },
            ],
        }
    )
    result = score(spec, {"q1": 1, "q2": 1, "q3": 3})
    assert result.scores["s"] == 8.0  # 2 + 1 + 3, plus the mean 2 for q4
    assert result.scores["m"] == 2.0  # (1 + (4 - 1)) / 2
    assert score(spec, {"q1": 1, "q2": 1}).scores["s"] is None  # two gaps > max_missing


def test_a_broken_definition_lists_every_problem():
    with pytest.raises(DefinitionError) as exc:
        parse_definition(
            {
                "slug": "Bad Slug",
                "version": "1",
                "name": {"en": "x"},
                "items": [
                    {"link_id": "a", "type": "choice"},
                    {
                        "link_id": "b",
                        "type": "integer",
                        "enable_when": [{"question": "zz", "answer": 1}],
                    },
                ],
                "scales": [{"id": "s", "label": {"en": "s"}, "items": ["nope"]}],
            }
        )
    text = " ".join(exc.value.problems)
    assert "slug" in text and "needs options" in text and "'zz'" in text and "'nope'" in text


def test_free_text_with_a_null_character_is_refused():
    from kindred.observe.engine.definition import Item
    from kindred.observe.engine.scoring import normalize_answer

    item = Item(link_id="note", type="text")
    assert normalize_answer(item, "fine words") == "fine words"
    with pytest.raises(ValueError, match="null character"):
        normalize_answer(item, "bad\x00words")
