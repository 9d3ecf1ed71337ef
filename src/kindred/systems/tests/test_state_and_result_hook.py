from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings

from kindred.places.models import State
from kindred.systems import services
from kindred.systems.tests.factories import make_service, need


@dataclass
class FakeFamily:
    language: str = "es"
    consents: set = field(default_factory=lambda: {"sharing"})

    def age_days(self):
        return 95

    def allows(self, kind):
        return kind in self.consents


@dataclass
class FakeSite:
    organization: object


@dataclass
class FakeEncounter:
    pk: int = 7


def _render(site, needs, family=None):
    request = RequestFactory().get("/")
    context = {
        "encounter": FakeEncounter(),
        "site": site,
        "family": family or FakeFamily(),
        "needs": needs,
    }
    return render_to_string("observe/_result_referrals.html", context, request=request)


@override_settings(ROOT_URLCONF="kindred.systems.tests.urls_without_observe")
def test_the_result_hook_lists_services_when_observe_has_no_view(clinic, service):
    html = _render(FakeSite(clinic), ["epds:support"])
    assert "Tulsa Moms Mental Health" in html
    assert "<form" not in html  # guarded: renders even without observe:send-referral


@override_settings(ROOT_URLCONF="kindred.systems.tests.urls_with_send_referral")
def test_the_result_hook_posts_to_observe_once_the_view_exists(clinic, service, program, rosa):
    make_service(program, rosa, name="Doula circle", needs=[need("doula-care")])
    html = _render(FakeSite(clinic), ["phq-9:support", "safety"])
    assert 'action="/observe-stub/encounters/7/send-referral/"' in html
    assert f'value="{service.pk}" checked' in html and "Doula circle" not in html
    assert 'name="consent_to_share" value="yes" checked' in html
    unconsented = _render(FakeSite(clinic), ["phq-9:support"], FakeFamily(consents=set()))
    assert 'value="yes" checked' not in unconsented


def test_the_result_hook_says_so_when_nothing_matches(clinic, db):
    html = _render(FakeSite(clinic), ["bpsc:watch"])
    assert "No listed service matches yet." in html


def test_the_state_section_shows_commitments_services_and_referral_figures(
    clinic, service, alice, bob, django_assert_max_num_queries
):
    services.create_commitment(
        actor=alice,
        organization=clinic,
        kind="practice",
        title="Screen at every well visit",
        milestones=[("Train", date(2026, 1, 1))],
    )
    services.create_referral(
        created_by=bob,
        from_organization=clinic,
        service=service,
        subject_kind="family",
        subject_ref="f1",
        shared_info={"first_name": "A"},
        consent_to_share=True,
        urgency="routine",
        note="",
    )
    oklahoma = State.objects.get(usps="OK")
    with django_assert_max_num_queries(18):
        section = services.systems_for_state(oklahoma)
        html = render_to_string("systems/_state_section.html", {"systems_section": section})
    assert "Systems change in Oklahoma" in html
    assert "Screen at every well visit" in html and "Tulsa Moms Mental Health" in html
    assert "fewer than 11 referrals" in html
    assert section["commitment_count"] == 1 and section["service_count"] == 1
    empty = services.systems_for_state(State.objects.get(usps="TX"))
    assert empty["commitments"] == [] and empty["services"] == []


def test_the_result_form_and_a_verified_sender_make_a_referral(clinic, service, charlie):
    from kindred.systems.forms import ResultReferralForm
    from kindred.systems.models import Referral

    form = ResultReferralForm(
        {"service": str(service.pk), "urgency": "soon", "note": "", "consent_to_share": "yes"}
    )
    assert form.is_valid(), form.errors
    # charlie is not in the clinic's organization: observe vouches for site staff instead.
    referral = services.create_referral(
        created_by=charlie,
        from_organization=clinic,
        from_site_label="Riverside 2nd floor",
        service=form.cleaned_data["service"],
        subject_kind="family",
        subject_ref="FAM123",
        shared_info={"first_name": "Ana", "language": "es", "child_age_months": 3},
        consent_to_share=form.cleaned_data["consent_to_share"],
        urgency="soon",
        note="",
        sender_verified=True,
    )
    assert referral in Referral.objects.visible_to(charlie)
    bad = ResultReferralForm({"service": "00000000-0000-0000-0000-000000000000", "urgency": "soon"})
    assert not bad.is_valid() and "not taking referrals" in str(bad.errors)


@dataclass
class CodedFamily(FakeFamily):
    code: str = "FAM9"


def test_the_result_hook_shows_the_referrals_sent_for_the_family_and_their_status(
    clinic, service, bob, charlie, rosa
):
    referral = services.create_referral(
        created_by=bob,
        from_organization=clinic,
        service=service,
        subject_kind="family",
        subject_ref="FAM9",
        shared_info={"first_name": "Ana"},
        consent_to_share=True,
    )
    services.move_referral(referral=referral, actor=rosa, status="accepted")
    services.move_referral(referral=referral, actor=rosa, status="completed")

    def render_for(user, family):
        request = RequestFactory().get("/")
        request.user = user
        context = {"encounter": FakeEncounter(), "site": FakeSite(clinic), "family": family}
        return render_to_string("observe/_result_referrals.html", context, request=request)

    html = render_for(bob, CodedFamily())
    assert "Referrals sent for this family" in html
    assert referral.get_absolute_url() in html and "Completed" in html
    # Another family's result, or someone who may not see the referral: nothing listed.
    assert "Referrals sent for this family" not in render_for(bob, CodedFamily(code="FAM8"))
    assert "Referrals sent for this family" not in render_for(charlie, CodedFamily())
