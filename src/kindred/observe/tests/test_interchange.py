"""FHIR Questionnaire and REDCap dictionary export/import, responses, content packs."""

import csv
import io
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from kindred.observe.engine import fhir, redcap
from kindred.observe.engine.content_pack import (
    ContentPackError,
    check_content_pack,
    read_content_pack,
)
from kindred.observe.engine.scoring import score
from kindred.observe.tests.helpers import bundled, phq9_answers, wecs_answers

BASE = "https://kindred.example"
SLUGS = ["phq-2", "phq-9", "bpsc", "epds", "wecs"]


@pytest.mark.parametrize("slug", SLUGS)
def test_questionnaire_export_validates_and_round_trips(slug):
    spec = bundled(slug)
    data = fhir.to_questionnaire(spec, base_url=BASE)
    Questionnaire.model_validate(data)
    assert data["url"] == f"{BASE}/fhir/Questionnaire/{slug}"
    assert fhir.from_questionnaire(json.dumps(data)).model_dump() == spec.model_dump()


def test_phq9_questionnaire_has_loinc_codes_weights_and_spanish():
    data = fhir.to_questionnaire(bundled("phq-9"), base_url=BASE)
    assert data["code"] == [{"system": fhir.LOINC, "code": "44249-1"}]
    first = next(i for i in data["item"] if i["linkId"] == "phq9_1")
    assert first["code"][0]["code"] == "44250-9"
    assert first["answerOption"][3]["extension"][0] == {
        "url": fhir.ITEM_WEIGHT,
        "valueDecimal": 3.0,
    }
    translation = first["_text"]["extension"][0]["extension"]
    assert {"url": "content", "valueString": "Poco interés o placer en hacer cosas"} in translation
    difficulty = next(i for i in data["item"] if i["linkId"] == "phq9_difficulty")
    assert difficulty["enableBehavior"] == "any" and len(difficulty["enableWhen"]) == 9


def test_foreign_questionnaire_imports_with_weights_and_conditions():
    data = {
        "resourceType": "Questionnaire",
        "id": "mood-check",
        "status": "active",
        "title": "Mood check",
        "item": [
            {
                "linkId": "1",
                "type": "choice",
                "text": "Sad?",
                "required": True,
                "answerOption": [
                    {
                        "valueCoding": {"code": "n", "display": "No"},
                        "extension": [{"url": fhir.ORDINAL_VALUE, "valueDecimal": 0}],
                    },
                    {
                        "valueCoding": {"code": "y", "display": "Yes"},
                        "extension": [{"url": fhir.ORDINAL_VALUE, "valueDecimal": 1}],
                    },
                ],
            },
            {
                "linkId": "2",
                "type": "string",
                "text": "Tell us more",
                "enableWhen": [{"question": "1", "operator": "=", "answerCoding": {"code": "y"}}],
            },
        ],
    }
    spec = fhir.from_questionnaire(data)
    assert spec.slug == "mood-check"
    assert [i.link_id for i in spec.items] == ["q_1", "q_2"]
    assert spec.items[0].options[1].value == 1
    assert spec.items[1].enable_when[0].answer == "y"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("{not json", "not JSON"),
        ({"resourceType": "Patient"}, "resourceType must be Questionnaire"),
        (
            {
                "resourceType": "Questionnaire",
                "status": "nonsense-type",
                "item": [{"linkId": "a", "type": 5}],
            },
            "item",
        ),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [{"linkId": "a", "type": "attachment", "text": "Upload"}],
            },
            "not supported",
        ),
    ],
)
def test_malformed_questionnaires_get_clear_errors(data, expected):
    with pytest.raises(fhir.FhirError) as exc:
        fhir.from_questionnaire(data if isinstance(data, str) else json.dumps(data))
    assert expected in str(exc.value)


def test_response_and_observations_validate_and_conform():
    spec = bundled("phq-9")
    result = score(spec, phq9_answers(2, 2, 2, 2, 1, 1, 0, 0, 1, difficulty="2"))
    resources = fhir.build_response(
        spec,
        result.answers,
        base_url=BASE,
        response_id="r1",
        status="completed",
        subject="Patient/c1",
        authored="2026-01-02T10:00:00Z",
        result=result,
    )
    qr, obs = resources
    assert obs["code"]["coding"][0]["code"] == "44261-6"
    assert obs["valueInteger"] == 11
    assert obs["derivedFrom"] == [{"reference": "QuestionnaireResponse/r1"}]
    assert fhir.check_conformance(spec, qr, base_url=BASE) == []


def test_conformance_check_catches_what_the_library_accepts():
    spec = bundled("phq-9")
    qr = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{BASE}/fhir/Questionnaire/phq-9",
        "status": "completed",
        "item": [
            {"linkId": "phq9_1", "answer": [{"valueCoding": {"code": "9"}}]},
            {"linkId": "made_up", "answer": [{"valueString": "x"}]},
            {"linkId": "phq9_2", "answer": [{"valueInteger": 1}]},
            {"linkId": "phq9_difficulty", "answer": [{"valueCoding": {"code": "1"}}]},
        ],
    }
    problems = " | ".join(fhir.check_conformance(spec, qr, base_url=BASE))
    assert "'9' is not an allowed option" in problems
    assert "made_up: not a question" in problems
    assert "phq9_2: answer should be valueCoding" in problems
    assert "phq9_difficulty: answered although its enableWhen is not met" in problems
    assert "phq9_3: required but not answered" in problems


def test_wecs_rating_response_round_trips_through_conformance():
    spec = bundled("wecs")
    result = score(spec, wecs_answers(1.5))
    qr = fhir.build_response(
        spec,
        result.answers,
        base_url=BASE,
        response_id="w",
        status="completed",
        subject="Patient/c",
        authored="2026-01-02",
        result=result,
    )[0]
    assert fhir.check_conformance(spec, qr, base_url=BASE) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_redcap_dictionary_has_18_columns_and_round_trips(slug):
    spec = bundled(slug)
    text = redcap.to_data_dictionary(spec)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == redcap.COLUMNS and all(len(r) == 18 for r in rows)
    again = redcap.from_data_dictionary(text, slug=slug)
    assert [i.link_id for i in again.answerable_items] == [i.link_id for i in spec.answerable_items]
    answers = {
        "phq-9": phq9_answers(1, 2, 3, 0, 0, 0, 0, 0, 0, difficulty="1"),
        "wecs": wecs_answers(2),
    }.get(slug)
    if answers:
        # The imported calc fields score like the original scales.
        assert (
            score(again, answers).scores["total" if slug != "phq-9" else "total"]
            == score(spec, answers).scores["total"]
        )


def test_redcap_branching_logic_for_phq9_difficulty():
    text = redcap.to_data_dictionary(bundled("phq-9"))
    row = next(
        r for r in csv.DictReader(io.StringIO(text)) if r[redcap.COLUMNS[0]] == "phq9_difficulty"
    )
    assert row["Branching Logic (Show field only if...)"].startswith("[phq9_1] <> '0' or")


def _dictionary(*rows: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=redcap.COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(dict.fromkeys(redcap.COLUMNS, "") | row)
    return out.getvalue()


NAME, KIND, LABEL = redcap.COLUMNS[0], redcap.COLUMNS[3], redcap.COLUMNS[4]
CHOICES, VALIDATION, BRANCH = redcap.COLUMNS[5], redcap.COLUMNS[7], redcap.COLUMNS[11]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n", "18 REDCap data dictionary columns"),
        (_dictionary({NAME: "q1", KIND: "file", LABEL: "Upload"}), "'file' is not supported"),
        (_dictionary({NAME: "q1", KIND: "radio", LABEL: "Pick"}), "has no choices"),
        (
            _dictionary({NAME: "q1", KIND: "text", VALIDATION: "integer", BRANCH: "[zz] = '1'"}),
            "branching logic",
        ),
        (_dictionary({NAME: "q1", KIND: "calc", CHOICES: "round([q9])"}), "sum(...)"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_malformed_redcap_dictionaries_get_clear_errors(text, expected):
    with pytest.raises(redcap.RedcapError) as exc:
        redcap.from_data_dictionary(text)
    assert expected in str(exc.value)


def _epds_pack(**overrides):
    items = {
        f"epds_{n}": {"text": f"Licensed wording {n}", "options": {c: f"Label {c}" for c in "abcd"}}
        for n in range(1, 11)
    }
    items.update(overrides)
    return json.dumps({"instrument": "epds", "version": "1.0.0", "language": "en", "items": items})


def test_content_pack_that_matches_is_accepted():
    texts = check_content_pack(bundled("epds"), read_content_pack(_epds_pack()))
    assert texts["epds_3"]["options"]["b"] == "Label b"


def test_content_pack_mismatch_names_each_problem():
    bad = _epds_pack(epds_2={"text": "x", "options": {"a": "1", "b": "2"}}, epds_99={"text": "y"})
    pack = read_content_pack(bad)
    del pack["items"]["epds_10"]
    with pytest.raises(ContentPackError) as exc:
        check_content_pack(bundled("epds"), pack)
    problems = " | ".join(exc.value.problems)
    assert "epds_2: options must be exactly a, b, c, d" in problems
    assert "epds_99: not an item" in problems
    assert "epds_10: missing from the pack" in problems


def test_content_pack_from_a_redcap_dictionary():
    text = redcap.to_data_dictionary(bundled("bpsc"))
    pack = read_content_pack(text.encode(), filename="bpsc.csv")
    assert check_content_pack(bundled("bpsc"), pack)["bpsc_1"]["options"] == {
        "0": "Response 0",
        "1": "Response 1",
        "2": "Response 2",
    }
