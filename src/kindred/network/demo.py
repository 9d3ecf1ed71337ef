"""Demo members, organizations, communities, posts and connections.

``seed(rng, "small")`` builds a few hundred members through the services, as a person would
(fast enough for ``make run``). ``seed(rng, "large")`` adds 100,000 members, 10,000
organizations and 300,000 connections with ``bulk_create`` for the speed benchmarks; it is
deterministic from ``rng`` too. Partnerships are seeded by ``kindred.network.demo_partners``
(or whoever builds them) with the helpers at the end of this module:
``organization_ids_by_state()`` and ``bulk_insert()``.

Demo members other than the personas have no usable password: they cannot sign in.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from kindred.accounts.demo import PERSONAS
from kindred.accounts.models import User
from kindred.accounts.services import create_account
from kindred.core.models import Role, Sector, Topic
from kindred.network import services
from kindred.network.models import (
    Community,
    CommunityMembership,
    Connection,
    MemberProfile,
    Organization,
    OrganizationMembership,
    Post,
    SearchToken,
    Visibility,
)
from kindred.network.search import fold, search_words
from kindred.places.models import State, ZipCode
from kindred.places.services import lookup_zip

DEMO_DOMAIN = "demo.kindred.test"
LARGE = {"members": 100_000, "organizations": 10_000, "connections": 300_000}
BATCH = 5000


def _words(text: str) -> list[str]:
    return text.split()


FIRST_EN = _words(
    """Jasmine Ashley Brittany Keisha Emily Hannah Megan Sarah Olivia Ava Chloe Grace Taylor
Destiny Aaliyah Kayla Amber Nicole Rachel Lauren Michael James Marcus Tyrone David Daniel
Jordan Ethan Noah Caleb Andre Darnell Kevin Brian Justin Ryan Tyler Eric Aaron Samuel"""
)
FIRST_ES = _words(
    """María Guadalupe Rosa Ana Lucía Carmen Sofía Valentina Camila Ximena Daniela Paola
Alejandra Yesenia Marisol Esperanza Juan José Luis Carlos Miguel Jorge Alejandro Diego
Javier Fernando Ricardo Mateo Santiago Emilio"""
)
LAST_EN = _words(
    """Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson
Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green
Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker
Collins Edwards Nguyen Kim Patel Begay Yazzie Okafor Washington Freeman"""
)
LAST_ES = _words(
    """García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres
Flores Rivera Gómez Díaz Reyes Morales Cruz Ortiz Gutiérrez Chávez Ramos Ruiz Mendoza
Vásquez Castillo Jiménez Moreno Romero Herrera Medina"""
)

# Role slug -> (weight, sectors it usually works in)
ROLE_MIX = {
    "parent-caregiver": (34, ["family-leadership"]),
    "doula": (8, ["community-services", "health-care"]),
    "community-health-worker": (8, ["public-health", "community-services"]),
    "pediatric-clinician": (7, ["health-care"]),
    "nurse": (5, ["health-care", "public-health"]),
    "home-visitor": (7, ["home-visiting"]),
    "early-educator": (8, ["early-care-education"]),
    "infant-family-mental-health": (5, ["mental-health"]),
    "community-leader": (6, ["faith-communities", "community-services"]),
    "policymaker": (4, ["government"]),
    "researcher": (4, ["research-academia"]),
    "funder": (2, ["philanthropy"]),
}

# name, level, ZIP in the area, (optional) parent local community name
LOCAL_COMMUNITIES = [
    ("Tulsa County Families", "county", "74103", None),
    ("North Tulsa Parents Circle", "neighborhood", "74106", "Tulsa County Families"),
    ("Oklahoma County Baby Network", "county", "73102", None),
    ("Cook County Early Relational Health", "county", "60614", None),
    ("South Side Chicago Families", "neighborhood", "60637", "Cook County Early Relational Health"),
    ("Bronx Babies Collaborative", "county", "10451", None),
    ("Fresno County Familias Unidas", "county", "93721", None),
    ("Los Angeles First 5 Connections", "county", "90012", None),
    ("Maricopa County Early Connections", "county", "85004", None),
    ("Houston Baby Bonds", "city", "77002", None),
    ("Miami-Dade Familias", "county", "33130", None),
    ("King County Relational Health", "county", "98101", None),
    ("Detroit Parent Network", "city", "48201", None),
    ("New Orleans Families Together", "city", "70112", None),
    ("Philadelphia Baby Circle", "city", "19107", None),
    ("Atlanta Early Connections", "city", "30303", None),
    ("Denver Families First", "city", "80202", None),
    ("Hennepin County Baby Network", "county", "55401", None),
    ("Louisville Little Ones", "city", "40202", None),
    ("Albuquerque Familias", "city", "87102", None),
    ("Cleveland Families Rising", "city", "44113", None),
    ("Memphis Baby Village", "city", "38103", None),
    ("Portland Parents Together", "city", "97204", None),
    ("Baltimore Baby Bonds", "city", "21201", None),
]

TOPIC_COMMUNITIES = [
    ("Doulas for Every Family", "perinatal-mental-health"),
    ("Dads and Co-parents Connect", "father-coparent-involvement"),
    ("Read, Play, Sing", "play-reading"),
]

ORG_PATTERNS = [
    ("{place} Family Resource Center", ["community-services", "family-leadership"]),
    ("{place} Doula Collective", ["community-services", "health-care"]),
    ("{place} Pediatrics", ["health-care"]),
    ("Healthy Start {place}", ["public-health"]),
    ("{place} Home Visiting Partnership", ["home-visiting"]),
    ("{place} Early Learning Center", ["early-care-education"]),
    ("{place} Infant Mental Health Alliance", ["mental-health"]),
    ("{place} Community Health Workers Network", ["public-health", "community-services"]),
    ("{place} Interfaith Family Ministry", ["faith-communities"]),
    ("{place} Children's Foundation", ["philanthropy"]),
]

POSTS = [
    (
        "announcement",
        "Welcome, new neighbors!",
        "This month we welcomed new families and partners. Say hello at our next gathering.",
    ),
    (
        "announcement",
        "Baby and me playgroup this Saturday",
        "Bring your little one for songs, stories and snacks. Interpreters in Spanish on site.",
    ),
    (
        "discussion",
        "Where do you find diapers when money is tight?",
        "Sharing what has worked for us: the diaper bank at the library, and the church on 5th.",
    ),
    (
        "discussion",
        "¿Alguien conoce una doula que hable español?",
        "Estoy embarazada de mi segundo bebé y me gustaría encontrar apoyo en español.",
    ),
    (
        "discussion",
        "Ideas for reading with toddlers who won't sit still",
        "My two-year-old wants to run, not read. What has worked for your family?",
    ),
]

# People the demo stories need: a doula and a CHW near the Tulsa parent, a home visitor in
# the Bronx. (name, ZIP, role, sectors, languages)
STORY_MEMBERS = [
    ("Lucía Morales", "74105", "doula", ["community-services"], ["es", "en"]),
    ("Keisha Freeman", "74127", "doula", ["health-care"], ["en"]),
    ("Andre Washington", "74110", "community-health-worker", ["public-health"], ["en"]),
    ("Yesenia Cruz", "10456", "home-visitor", ["home-visiting"], ["es", "en"]),
]

# Personas: email prefix -> profile (ZIP, roles, sectors, topics, languages, public?)
PERSONA_PROFILES = {
    "staff": ("20001", ["community-leader"], ["government"], ["early-relational-health"], ["en"]),
    "clinician": (
        "74104",
        ["pediatric-clinician"],
        ["health-care"],
        ["early-relational-health", "responsive-caregiving"],
        ["en", "es"],
    ),
    "chw": (
        "93721",
        ["community-health-worker"],
        ["public-health"],
        ["health-equity", "infant-feeding"],
        ["es", "en"],
    ),
    "parent": ("74106", ["parent-caregiver"], [], ["play-reading", "child-care"], ["en"]),
    "researcher": (
        "60637",
        ["researcher"],
        ["research-academia"],
        ["early-relational-health", "positive-childhood-experiences"],
        ["en"],
    ),
    "advocate": (
        "73102",
        ["policymaker", "community-leader"],
        ["government"],
        ["paid-family-leave", "child-care"],
        ["en"],
    ),
    "orgadmin": (
        "74103",
        ["home-visitor"],
        ["home-visiting"],
        ["home-visiting", "responsive-caregiving"],
        ["en", "ko"],
    ),
}


class _Vocab:
    def __init__(self):
        self.roles = {r.slug: r for r in Role.objects.all()}
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        self.topics = list(Topic.objects.all())
        self.topics_by_slug = {t.slug: t for t in self.topics}
        weights = [(slug, w) for slug, (w, _s) in ROLE_MIX.items() if slug in self.roles]
        self.role_slugs = [slug for slug, _w in weights]
        self.role_weights = [w for _slug, w in weights]

    def pick_role(self, rng: random.Random) -> str:
        return rng.choices(self.role_slugs, self.role_weights)[0]

    def sectors_for(self, role_slug: str, rng: random.Random) -> list[Sector]:
        options = [self.sectors[s] for s in ROLE_MIX[role_slug][1] if s in self.sectors]
        return rng.sample(options, k=min(len(options), rng.choice([1, 1, 2])))


def _name(rng: random.Random) -> tuple[str, bool]:
    spanish = rng.random() < 0.3
    first = rng.choice(FIRST_ES if spanish else FIRST_EN)
    last = rng.choice(LAST_ES if spanish or rng.random() < 0.1 else LAST_EN)
    return f"{first} {last}", spanish


def _email(name: str, n: int, domain: str = DEMO_DOMAIN) -> str:
    local = slugify(fold(name)).replace("-", ".")
    return f"{local}.{n}@{domain}"


def _visibility(rng: random.Random) -> str:
    return rng.choices([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.HIDDEN], [5, 4, 1])[0]


def _zips_by_state() -> dict[str, list[str]]:
    by_state: dict[str, list[str]] = defaultdict(list)
    rows = ZipCode.objects.filter(state__is_territory=False, latitude__isnull=False)
    for code, state_id in rows.order_by("code").values_list("code", "state_id"):
        by_state[state_id].append(code)
    return by_state


# --- Small scale, through the services ------------------------------------------------------


def seed(rng: random.Random, scale: str) -> None:
    """Small data once; the large additions once more when asked (each step idempotent)."""
    if not Community.objects.filter(level=Community.Level.NATIONAL).exists():
        with transaction.atomic():
            _seed_small(rng)
    large_done = User.objects.filter(email__endswith="@large." + DEMO_DOMAIN).exists()
    if scale == "large" and not large_done:
        seed_large(rng)
    from kindred.network.demo_partners import seed_partnerships  # partnerships' own helper

    seed_partnerships(rng, scale)


def _seed_small(rng: random.Random) -> None:
    vocab = _Vocab()
    staff = User.objects.filter(email=f"staff@{DEMO_DOMAIN}").first()
    national = services.create_community(
        actor=staff,
        name="Kindred National Network",
        level=Community.Level.NATIONAL,
        description="Everyone in the Early Relational Health movement, in every state.",
    )
    hubs = {}
    for state in State.objects.filter(is_territory=False).order_by("name"):
        hubs[state.fips] = services.create_community(
            actor=None,
            name=f"{state.name} ERH Network",
            level=Community.Level.STATE,
            state=state,
            description=f"The statewide hub for families and partners across {state.name}.",
            parents=[national],
        )
    locals_by_name: dict[str, Community] = {}
    for name, level, zip_code, parent in LOCAL_COMMUNITIES:
        place = lookup_zip(zip_code)
        questions = ""
        if rng.random() < 0.25:
            questions = "What brings you to this community?\nWhich neighborhood are you in?"
        locals_by_name[name] = services.create_community(
            actor=None,
            name=name,
            level=level,
            county=place.county,
            state=place.state,
            description=f"Families, caregivers and partners in and around {place.city}.",
            join_policy=Community.JoinPolicy.QUESTIONS if questions else "open",
            join_questions=questions,
            parents=[locals_by_name[parent]] if parent else [hubs[place.state_id]],
        )
    topic_communities = [
        services.create_community(
            actor=None,
            name=name,
            level=Community.Level.TOPIC,
            topic=vocab.topics_by_slug.get(slug),
            description="A place to learn from each other across the country.",
            parents=[national],
        )
        for name, slug in TOPIC_COMMUNITIES
    ]
    locals_by_name["Tulsa County Families"].peers.add(
        locals_by_name["Oklahoma County Baby Network"]
    )
    locals_by_name["Bronx Babies Collaborative"].peers.add(
        locals_by_name["Cook County Early Relational Health"]
    )

    organizations = _seed_organizations(rng, vocab)
    members = _seed_members(rng, vocab, organizations)
    personas = _seed_personas(vocab, organizations)
    everyone = members + personas
    _seed_memberships(
        rng, everyone, national, hubs, list(locals_by_name.values()), topic_communities, staff
    )
    _seed_posts(rng, list(locals_by_name.values()) + [national])
    _seed_connections(rng, members, personas)
    _spread_join_dates(rng, everyone)


def _seed_organizations(rng: random.Random, vocab: _Vocab) -> list[Organization]:
    """About 60 organizations: a handful in each local community's county, and statewide
    ones elsewhere."""
    organizations = []
    places = [lookup_zip(z) for _n, _l, z, _p in LOCAL_COMMUNITIES]
    for place in places:
        for pattern, sector_slugs in rng.sample(ORG_PATTERNS, k=2):
            organizations.append(
                services.create_organization(
                    actor=None,
                    name=pattern.format(place=place.city),
                    zip_code=place,
                    description="Serving babies, toddlers and their families since "
                    f"{rng.randint(1975, 2021)}.",
                    sectors=[vocab.sectors[s] for s in sector_slugs if s in vocab.sectors],
                    counties_served=[place.county],
                )
            )
    zips = _zips_by_state()
    for state in State.objects.filter(is_territory=False).order_by("name")[:12]:
        codes = zips.get(state.fips)
        if not codes:
            continue
        pattern, sector_slugs = rng.choice(ORG_PATTERNS)
        organizations.append(
            services.create_organization(
                actor=None,
                name=pattern.format(place=state.name),
                zip_code=lookup_zip(rng.choice(codes)),
                sectors=[vocab.sectors[s] for s in sector_slugs if s in vocab.sectors],
                states_served=[state],
            )
        )
    for organization in rng.sample(organizations, k=len(organizations) // 2):
        Organization.objects.filter(pk=organization.pk).update(is_verified=True)
    return organizations


def _seed_members(
    rng: random.Random, vocab: _Vocab, organizations: list[Organization]
) -> list[MemberProfile]:
    """~300 members: six near each local community, three in every other state."""
    zips = _zips_by_state()
    homes = [(z, 6) for _n, _l, z, _p in LOCAL_COMMUNITIES]
    plan: list[str] = []
    for zip_code, count in homes:
        plan += [zip_code] * count
    for state_fips in sorted(zips):
        plan += [rng.choice(zips[state_fips]) for _ in range(3)]
    orgs_by_county = defaultdict(list)
    for organization in organizations:
        orgs_by_county[organization.county_id].append(organization)
    languages = ["vi", "zh", "ar", "ht", "so", "nv", "tl"]
    members = []
    for n, (name, zip_code, role_slug, sector_slugs, spoken) in enumerate(STORY_MEMBERS):
        user = create_account(_email(name, 900 + n), None, name=name, verified=True)
        members.append(
            services.join_network(
                user=user,
                name=name,
                roles=[vocab.roles[role_slug]],
                sectors=[vocab.sectors[s] for s in sector_slugs],
                zip_code=lookup_zip(zip_code),
                topics=rng.sample(vocab.topics, k=2),
                languages=spoken,
                contact_methods=["in_app", "text"],
                listed_in_directory=True,
                visibility=Visibility.PUBLIC,
            )
        )
    for n, zip_code in enumerate(plan):
        name, spanish = _name(rng)
        role_slug = vocab.pick_role(rng)
        roles = [vocab.roles[role_slug]]
        if role_slug != "parent-caregiver" and rng.random() < 0.3:
            roles.append(vocab.roles["parent-caregiver"])
        place = lookup_zip(zip_code)
        spoken = ["es", "en"] if spanish else ["en"]
        if rng.random() < 0.08:
            spoken.append(rng.choice(languages))
        user = create_account(
            _email(name, n),
            None,
            name=name,
            verified=True,
            language="es" if spanish and rng.random() < 0.6 else "en",
        )
        nearby = orgs_by_county.get(place.county_id, [])
        organization = None
        if role_slug != "parent-caregiver" and nearby and rng.random() < 0.7:
            organization = rng.choice(nearby)
        members.append(
            services.join_network(
                user=user,
                name=name,
                roles=roles,
                sectors=vocab.sectors_for(role_slug, rng),
                zip_code=place,
                organization=organization,
                title=rng.choice(["", "Coordinator", "Program manager", "Outreach lead"])
                if organization
                else "",
                topics=rng.sample(vocab.topics, k=rng.randint(1, 3)),
                languages=spoken,
                contact_methods=rng.sample(["email", "in_app", "text", "phone"], k=2),
                listed_in_directory=rng.random() < 0.85,
                visibility=_visibility(rng),
            )
        )
    return members


def _seed_personas(vocab: _Vocab, organizations: list[Organization]) -> list[MemberProfile]:
    profiles = []
    for email, name, _what in PERSONAS:
        user = User.objects.filter(email=email).first()
        key = email.split("@")[0]
        if user is None or key not in PERSONA_PROFILES or hasattr(user, "profile"):
            continue
        zip_code, roles, sectors, topics, spoken = PERSONA_PROFILES[key]
        profiles.append(
            services.join_network(
                user=user,
                name=name,
                roles=[vocab.roles[r] for r in roles if r in vocab.roles],
                sectors=[vocab.sectors[s] for s in sectors if s in vocab.sectors],
                zip_code=lookup_zip(zip_code),
                topics=[vocab.topics_by_slug[t] for t in topics if t in vocab.topics_by_slug],
                languages=spoken,
                contact_methods=["email", "in_app"],
                listed_in_directory=True,
                visibility=Visibility.PUBLIC if key != "parent" else Visibility.MEMBERS,
            )
        )
    orgadmin = User.objects.filter(email=f"orgadmin@{DEMO_DOMAIN}").first()
    if orgadmin is not None:
        organization = services.create_organization(
            actor=orgadmin,
            name="Tulsa Family Connections",
            zip_code=lookup_zip("74103"),
            description="Home visiting and parent groups for Tulsa families, in English, "
            "Spanish and Korean.",
            sectors=[vocab.sectors[s] for s in ("home-visiting", "community-services")],
            counties_served=[lookup_zip("74103").county],
        )
        OrganizationMembership.objects.filter(organization=organization, user=orgadmin).update(
            title="Executive director"
        )
        clinician = User.objects.filter(email=f"clinician@{DEMO_DOMAIN}").first()
        if clinician is not None:
            OrganizationMembership.objects.create(
                organization=organization, user=clinician, title="Consulting pediatrician"
            )
        for profile in profiles:
            services.refresh_search_text(profile)
    return profiles


def _join(community: Community, user: User, *, role: str = "member") -> None:
    CommunityMembership.objects.get_or_create(
        community=community,
        user=user,
        defaults={
            "role": role,
            "status": CommunityMembership.Status.ACTIVE,
            "joined_at": timezone.now(),
        },
    )


def _seed_memberships(rng, members, national, hubs, local_communities, topics, staff) -> None:
    locals_by_county = defaultdict(list)
    for community in local_communities:
        locals_by_county[community.county_id].append(community)
    organizers: dict[int, int] = defaultdict(int)
    for profile in members:
        user = profile.user
        if not national.memberships.filter(user=user).exists():
            services.join_community(community=national, user=user)
        hub = hubs.get(profile.state_id)
        for community in ([hub] if hub else []) + locals_by_county.get(profile.county_id, []):
            first = organizers[community.pk] == 0
            organizers[community.pk] += 1
            _join(community, user, role="organizer" if first else "member")
        topic = rng.choice(topics)
        if rng.random() < 0.15 and not topic.memberships.filter(user=user).exists():
            services.join_community(community=topic, user=user)
    for community in topics:
        if not community.memberships.filter(role="organizer").exists():
            first = community.memberships.order_by("id").first()
            if first:
                first.role = CommunityMembership.Role.ORGANIZER
                first.save(update_fields=["role"])
    _persona_roles(local_communities, hubs)
    # A few people waiting for a welcome in communities that ask questions.
    asking = [c for c in local_communities if c.join_policy == Community.JoinPolicy.QUESTIONS]
    outsiders = [p for p in members if not p.county_id or p.county_id not in locals_by_county]
    for community in asking:
        for profile in rng.sample(outsiders, k=2):
            if not community.memberships.filter(user=profile.user).exists():
                services.join_community(
                    community=community,
                    user=profile.user,
                    answers="I am moving here with my family and want to meet people.",
                )


def _persona_roles(local_communities, hubs) -> None:
    by_name = {c.name: c for c in local_communities}
    plan = {
        "orgadmin": [(by_name["Tulsa County Families"], "organizer")],
        "parent": [
            (by_name["Tulsa County Families"], "member"),
            (by_name["North Tulsa Parents Circle"], "member"),
        ],
        "clinician": [(by_name["Tulsa County Families"], "member")],
        "chw": [(by_name["Fresno County Familias Unidas"], "organizer")],
        "researcher": [(by_name["Cook County Early Relational Health"], "member")],
        "advocate": [(hubs["40"], "organizer")],
        "staff": [],
    }
    for key, places in plan.items():
        user = User.objects.filter(email=f"{key}@{DEMO_DOMAIN}").first()
        if user is None:
            continue
        for community, role in places:
            CommunityMembership.objects.update_or_create(
                community=community,
                user=user,
                defaults={
                    "role": role,
                    "status": CommunityMembership.Status.ACTIVE,
                    "joined_at": timezone.now(),
                },
            )
    staff = User.objects.filter(email=f"staff@{DEMO_DOMAIN}").first()
    if staff is not None:
        for hub in hubs.values():
            if not hub.memberships.filter(role=CommunityMembership.Role.ORGANIZER).exists():
                _join(hub, staff, role="organizer")


def _seed_posts(rng: random.Random, communities: list[Community]) -> None:
    for community in communities:
        organizer = community.memberships.filter(
            role=CommunityMembership.Role.ORGANIZER, status=CommunityMembership.Status.ACTIVE
        ).first()
        members = list(community.memberships.filter(status=CommunityMembership.Status.ACTIVE)[:20])
        for kind, title, body in rng.sample(POSTS, k=3):
            author = organizer.user if organizer and kind == "announcement" else None
            if author is None and members:
                author = rng.choice(members).user
                kind = Post.Kind.DISCUSSION
            if author is not None:
                services.create_post(
                    community=community, author=author, kind=kind, title=title, body=body
                )


def _seed_connections(rng, members, personas) -> None:
    """About two requests per member, mostly within their state; most are accepted."""
    by_state = defaultdict(list)
    for profile in members:
        by_state[profile.state_id].append(profile)
    everyone = members
    for profile in members:
        for _ in range(2):
            pool = by_state[profile.state_id] if rng.random() < 0.7 else everyone
            other = rng.choice(pool)
            _connect(rng, profile.user, other.user)
    personas_by_key = {p.user.email.split("@")[0]: p for p in personas}
    pairs = [
        ("parent", "orgadmin", True),
        ("clinician", "orgadmin", True),
        ("chw", "parent", False),
        ("researcher", "advocate", True),
        ("advocate", "staff", True),
        ("clinician", "chw", True),
    ]
    for first, second, accept in pairs:
        if first in personas_by_key and second in personas_by_key:
            _connect(
                rng,
                personas_by_key[first].user,
                personas_by_key[second].user,
                outcome="accept" if accept else "pending",
            )
    tulsa = [p for p in members if p.county_id == "40143"]
    for key in ("parent", "clinician"):
        if key in personas_by_key:
            for profile in tulsa[:4]:
                _connect(rng, profile.user, personas_by_key[key].user, outcome="pending")


def _connect(rng, first: User, second: User, *, outcome: str = "") -> None:
    try:
        connection = services.send_connection_request(
            from_user=first, to_user=second, note="Hello! I would love to connect."
        )
    except services.NetworkError:
        return
    outcome = outcome or rng.choices(["accept", "pending", "decline"], [7, 2, 1])[0]
    if connection.status == Connection.Status.PENDING and outcome != "pending":
        services.respond_to_connection(
            connection=connection, user=second, accept=outcome == "accept"
        )


def _spread_join_dates(rng: random.Random, profiles: list[MemberProfile]) -> None:
    """Members joined over the last three years, more of them recently (growth charts)."""
    now = timezone.now()
    for profile in profiles:
        days = int(1095 * (rng.random() ** 1.6))
        created = now - timedelta(days=days, minutes=rng.randint(0, 1440))
        MemberProfile.objects.filter(pk=profile.pk).update(created=created)
        User.objects.filter(pk=profile.user_id).update(date_joined=created)


# --- Large scale, in bulk --------------------------------------------------------------------


def bulk_insert(model, objects, *, batch_size: int = BATCH) -> list:
    """``bulk_create`` in batches; returns the saved objects (with primary keys)."""
    saved = []
    for start in range(0, len(objects), batch_size):
        saved += model.objects.bulk_create(objects[start : start + batch_size])
    return saved


def organization_ids_by_state() -> dict[str, list[int]]:
    """State FIPS -> ids of organizations based there (for seeding partnerships)."""
    result: dict[str, list[int]] = defaultdict(list)
    rows = Organization.objects.filter(state__isnull=False).order_by("pk")
    for pk, state_id in rows.values_list("pk", "state_id"):
        result[state_id].append(pk)
    return dict(result)


def seed_large(rng: random.Random) -> None:
    """Add LARGE["members"] members, LARGE["organizations"] organizations and
    LARGE["connections"] connections (deterministic from ``rng``)."""
    vocab = _Vocab()
    zips = list(
        ZipCode.objects.filter(state__is_territory=False, latitude__isnull=False)
        .order_by("code")
        .values_list("code", "state_id", "county_id", "city")
    )
    now = timezone.now()
    with transaction.atomic():
        organizations = _bulk_organizations(rng, vocab, zips, now)
        profiles = _bulk_members(rng, vocab, zips, now)
        _bulk_affiliations(rng, profiles, organizations)
        _bulk_community_memberships(profiles, now)
        _bulk_connections(rng, profiles, now)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _bulk_organizations(rng, vocab, zips, now) -> list[Organization]:
    taken = set(Organization.objects.values_list("slug", flat=True))
    objects = []
    sectors = []
    for n in range(LARGE["organizations"]):
        code, state_id, county_id, city = rng.choice(zips)
        pattern, sector_slugs = rng.choice(ORG_PATTERNS)
        name = pattern.format(place=city or "Community")
        slug = f"{slugify(name)[:200]}-{n}"
        if slug in taken:
            continue
        objects.append(
            Organization(
                name=name,
                slug=slug,
                zip_code_id=code,
                county_id=county_id,
                state_id=state_id,
                is_verified=rng.random() < 0.4,
                created=now,
                updated=now,
            )
        )
        sectors.append([vocab.sectors[s] for s in sector_slugs if s in vocab.sectors])
    saved = bulk_insert(Organization, objects)
    through = Organization.sectors.through
    bulk_insert(
        through,
        [
            through(organization_id=org.pk, sector_id=sector.pk)
            for org, chosen in zip(saved, sectors, strict=True)
            for sector in chosen
        ],
    )
    return saved


def _bulk_members(rng, vocab, zips, now) -> list[MemberProfile]:
    start = User.objects.count()
    users = []
    rows = []
    for n in range(LARGE["members"]):
        name, spanish = _name(rng)
        code, state_id, county_id, city = rng.choice(zips)
        users.append(
            User(
                email=_email(name, start + n, "large." + DEMO_DOMAIN),
                name=name,
                password="!",  # unusable: demo members cannot sign in
                language="es" if spanish else "en",
                date_joined=now - timedelta(days=int(1095 * (rng.random() ** 1.6))),
            )
        )
        role_slug = vocab.pick_role(rng)
        rows.append((name, spanish, code, state_id, county_id, city, role_slug))
    users = bulk_insert(User, users)
    profiles = []
    for user, (name, _sp, code, state_id, county_id, _city, _role) in zip(users, rows, strict=True):
        profiles.append(
            MemberProfile(
                user_id=user.pk,
                display_name=name,
                zip_code_id=code,
                county_id=county_id,
                state_id=state_id,
                visibility=_visibility(rng),
                listed_in_directory=rng.random() < 0.85,
                contact_methods=["email"],
                accepted_terms_at=user.date_joined,
            )
        )
    profiles = bulk_insert(MemberProfile, profiles)
    # auto_now_add overwrote "created"; put the join dates back for growth charts.
    for profile, user in zip(profiles, users, strict=True):
        profile.created = user.date_joined
        profile.user = user
    for start_at in range(0, len(profiles), BATCH):
        MemberProfile.objects.bulk_update(profiles[start_at : start_at + BATCH], ["created"])
    tokens = [
        SearchToken(profile_id=profile.pk, token=word)
        for profile, row in zip(profiles, rows, strict=True)
        for word in search_words(f"{row[0]} {row[5]}")
    ]
    bulk_insert(SearchToken, tokens)
    role_rows, sector_rows, topic_rows, language_rows = [], [], [], []
    for profile, (_n, spanish, *_rest, role_slug) in zip(profiles, rows, strict=True):
        role_rows.append((profile.pk, vocab.roles[role_slug].pk))
        for sector in vocab.sectors_for(role_slug, rng):
            sector_rows.append((profile.pk, sector.pk))
        for topic in rng.sample(vocab.topics, k=rng.randint(1, 3)):
            topic_rows.append((profile.pk, topic.pk))
        language_rows.append((profile.pk, "en"))
        if spanish:
            language_rows.append((profile.pk, "es"))
    for field, pairs, column in (
        ("roles", role_rows, "role_id"),
        ("sectors", sector_rows, "sector_id"),
        ("topics", topic_rows, "topic_id"),
        ("languages", language_rows, "language_id"),
    ):
        through = getattr(MemberProfile, field).through
        bulk_insert(through, [through(memberprofile_id=p, **{column: v}) for p, v in pairs])
    return profiles


def _bulk_affiliations(rng, profiles, organizations) -> None:
    by_county = defaultdict(list)
    by_state = defaultdict(list)
    for organization in organizations:
        by_county[organization.county_id].append(organization.pk)
        by_state[organization.state_id].append(organization.pk)
    rows = []
    for profile in profiles:
        if rng.random() > 0.4:
            continue
        pool = by_county.get(profile.county_id) or by_state.get(profile.state_id)
        if pool:
            rows.append(
                OrganizationMembership(
                    organization_id=rng.choice(pool), user_id=profile.user_id, title=""
                )
            )
    bulk_insert(OrganizationMembership, rows)


def _bulk_community_memberships(profiles, now) -> None:
    national = Community.objects.get(level=Community.Level.NATIONAL)
    hubs = dict(Community.objects.filter(level=Community.Level.STATE).values_list("state_id", "pk"))
    rows = []
    for profile in profiles:
        rows.append(
            CommunityMembership(
                community_id=national.pk,
                user_id=profile.user_id,
                status="active",
                joined_at=now,
            )
        )
        if profile.state_id in hubs:
            rows.append(
                CommunityMembership(
                    community_id=hubs[profile.state_id],
                    user_id=profile.user_id,
                    status="active",
                    joined_at=now,
                )
            )
    bulk_insert(CommunityMembership, rows)


def _bulk_connections(rng, profiles, now) -> None:
    by_state = defaultdict(list)
    for profile in profiles:
        by_state[profile.state_id].append(profile.user_id)
    users = [p.user_id for p in profiles]
    states = [p.state_id for p in profiles]
    seen: set[tuple[int, int]] = set()
    rows = []
    statuses = ["accepted", "pending", "declined"]
    while len(rows) < LARGE["connections"]:
        i = rng.randrange(len(users))
        first = users[i]
        pool = by_state[states[i]] if rng.random() < 0.8 else users
        second = rng.choice(pool)
        key = (min(first, second), max(first, second))
        if first == second or key in seen:
            continue
        seen.add(key)
        status = rng.choices(statuses, [8, 1.5, 0.5])[0]
        rows.append(
            Connection(
                from_user_id=first,
                to_user_id=second,
                status=status,
                responded_at=now if status != "pending" else None,
            )
        )
    bulk_insert(Connection, rows)
