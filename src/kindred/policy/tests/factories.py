"""Plain test-data builders with sensible defaults (the places data is loaded by migration)."""

from datetime import date

from kindred.core.models import Topic
from kindred.places.models import State
from kindred.policy import services
from kindred.policy.models import AdvocacyAction, Jurisdiction, Official, Policy


def state(usps: str = "OK") -> State:
    return State.objects.get(usps=usps)


def jurisdiction(usps: str = "OK") -> Jurisdiction:
    if usps == "US":
        return services.federal_jurisdiction()
    return services.state_jurisdiction(state(usps))


def topic(slug: str = "paid-family-leave") -> Topic:
    return Topic.objects.get(slug=slug)


def make_policy(**overrides) -> Policy:
    values = {
        "slug": "ok-paid-leave",
        "title_en": "Oklahoma paid leave",
        "title_es": "Licencia pagada de Oklahoma",
        "jurisdiction": jurisdiction("OK"),
        "policy_type": Policy.Type.BILL,
        "identifier": "SB 1",
        "summary_en": "Paid leave for new parents.",
        "summary_es": "Licencia pagada para madres y padres.",
        "why_it_matters_en": "Time together.",
        "why_it_matters_es": "Tiempo juntos.",
        "topics": [topic()],
        "position": Policy.Position.SUPPORT,
        "history": [
            {
                "status": "introduced",
                "date": date(2026, 1, 10),
                "source_title": "Oklahoma Legislature",
                "source_url": "https://example.org/sb1",
                "source_date": date(2026, 1, 10),
            }
        ],
        "sources": [{"title": "Oklahoma Legislature", "url": "https://example.org/sb1"}],
    }
    values.update(overrides)
    return services.create_policy(**values)


def make_official(**overrides) -> Official:
    values = {
        "name": "Sen. Demo One",
        "office": "State Senator",
        "jurisdiction": jurisdiction("OK"),
        "state": state("OK"),
        "district": "1",
        "email": "senator.one@officials.example.org",
    }
    values.update(overrides)
    return Official.objects.create(**values)


def make_action(**overrides) -> AdvocacyAction:
    targets = overrides.pop("targets", None)
    values = {
        "slug": "ok-letter",
        "kind": AdvocacyAction.Kind.LETTER,
        "status": AdvocacyAction.Status.OPEN,
        "title_en": "Write to Oklahoma",
        "title_es": "Escriba a Oklahoma",
        "intro_en": "Please write.",
        "intro_es": "Por favor escriba.",
        "jurisdiction": jurisdiction("OK"),
        "letter_subject_en": "Support paid leave",
        "letter_subject_es": "Apoye la licencia pagada",
        "letter_body_en": "Dear {target_name}, please support paid leave.",
        "letter_body_es": "Estimado/a {target_name}: apoye la licencia pagada.",
    }
    values.update(overrides)
    action = AdvocacyAction.objects.create(**values)
    if targets:
        action.targets.set(targets)
    return action
