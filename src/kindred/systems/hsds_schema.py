"""The Open Referral HSDS 3.1 JSON Schemas (copied into ``systems/data/``), with a
validator that resolves their cross-file ``$ref``s offline."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DATA = Path(__file__).resolve().parent / "data"
HSDS_VERSION = "3.1"
TABLES = ("service", "organization", "location", "service_at_location")


@cache
def load(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text("utf-8")), DRAFT7))
        for path in sorted(DATA.glob("*.json"))
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft7Validator:
    """A validator for one HSDS table's object (``"service"``, ``"organization"``...)."""
    return Draft7Validator(load(name), registry=_registry())


def problems(instance, name: str, *, limit: int = 20) -> list[str]:
    """What is wrong with ``instance`` as an HSDS ``name`` object ("field.sub: message")."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    out = []
    for error in errors[:limit]:
        where = ".".join(str(part) for part in error.absolute_path)
        out.append(f"{where}: {error.message}" if where else error.message)
    return out


def page_fields() -> set[str]:
    """The pagination fields HSDS list responses carry (from the HSDS OpenAPI ``Page``)."""
    return set(load("openapi")["components"]["schemas"]["Page"]["properties"])
