import json
from functools import cache
from pathlib import Path

from kindred.observe.engine.definition import Definition, parse_definition

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def bundled(slug: str) -> Definition:
    return parse_definition(json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8")))


def phq9_answers(*values: int, difficulty: str | None = None) -> dict:
    answers = {f"phq9_{n}": str(v) for n, v in enumerate(values, 1)}
    if difficulty is not None:
        answers["phq9_difficulty"] = difficulty
    return answers


def wecs_answers(rating: float = 2.5, connected: bool = True) -> dict:
    spec = bundled("wecs")
    answers = {item.link_id: rating for item in spec.items if item.type == "rating"}
    answers["wecs_connected"] = connected
    return answers
