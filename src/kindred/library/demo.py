"""Demo data for the library, written by this code from ``demo_text`` (deterministic from
``rng``): 240 resources in English and Spanish (each with its translation), stories with
consent choices, campaigns with attributed reach over time, events with RSVPs, and
newsletter subscribers. ``seed(rng, "large")`` adds 50,000 resources for the search bench.

Everything goes through the services, with notifications turned off so that seeding does not
queue thousands of emails. Past events get their RSVPs directly (the service refuses RSVPs to
events that are over, as it should).
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify

from kindred.accounts.models import User
from kindred.core.models import Topic
from kindred.library import demo_text as text
from kindred.library import services
from kindred.library.models import (
    RSVP,
    Campaign,
    CampaignActivity,
    Event,
    NewsletterIssue,
    Resource,
    Subscriber,
)
from kindred.network.models import Community, CommunityMembership

DEMO_DOMAIN = "demo.kindred.test"
RESOURCE_CONCEPTS = 120  # each in English and Spanish
LARGE_RESOURCES = 50_000
TYPES = list(text.TITLES)
TYPE_WEIGHTS = [5, 2, 4, 3, 2, 2, 2]
STATE_ZONES = {
    "AZ": "America/Phoenix",
    "CA": "America/Los_Angeles",
    "CO": "America/Denver",
    "IL": "America/Chicago",
    "LA": "America/Chicago",
    "MN": "America/Chicago",
    "NM": "America/Denver",
    "OK": "America/Chicago",
    "OR": "America/Los_Angeles",
    "TN": "America/Chicago",
    "TX": "America/Chicago",
    "WA": "America/Los_Angeles",
}
FIRST_NAMES = [
    "Ana",
    "Keisha",
    "Mei",
    "Lucía",
    "Fatima",
    "Grace",
    "Rosa",
    "Tanya",
    "Luis",
    "DeShawn",
    "Marcus",
    "Sofía",
    "Aaliyah",
    "Carmen",
    "Nadia",
    "Jamal",
]
LAST_NAMES = [
    "García",
    "Johnson",
    "Nguyen",
    "Hernández",
    "Brown",
    "Lopez",
    "Williams",
    "Ramírez",
    "Davis",
    "Martínez",
    "Okafor",
    "Chen",
]


def seed(rng: random.Random, scale: str) -> None:
    if Resource.objects.filter(source__in=text.SOURCES).count() < 2 * RESOURCE_CONCEPTS:
        people = _people()
        topics = {topic.slug: topic for topic in Topic.objects.active()}
        resources = _seed_resources(rng, topics, people)
        _seed_stories(rng, topics, people)
        communities = _communities()
        _seed_events(rng, topics, communities, people)
        _seed_campaigns(rng, topics, communities, people, resources)
        _seed_newsletter(rng, topics, people)
    if scale == "large":
        seed_large_library(rng)  # tops up to 50,000, so it can run after a small seed


def _people() -> dict[str, User]:
    users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    return {user.email.split("@")[0]: user for user in users}


def _communities() -> dict[str, Community]:
    return {community.name: community for community in Community.objects.active()}


# --- Resources ------------------------------------------------------------------------------


def compose_resource(rng: random.Random, topic_slug: str, type_: str, language: str, pick: dict):
    """Title, summary and Markdown body for one resource. ``pick`` holds the random choices
    shared by a resource and its translation, so both say the same thing."""
    subject_en, subject_es, opening_en, opening_es, tips = text.TOPICS[topic_slug]
    es = language == "es"
    subject = subject_es if es else subject_en
    shapes = text.TITLES[type_][1 if es else 0]
    title = shapes[pick["shape"] % len(shapes)].format(
        subject=subject, Subject=subject[:1].upper() + subject[1:]
    )
    title = title[:1].upper() + title[1:]
    if pick["angle"] is not None:
        title = f"{title} {text.ANGLES[pick['angle']][1 if es else 0]}"
    chosen = [tips[i][1 if es else 0] for i in pick["tips"]]
    opening = opening_es if es else opening_en
    heading_ideas, heading_why = (h[1 if es else 0] for h in text.HEADINGS)
    parts = [opening, heading_ideas, "\n".join(f"- {tip}" for tip in chosen)]
    if type_ == "conversation_guide":
        parts.append(text.CONVERSATION[1 if es else 0])
    if type_ in {"research_brief", "policy_brief", "fact_sheet"}:
        parts += [heading_why, text.WHY[1 if es else 0]]
    parts.append(text.CLOSING[1 if es else 0])
    summary = f"{opening.split('. ')[0].rstrip('.')}. {chosen[0]}"
    return title, summary, "\n\n".join(parts)


def _pick(rng: random.Random, topic_slug: str) -> dict:
    tips = text.TOPICS[topic_slug][4]
    angle = rng.randrange(len(text.ANGLES)) if rng.random() < 0.75 else None
    return {"shape": rng.randrange(6), "tips": rng.sample(range(len(tips)), 3), "angle": angle}


def _audiences(rng: random.Random, type_: str) -> list[str]:
    options = text.AUDIENCES[type_]
    return [options[0], *rng.sample(options[1:], rng.randint(0, len(options) - 1))]


def _seed_resources(rng, topics, people) -> list[Resource]:
    slugs = [slug for slug in text.TOPICS if slug in topics]
    authors = [people.get(key) for key in ("clinician", "chw", "parent", "researcher", "staff")]
    now = timezone.now()
    english = []
    for number in range(RESOURCE_CONCEPTS):
        topic_slug = slugs[number % len(slugs)]
        type_ = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        pick = _pick(rng, topic_slug)
        extra = rng.sample(slugs, 1)
        common = {
            "type": type_,
            "audiences": _audiences(rng, type_),
            "topics": [topics[topic_slug], *(topics[s] for s in extra if s != topic_slug)],
            "source": rng.choice(text.SOURCES),
            "source_date": (now - dt.timedelta(days=rng.randint(30, 900))).date(),
            "status": Resource.Status.PUBLISHED,
            "published_at": now - dt.timedelta(days=rng.randint(0, 720), hours=rng.randint(0, 23)),
            "author": rng.choice(authors),
        }
        if type_ == "video":
            common["external_url"] = f"https://videos.example.org/kindred/{number}"
        title, summary, body = compose_resource(rng, topic_slug, type_, "en", pick)
        original = services.create_resource(
            title=title, summary=summary, body=body, language="en", **common
        )
        english.append(original)
        title, summary, body = compose_resource(rng, topic_slug, type_, "es", pick)
        services.create_resource(
            title=title,
            summary=summary,
            body=body,
            language="es",
            translation_of=original,
            **common,
        )
    _seed_review_examples(rng, topics, people)
    return english


def _seed_review_examples(rng, topics, people) -> None:
    """A draft and a resource in review, so the review pages have something to show."""
    parent, clinician, staff = people.get("parent"), people.get("clinician"), people.get("staff")
    if not (parent and clinician and staff):
        return
    title, summary, body = compose_resource(
        rng, "infant-feeding", "article", "en", _pick(rng, "infant-feeding")
    )
    services.create_resource(
        author=parent,
        title=f"{title} (draft)",
        summary=summary,
        body=body,
        type="article",
        audiences=["parents"],
        topics=[topics["infant-feeding"]],
    )
    title, summary, body = compose_resource(
        rng, "home-visiting", "conversation_guide", "es", _pick(rng, "home-visiting")
    )
    resource = services.create_resource(
        author=parent,
        title=f"{title} (borrador)",
        summary=summary,
        body=body,
        type="conversation_guide",
        language="es",
        audiences=["parents"],
        topics=[topics["home-visiting"]],
    )
    services.submit_resource_for_review(resource, by=parent)
    services.assign_reviewer(resource, reviewer=clinician, by=staff)


# --- Stories --------------------------------------------------------------------------------


def _seed_stories(rng, topics, people) -> None:
    staff = people.get("staff")
    communities = list(Community.objects.active().exclude(state=None).select_related("state"))
    now = timezone.now()
    number = 0
    for title_en, title_es, body_en, body_es, role, topic_slug in text.STORIES:
        for language, title, body in (("en", title_en, body_en), ("es", title_es, body_es)):
            number += 1
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            place = rng.choice(communities) if communities else None
            story = services.submit_story(
                title=title,
                body=body,
                teller_name=name,
                teller_email=f"storyteller{number}@{DEMO_DOMAIN}",
                teller_role=role,
                attribution=rng.choice(["full_name", "first_name", "anonymous", "anonymous"]),
                language=language,
                topics=[topics[topic_slug]] if topic_slug in topics else [],
                state=place.state if place else None,
                county=place.county if place else None,
                created=now - dt.timedelta(days=rng.randint(10, 200)),
            )
            if staff and number % 5:  # every fifth story waits in the moderation queue
                when = now - dt.timedelta(days=rng.randint(1, 9) + number)
                services.moderate_story(story, by=staff, publish=True, when=when, notify=False)


# --- Events ---------------------------------------------------------------------------------


def _organizer(community: Community) -> User | None:
    membership = (
        community.memberships.filter(role="organizer", status="active").select_related("user")
    ).first()
    return membership.user if membership else None


def _members(community: Community) -> list[User]:
    rows = CommunityMembership.objects.filter(community=community, status="active")
    return [row.user for row in rows.select_related("user").order_by("id")[:60]]


def _local_time(rng, zone: str, days: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    hour = rng.choice([10, 11, 14, 17, 18])
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=zoneinfo.ZoneInfo(zone))


def _seed_events(rng, topics, communities, people) -> None:
    for community in communities.values():
        organizer = _organizer(community)
        if organizer is None:
            continue
        zone = (
            STATE_ZONES.get(community.state.usps, "America/New_York")
            if community.state_id
            else "America/New_York"
        )
        members = _members(community)
        for _n in range(rng.randint(1, 3)):
            _seed_event(rng, topics, community, organizer, members, zone)
    tulsa = communities.get("Tulsa County Families")
    parent = people.get("parent")
    if tulsa and parent:
        # A proposal from a member, waiting for the organizer (Grace Kim) to review.
        starts = _local_time(rng, "America/Chicago", 16)
        services.create_event(
            proposer=parent,
            host=tulsa,
            title="Stroller walk along the river",
            description="Meet at the Gathering Place entrance. All paces welcome!",
            mode=Event.Mode.IN_PERSON,
            venue_name="Gathering Place",
            address="2650 S John Williams Way",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            timezone="America/Chicago",
            language="en",
            topics=[topics["positive-childhood-experiences"]],
        )


def _seed_event(rng, topics, community, organizer, members, zone) -> None:
    title_en, title_es, about_en, about_es = rng.choice(text.EVENT_KINDS)
    spanish = "Familias" in community.name or "Unidas" in community.name or rng.random() < 0.2
    mode = rng.choice(
        [Event.Mode.IN_PERSON, Event.Mode.IN_PERSON, Event.Mode.ONLINE, Event.Mode.HYBRID]
    )
    days = rng.choice([-60, -30, -12, -3, 2, 6, 9, 14, 21, 30, 45])
    starts = _local_time(rng, zone, days)
    capacity = rng.choice([None, 12, 15, 20, 30])
    event = services.create_event(
        proposer=organizer,
        host=community,
        title=title_es if spanish else title_en,
        description=about_es if spanish else about_en,
        mode=mode,
        online_url="https://meet.example.org/kindred-" + slugify(community.name)[:30]
        if mode != "in_person"
        else "",
        venue_name=""
        if mode == "online"
        else rng.choice(
            ["Public library", "Community center", "Family resource center", "Parish hall"]
        ),
        address="" if mode == "online" else f"{rng.randint(100, 4999)} Main Street",
        state=community.state,
        county=community.county,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=rng.choice([60, 90, 120])),
        timezone=zone,
        capacity=capacity,
        language="es" if spanish else "en",
        topics=[topics[rng.choice(list(text.TOPICS))]],
    )
    guests = rng.sample(members, min(len(members), (capacity or 12) + rng.randint(-4, 4)))
    if days > 0:
        for user in guests:
            services.rsvp_to_event(
                event,
                email=user.email,
                name=user.get_full_name(),
                user=user,
                language="es" if spanish else "en",
                notify=False,
            )
        if rng.random() < 0.08:
            services.cancel_event(event, by=organizer)
    else:
        RSVP.objects.bulk_create(
            [
                RSVP(
                    event=event,
                    user=user,
                    name=user.get_full_name(),
                    email=user.email.lower(),
                    status=RSVP.Status.GOING,
                )
                for user in guests[: capacity or len(guests)]
            ]
        )


# --- Campaigns ------------------------------------------------------------------------------


def _seed_campaigns(rng, topics, communities, people, resources) -> None:
    for plan in text.CAMPAIGNS:
        community = communities.get(plan["community"])
        organizer = people.get(plan["organizer"])
        if community is None or organizer is None:
            continue
        chosen = [r for r in resources if r.topics.filter(slug__in=plan["topics"]).exists()][:4]
        shared = chosen + [other for r in chosen for other in r.translations()][:4]
        starts_on = timezone.localdate() - dt.timedelta(days=plan["days"])
        campaign = services.create_campaign(
            by=organizer,
            title=plan["title"],
            core_message=plan["core_message"],
            description=plan["description"],
            community=community,
            starts_on=starts_on,
            resources=shared,
        )
        for language, post in plan["posts"]:
            services.add_suggested_post(campaign, by=organizer, language=language, text=post)
        services.launch_campaign(campaign, by=organizer)
        _seed_reach(rng, campaign, community, plan["days"])


def _seed_reach(rng, campaign: Campaign, community: Community, days: int) -> None:
    """Visits that grow and fade over the campaign, and the joins and sign-ups they led to,
    credited to the community's link and to a few members' links."""
    members = _members(community)
    codes = [services.referral_code_for(campaign, community=community)]
    codes += [services.referral_code_for(campaign, user=user) for user in members[:4]]
    joiners = iter(rng.sample(members, len(members)))
    now = timezone.now()
    for day in range(days, -1, -1):
        progress = 1 - day / days
        expected = 4 + 26 * progress * (1.4 - progress)  # a rise, then a gentle fade
        for _visit in range(max(0, int(rng.gauss(expected, 3)))):
            when = now - dt.timedelta(days=day, minutes=rng.randint(0, 1439))
            code = rng.choices(codes, [6, 3, 2, 1, 1][: len(codes)])[0]
            services.record_activity(
                campaign, CampaignActivity.Kind.VISIT, referral=code, when=when
            )
            roll = rng.random()
            if roll < 0.05:
                user = next(joiners, None)
                if user is not None:
                    services.record_activity(
                        campaign, CampaignActivity.Kind.JOIN, referral=code, user=user, when=when
                    )
            elif roll < 0.13:
                services.record_activity(
                    campaign,
                    CampaignActivity.Kind.SIGNUP,
                    referral=code,
                    detail=rng.choice(["newsletter", "event"]),
                    when=when,
                )


# --- Newsletter -----------------------------------------------------------------------------


def _seed_newsletter(rng, topics, people) -> None:
    topic_list = list(topics.values())
    for number in range(1, 81):
        language = "es" if rng.random() < 0.4 else "en"
        subscriber, _sent = services.subscribe(
            email=f"reader{number}@{DEMO_DOMAIN}",
            language=language,
            topics=rng.sample(topic_list, rng.randint(0, 3)),
            notify=False,
        )
        if number % 10 == 0:
            continue  # still waiting to confirm
        services.activate_subscriber(subscriber)
        if number % 13 == 0:
            Subscriber.objects.filter(pk=subscriber.pk).update(
                status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
            )
    staff = people.get("staff")
    for subject, language, sent in [
        ("Talk, Sing, Play: ideas for spring", "en", True),
        ("Cada momento cuenta: novedades de la red", "es", True),
        ("New stories from families", "en", False),
    ]:
        issue = services.create_issue(
            subject=subject,
            language=language,
            by=staff,
            body=text.TOPICS["play-reading"][3 if language == "es" else 2],
        )
        if sent:
            count = Subscriber.objects.active().filter(language=language).count()
            NewsletterIssue.objects.filter(pk=issue.pk).update(
                status=NewsletterIssue.Status.SENT,
                sent_at=timezone.now() - dt.timedelta(days=20),
                recipient_count=count,
            )


# --- Large scale ----------------------------------------------------------------------------


def large_items(rng: random.Random, count: int, topics: dict[str, Topic], *, start: int = 0):
    """``count`` resource rows for ``bulk_create_resources`` (varied, bilingual text)."""
    slugs = [slug for slug in text.TOPICS if slug in topics]
    places = [
        "Tulsa",
        "Fresno",
        "the Bronx",
        "Detroit",
        "Houston",
        "Albuquerque",
        "Memphis",
        "rural Montana",
        "Puerto Rico",
        "Navajo Nation",
        "Baltimore",
        "Miami",
    ]
    now = timezone.now()
    for number in range(start, start + count):
        topic_slug = rng.choice(slugs)
        type_ = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        language = "es" if rng.random() < 0.35 else "en"
        title, summary, body = compose_resource(
            rng, topic_slug, type_, language, _pick(rng, topic_slug)
        )
        place = rng.choice(places)
        title = f"{title} ({'en' if language == 'es' else 'in'} {place})"
        yield {
            "slug": f"{slugify(title)[:100]}-{number}",
            "title": title,
            "summary": summary,
            "body": body,
            "type": type_,
            "language": language,
            "source": rng.choice(text.SOURCES),
            "published_at": now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
            "audiences": _audiences(rng, type_),
            "topics": [topics[topic_slug].pk],
        }


def seed_large_library(rng: random.Random, *, topics=None, total: int = LARGE_RESOURCES) -> int:
    """Top the library up to ``total`` resources in bulk, then rebuild the search index."""
    topics = topics or {topic.slug: topic for topic in Topic.objects.active()}
    missing = total - Resource.objects.count()
    if missing <= 0:
        return 0
    items = list(large_items(rng, missing, topics, start=Resource.objects.count()))
    return services.bulk_create_resources(items)
