"""The demo data: enough of everything, in both languages, and what the issue's "done when"
needs (a Spanish conversation guide found by a Spanish search, events to RSVP to, a campaign
with attributed joins)."""

import random

from kindred.accounts import demo as accounts_demo
from kindred.accounts.models import User
from kindred.library import demo
from kindred.library.models import Campaign, Event, Resource, Story, Subscriber
from kindred.library.search import search_resources
from kindred.library.tests.factories import community_with


def test_demo_seed_small(db):
    accounts_demo.seed(random.Random(1), "small")
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    community_with(people["orgadmin"], people["parent"], name="Tulsa County Families")
    community_with(people["chw"], name="Fresno County Familias Unidas")
    demo.seed(random.Random(2026), "small")

    assert Resource.objects.published().count() >= 240
    assert Resource.objects.filter(language="es").count() >= 120
    guides = search_resources("conversación", {"language": "es", "type": "conversation_guide"})
    assert guides.exists()
    assert Story.objects.published().exists() and Story.objects.filter(status="submitted").exists()
    assert set(Story.objects.values_list("attribution", flat=True)) >= {"anonymous", "full_name"}
    assert Event.objects.filter(rsvps__isnull=False).exists()
    assert Event.objects.filter(status="proposed").exists()
    campaign = Campaign.objects.get(title="Talk, Sing, Play")
    assert campaign.activity.filter(kind="join").exists()
    assert Subscriber.objects.active().exists()

    # Seeding again adds nothing.
    before = Resource.objects.count()
    demo.seed(random.Random(2026), "small")
    assert Resource.objects.count() == before
