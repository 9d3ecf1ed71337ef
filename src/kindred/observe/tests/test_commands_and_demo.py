"""import_instrument, demo_totp and the demo seeder."""

import json
import random

import pytest
from django.core.management import CommandError, call_command

from kindred.observe.engine.redcap import to_data_dictionary
from kindred.observe.models import Encounter, InstrumentVersion, Response, Site
from kindred.observe.tests.helpers import bundled


def test_import_instrument_from_redcap_prints_what_was_created(db, tmp_path, capsys):
    path = tmp_path / "phq-2-copy.csv"
    path.write_text(to_data_dictionary(bundled("phq-2")))
    call_command("import_instrument", str(path))
    out = capsys.readouterr().out
    assert "Created phq-2-copy version 1.0.0 (published, redcap): 2 questions, 1 scores" in out
    assert InstrumentVersion.objects.get(instrument__slug="phq-2-copy").is_published


def test_import_instrument_reports_each_error_and_stores_nothing(db, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [
                    {"linkId": "a", "type": "attachment", "text": "x"},
                    {"linkId": "b", "type": "quantity", "text": "y"},
                ],
            }
        )
    )
    before = InstrumentVersion.objects.count()
    with pytest.raises(CommandError, match="2 problems"):
        call_command("import_instrument", str(path))
    err = capsys.readouterr().err
    assert "'attachment' is not supported" in err and "'quantity' is not supported" in err
    assert InstrumentVersion.objects.count() == before


def test_import_instrument_refuses_to_change_a_published_version(db, tmp_path):
    from kindred.observe.engine.fhir import to_questionnaire

    path = tmp_path / "phq9.json"
    path.write_text(json.dumps(to_questionnaire(bundled("phq-9"), base_url="http://x")))
    with pytest.raises(CommandError, match="never change"):
        call_command("import_instrument", str(path))


def test_demo_seed_builds_sites_staff_and_visits(db, capsys):
    from kindred.accounts.demo import seed as seed_accounts
    from kindred.observe.demo import seed

    seed_accounts(random.Random(1), "small")
    seed(random.Random(2), "small")
    assert Site.objects.count() == 3
    clinician = Site.objects.get(slug="riverside-pediatrics").membership_for(
        __import__("kindred.accounts.models", fromlist=["User"]).User.objects.get(
            email="clinician@demo.kindred.test"
        )
    )
    assert clinician.role == "clinician"
    assert Encounter.objects.count() > 20 and Response.objects.counted().exists()
    assert Response.objects.filter(is_second_rating=True, status="completed").exists()
    # Every demo site's organization is placed in Tulsa County, so nearby services are near.
    counties = {site.organization.county.name for site in Site.objects.select_related(
        "organization__county")}  # fmt: skip
    assert counties == {"Tulsa County"}
    seed(random.Random(2), "small")  # idempotent
    assert Site.objects.count() == 3
    call_command("demo_totp", "clinician@demo.kindred.test")
    code = capsys.readouterr().out.split()[0]
    assert len(code) == 6 and code.isdigit()


def test_demo_totp_only_for_demo_accounts(db):
    with pytest.raises(CommandError):
        call_command("demo_totp", "someone@example.org")
