"""Demo data for systems, built through its services from the network's demo organizations.

A health system's coalition commitment with progress on the wall; services across the demo
states; two full learning paths, with the community health worker persona part-way through
one and certified in the other; and referrals across sectors at every status, most of them
in Oklahoma, where the clinician and the organization admin personas work.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.core.models import Sector
from kindred.network.models import Organization, OrganizationMembership
from kindred.network.services import create_organization
from kindred.places.services import lookup_zip
from kindred.systems import services
from kindred.systems.demo_learning import CONNECTING, FOUNDATIONS, build_path
from kindred.systems.models import (
    Commitment,
    Enrolment,
    Need,
    Referral,
    Service,
)

DOMAIN = "demo.kindred.test"

# Organization sector -> (service name pattern, needs, ages in months, languages)
SERVICE_PATTERNS = {
    "health-care": (
        "{org}: Perinatal Mental Health Clinic",
        ["perinatal-mental-health", "health-care"],
        (None, 12),
        ["en", "es"],
    ),
    "public-health": (
        "{org}: Healthy Start Navigation",
        ["food", "housing", "health-care"],
        (None, 24),
        ["en", "es"],
    ),
    "community-services": (
        "{org}: Family Resource Navigation",
        ["food", "housing", "transportation", "legal"],
        (None, None),
        ["en", "es"],
    ),
    "home-visiting": (
        "{org}: Home Visits for New Families",
        ["home-visiting", "relational-support"],
        (None, 36),
        ["en", "es"],
    ),
    "early-care-education": ("{org}: Infant and Toddler Care", ["child-care"], (6, 36), ["en"]),
    "mental-health": (
        "{org}: Infant and Early Childhood Mental Health",
        ["infant-mental-health", "relational-support"],
        (None, 60),
        ["en", "es"],
    ),
    "faith-communities": ("{org}: Parent Circle", ["parenting-groups"], (None, 60), ["en"]),
    "family-leadership": ("{org}: Parent Cafés", ["parenting-groups"], (None, 60), ["en", "es"]),
}


def _user(prefix: str) -> User | None:
    return User.objects.filter(email=f"{prefix}@{DOMAIN}").first()


def _needs() -> dict[str, Need]:
    return {n.slug: n for n in Need.objects.all()}


def seed(rng: random.Random, scale: str) -> None:
    if Service.objects.exists() or Commitment.objects.exists():
        return  # already seeded
    staff = _user("staff")
    if staff is None:
        return  # the accounts demo did not run
    with transaction.atomic():
        system, family_connections = _seed_personas_organizations(staff)
        _seed_services(rng, staff, system, family_connections)
        _seed_commitments(rng, staff, system, family_connections)
        _seed_learning(staff)
        _seed_referrals(rng, system, family_connections)


def _seed_personas_organizations(staff: User) -> tuple[Organization, Organization]:
    """The health system (the clinician administers it) next to the organization admin's
    Tulsa Family Connections, which the network demo created."""
    tulsa = lookup_zip("74104")
    system = create_organization(
        actor=None,
        name="Green Country Health System",
        zip_code=tulsa,
        description="A children's hospital and 14 pediatric clinics across northeast Oklahoma.",
        sectors=list(Sector.objects.filter(slug="health-care")),
        counties_served=[tulsa.county],
        make_admin=False,
    )
    clinician = _user("clinician")
    if clinician is not None:
        OrganizationMembership.objects.get_or_create(
            organization=system,
            user=clinician,
            defaults={
                "role": OrganizationMembership.Role.ADMIN,
                "title": "Medical director, primary care",
            },
        )
    family_connections = Organization.objects.filter(name="Tulsa Family Connections").first()
    if family_connections is None:
        family_connections = create_organization(
            actor=_user("orgadmin"),
            name="Tulsa Family Connections",
            zip_code=lookup_zip("74103"),
            sectors=list(Sector.objects.filter(slug__in=["home-visiting", "community-services"])),
            counties_served=[lookup_zip("74103").county],
        )
    chw = _user("chw")
    fresno = Organization.objects.filter(county__name="Fresno").order_by("pk").first()
    if chw is not None and fresno is not None:
        OrganizationMembership.objects.get_or_create(
            organization=fresno, user=chw, defaults={"title": "Promotora de salud"}
        )
        OrganizationMembership.objects.filter(organization=fresno).exclude(user=chw).update(
            role=OrganizationMembership.Role.MEMBER
        )
    return system, family_connections


def _service_for(rng, staff, organization: Organization, needs: dict[str, Need]) -> Service | None:
    slugs = list(organization.sectors.values_list("slug", flat=True))
    pattern = next((SERVICE_PATTERNS[s] for s in slugs if s in SERVICE_PATTERNS), None)
    if pattern is None or organization.county_id is None:
        return None
    name, need_slugs, (low, high), languages = pattern
    if organization.state and organization.state.usps in {"CA", "TX", "AZ", "NM", "FL"}:
        languages = sorted(set(languages) | {"es"})
    return services.create_service(
        actor=staff,
        organization=organization,
        name=name.format(org=organization.name)[:200],
        description=f"Offered by {organization.name} to families with babies and toddlers in "
        f"{organization.county.name}. Warm, judgment-free and confidential.",
        needs=[needs[s] for s in need_slugs],
        counties=[organization.county],
        languages=languages,
        min_age_months=low,
        max_age_months=high,
        cost=rng.choice(["free", "free", "sliding", "insurance"]),
        capacity=rng.choice(["accepting", "accepting", "accepting", "waitlist", "full"]),
        application_process="Send a referral through Kindred, or families can call us.",
        phone=f"555-01{rng.randint(10, 99)}",
        eligibility_description="Families living in our service area.",
    )


def _seed_services(rng, staff, system: Organization, family_connections: Organization) -> None:
    needs = _needs()
    tulsa = lookup_zip("74103")
    clinic = services.create_location(
        organization=system,
        name="Green Country Children's Clinic",
        zip_code=lookup_zip("74104"),
        address_1="1200 S Utica Ave",
    )
    services.create_service(
        actor=staff,
        organization=system,
        name="Perinatal Mental Health Program",
        description="Counseling and support groups for parents during pregnancy and the first "
        "year, with a psychiatrist on call for clinicians.",
        needs=[needs["perinatal-mental-health"], needs["safety"]],
        counties=[tulsa.county],
        languages=["en", "es"],
        min_age_months=None,
        max_age_months=12,
        cost="insurance",
        application_process="Referral from any clinician or program; families may self-refer.",
        locations=[clinic],
        phone="918-555-0142",
        schedules=[
            {
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "08:00",
                "closes_at": "17:00",
                "description": "Weekdays",
            }
        ],
    )
    center = services.create_location(
        organization=family_connections,
        name="Family Connections Center",
        zip_code=lookup_zip("74106"),
        address_1="210 N Greenwood Ave",
    )
    services.create_service(
        actor=staff,
        organization=family_connections,
        name="Family Connections Home Visits",
        description="Weekly home visits from pregnancy to age three: play, reading, feeding and "
        "a trusted person to talk to. In English, Spanish and Korean.",
        needs=[needs["home-visiting"], needs["relational-support"], needs["parenting-groups"]],
        counties=[tulsa.county],
        languages=["en", "es", "ko"],
        max_age_months=36,
        cost="free",
        application_process="Send a referral through Kindred.",
        locations=[center],
        phone="918-555-0177",
        schedules=[
            {
                "freq": "WEEKLY",
                "byday": "MO,WE,FR",
                "opens_at": "09:00",
                "closes_at": "18:00",
                "description": "Visits on Monday, Wednesday, Friday",
            }
        ],
    )
    for organization in (
        Organization.objects.filter(county__isnull=False)
        .exclude(pk__in=[system.pk, family_connections.pk])
        .select_related("county", "state")
        .order_by("pk")
    ):
        _service_for(rng, staff, organization, needs)


def _seed_commitments(rng, staff, system: Organization, family_connections: Organization) -> None:
    today = timezone.localdate()
    observe = services.create_commitment(
        actor=staff,
        organization=system,
        partners=[family_connections],
        kind="practice",
        title="Offer relational-health observation at the 2-, 4- and 6-month visits",
        description="Every family seen in our clinics is offered a strengths-based observation "
        "of play and connection, and a warm hand-off to home visiting when they want one.",
        milestones=[
            ("Train 120 clinicians and staff", today - timedelta(days=120)),
            ("Start in 5 pilot clinics", today - timedelta(days=45)),
            ("Offer it in all 14 clinics", today + timedelta(days=150)),
        ],
        target_date=today + timedelta(days=180),
        made_on=today - timedelta(days=200),
    )
    first, second, _third = observe.milestones.all()
    services.post_progress_update(
        commitment=observe,
        actor=staff,
        milestone=first,
        on=today - timedelta(days=110),
        body="118 clinicians, nurses and front-desk staff completed Relational Health Foundations.",
        evidence_url="https://greencountry.example.org/erh-training-report",
    )
    services.post_progress_update(
        commitment=observe,
        actor=staff,
        milestone=second,
        on=today - timedelta(days=40),
        body="Five clinics now offer observation at the 2-, 4- and 6-month visits; 61% of "
        "eligible families said yes in the first month.",
        evidence_url="https://greencountry.example.org/pilot-dashboard",
    )
    payer = create_organization(
        actor=None,
        name="Sooner Health Plan (demo)",
        zip_code=lookup_zip("73102"),
        description="A fictional Medicaid managed-care plan, for the demo.",
        sectors=list(Sector.objects.filter(slug="government")),
        make_admin=False,
    )
    doula = services.create_commitment(
        actor=staff,
        organization=payer,
        kind="payment",
        title="Reimburse doula care",
        milestones=[
            ("Set the rate with doulas", today - timedelta(days=300)),
            ("First claims paid", today - timedelta(days=200)),
        ],
        made_on=today - timedelta(days=400),
    )
    for milestone in doula.milestones.all():
        services.post_progress_update(
            commitment=doula,
            actor=staff,
            milestone=milestone,
            body=f"Done: {milestone.title}.",
            on=milestone.due_on,
        )
    services.post_progress_update(
        commitment=doula,
        actor=staff,
        status="kept",
        body="Doula care is a covered benefit for every member.",
    )
    services.create_commitment(
        actor=staff,
        organization=family_connections,
        kind="family_voice",
        title="Parents on our governing board",
        milestones=[("Two parent seats filled", today + timedelta(days=60))],
    )
    kinds = [k for k in Commitment.Kind.values if k != "family_voice"]
    titles = {
        "practice": "Screen for caregiver depression at every well-baby visit",
        "policy": "Paid family leave for all our staff",
        "payment": "Pay community health workers a living wage",
        "workforce": "Every home visitor trained in relational health",
        "data": "Track referrals until families are connected",
    }
    others = (
        Organization.objects.filter(state__isnull=False)
        .exclude(pk__in=[system.pk, family_connections.pk, payer.pk])
        .order_by("pk")
    )
    for organization in list(others)[:40:4]:
        kind = rng.choice(kinds)
        commitment = services.create_commitment(
            actor=staff,
            organization=organization,
            kind=kind,
            title=titles[kind],
            milestones=[
                ("Plan agreed", today - timedelta(days=rng.randint(30, 200))),
                ("In place", today + timedelta(days=rng.randint(30, 300))),
            ],
            made_on=today - timedelta(days=rng.randint(200, 400)),
        )
        if rng.random() < 0.6:
            services.post_progress_update(
                commitment=commitment,
                actor=staff,
                milestone=commitment.milestones.first(),
                body="The plan is agreed and shared with families.",
            )
        if rng.random() < 0.3:
            services.post_progress_update(
                commitment=commitment, actor=staff, status="kept", body="Kept, and here to stay."
            )


def _seed_learning(staff) -> None:
    foundations = build_path(FOUNDATIONS)
    connecting = build_path(CONNECTING)
    chw = _user("chw")
    if chw is None:
        return
    for path, passed, finish in ((connecting, 3, True), (foundations, 2, False)):
        enrolment = services.enrol_in_path(
            user=chw, path=path, pre_confidence={c.slug: 2 for c in path.competencies.all()}
        )
        for module in list(path.modules.all())[:passed]:
            answers = {q.pk: q.correct for q in module.questions.all()}
            services.submit_quiz(enrolment=enrolment, module=module, answers=answers)
        if finish:
            services.complete_path(
                enrolment=enrolment,
                post_confidence={c.slug: 4 for c in path.competencies.all()},
            )
    clinician = _user("clinician")
    if clinician is not None and not Enrolment.objects.filter(user=clinician).exists():
        services.enrol_in_path(
            user=clinician,
            path=foundations,
            pre_confidence={c.slug: 3 for c in foundations.competencies.all()},
        )


# (outcome moves after "sent", hours to each move)
PLANS = [
    ([], []),
    (["accepted"], [20]),
    (["accepted", "contacted"], [6, 30]),
    (["accepted", "contacted", "service_started"], [30, 50, 200]),
    (["accepted", "contacted", "service_started", "completed"], [12, 40, 120, 900]),
    (["accepted", "completed"], [3, 500]),
    (["declined"], [48]),
    (["accepted", "could_not_reach"], [10, 300]),
]
FIRST_NAMES = [
    "Ana",
    "J.",
    "Keisha",
    "María",
    "D.L.",
    "Grace",
    "Tomás",
    "Aaliyah",
    "Mei",
    "R.",
    "Luz",
    "Sam",
]


def _member(organization: Organization) -> User | None:
    membership = (
        OrganizationMembership.objects.filter(organization=organization)
        .order_by("-role", "pk")
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _refer(rng, sender, from_org, service, now, plan, *, site="") -> None:
    receiver = _member(service.organization)
    if sender is None or receiver is None:
        return
    moves, hours = plan
    started = now - timedelta(hours=sum(hours) + rng.randint(24, 400))
    referral = services.create_referral(
        created_by=sender,
        from_organization=from_org,
        service=service,
        subject_kind="family",
        subject_ref=f"demo-{rng.randint(10_000, 99_999)}",
        from_site_label=site,
        shared_info={
            "first_name": rng.choice(FIRST_NAMES),
            "language": rng.choice(["en", "es"]),
            "child_age_months": rng.randint(0, 30),
            "contact_method": "phone",
            "phone": f"918-555-{rng.randint(1000, 9999)}",
        },
        consent_to_share=True,
        urgency=rng.choice(["routine", "routine", "soon", "urgent"]),
        note="The family would love support with play and sleep.",
        now=started,
    )
    at = started
    for status, delay in zip(moves, hours, strict=True):
        at += timedelta(hours=delay)
        reason = (
            "Our waitlist is over three months; try the county program."
            if (status == "declined")
            else ""
        )
        services.move_referral(
            referral=referral, actor=receiver, status=status, reason=reason, now=min(at, now)
        )


def _seed_referrals(rng, system: Organization, family_connections: Organization) -> None:
    now = timezone.now()
    clinician, orgadmin = _user("clinician"), _user("orgadmin")
    home_visits = Service.objects.get(name="Family Connections Home Visits")
    mental_health = Service.objects.get(name="Perinatal Mental Health Program")
    for index in range(24):
        _refer(
            rng,
            clinician,
            system,
            home_visits,
            now,
            PLANS[index % len(PLANS)],
            site="Green Country Children's Clinic",
        )
    for index in range(8):
        _refer(
            rng, orgadmin, family_connections, mental_health, now, PLANS[(index * 3) % len(PLANS)]
        )
    # Waiting in Tulsa Family Connections' inbox: one fresh, one overdue.
    _refer(rng, clinician, system, home_visits, now, PLANS[0])
    overdue = Referral.objects.filter(service=home_visits, status="sent").order_by("created")
    assert overdue.exists()
    # Elsewhere: referrals between organizations of the same county.
    for service in (
        Service.objects.exclude(pk__in=[home_visits.pk, mental_health.pk])
        .select_related("organization")
        .order_by("pk")[:30]
    ):
        peer = (
            Organization.objects.filter(
                county_id=service.organization.county_id, memberships__isnull=False
            )
            .exclude(pk=service.organization_id)
            .distinct()
            .order_by("pk")
            .first()
        )
        if peer is not None:
            _refer(rng, _member(peer), peer, service, now, rng.choice(PLANS))
