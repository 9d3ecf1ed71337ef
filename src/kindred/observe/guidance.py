"""Guidance for the family: matched to the child's age, the results and the language.

The words are gettext strings, rendered inside ``translation.override(family.language)`` so
the handout speaks the family's language whatever the clinician's screen is set to. They
speak of connection and support, never of failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kindred.observe.engine.definition import pick
from kindred.observe.models import DAYS_PER_MONTH, Encounter, Response

HOTLINE = "1-833-TLC-MAMA (1-833-852-6262)"
CRISIS_LINE = "988"


@dataclass
class Guidance:
    strengths: list[str] = field(default_factory=list)
    results: list[dict[str, str]] = field(default_factory=list)
    ideas: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    age_label: str = ""


def age_ideas(age_days: int) -> tuple[str, list[str]]:
    months = age_days / DAYS_PER_MONTH
    if months < 2:
        return _("your newborn"), [
            _("Hold, rock and talk with your baby: your voice and touch help them feel safe."),
            _(
                "Watch for your baby's signals, like turning toward you or calming when you speak, "
                "and answer them."
            ),
            _("Skin-to-skin time and feeding are moments of closeness for both of you."),
        ]
    if months < 6:
        return _("your baby (2 to 6 months)"), [
            _(
                "When your baby coos, talk back and wait for a reply: taking turns builds "
                "connection."
            ),
            _(
                "Everyday moments like feeding, bathing and changing are times to smile, sing "
                "and talk."
            ),
            _(
                "Face-to-face play for a few minutes a day helps your baby learn your face and "
                "voice."
            ),
        ]
    if months < 12:
        return _("your baby (6 to 12 months)"), [
            _(
                "Read, sing and name things together; a book at bedtime builds closeness and "
                "language."
            ),
            _("Play peekaboo and follow your baby's lead in play."),
            _("Comfort your baby when they are upset: being there helps them learn to calm."),
        ]
    if months < 24:
        return _("your toddler (1 to 2 years)"), [
            _("Follow your toddler's interests and put words to their feelings."),
            _("Regular routines for meals, naps and bedtime help your child feel secure."),
            _("Read together every day and let your toddler turn the pages."),
        ]
    return _("your child (2 years and older)"), [
        _("Talk about your day together and let your child tell you stories."),
        _("Offer simple choices and praise effort: your calm helps them learn calm."),
        _("Pretend play together builds imagination and closeness."),
    ]


def build_guidance(encounter: Encounter, responses: list[Response], language: str) -> Guidance:
    """Strengths first, then results in family words, ideas for the age, and support."""
    guide = Guidance()
    guide.age_label, guide.ideas = age_ideas(encounter.corrected_age_days)
    guide.strengths.append(
        _(
            "You made time for this visit: caring about how you and your child are doing is "
            "a strength."
        )
    )
    levels = set()
    for response in responses:
        spec = response.spec
        levels.add(response.band_level)
        family_words = response.band_label(language, family=True)
        for flag in spec.flags:
            if flag.code in response.flags:
                levels.add(flag.level)
                words = pick(flag.family_label, language)
                if words and flag.level == "strength":
                    guide.strengths.append(words)
                elif words:
                    family_words = family_words or words
        note = response.answers.get("wecs_note")
        if note:
            guide.strengths.append(note)
        if family_words:
            if response.band_level == "strength":
                guide.strengths.append(family_words)
            else:
                guide.results.append({"name": spec.title(language), "words": family_words})
    if "support" in levels or any(r.has_critical for r in responses):
        guide.support.append(
            _(
                "Caring for yourself is part of caring for your baby. Reach out to people you "
                "trust, and to us."
            )
        )
        guide.support.append(
            _(
                "National Maternal Mental Health Hotline: call or text %(number)s. Free, "
                "confidential, 24 hours a day, in English and Spanish."
            )
            % {"number": HOTLINE}
        )
        guide.support.append(
            _(
                "If you are in crisis or thinking of harming yourself, call or text %(number)s "
                "(Suicide and Crisis Lifeline), or 911 in an emergency."
            )
            % {"number": CRISIS_LINE}
        )
    elif "watch" in levels:
        guide.support.append(
            _(
                "Babies have their own rhythms. Calm, close comfort and predictable routines "
                "help them settle, and we are here to talk any time."
            )
        )
    return guide
