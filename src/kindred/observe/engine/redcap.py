"""REDCap data dictionaries (the 18-column CSV): export an instrument, import one.

Choice codes are our option codes; a rating scale becomes a number field with min, max and
its step in the Field Annotation; scales become ``calc`` fields (``sum(...)``/``mean(...)``).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from kindred.observe.engine.definition import (
    Definition,
    DefinitionError,
    Item,
    format_number,
    parse_definition,
    pick,
)

COLUMNS = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
STEP = re.compile(r"@KINDRED-STEP=([0-9.]+)")
WEIGHTS = re.compile(r"@KINDRED-WEIGHTS=(\S+)")
LOINC_TAG = re.compile(r"LOINC:([0-9A-Za-z-]+)")
CALC = re.compile(r"^\s*(sum|mean)\s*\((.*)\)\s*$", re.IGNORECASE)
FIELD = re.compile(r"\[([a-z][a-z0-9_]*)\]")
BRANCH = re.compile(
    r"^\s*\[([a-z][a-z0-9_]*)(?:\(([A-Za-z0-9_.-]+)\))?\]\s*(=|<>|!=|>=|<=|>|<)\s*'?([^']*)'?\s*$"
)


class RedcapError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def _form_name(defn: Definition) -> str:
    return re.sub(r"[^a-z0-9_]", "_", defn.slug.lower())


def _branching(defn: Definition, item: Item) -> str:
    parts = []
    for cond in item.enable_when:
        source = defn.item(cond.question)
        op = {"!=": "<>"}.get(cond.operator, cond.operator)
        if cond.operator == "exists":
            parts.append(f"[{cond.question}] {'<>' if cond.answer is not False else '='} ''")
        elif source.type == "multi_choice":
            flag = "1" if cond.operator == "=" else "0"
            parts.append(f"[{cond.question}({cond.answer})] = '{flag}'")
        elif source.type == "boolean":
            parts.append(f"[{cond.question}] {op} '{1 if cond.answer in (True, 'true') else 0}'")
        elif source.type in {"integer", "decimal", "rating"}:
            parts.append(f"[{cond.question}] {op} {cond.answer}")
        else:
            parts.append(f"[{cond.question}] {op} '{cond.answer}'")
    joiner = " and " if item.enable_behavior == "all" else " or "
    return joiner.join(parts)


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(values)
    return row


def to_data_dictionary(
    defn: Definition, *, texts: dict[str, Any] | None = None, language: str = "en"
) -> str:
    """The instrument as an 18-column REDCap data dictionary (CSV text)."""
    form = _form_name(defn)
    rows = [
        _row(
            **{
                "Variable / Field Name": "record_id",
                "Form Name": form,
                "Field Type": "text",
                "Field Label": "Record ID",
            }
        )
    ]
    section_done: set[str] = set()
    for item in defn.items:
        pack = (texts or {}).get(item.link_id, {})
        label = pack.get("text") or pick(item.text, language)
        row = {
            "Variable / Field Name": item.link_id,
            "Form Name": form,
            "Field Label": label,
            "Required Field?": "y" if item.required else "",
            "Branching Logic (Show field only if...)": _branching(defn, item),
        }
        annotations = []
        if item.loinc:
            annotations.append(f"LOINC:{item.loinc}")
        if item.section and item.section not in section_done:
            section_done.add(item.section)
            row["Section Header"] = pick(defn.sections.get(item.section, {}), language) or (
                item.section
            )
        if item.type in {"choice", "multi_choice"}:
            row["Field Type"] = "radio" if item.type == "choice" else "checkbox"
            row["Choices, Calculations, OR Slider Labels"] = " | ".join(
                f"{o.code}, {pack.get('options', {}).get(o.code) or pick(o.text, language)}"
                for o in item.options
            )
            # Scores REDCap cannot infer from the codes themselves (e.g. EPDS a–d).
            if any(
                o.value is not None and _number_or_none(o.code) != o.value for o in item.options
            ):
                annotations.append(
                    "@KINDRED-WEIGHTS="
                    + ",".join(
                        f"{o.code}:{format_number(o.value)}"
                        for o in item.options
                        if o.value is not None
                    )
                )
        elif item.type == "rating":
            row["Field Type"] = "text"
            row["Text Validation Type OR Show Slider Number"] = "number_1dp"
            row["Text Validation Min"] = format_number(item.min)
            row["Text Validation Max"] = format_number(item.max)
            annotations.append(f"@KINDRED-STEP={format_number(item.step)}")
        elif item.type == "boolean":
            row["Field Type"] = "yesno"
        elif item.type in {"integer", "decimal"}:
            row["Field Type"] = "text"
            row["Text Validation Type OR Show Slider Number"] = (
                "integer" if item.type == "integer" else "number"
            )
            if item.min is not None:
                row["Text Validation Min"] = format_number(item.min)
            if item.max is not None:
                row["Text Validation Max"] = format_number(item.max)
        elif item.type == "date":
            row["Field Type"] = "text"
            row["Text Validation Type OR Show Slider Number"] = "date_ymd"
        elif item.type == "text":
            row["Field Type"] = "notes"
        else:
            row["Field Type"] = "descriptive"
        row["Field Annotation"] = " ".join(annotations)
        rows.append(_row(**row))
    for scale in defn.scales:
        terms = []
        for link_id in scale.items:
            term = f"[{link_id}]"
            if link_id in scale.reverse:
                low, high = defn.item(link_id).value_range()
                term = f"({format_number(low + high)}-[{link_id}])"
            weight = scale.weights.get(link_id)
            if weight not in (None, 1, 1.0):
                term = f"{format_number(weight)}*{term}"
            terms.append(term)
        rows.append(
            _row(
                **{
                    "Variable / Field Name": f"{_form_name(defn)}_{scale.id}"[:100],
                    "Form Name": form,
                    "Field Type": "calc",
                    "Field Label": pick(scale.label, language),
                    "Choices, Calculations, OR Slider Labels": f"{scale.method}({','.join(terms)})",
                    "Field Annotation": f"LOINC:{scale.loinc}" if scale.loinc else "",
                }
            )
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def read_rows(text: str | bytes) -> list[dict[str, str]]:
    """The rows of a data dictionary, checking its 18 columns; RedcapError otherwise."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RedcapError(["the file is not UTF-8 text"]) from None
    text = text.lstrip("\ufeff")
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise RedcapError([f"the CSV could not be read: {exc}"]) from None
    if header is None:
        raise RedcapError(["the file is empty"])
    if [h.strip() for h in header] != COLUMNS:
        raise RedcapError(
            [
                "the header must be the 18 REDCap data dictionary columns, starting with "
                f"{COLUMNS[0]!r} and ending with {COLUMNS[-1]!r}"
            ]
        )
    out = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise RedcapError([f"row {number}: has {len(row)} columns, not 18"])
        out.append(dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True)))
    return out


def parse_choices(value: str) -> list[tuple[str, str]]:
    choices = []
    for part in value.split("|"):
        if not part.strip():
            continue
        code, _, label = part.partition(",")
        choices.append((code.strip(), label.strip()))
    return choices


def _condition(clause: str, known: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    match = BRANCH.match(clause)
    if not match:
        return None
    name, checkbox_code, op, value = match.groups()
    if name not in known:
        return None
    op = {"<>": "!="}.get(op, op)
    if checkbox_code is not None:
        return {
            "question": name,
            "operator": "=" if value == "1" else "!=",
            "answer": checkbox_code,
        }
    if value == "":
        return {"question": name, "operator": "exists", "answer": op == "!="}
    kind = known[name]["type"]
    if kind == "boolean":
        return {"question": name, "operator": op, "answer": value == "1"}
    if kind in {"integer", "decimal", "rating"}:
        return {"question": name, "operator": op, "answer": float(value)}
    return {"question": name, "operator": op, "answer": value}


def from_data_dictionary(text: str | bytes, *, slug: str | None = None) -> Definition:
    """A new instrument definition from a REDCap data dictionary; RedcapError lists problems."""
    rows = read_rows(text)
    problems: list[str] = []
    items: list[dict[str, Any]] = []
    known: dict[str, dict[str, Any]] = {}
    scales: list[dict[str, Any]] = []
    sections: dict[str, dict[str, str]] = {}
    section = ""
    form = ""
    for index, row in enumerate(rows):
        name = row["Variable / Field Name"]
        kind = row["Field Type"]
        form = form or row["Form Name"]
        where = f"field {name!r}"
        if index == 0 and name == "record_id":
            continue
        if row["Section Header"]:
            section = re.sub(r"[^a-z0-9_]", "_", row["Section Header"].lower())[:60].strip("_")
            section = section or f"section_{len(sections) + 1}"
            sections[section] = {"en": row["Section Header"]}
        item: dict[str, Any] = {
            "link_id": name,
            "text": {"en": row["Field Label"] or name},
            "required": row["Required Field?"].lower() == "y",
            "section": section,
        }
        annotation = row["Field Annotation"]
        loinc = LOINC_TAG.search(annotation)
        validation = row["Text Validation Type OR Show Slider Number"]
        if kind in {"radio", "dropdown", "checkbox"}:
            item["type"] = "multi_choice" if kind == "checkbox" else "choice"
            choices = parse_choices(row["Choices, Calculations, OR Slider Labels"])
            if not choices:
                problems.append(f"{where}: {kind} field has no choices")
            weights = {}
            found = WEIGHTS.search(annotation)
            if found:
                for pair in found.group(1).split(","):
                    code, _sep, value = pair.partition(":")
                    weights[code] = _number_or_none(value)
            item["options"] = [
                {
                    "code": code,
                    "value": weights.get(code, _number_or_none(code)),
                    "text": {"en": label},
                }
                for code, label in choices
            ]
        elif kind == "yesno" or kind == "truefalse":
            item["type"] = "boolean"
        elif kind == "notes":
            item["type"] = "text"
        elif kind == "descriptive":
            item["type"] = "display"
            item["required"] = False
        elif kind == "text":
            step = STEP.search(annotation)
            if step:
                item.update(type="rating", step=float(step.group(1)))
            elif validation == "integer":
                item["type"] = "integer"
            elif validation.startswith("number"):
                item["type"] = "decimal"
            elif validation.startswith("date_"):
                item["type"] = "date"
            elif validation in {"", "alpha_only"}:
                item["type"] = "text"
            else:
                problems.append(f"{where}: text validation {validation!r} is not supported")
                continue
            for column, key in (("Text Validation Min", "min"), ("Text Validation Max", "max")):
                if row[column] and item["type"] in {"integer", "decimal", "rating"}:
                    number = _number_or_none(row[column])
                    if number is None:
                        problems.append(f"{where}: {column} {row[column]!r} is not a number")
                    item[key] = number
        elif kind == "calc":
            scale = _calc_scale(name, row, known, form, loinc)
            if isinstance(scale, str):
                problems.append(f"{where}: {scale}")
            else:
                scales.append(scale)
            continue
        else:
            problems.append(f"{where}: field type {kind!r} is not supported")
            continue
        if loinc:
            item["loinc"] = loinc.group(1)
        logic = row["Branching Logic (Show field only if...)"]
        if logic:
            behaviour = "any" if re.search(r"\s+or\s+", logic) else "all"
            if re.search(r"\s+or\s+", logic) and re.search(r"\s+and\s+", logic):
                problems.append(f"{where}: branching logic mixing 'and' with 'or' is not supported")
                continue
            clauses = re.split(r"\s+(?:and|or)\s+", logic.strip())
            conditions = [_condition(c, known) for c in clauses]
            if any(c is None for c in conditions):
                problems.append(f"{where}: branching logic {logic!r} is not supported")
                continue
            item["enable_when"] = conditions
            item["enable_behavior"] = behaviour
        items.append(item)
        known[name] = item
    if not items:
        problems.append("the dictionary has no fields besides the record id")
    if problems:
        raise RedcapError(problems)
    raw = {
        "slug": slug or re.sub(r"[^a-z0-9-]", "-", (form or "imported").lower())[:48].strip("-"),
        "version": "1.0.0",
        "name": {"en": (form or "Imported instrument").replace("_", " ").capitalize()},
        "licence_class": "C",
        "item_text_source": "user",
        "sections": sections,
        "items": items,
        "scales": scales,
    }
    try:
        return parse_definition(raw)
    except DefinitionError as exc:
        raise RedcapError(exc.problems) from None


def _number_or_none(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _calc_scale(name, row, known, form, loinc) -> dict[str, Any] | str:
    match = CALC.match(row["Choices, Calculations, OR Slider Labels"])
    if not match:
        return "only sum(...) and mean(...) calculations can be imported as scores"
    method, body = match.group(1).lower(), match.group(2)
    items, reverse, weights = [], [], {}
    for term in body.split(","):
        term = term.strip()
        fields = FIELD.findall(term)
        if len(fields) != 1 or fields[0] not in known:
            return f"the term {term!r} does not name one earlier field"
        link_id = fields[0]
        items.append(link_id)
        rev = re.fullmatch(r"\(\s*[0-9.]+\s*-\s*\[[a-z0-9_]+\]\s*\)", term.split("*")[-1].strip())
        if rev:
            reverse.append(link_id)
        if "*" in term:
            weight = _number_or_none(term.split("*")[0].strip())
            if weight is None:
                return f"the weight in {term!r} is not a number"
            weights[link_id] = weight
    scale_id = name[len(form) + 1 :] if form and name.startswith(form + "_") else name
    return {
        "id": scale_id or name,
        "label": {"en": row["Field Label"] or name},
        "items": items,
        "method": method,
        "reverse": reverse,
        "weights": weights,
        "loinc": loinc.group(1) if loinc else None,
        "primary": False,
    }


def content_pack_from_dictionary(text: str | bytes) -> dict[str, Any]:
    """Item and option wording from a REDCap dictionary, in content-pack form."""
    pack: dict[str, Any] = {}
    for index, row in enumerate(read_rows(text)):
        name = row["Variable / Field Name"]
        if (index == 0 and name == "record_id") or row["Field Type"] == "calc":
            continue
        entry: dict[str, Any] = {"text": row["Field Label"]}
        if row["Field Type"] in {"radio", "dropdown", "checkbox"}:
            entry["options"] = dict(parse_choices(row["Choices, Calculations, OR Slider Labels"]))
        pack[name] = entry
    return pack
