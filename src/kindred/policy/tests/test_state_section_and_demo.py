import random
import re

from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from kindred.accounts.demo import seed as seed_accounts
from kindred.policy import services
from kindred.policy.demo import seed
from kindred.policy.models import AdvocacyAction, Jurisdiction, Policy, Signature
from kindred.policy.tests.factories import jurisdiction, make_action, make_policy, state


def test_every_state_and_dc_has_an_ocd_jurisdiction(db):
    assert Jurisdiction.objects.get(slug="us").ocd_id == "ocd-division/country:us"
    assert jurisdiction("OK").ocd_id == "ocd-division/country:us/state:ok"
    assert jurisdiction("DC").ocd_id == "ocd-division/country:us/district:dc"
    assert Jurisdiction.objects.states().filter(state__is_territory=False).count() == 51


def test_local_jurisdictions_follow_ocd(db):
    tulsa = state("OK").counties.get(name="Tulsa County")
    county = services.local_jurisdiction(county=tulsa)
    assert county.ocd_id == "ocd-division/country:us/state:ok/county:tulsa"
    city = services.local_jurisdiction(state=state("OK"), city="Broken Arrow")
    assert city.ocd_id == "ocd-division/country:us/state:ok/place:broken_arrow"


def test_the_state_section_lists_state_and_local_policies(db, django_assert_max_num_queries):
    make_policy()
    tulsa = services.local_jurisdiction(county=state("OK").counties.get(name="Tulsa County"))
    make_policy(slug="tulsa", title_en="Tulsa home visits", jurisdiction=tulsa)
    make_policy(slug="tx", title_en="Texas thing", jurisdiction=jurisdiction("TX"))
    make_action()
    with django_assert_max_num_queries(5):
        section = services.policies_for_state(state("OK"))
    assert {p.slug for p in section.policies} == {"ok-paid-leave", "tulsa"}
    request = RequestFactory().get("/places/ok/")
    html = render_to_string("policy/_state_section.html", {"policy_section": section}, request)
    assert "Policy in Oklahoma" in html
    assert "Tulsa home visits" in html and "Texas thing" not in html
    assert "/policy/actions/ok-letter/" in html


def test_the_demo_seeds_the_real_landscape_and_the_done_journeys(client, client_as, db):
    seed_accounts(random.Random(1), "small")
    seed(random.Random(2), "small")
    # The real paid family leave states (13 states + DC, domain.md §6) are on the map.
    pfml = Policy.objects.filter(slug__startswith="pfml-")
    assert sorted(pfml.values_list("jurisdiction__state__usps", flat=True)) == sorted(
        ["CA", "NJ", "RI", "NY", "WA", "DC", "MA", "CT", "OR", "CO", "MD", "DE", "MN", "ME"]
    )
    assert all(p.history.exclude(source_title="").exists() for p in pfml)
    page = client.get("/policy/map/paid-family-leave/").content.decode()
    assert len(re.findall(r'class="tile r\d c\d+ tile-adopted"', page)) == 14
    assert "tile-pending" in page  # the fictional Oklahoma bill, clearly labelled
    assert (
        Policy.objects.filter(is_fictional=True).exclude(title_en__contains="fictional").count()
        == 0
    )
    assert Policy.objects.exclude(summary_es="").count() == Policy.objects.count()
    # Staff change a bill's status with a source; the advocate (who follows paid leave) and
    # the parent (who follows Oklahoma) get the email.
    from allauth.mfa.models import Authenticator

    from kindred.accounts.models import User

    staff = User.objects.get(email="staff@demo.kindred.test")
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    mail.outbox.clear()
    bill = Policy.objects.get(slug="ok-family-leave-insurance-act-demo")
    client_as(staff).post(
        f"/policy/p/{bill.slug}/status/",
        {
            "status": "passed_one_chamber",
            "date": timezone.localdate().isoformat(),
            "source_title": "Senate vote",
        },
    )
    assert {m.to[0] for m in mail.outbox} == {
        "advocate@demo.kindred.test", "parent@demo.kindred.test"
    }  # fmt: skip
    assert AdvocacyAction.objects.open().count() == 3
    assert Signature.objects.count() > 100
    # Seeding again changes nothing.
    before = Policy.objects.count()
    seed(random.Random(2), "small")
    assert Policy.objects.count() == before


def test_the_state_page_shows_the_policy_section(client, db):
    make_policy()
    body = client.get("/places/ok/").content.decode()
    assert "Oklahoma paid leave" in body
    assert "/policy/alerts/?jurisdiction=" in body


def test_the_commands_run(db, capsys):
    from django.core.management import call_command

    call_command("sync_jurisdictions")
    call_command("send_policy_digest")
    assert "queued" in capsys.readouterr().out
