"""Open data about the network's shared vocabularies (roles, sectors and systems, topics)."""

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kindred.core.models import Role, Sector, Topic

router = Router(tags=["vocabularies"])

VOCABULARIES = {"roles": Role, "sectors": Sector, "topics": Topic}


class TermOut(Schema):
    slug: str
    name_en: str
    name_es: str
    description_en: str
    description_es: str


class VocabulariesOut(Schema):
    roles: list[TermOut]
    sectors: list[TermOut]
    topics: list[TermOut]


class ErrorOut(Schema):
    detail: str


def _terms(kind: str) -> list:
    return list(VOCABULARIES[kind].objects.active())


@router.get("/vocabularies", response=VocabulariesOut, summary="All vocabularies")
def list_vocabularies(request: HttpRequest):
    """Every term in use, by vocabulary, in English and Spanish, in display order."""
    return {kind: _terms(kind) for kind in VOCABULARIES}


@router.get(
    "/vocabularies/{kind}",
    response={200: list[TermOut], 404: ErrorOut},
    summary="One vocabulary",
)
def get_vocabulary(request: HttpRequest, kind: str):
    """The terms of one vocabulary: ``roles``, ``sectors`` or ``topics``."""
    if kind not in VOCABULARIES:
        raise HttpError(404, f"No vocabulary called {kind!r}: use roles, sectors or topics.")
    return _terms(kind)
