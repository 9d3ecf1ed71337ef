"""The live numbers on the home page: one COUNT per figure, straight from the database."""

from django.db.models import Count

from kindred.library.models import Event, Resource, Story
from kindred.network.models import Community, MemberProfile, Organization
from kindred.observe.models import Site
from kindred.policy.models import AdvocacyAction, Policy, Signature
from kindred.research.models import Finding, Question, Study
from kindred.systems.models import Commitment, Referral, Service


def home_stats() -> dict[str, int]:
    members = MemberProfile.objects.aggregate(
        people=Count("pk"), states=Count("state", distinct=True)
    )
    return {
        "people": members["people"],
        "states_with_members": members["states"],
        "organizations": Organization.objects.count(),
        "communities": Community.objects.filter(is_active=True).count(),
        "resources": Resource.objects.published().count(),
        "stories": Story.objects.published().count(),
        "events": Event.objects.upcoming().count(),
        "sites": Site.objects.count(),
        "questions": Question.objects.count(),
        "studies": Study.objects.count(),
        "findings": Finding.objects.published().count(),
        "commitments": Commitment.objects.count(),
        "services": Service.objects.count(),
        "referrals_completed": Referral.objects.filter(status=Referral.Status.COMPLETED).count(),
        "policies": Policy.objects.count(),
        "actions": AdvocacyAction.objects.open().count(),
        "signatures": Signature.objects.count(),
    }
