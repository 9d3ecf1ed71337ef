"""The demo seeder: a weighted round, the researcher's study with an approved request and a
built extract, the steward, and a published finding linked from the agenda."""

import random
from pathlib import Path

from django.urls import reverse

from kindred.accounts.models import User
from kindred.research.delphi import compute_results
from kindred.research.models import DataRequest, Finding, Round, is_steward


def test_demo_seed_builds_the_done_when_story(db, client):
    from kindred.accounts.demo import seed as seed_accounts
    from kindred.observe.demo import seed as seed_observe
    from kindred.research.demo import seed

    seed_accounts(random.Random(1), "small")
    seed_observe(random.Random(2), "small")
    seed(random.Random(3), "small")
    seed(random.Random(3), "small")  # idempotent

    closed = Round.objects.get(status=Round.Status.CLOSED)
    groups = set(closed.panelists.values_list("group", flat=True))
    assert {"parents", "practitioners", "researchers"} <= groups
    results = compute_results(closed)
    assert results[0].rank == 1 and results[0].weighted.n > 50
    assert Round.objects.get(status=Round.Status.OPEN).previous == closed

    steward = User.objects.get(email="steward@demo.kindred.test")
    assert is_steward(steward) and steward.must_use_mfa
    approved = DataRequest.objects.get(status="approved")
    assert approved.study.lead.email == "researcher@demo.kindred.test"
    dataset = approved.latest_dataset()
    assert dataset.status == "ready", dataset.error
    assert (Path(dataset.folder) / "disclosure_report.md").is_file()
    assert (Path(dataset.folder) / "codebook.md").is_file()
    assert DataRequest.objects.filter(status="submitted").exists()

    finding = Finding.objects.published().get()
    agenda = client.get(reverse("research:index")).content.decode()
    assert finding.get_absolute_url() in agenda
    assert client.get(reverse("research:round-results", args=[closed.pk])).status_code == 200


def test_personal_data_export_includes_research(db, alice):
    from kindred.accounts.services import delete_account
    from kindred.research import services
    from kindred.research.privacy import export_personal_data
    from kindred.research.tests.factories import make_study

    question = services.propose_question(by=alice, title="Does play help?", why="-", theme="impact")
    services.comment_on_question(question, by=alice, body="I think so.")
    study = make_study(alice)
    key, data = export_personal_data(alice)
    assert key == "research"
    assert data["questions_proposed"][0]["title"] == "Does play help?"
    assert data["comments"][0]["body"] == "I think so." and data["studies_led"] == [study.title]
    delete_account(alice)  # a study's public record outlives its lead's account
    study.refresh_from_db()
    assert study.lead is None


def test_every_page_renders_on_demo_data(db, client_as):
    from kindred.accounts.demo import seed as seed_accounts
    from kindred.observe.demo import seed as seed_observe
    from kindred.research.demo import seed
    from kindred.research.models import Question, Study
    from kindred.research.tests.factories import with_totp

    seed_accounts(random.Random(1), "small")
    seed_observe(random.Random(2), "small")
    seed(random.Random(3), "small")
    staff = with_totp(User.objects.get(email="staff@demo.kindred.test"))
    steward = User.objects.get(email="steward@demo.kindred.test")
    researcher = User.objects.get(email="researcher@demo.kindred.test")
    parent = User.objects.get(email="parent@demo.kindred.test")
    open_round = Round.objects.get(status=Round.Status.OPEN)
    draft = Round.objects.get(status=Round.Status.DRAFT)
    study = Study.objects.get()
    question = Question.objects.accepted().first()
    approved = DataRequest.objects.get(status="approved")
    dataset = approved.latest_dataset()
    finding = Finding.objects.get()
    pages = {
        staff: [
            reverse("research:round", args=[open_round.pk]),
            reverse("research:round", args=[draft.pk]),
            reverse("research:round-edit", args=[draft.pk]),
            reverse("research:round-new"),
            question.get_absolute_url(),
            reverse("research:questions") + "?status=proposed",
        ],
        steward: [
            reverse("research:requests"),
            approved.get_absolute_url(),
            DataRequest.objects.get(status="submitted").get_absolute_url(),
            dataset.get_absolute_url(),
        ],
        researcher: [
            study.get_absolute_url(),
            reverse("research:study-edit", args=[study.slug]),
            reverse("research:request-new", args=[study.slug]),
            reverse("research:finding-new", args=[study.slug]),
            reverse("research:finding-edit", args=[finding.slug]),
            dataset.get_absolute_url(),
            reverse("research:psychometrics", args=[dataset.pk]),
            reverse("research:study-new"),
        ],
        parent: [
            reverse("research:round-rate", args=[open_round.pk]),
            reverse("research:index"),
            reverse("research:rounds"),
            reverse("research:studies"),
            reverse("research:findings"),
            finding.get_absolute_url(),
        ],
    }
    for user, urls in pages.items():
        client = client_as(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.email, url, response.status_code)
    page = client_as(parent).get(reverse("research:round-rate", args=[open_round.pk]))
    assert "middle rating was" in page.content.decode()  # round 2 shows round 1
    psy = client_as(researcher).get(reverse("research:psychometrics", args=[dataset.pk]))
    assert "Cronbach" in psy.content.decode()
