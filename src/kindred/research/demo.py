"""Demo data for research, built through the services (runs after observe's seeder).

- An agenda of questions (impact / promotion / barriers) in the spirit of the collaborative
  ERH research agenda of Dumitriu et al., Frontiers in Pediatrics 2023; a few still proposed.
- Round 1 (closed): parents, practitioners, researchers and others rate every question;
  practitioners outnumber parents four to one, and equal group weighting keeps the parents'
  priorities in view. Round 2 (open, members may join) shows round 1's results.
- Dr. Sam Lee (researcher@demo.kindred.test) leads a study at the demo sites, with an
  approved data request and a built dataset, and a second request waiting for the steward.
- The data steward is Dr. Priya Raman (steward@demo.kindred.test, MFA with the demo code;
  ``manage.py demo_totp steward@demo.kindred.test``).
- A published finding answers two agenda questions and is linked from the agenda.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone

from kindred.accounts.models import User
from kindred.research import services
from kindred.research.models import (
    Dataset,
    Question,
    Round,
    StakeholderGroup,
    Study,
)

STEWARD = ("steward@demo.kindred.test", "Dr. Priya Raman")
RESEARCHER = "researcher@demo.kindred.test"
# (title, why, theme, populations, settings, parents' leaning, others' leaning)
# Leanings shift each group's ratings (−2..+2) so the groups' priorities differ.
QUESTIONS = [
    (
        "What helps parents feel confident and joyful in everyday moments with their baby?",
        "Confidence grows connection; knowing what builds it lets every program support it.",
        "promotion",
        "New parents, fathers, grandparents raising children",
        "Homes, clinics",
        2,
        0,
    ),
    (
        "How do early relationships shape children's health and learning into school age?",
        "Long-term evidence helps leaders invest in the first years.",
        "impact",
        "Children 0–5 and their caregivers",
        "Any",
        0,
        2,
    ),
    (
        "Which ways of measuring early relational health work well in busy pediatric visits?",
        "Clinics need short, strengths-based tools that families find respectful.",
        "impact",
        "Families in pediatric primary care",
        "Pediatric clinics",
        -1,
        2,
    ),
    (
        "How do money worries, housing and long work hours get in the way of time together?",
        "Structural stress is often the biggest barrier families name.",
        "barriers",
        "Families with low incomes, shift workers",
        "Community",
        2,
        0,
    ),
    (
        "What makes families trust a program enough to come back?",
        "Trust decides whether any support reaches a family.",
        "barriers",
        "Families who have felt judged by services",
        "Clinics, home visiting",
        2,
        -1,
    ),
    (
        "Does video feedback of play help caregivers notice their baby's cues?",
        "Video feedback is promising but not yet widely offered.",
        "promotion",
        "Caregivers of infants",
        "Pediatric clinics, home visiting",
        0,
        1,
    ),
    (
        "How can doulas and community health workers support relational health after birth?",
        "Trusted community workers reach families other services miss.",
        "promotion",
        "Birthing people and their families",
        "Community, home",
        1,
        0,
    ),
    (
        "What training helps practitioners talk about relationships without blaming parents?",
        "Strengths-based conversations need skills and practice.",
        "promotion",
        "Pediatric clinicians, nurses, home visitors",
        "Clinics",
        -1,
        1,
    ),
    (
        "How does caregiver depression affect early relationships, and what helps most?",
        "Perinatal depression is common and treatable; relationships can recover.",
        "impact",
        "Mothers and fathers after birth",
        "Clinics, home",
        1,
        1,
    ),
    (
        "Do paid family leave and child tax credits change how much time families share?",
        "Policy evidence helps advocates make the case for family supports.",
        "barriers",
        "Working parents",
        "Policy",
        1,
        0,
    ),
    (
        "How do culture and language shape what 'connection' looks like?",
        "Measures and programs must fit every family's way of connecting.",
        "impact",
        "Families who speak Spanish, Indigenous families, immigrant families",
        "Any",
        1,
        0,
    ),
    (
        "What role do fathers and co-parents play, and how can programs include them?",
        "Programs often speak only to mothers.",
        "promotion",
        "Fathers and co-parents",
        "Any",
        1,
        -1,
    ),
]
PROPOSED = [
    (
        "Can child care settings strengthen relationships between toddlers and their parents?",
        "Many toddlers spend most weekdays in child care.",
        "promotion",
    ),
    (
        "Do group prenatal visits lead to stronger bonds after birth?",
        "Group care builds peer support before the baby arrives.",
        "promotion",
    ),
]
GROUP_SIZES = {"parents": 15, "practitioners": 60, "researchers": 12, "others": 8}


def _account(email: str, name: str) -> User:
    from kindred.accounts.services import create_account
    from kindred.observe.demo import DEMO_PASSWORD

    return User.objects.filter(email=email).first() or create_account(
        email, DEMO_PASSWORD, name=name, verified=True
    )


def _steward() -> User:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from kindred.observe.demo import DEMO_TOTP_SECRET

    user = _account(*STEWARD)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    services.appoint_steward(user, by=None)
    return user


def _panel(rng) -> dict[str, list[User]]:
    """Members of each stakeholder group from the network's demo members (by their roles),
    topped up with demo panel accounts where a group is short."""
    from kindred.network.models import MemberProfile

    by_group: dict[str, list[User]] = {g: [] for g in GROUP_SIZES}
    profiles = (
        MemberProfile.objects.select_related("user")
        .prefetch_related("roles")
        .filter(user__email__endswith="@demo.kindred.test")
        .order_by("pk")[:2000]
    )
    for profile in profiles:
        group = services.group_for(profile.user)
        if len(by_group[group]) < GROUP_SIZES[group]:
            by_group[group].append(profile.user)
    for group, size in GROUP_SIZES.items():
        for n in range(len(by_group[group]), size):
            by_group[group].append(
                _account(f"panel.{group}.{n + 1}@demo.kindred.test", f"Panel {group} {n + 1}")
            )
    return by_group


def _rate(rng, leaning: int, group: str) -> int:
    base = {"parents": 6.4, "practitioners": 6.2, "researchers": 6.0, "others": 6.0}[group]
    value = round(rng.gauss(base + leaning, 1.3))
    return max(1, min(9, value))


def _run_round(round_, panel, questions, rng, *, curator, shift: float = 0.0) -> None:
    for group, users in panel.items():
        for user in users:
            panelist = services.add_panelist(round_, user, group=group, by=curator)
            ratings = {}
            for question, parents_lean, others_lean in questions:
                lean = parents_lean if group == "parents" else others_lean
                if group == "others":
                    lean = (parents_lean + others_lean) / 2
                score = _rate(rng, lean + shift, group)
                comment = ""
                if group == "parents" and parents_lean >= 2 and rng.random() < 0.2:
                    comment = rng.choice(
                        [
                            "This is what families in our circle talk about most.",
                            "Esto es lo que más nos importa como familia.",
                        ]
                    )
                ratings[question.pk] = (score, comment)
            services.submit_ratings(panelist, ratings, by=user)


def seed(rng, scale: str) -> None:
    if Question.objects.exists():
        return  # idempotent: the demo agenda is there already
    staff = User.objects.filter(email="staff@demo.kindred.test").first()
    researcher = User.objects.filter(email=RESEARCHER).first() or _account(
        RESEARCHER, "Dr. Sam Lee"
    )
    steward = _steward()
    parent = User.objects.filter(email="parent@demo.kindred.test").first()

    accepted = []
    for title, why, theme, populations, where, lean_p, lean_o in QUESTIONS:
        question = services.propose_question(
            by=parent if lean_p >= 2 and parent else researcher,
            title=title,
            why=why,
            theme=theme,
            populations=populations,
            care_settings=where,
        )
        services.decide_question(question, accept=True, by=staff)
        accepted.append((question, lean_p, lean_o))
    for title, why, theme in PROPOSED:
        services.propose_question(by=parent or researcher, title=title, why=why, theme=theme)
    duplicate = services.propose_question(
        by=researcher,
        title="Does watching videos of play help parents read their baby's signals?",
        why="Same idea as the video feedback question.",
        theme="promotion",
    )
    services.merge_question(duplicate, into=accepted[5][0], by=staff)
    if parent:
        services.comment_on_question(
            accepted[0][0],
            by=parent,
            body="When someone notices what I do well with my daughter, I try more of it.",
        )

    panel = _panel(rng)
    questions = [q for q, _p, _o in accepted]
    round1 = services.create_round(
        by=staff,
        title="2026 priorities, round 1",
        description="Rate how important each question is for babies, toddlers and families.",
        questions=questions,
    )
    services.open_round(round1, by=staff)
    _run_round(round1, panel, accepted, rng, curator=staff)
    if parent:
        services.add_panelist(round1, parent, group=StakeholderGroup.PARENTS, by=staff)
    services.close_round(round1, by=staff)
    round2 = services.create_round(
        by=staff,
        title="2026 priorities, round 2",
        description="See how the panel rated each question and think again.",
        previous=round1,
        open_enrolment=True,
        closes_on=timezone.localdate() + dt.timedelta(days=21),
    )
    services.open_round(round2, by=staff)
    for user in [parent, researcher]:
        if user:
            services.add_panelist(round2, user, by=staff)

    study = _study(researcher, accepted)
    _data_requests(study, researcher, steward)
    _finding(study, researcher, accepted)


def _study(researcher: User, accepted) -> Study:
    from kindred.observe.models import Instrument, Site

    study = services.create_study(
        by=researcher,
        title="Connected from the start: relational health in pediatric and community care",
        summary=(
            "A learning study across a pediatric clinic, a home-visiting program and a doula "
            "program: how caregivers and babies connect in the first year, how caregiver mood "
            "relates to connection, and which supports families find most helpful."
        ),
        status=Study.Status.ACTIVE,
        registration_id="OSF-KINDRED-DEMO-2026",
        protocol_url="https://example.org/kindred-demo-protocol",
        ethics_status=Study.Ethics.APPROVED,
        ethics_board="Demo University IRB",
        ethics_reference="IRB-2026-0142",
        questions=[accepted[0][0], accepted[2][0], accepted[8][0]],
        sites=list(
            Site.objects.filter(slug__in=["riverside-pediatrics", "family-roots", "cradle-doulas"])
        ),
        instruments=list(Instrument.objects.filter(slug__in=["phq-2", "epds", "wecs", "bpsc"])),
    )
    clinician = User.objects.filter(email="clinician@demo.kindred.test").first()
    if clinician:
        services.update_study(study, by=researcher, team=[clinician])
    return study


def _data_requests(study: Study, researcher: User, steward: User) -> None:
    from kindred.observe.models import Instrument

    sites = list(study.sites.all())
    if not sites:
        return
    approved = services.request_data(
        study,
        by=researcher,
        purpose="Describe connection (WECS) and caregiver mood (EPDS, PHQ-2) in the first year "
        "by language and site, and check the reliability of each scale.",
        instruments=Instrument.objects.filter(slug__in=["phq-2", "epds", "wecs", "bpsc"]),
        sites=sites,
        variables=[
            "language",
            "site",
            "zip3",
            "visit_year",
            "child_age_months",
            "caregiver_relationship",
        ],
        k=5,
    )
    services.approve_request(
        approved,
        by=steward,
        dua_reference="DUA-DEMO-2026-07",
        dua_signed_on=timezone.localdate() - dt.timedelta(days=3),
        dua_expires_on=timezone.localdate() + dt.timedelta(days=365),
        dua_terms="Analysis only by the named team; no linkage; destroy at the end of the study.",
        build=False,
    )
    # Built right here (the demo has a few hundred visits): the same code the task runs.
    dataset = Dataset.objects.create(request=approved, built_by=steward)
    # The demo still works without the files; the dataset page shows the error.
    with contextlib.suppress(Exception):
        services.build_dataset(dataset)
    services.request_data(
        study,
        by=researcher,
        purpose="Follow-up: BPSC results by child age for the next report.",
        instruments=Instrument.objects.filter(slug__in=["bpsc"]),
        sites=sites[:1],
        variables=["child_age_months", "language"],
        k=5,
    )


def _finding(study: Study, researcher: User, accepted) -> None:
    finding = services.create_finding(
        by=researcher,
        study=study,
        title_en="Small everyday moments add up to strong connection",
        title_es="Los pequeños momentos de cada día construyen una conexión fuerte",
        summary_en=(
            "Most babies and caregivers we met were already deeply connected: they looked for "
            "each other, smiled and calmed together. Families told us that what helps most is "
            "someone noticing what they already do well, and support with the stresses that "
            "take time away, like money worries and long work hours."
        ),
        summary_es=(
            "La mayoría de los bebés y sus cuidadores ya tenían una conexión profunda: se "
            "buscaban con la mirada, sonreían y se calmaban juntos. Las familias nos dijeron que "
            "lo que más ayuda es que alguien note lo que ya hacen bien, y apoyo con las "
            "preocupaciones que les quitan tiempo, como el dinero y las largas horas de trabajo."
        ),
        details=(
            "Demo data. WECS observations in the first year at three sites; internal "
            "consistency and distributions are on the dataset's reliability page."
        ),
        chart_title_en="Visits where caregiver and baby were connected",
        chart_title_es="Visitas en las que el cuidador y el bebé estaban conectados",
        chart=[
            {"label_en": "Pediatric clinic", "label_es": "Clínica pediátrica", "value": 82},
            {"label_en": "Home visiting", "label_es": "Visitas al hogar", "value": 78},
            {"label_en": "Doula program", "label_es": "Programa de doulas", "value": 85},
        ],
        chart_unit="%",
        questions=[accepted[0][0], accepted[2][0]],
    )
    services.publish_finding(finding, by=researcher)
    # A round that is still being prepared, for curators to try.
    if not Round.objects.filter(status=Round.Status.DRAFT).exists():
        services.create_round(
            by=None,
            title="Barriers deep dive (being prepared)",
            questions=[q for q, _p, _o in accepted if q.theme == "barriers"],
        )
