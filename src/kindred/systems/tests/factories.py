"""Plain test-data builders (places reference data and needs are loaded by migration)."""

from __future__ import annotations

from kindred.core.models import Sector
from kindred.network.models import Organization, OrganizationMembership
from kindred.network.services import create_organization
from kindred.places.services import lookup_zip
from kindred.systems import services
from kindred.systems.models import Competency, LearningPath, Module, ModulePage, Need, QuizQuestion


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


def need(slug: str = "perinatal-mental-health") -> Need:
    return Need.objects.get(slug=slug)


def make_org(
    name: str, *, admin=None, member=None, zip_code: str = "74103", sectors=("health-care",)
) -> Organization:
    organization = create_organization(
        actor=admin,
        name=name,
        zip_code=lookup_zip(zip_code),
        sectors=[sector(s) for s in sectors],
        counties_served=[lookup_zip(zip_code).county],
    )
    if member is not None:
        OrganizationMembership.objects.create(organization=organization, user=member)
    return organization


def make_service(organization: Organization, actor, **overrides):
    values = {
        "name": "Tulsa Moms Mental Health",
        "description": "Counseling for new and expecting parents.",
        "needs": [need()],
        "counties": [lookup_zip("74103").county],
        "languages": ["en", "es"],
        "min_age_months": 0,
        "max_age_months": 24,
        "phone": "918-555-0100",
    }
    values.update(overrides)
    return services.create_service(actor=actor, organization=organization, **values)


def make_path(slug: str = "first-steps", modules: int = 2) -> LearningPath:
    path = LearningPath.objects.create(
        slug=slug,
        title_en="First steps",
        title_es="Primeros pasos",
        summary_en="Relational health basics.",
        ce_hours=2,
    )
    competencies = list(Competency.objects.filter(slug__in=["attune", "strengths"]))
    path.competencies.set(competencies)
    for order in range(1, modules + 1):
        module = Module.objects.create(
            path=path,
            order=order,
            title_en=f"Module {order}",
            pass_mark=50,
            video_url="https://video.example.org/m",
            video_title="A visit",
        )
        ModulePage.objects.create(
            module=module, order=1, title_en="Read", body_en="**Notice** joy."
        )
        for number in range(2):
            QuizQuestion.objects.create(
                module=module,
                order=number,
                prompt_en=f"Question {number}?",
                choices_en=["Right", "Wrong"],
                choices_es=["Bien", "Mal"],
                correct=0,
            )
    return path


def ratings(path: LearningPath, value: int = 3) -> dict:
    return {c.slug: value for c in path.competencies.all()}
