"""Data requests, the steward's decision with the data use agreement, the build with visible
progress, the files, expiring and audited downloads, and the build_dataset command."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from kindred.core.models import AuditEvent, TaskProgress
from kindred.research import access, services
from kindred.research.models import DataRequest, Dataset
from kindred.research.tests import factories as f


@pytest.fixture
def world(db, alice, bob, charlie):
    """alice: site clinician and data steward; bob: study lead; charlie: another study's
    lead."""
    f.make_steward(alice)
    site = f.make_site()
    for n in range(6):
        family = f.make_family(
            site, by=alice, caregiver_name=f"Caregiver {n}", language="es" if n % 2 else "en"
        )
        f.visit(family, by=alice, slugs=("phq-2", "epds"), days_ago=5 + n)
    study = f.make_study(bob, sites=[site], slugs=("phq-2", "epds"))
    other = f.make_study(charlie, sites=[site], title="Another study")
    return {"site": site, "study": study, "other": other}


def test_team_requests_data_through_the_page(world, bob, charlie, client_as):
    study = world["study"]
    url = reverse("research:request-new", args=[study.slug])
    assert client_as(charlie).get(url).status_code == 403
    instrument = study.instruments.get(slug="phq-2")
    response = client_as(bob).post(
        url,
        {
            "purpose": "Describe PHQ-2 by language.",
            "instruments": [instrument.pk],
            "sites": [world["site"].pk],
            "variables": ["language", "child_age_months"],
            "quasi_identifiers": [],
            "k": 5,
        },
    )
    data_request = DataRequest.objects.get()
    assert response.status_code == 302 and data_request.requested_by == bob
    assert data_request.quasi_identifiers == ["language", "child_age_months"]


def test_bad_request_says_why_and_changes_nothing(world, bob, client_as):
    study = world["study"]
    response = client_as(bob).post(
        reverse("research:request-new", args=[study.slug]),
        {
            "purpose": "x",
            "instruments": [],
            "sites": [world["site"].pk],
            "variables": ["language"],
            "quasi_identifiers": ["zip3"],
            "k": 1,
            "date_from": "2026-05-01",
            "date_to": "2026-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not DataRequest.objects.exists()
    assert "The end date is before the start date." in page
    assert "Only requested variables can be checked" in page


def test_steward_approves_and_the_extract_arrives(world, alice, bob, client_as):
    data_request = f.make_request(world["study"], by=bob, slugs=["phq-2", "epds"])
    url = reverse("research:request-approve", args=[data_request.pk])
    assert client_as(bob).post(url, {"dua_reference": "X"}).status_code == 403
    response = client_as(alice).post(url, {"dua_reference": "", "dua_signed_on": ""})
    assert response.status_code == 400
    data_request.refresh_from_db()
    assert data_request.status == "submitted"
    response = client_as(alice).post(
        url,
        {
            "dua_reference": "DUA-7",
            "dua_signed_on": "2026-11-01",
            "dua_expires_on": "2027-11-01",
            "dua_terms": "No linkage.",
            "decision_note": "",
        },
    )
    dataset = Dataset.objects.get()
    progress = TaskProgress.objects.get()
    assert response["Location"] == progress.get_absolute_url()
    assert progress.status == "done" and progress.result_url == dataset.get_absolute_url()
    assert dataset.status == "ready" and dataset.row_count == 12 and dataset.family_count == 6
    assert dataset.expires_at.date() <= dt.date(2027, 11, 1)
    folder = Path(dataset.folder)
    for name in (
        "csv/phq-2.csv",
        "parquet/epds.parquet",
        "spss/phq-2.sav",
        "stata/epds.dta",
        "data_dictionary.csv",
        "codebook.md",
        "disclosure_report.md",
    ):
        assert (folder / name).is_file(), name
    frame, meta = pyreadstat.read_sav(str(folder / "spss/phq-2.sav"))
    assert len(frame) == 6 and "study_id" in frame.columns
    assert meta.column_names_to_labels["phq2_1"]
    frame, _meta = pyreadstat.read_dta(str(folder / "stata/epds.dta"))
    assert len(frame) == 6
    table = pq.read_table(folder / "parquet/epds.parquet")
    assert {"study_id", "visit", "language", "epds_1", "score_total"} <= set(table.column_names)
    assert dataset.psychometrics["epds"]["scales"][0]["items"] == 10
    bundle = zipfile.ZipFile(folder / dataset.files["spss"])
    assert {"spss/phq-2.sav", "codebook.md", "disclosure_report.md", "data_dictionary.csv"} <= set(
        bundle.namelist()
    )
    assert AuditEvent.objects.filter(verb="data_request.approved", actor=alice).exists()
    assert AuditEvent.objects.filter(verb="dataset.built").exists()


def test_decline_needs_a_reason(world, alice, bob, client_as):
    data_request = f.make_request(world["study"], by=bob)
    url = reverse("research:request-decline", args=[data_request.pk])
    client_as(alice).post(url, {"note": ""})
    data_request.refresh_from_db()
    assert data_request.status == "submitted"
    client_as(alice).post(url, {"note": "Please narrow the sites."})
    data_request.refresh_from_db()
    assert data_request.status == "declined"
    assert (
        "Please narrow the sites."
        in client_as(bob).get(data_request.get_absolute_url()).content.decode()
    )


def test_download_is_signed_logged_and_expires(world, alice, bob, client_as, settings):
    data_request = f.make_request(world["study"], by=bob)
    dataset = f.approve(data_request, steward=alice)
    page = client_as(bob).get(dataset.get_absolute_url()).content.decode()
    assert "?t=" in page
    url = access.download_url(dataset, bob, "csv")
    response = client_as(bob).get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert "csv/phq-2.csv" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    event = AuditEvent.objects.get(verb="dataset.downloaded")
    assert event.actor == bob and event.details["file"] == "csv"
    # Someone else's link, a tampered link and an old link are all refused (and logged).
    assert client_as(bob).get(access.download_url(dataset, alice, "csv")).status_code == 403
    assert client_as(bob).get(url.replace("csv/?t=", "parquet/?t=")).status_code == 403
    settings.SIGNING_BACKEND = settings.SIGNING_BACKEND  # same key; only time moves
    old = timezone.now() - dt.timedelta(seconds=access.LINK_SECONDS + 60)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: old.timestamp())
        stale = access.download_url(dataset, bob, "csv")
    response = client_as(bob).get(stale)
    assert response.status_code == 403 and "expired" in response.content.decode()
    Dataset.objects.filter(pk=dataset.pk).update(expires_at=timezone.now())
    assert client_as(bob).get(access.download_url(dataset, bob, "csv")).status_code == 403
    assert AuditEvent.objects.filter(verb="dataset.download_refused").count() == 4
    assert AuditEvent.objects.filter(verb="dataset.downloaded").count() == 1


def test_steward_ends_downloads_and_files_are_deleted(world, alice, bob, client_as):
    dataset = f.approve(f.make_request(world["study"], by=bob), steward=alice)
    client_as(alice).post(reverse("research:dataset-expire", args=[dataset.pk]))
    dataset.refresh_from_db()
    assert dataset.is_expired and not Path(dataset.folder).exists()


def test_build_dataset_command_lists_and_builds(world, alice, bob, tmp_path):
    pending = f.make_request(world["study"], by=bob)
    approved = f.make_request(world["study"], by=bob)
    f.approve(approved, steward=alice, build=False)
    out = io.StringIO()
    call_command("build_dataset", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith(f"{pending.pk}\tsubmitted") for line in lines)
    assert any(line.startswith(f"{approved.pk}\tapproved") for line in lines)
    with pytest.raises(CommandError, match="only approved"):
        call_command("build_dataset", str(pending.pk), "--out", str(tmp_path / "a"))
    out = io.StringIO()
    call_command("build_dataset", str(approved.pk), "--out", str(tmp_path / "b"), stdout=out)
    assert "6 rows from 6 families" in out.getvalue()
    assert (tmp_path / "b" / "csv" / "phq-2.csv").is_file()
    assert (tmp_path / "b" / "disclosure_report.md").is_file()
    with pytest.raises(CommandError, match="not empty"):
        call_command("build_dataset", str(approved.pk), "--out", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="no data request"):
        call_command("build_dataset", "999", "--out", str(tmp_path / "c"))


def test_request_pages_have_bounded_queries(
    world, alice, bob, client_as, django_assert_max_num_queries
):
    for _ in range(3):
        f.make_request(world["study"], by=bob)
    client = client_as(alice)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("research:requests")).status_code == 200


def test_psychometrics_page_shows_reliability(world, alice, bob, client_as):
    dataset = f.approve(f.make_request(world["study"], by=bob, slugs=["epds"]), steward=alice)
    page = client_as(bob).get(reverse("research:psychometrics", args=[dataset.pk]))
    assert page.status_code == 200 and "Cronbach" in page.content.decode()
    services.expire_dataset(dataset, by=alice)
