"""FHIR R4 at the edges: Questionnaire export/import, QuestionnaireResponse + Observations.

Resources are built as plain dicts and validated with ``fhir.resources.R4B`` (the R4
stand-in of fhir.resources 8). That library checks shapes, not meaning, so
``check_conformance`` adds our own check that a response fits its Questionnaire.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from kindred.observe.engine.definition import (
    Definition,
    DefinitionError,
    Item,
    format_number,
    parse_definition,
    pick,
)
from kindred.observe.engine.scoring import Result, enabled_items

LOINC = "http://loinc.org"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
KINDRED_EXT = "https://kindred.dev/fhir/StructureDefinition/"
SCORING_EXT = KINDRED_EXT + "instrument-scoring"
RATING_EXT = KINDRED_EXT + "rating-scale"
ANSWER_LOINC_EXT = KINDRED_EXT + "answer-loinc"

FHIR_TYPE = {
    "choice": "choice",
    "multi_choice": "choice",
    "rating": "choice",
    "integer": "integer",
    "decimal": "decimal",
    "text": "text",
    "date": "date",
    "boolean": "boolean",
    "display": "display",
}


class FhirError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _validate(resource_type: str, data: dict[str, Any]) -> dict[str, Any]:
    from fhir.resources.R4B import get_fhir_model_class

    try:
        get_fhir_model_class(resource_type).model_validate(data)
    except ValidationError as exc:
        raise FhirError([_pydantic_problem(e) for e in exc.errors()[:20]]) from None
    return data


def _pydantic_problem(error: dict[str, Any]) -> str:
    location = ".".join(str(part) for part in error["loc"] if part != "__root__")
    return f"{location}: {error['msg']}" if location else error["msg"]


def canonical_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/fhir/Questionnaire/{slug}"


def answer_system(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/fhir/CodeSystem/{slug}"


def _text_fields(text: dict[str, str], language: str) -> dict[str, Any]:
    out: dict[str, Any] = {"text": pick(text, language)}
    others = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": lang},
                {"url": "content", "valueString": value},
            ],
        }
        for lang, value in sorted(text.items())
        if lang != language and value
    ]
    if others:
        out["_text"] = {"extension": others}
    return out


def _condition_answer(item: Item, answer: Any, system: str) -> dict[str, Any]:
    if item.type in {"choice", "multi_choice", "rating"}:
        return {"answerCoding": {"system": system, "code": str(answer)}}
    if item.type == "boolean":
        return {"answerBoolean": answer in (True, "true", "1", 1)}
    if item.type == "integer":
        return {"answerInteger": int(float(answer))}
    if item.type == "decimal":
        return {"answerDecimal": float(answer)}
    return {"answerString": str(answer)}


def to_questionnaire(
    defn: Definition,
    *,
    base_url: str,
    texts: dict[str, Any] | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """The definition as a validated FHIR R4 Questionnaire (texts = a content pack's)."""
    system = answer_system(base_url, defn.slug)
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in defn.items:
        pack = (texts or {}).get(item.link_id, {})
        node: dict[str, Any] = {"linkId": item.link_id, "type": FHIR_TYPE[item.type]}
        node.update(
            _text_fields({language: pack["text"]} if "text" in pack else item.text, language)
        )
        if item.loinc:
            node["code"] = [{"system": LOINC, "code": item.loinc}]
        if item.required:
            node["required"] = True
        if item.type == "multi_choice":
            node["repeats"] = True
        if item.has_options:
            node["answerOption"] = []
            for option in item.answer_options():
                packed = pack.get("options", {}).get(option.code)
                words = {language: packed} if packed else option.text
                coding = {"system": system, "code": option.code}
                shown = _text_fields(words, language)
                coding["display"] = shown["text"]
                if "_text" in shown:
                    coding["_display"] = shown["_text"]
                entry: dict[str, Any] = {"valueCoding": coding}
                extensions = []
                if option.value is not None:
                    extensions.append({"url": ITEM_WEIGHT, "valueDecimal": option.value})
                if option.loinc:
                    extensions.append(
                        {
                            "url": ANSWER_LOINC_EXT,
                            "valueCoding": {"system": LOINC, "code": option.loinc},
                        }
                    )
                if extensions:
                    entry["extension"] = extensions
                node["answerOption"].append(entry)
        if item.type == "rating":
            node["extension"] = [
                {
                    "url": RATING_EXT,
                    "valueString": json.dumps(
                        {"min": item.min, "max": item.max, "step": item.step}
                    ),
                }
            ]
        elif item.type in {"integer", "decimal"}:
            key = "valueInteger" if item.type == "integer" else "valueDecimal"
            cast = int if item.type == "integer" else float
            ext = []
            if item.min is not None:
                ext.append({"url": MIN_VALUE, key: cast(item.min)})
            if item.max is not None:
                ext.append({"url": MAX_VALUE, key: cast(item.max)})
            if ext:
                node["extension"] = ext
        if item.enable_when:
            node["enableWhen"] = []
            for cond in item.enable_when:
                source = defn.item(cond.question)
                operator = cond.operator
                clause: dict[str, Any] = {"question": cond.question, "operator": operator}
                if operator == "exists":
                    clause["answerBoolean"] = cond.answer is not False
                else:
                    clause.update(_condition_answer(source, cond.answer, system))
                node["enableWhen"].append(clause)
            if len(item.enable_when) > 1:
                node["enableBehavior"] = item.enable_behavior
        if item.section:
            group = groups.get(item.section)
            if group is None:
                title = defn.sections.get(item.section) or {"en": item.section}
                group = {"linkId": item.section, "type": "group", "item": []}
                group.update(_text_fields(title, language))
                groups[item.section] = group
                items.append(group)
            group["item"].append(node)
        else:
            items.append(node)
    scoring = {
        key: value for key, value in defn.model_dump(mode="json").items() if key not in {"items"}
    }
    questionnaire: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": defn.slug,
        "url": canonical_url(base_url, defn.slug),
        "version": defn.version,
        "name": "".join(ch for ch in (defn.short_name or defn.slug).title() if ch.isalnum()),
        "title": defn.title(language),
        "status": "active",
        "language": language,
        "subjectType": ["Patient"],
        "description": pick(defn.description, language) or defn.title(language),
        "extension": [{"url": SCORING_EXT, "valueString": json.dumps(scoring, ensure_ascii=False)}],
        "item": items,
    }
    if defn.copyright:
        questionnaire["copyright"] = defn.copyright
    if defn.loinc:
        questionnaire["code"] = [{"system": LOINC, "code": defn.loinc}]
    return _validate("Questionnaire", questionnaire)


# --- import -------------------------------------------------------------------------------

_IMPORT_TYPES = {"boolean", "decimal", "integer", "date", "string", "text", "choice", "display"}


def _slugify(value: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in value.lower()).strip("-")
    while "--" in out:
        out = out.replace("--", "-")
    return out[:48] or "imported"


def _link_id(value: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in value.lower()).strip("_")
    if not out or not out[0].isalpha():
        out = "q_" + out
    return out[:100]


def from_questionnaire(data: dict[str, Any] | str | bytes) -> Definition:
    """A new instrument definition from a FHIR R4 Questionnaire; FhirError lists problems."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FhirError([f"not JSON: {exc}"]) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise FhirError(["resourceType must be Questionnaire"])
    _validate("Questionnaire", data)
    for ext in data.get("extension", []):
        if ext.get("url") == SCORING_EXT:
            return _from_own_export(data, ext)
    problems: list[str] = []
    items: list[dict[str, Any]] = []
    sections: dict[str, dict[str, str]] = {}
    ids: dict[str, str] = {}

    def walk(nodes: list[dict[str, Any]], section: str = "") -> None:
        for node in nodes:
            kind = node.get("type")
            raw_id = node.get("linkId", "")
            link_id = ids.setdefault(raw_id, _link_id(raw_id))
            if kind == "group":
                sections[link_id] = {"en": node.get("text") or raw_id}
                walk(node.get("item", []), link_id)
                continue
            if kind not in _IMPORT_TYPES:
                problems.append(f"item {raw_id!r}: type {kind!r} is not supported")
                continue
            if node.get("answerValueSet"):
                problems.append(
                    f"item {raw_id!r}: answerValueSet is not supported; list answerOption"
                )
                continue
            item: dict[str, Any] = {
                "link_id": link_id,
                "type": {"string": "text"}.get(kind, kind),
                "text": {"en": node.get("text") or raw_id},
                "required": bool(node.get("required")),
                "section": section,
            }
            if node.get("code"):
                codes = [c for c in node["code"] if c.get("system") == LOINC]
                if codes:
                    item["loinc"] = codes[0]["code"]
            if kind == "choice":
                item["type"] = "multi_choice" if node.get("repeats") else "choice"
                item["options"] = []
                for option in node.get("answerOption", []):
                    parsed = _import_option(option)
                    if parsed is None:
                        problems.append(f"item {raw_id!r}: an answer option has no usable value")
                    else:
                        item["options"].append(parsed)
            if node.get("enableWhen"):
                item["enable_when"] = []
                for clause in node["enableWhen"]:
                    answer = next((v for k, v in clause.items() if k.startswith("answer")), None)
                    if isinstance(answer, dict):
                        answer = answer.get("code")
                    question = ids.get(clause["question"])
                    if question is None:
                        problems.append(
                            f"item {raw_id!r}: enableWhen refers to {clause['question']!r}, "
                            "which is not an earlier item"
                        )
                        continue
                    item["enable_when"].append(
                        {"question": question, "operator": clause["operator"], "answer": answer}
                    )
                item["enable_behavior"] = node.get("enableBehavior", "all")
            items.append(item)
            if node.get("item"):
                walk(node["item"], section)

    walk(data.get("item", []))
    if not items and not problems:
        problems.append("the Questionnaire has no items")
    if problems:
        raise FhirError(problems)
    title = data.get("title") or data.get("name") or "Imported questionnaire"
    raw = {
        "slug": _slugify(data.get("id") or data.get("name") or title),
        "version": (data.get("version") or "1.0.0")[:20],
        "name": {"en": title},
        "description": {"en": data.get("description") or ""},
        "licence_class": "C",
        "copyright": data.get("copyright", ""),
        "item_text_source": "user",
        "sections": sections,
        "items": items,
    }
    codes = [c for c in data.get("code", []) if c.get("system") == LOINC]
    if codes:
        raw["loinc"] = codes[0]["code"]
    try:
        return parse_definition(raw)
    except DefinitionError as exc:
        raise FhirError(exc.problems) from None


def _translations(element: dict[str, Any]) -> dict[str, str]:
    texts = {}
    for ext in element.get("extension", []):
        if ext.get("url") != TRANSLATION:
            continue
        parts = {p["url"]: p.get("valueCode") or p.get("valueString") for p in ext["extension"]}
        if parts.get("lang") and parts.get("content"):
            texts[parts["lang"]] = parts["content"]
    return texts


def _import_option(option: dict[str, Any]) -> dict[str, Any] | None:
    value = loinc = None
    for ext in option.get("extension", []):
        if ext.get("url") in {ITEM_WEIGHT, ORDINAL_VALUE}:
            value = ext.get("valueDecimal", ext.get("valueInteger"))
        if ext.get("url") == ANSWER_LOINC_EXT:
            loinc = ext.get("valueCoding", {}).get("code")
    if "valueCoding" in option:
        coding = option["valueCoding"]
        if not coding.get("code"):
            return None
        text = {"en": coding.get("display", ""), **_translations(coding.get("_display", {}))}
        return {"code": coding["code"], "value": value, "text": text, "loinc": loinc}
    for key in ("valueString", "valueInteger"):
        if key in option:
            code = str(option[key])
            if value is None and key == "valueInteger":
                value = option[key]
            return {"code": code[:40], "value": value, "text": {"en": code}}
    return None


def _from_own_export(data: dict[str, Any], ext: dict[str, Any]) -> Definition:
    """Our own export carries the whole definition; rebuild it exactly (round trip)."""
    try:
        raw = json.loads(ext["valueString"])
    except (KeyError, ValueError):
        raise FhirError(["the scoring extension is not valid JSON"]) from None
    flat: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]], section: str = "") -> None:
        for node in nodes:
            if node["type"] == "group":
                walk(node.get("item", []), node["linkId"])
            else:
                flat.append(_own_item(node, section))

    walk(data.get("item", []))
    raw["items"] = flat
    try:
        return parse_definition(raw)
    except DefinitionError as exc:
        raise FhirError(exc.problems) from None


def _own_item(node: dict[str, Any], section: str) -> dict[str, Any]:
    texts = _translations(node.get("_text", {}))
    item: dict[str, Any] = {
        "link_id": node["linkId"],
        "text": {"en": node.get("text", ""), **texts},
        "required": bool(node.get("required")),
        "section": section,
    }
    kind = node["type"]
    extensions = {e["url"]: e for e in node.get("extension", [])}
    if kind == "choice" and RATING_EXT in extensions:
        item["type"] = "rating"
        item.update(json.loads(extensions[RATING_EXT]["valueString"]))
    elif kind == "choice":
        item["type"] = "multi_choice" if node.get("repeats") else "choice"
        item["options"] = [_import_option(o) for o in node.get("answerOption", [])]
    else:
        item["type"] = kind
        for url, key in ((MIN_VALUE, "min"), (MAX_VALUE, "max")):
            if url in extensions:
                ext = extensions[url]
                item[key] = ext.get("valueInteger", ext.get("valueDecimal"))
    loinc = [c["code"] for c in node.get("code", []) if c.get("system") == LOINC]
    if loinc:
        item["loinc"] = loinc[0]
    if node.get("enableWhen"):
        item["enable_when"] = []
        for clause in node["enableWhen"]:
            answer = next((v for k, v in clause.items() if k.startswith("answer")), None)
            if isinstance(answer, dict):
                answer = answer.get("code")
            item["enable_when"].append(
                {"question": clause["question"], "operator": clause["operator"], "answer": answer}
            )
        item["enable_behavior"] = node.get("enableBehavior", "all")
    return item


# --- responses ----------------------------------------------------------------------------


def _answer_value(item: Item, value: Any, system: str, language: str) -> list[dict[str, Any]]:
    if item.type in {"choice", "multi_choice"}:
        codes = value if isinstance(value, list) else [value]
        out = []
        for code in codes:
            option = item.option(code)
            out.append(
                {
                    "valueCoding": {
                        "system": system,
                        "code": code,
                        "display": pick(option.text, language) if option else code,
                    }
                }
            )
        return out
    if item.type == "rating":
        return [{"valueCoding": {"system": system, "code": format_number(float(value))}}]
    if item.type == "boolean":
        return [{"valueBoolean": bool(value)}]
    if item.type == "integer":
        return [{"valueInteger": int(value)}]
    if item.type == "decimal":
        return [{"valueDecimal": float(value)}]
    if item.type == "date":
        return [{"valueDate": str(value)}]
    return [{"valueString": str(value)}]


def build_response(
    defn: Definition,
    answers: dict[str, Any],
    *,
    base_url: str,
    response_id: str,
    status: str,
    subject: str,
    authored: str,
    author: str | None = None,
    encounter: str | None = None,
    focus: str | None = None,
    result: Result | None = None,
    language: str = "en",
    validate: bool = True,
) -> list[dict[str, Any]]:
    """A QuestionnaireResponse and one Observation per scale score (derivedFrom the QR)."""
    system = answer_system(base_url, defn.slug)
    qr_items = []
    for item in defn.items:
        if item.link_id in answers and item.is_answerable:
            qr_items.append(
                {
                    "linkId": item.link_id,
                    "answer": _answer_value(item, answers[item.link_id], system, language),
                }
            )
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{canonical_url(base_url, defn.slug)}|{defn.version}",
        "status": status,
        "subject": {"reference": subject},
        "authored": authored,
        "item": qr_items,
    }
    if author:
        qr["author"] = {"reference": author}
    if encounter:
        qr["encounter"] = {"reference": encounter}
    resources = [qr]
    if result is not None:
        for scale in defn.scales:
            value = result.scores.get(scale.id)
            if value is None:
                continue
            coding = (
                {"system": LOINC, "code": scale.loinc}
                if scale.loinc
                else {"system": system, "code": f"scale-{scale.id}"}
            )
            coding["display"] = pick(scale.label, language)
            obs: dict[str, Any] = {
                "resourceType": "Observation",
                "id": f"{response_id}-{scale.id}",
                "status": "final" if status in {"completed", "amended"} else "entered-in-error",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "survey",
                            }
                        ]
                    }
                ],
                "code": {"coding": [coding]},
                "subject": {"reference": subject},
                "effectiveDateTime": authored,
                "derivedFrom": [{"reference": f"QuestionnaireResponse/{response_id}"}],
            }
            if float(value).is_integer() and scale.method == "sum":
                obs["valueInteger"] = int(value)
            else:
                obs["valueQuantity"] = {"value": value}
            band = result.bands.get(scale.id)
            if band is not None:
                obs["interpretation"] = [
                    {
                        "coding": [{"system": system, "code": band.code}],
                        "text": pick(band.label, language),
                    }
                ]
            if focus:
                obs["focus"] = [{"reference": focus}]
            if encounter:
                obs["encounter"] = {"reference": encounter}
            resources.append(obs)
    if validate:
        for resource in resources:
            _validate(resource["resourceType"], resource)
    return resources


def check_conformance(defn: Definition, qr: dict[str, Any], *, base_url: str) -> list[str]:
    """Our own check that a QuestionnaireResponse fits the Questionnaire of ``defn``:
    known linkIds, answer types, allowed options, required and enabled items."""
    problems: list[str] = []
    expected = canonical_url(base_url, defn.slug)
    if str(qr.get("questionnaire", "")).split("|")[0] != expected:
        problems.append(f"questionnaire should be {expected}")
    answers: dict[str, Any] = {}
    type_key = {
        "choice": "valueCoding",
        "multi_choice": "valueCoding",
        "rating": "valueCoding",
        "boolean": "valueBoolean",
        "integer": "valueInteger",
        "decimal": "valueDecimal",
        "date": "valueDate",
        "text": "valueString",
    }

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node.get("item"):
                walk(node["item"])
            link_id = node.get("linkId")
            if "answer" not in node:
                continue
            item = defn.item(link_id)
            if item is None or not item.is_answerable:
                problems.append(f"{link_id}: not a question of this Questionnaire")
                continue
            values = node["answer"]
            if len(values) > 1 and item.type != "multi_choice":
                problems.append(f"{link_id}: only one answer is allowed")
            collected = []
            for value in values:
                key = type_key[item.type]
                if key not in value:
                    problems.append(f"{link_id}: answer should be {key}")
                    continue
                raw = value[key]
                if key == "valueCoding":
                    code = raw.get("code")
                    if item.option(code) is None:
                        problems.append(f"{link_id}: {code!r} is not an allowed option")
                        continue
                    raw = code if item.type != "rating" else item.option(code).value
                collected.append(raw)
            if collected:
                answers[link_id] = collected if item.type == "multi_choice" else collected[0]

    walk(qr.get("item", []))
    shown = enabled_items(defn, answers)
    for link_id in answers:
        if link_id not in shown:
            problems.append(f"{link_id}: answered although its enableWhen is not met")
    if qr.get("status") == "completed":
        for item in defn.items:
            if item.required and item.link_id in shown and item.link_id not in answers:
                problems.append(f"{item.link_id}: required but not answered")
    return problems
