"""The privacy tests the issue asks for.

- Property-based (hypothesis): over randomly seeded families, visits and answers (with names,
  emails, phone numbers and free-text notes planted everywhere), no extract file ever holds a
  name, an email, a phone number, a full date, a five-digit ZIP or an original ID.
- A researcher cannot download another study's data.
- A family that withdrew consent is absent from later extracts.
- Every download is in the audit log.
"""

import datetime as dt
import random
import re
import zipfile
from pathlib import Path

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from kindred.accounts.services import create_account
from kindred.core.models import AuditEvent
from kindred.observe import services as observe
from kindred.observe.models import Consent, Encounter, Family, Response
from kindred.research import access, services
from kindred.research.models import DataRequest
from kindred.research.tests import factories as f

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\b(\d{3}[-. ])?\d{3}[-. ]\d{4}\b")
FULL_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/(19|20)\d\d\b")
# Five digits standing alone (random study IDs may hold digit runs inside a word).
ZIP5 = re.compile(r"(?<![\w.])\d{5}(?![\w.])")
FIRST = ["Ana", "Keisha", "Marisol", "Guadalupe", "Hannah", "Yesenia", "Tiana", "Rosa"]
LAST = ["Torres", "Okafor", "Begay", "Nguyen", "Ramírez", "Washington", "Kim", "Flores"]


def _text_of(folder: Path) -> str:
    """Everything a researcher receives, as text (zips opened, binary formats decoded)."""
    import pyarrow.parquet as pq
    import pyreadstat

    parts = []
    for path in folder.rglob("*"):
        if path.suffix in {".csv", ".md", ".json"}:
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".parquet":
            parts.append(pq.read_table(path).to_pandas().to_csv(index=False))
        elif path.suffix == ".sav":
            parts.append(pyreadstat.read_sav(str(path))[0].to_csv(index=False))
        elif path.suffix == ".dta":
            parts.append(pyreadstat.read_dta(str(path))[0].to_csv(index=False))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                parts += [
                    bundle.read(n).decode("utf-8", "replace")
                    for n in bundle.namelist()
                    if n.endswith((".csv", ".md", ".json"))
                ]
    return "\n".join(parts)


class ExtractNeverIdentifies(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clinician = f.with_totp(create_account("clin@example.org", None, verified=True))
        cls.lead = create_account("lead@example.org", None, verified=True)
        cls.steward = f.make_steward(create_account("steward@example.org", None, verified=True))

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        seed=st.integers(0, 10**6),
        families=st.integers(1, 7),
        k=st.integers(2, 6),
        zip_code=st.sampled_from(["74103", "03601", "60637", "89301", "10451"]),
        variables=st.lists(
            st.sampled_from(
                [
                    "language",
                    "site",
                    "site_kind",
                    "zip3",
                    "visit_year",
                    "child_age_months",
                    "child_birth_year",
                    "caregiver_relationship",
                    "preterm",
                ]
            ),
            unique=True,
        ),
    )
    def test_no_extract_contains_an_identifier(self, seed, families, k, zip_code, variables):
        rng = random.Random(seed)
        # Names made of letters: a seed's digits in a title would look like a ZIP code.
        tag = "".join("abcdefghij"[int(d)] for d in str(seed))
        site = f.make_site(f"Site {tag}", zip_code=zip_code)
        secrets = []
        for n in range(families):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{n}{seed}@example.org"
            phone = f"918-555-{rng.randint(1000, 9999)}"
            family = f.make_family(
                site,
                by=self.clinician,
                caregiver_name=f"{first} {last}",
                child_name=f"{rng.choice(FIRST)} {last}",
                email=email,
                phone=phone,
                age_days=rng.randint(60, 500),
                language=rng.choice(["en", "es"]),
                consent=rng.random() < 0.8,
            )
            note = f"Call {first} {last} at {phone} or {email} on 2026-03-04"
            for visit in range(rng.randint(1, 3)):
                f.visit(
                    family,
                    by=self.clinician,
                    slugs=("phq-2", "wecs"),
                    days_ago=5 + visit * 20,
                    rng=rng,
                    note=note,
                )
            secrets += [first + " " + last, email, phone, family.code]
        study = f.make_study(self.lead, sites=[site], slugs=("phq-2", "wecs"), title=f"Study {tag}")
        request = f.make_request(
            study, by=self.lead, slugs=["phq-2", "wecs"], variables=variables, k=k
        )
        dataset = f.approve(request, steward=self.steward)
        dataset.refresh_from_db()
        assert dataset.status == "ready", dataset.error
        text = _text_of(Path(dataset.folder))
        for secret in secrets:
            assert secret not in text
        assert not EMAIL.search(text), EMAIL.search(text)
        assert not PHONE.search(text), PHONE.search(text)
        assert not FULL_DATE.search(text.replace(dataset.report["built_at"], "")), FULL_DATE.search(
            text
        )
        assert zip_code not in text
        assert not ZIP5.search(text), ZIP5.search(text)
        ids = {str(pk) for pk in Family.objects.filter(site=site).values_list("pk", flat=True)}
        ids |= {str(pk) for pk in Encounter.objects.filter(site=site).values_list("pk", flat=True)}
        ids |= {str(pk) for pk in Response.objects.filter(site=site).values_list("pk", flat=True)}
        study_ids = set(re.findall(r"\b[A-HJ-NP-Z2-9]{10}\b", text))
        assert not study_ids & ids
        for family in Family.objects.filter(site=site):
            assert family.code not in text
        if "zip3" in variables:
            import pyarrow.parquet as pq

            zip3s = set()
            for path in Path(dataset.folder).glob("parquet/*.parquet"):
                zip3s |= set(pq.read_table(path, columns=["zip3"]).column(0).to_pylist())
            allowed = {"000"} if zip_code[:3] in {"036", "893"} else {zip_code[:3]}
            assert zip3s <= allowed | {None, "OK", "NH", "IL", "NV", "NY"}, zip3s


def test_researcher_cannot_download_another_studys_data(db, alice, bob, charlie, client_as):
    f.make_steward(alice)
    site = f.make_site()
    family = f.make_family(site, by=f.with_totp(alice))
    f.visit(family, by=alice)
    mine = f.make_study(bob, sites=[site])
    theirs = f.make_study(charlie, sites=[site], title="Charlie's study")
    dataset = f.approve(f.make_request(mine, by=bob), steward=alice)
    f.make_request(theirs, by=charlie)
    outsider = client_as(charlie)
    assert outsider.get(dataset.get_absolute_url()).status_code == 404
    assert outsider.get(access.download_url(dataset, charlie, "csv")).status_code == 404
    assert outsider.get(access.download_url(dataset, bob, "csv")).status_code == 404
    assert outsider.get(dataset.request.get_absolute_url()).status_code == 404
    assert outsider.get(reverse("research:psychometrics", args=[dataset.pk])).status_code == 404
    listing = outsider.get(reverse("research:requests")).content.decode()
    assert mine.title not in listing
    assert AuditEvent.objects.filter(verb="research.access_denied", actor=charlie).count() == 5
    assert not AuditEvent.objects.filter(verb="dataset.downloaded").exists()


def test_withdrawn_family_is_absent_from_later_extracts(db, alice, bob):
    f.make_steward(f.with_totp(alice))
    site = f.make_site()
    stays = f.make_family(site, by=alice, caregiver_name="Stays")
    leaves = f.make_family(site, by=alice, caregiver_name="Leaves")
    for family in (stays, leaves):
        f.visit(family, by=alice)
    study = f.make_study(bob, sites=[site])
    request = f.make_request(study, by=bob, variables=[])
    before = f.approve(request, steward=alice)
    assert before.family_count == 2
    consent = Consent.objects.get(family=leaves, kind="research")
    observe.withdraw_consent(consent, by=alice)
    after = services.start_build(DataRequest.objects.get(pk=request.pk), by=alice)
    after.refresh_from_db()
    assert after.family_count == 1 and after.row_count == 1
    assert after.report["families_left_out"] == 1
    # The earlier extract is what it was; the new one has only the family still consenting.
    csv_rows = (Path(after.folder) / "csv" / "phq-2.csv").read_text().strip().splitlines()
    assert len(csv_rows) == 2
    # A family that never consented, or declined, is never included either.
    f.visit(f.make_family(site, by=alice, consent=None, caregiver_name="No record"), by=alice)
    f.visit(f.make_family(site, by=alice, consent=False, caregiver_name="Declined"), by=alice)
    again = services.start_build(DataRequest.objects.get(pk=request.pk), by=alice)
    again.refresh_from_db()
    assert again.family_count == 1


def test_every_download_is_in_the_audit_log(db, alice, bob, client_as):
    f.make_steward(f.with_totp(alice))
    site = f.make_site()
    f.visit(f.make_family(site, by=alice), by=alice)
    study = f.make_study(bob, sites=[site])
    dataset = f.approve(f.make_request(study, by=bob), steward=alice)
    client = client_as(bob)
    what = ["csv", "parquet", "spss", "stata", "codebook", "dictionary", "disclosure", "csv"]
    for item in what:
        response = client.get(access.download_url(dataset, bob, item))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    events = AuditEvent.objects.filter(verb="dataset.downloaded", actor=bob).order_by("pk")
    assert [e.details["file"] for e in events] == what
    assert all(e.target_id == str(dataset.pk) and e.details["study"] == study.pk for e in events)


def test_k_anonymity_coarsens_small_groups(db, alice, bob):
    f.make_steward(f.with_totp(alice))
    site = f.make_site()
    for n in range(8):
        family = f.make_family(site, by=alice, age_days=40 + n * 45)
        f.visit(family, by=alice)
    study = f.make_study(bob, sites=[site])
    request = f.make_request(study, by=bob, variables=["child_age_months", "language"], k=4)
    dataset = f.approve(request, steward=alice)
    report = dataset.report
    assert report["k_satisfied"] and report["smallest_class"] >= 4
    assert report["generalisation"]["child_age_months"] != "months"
    text = (Path(dataset.folder) / "disclosure_report.md").read_text()
    assert "k = 4" in text and "Safe Harbor" in text
    assert (
        dt.date.today().isoformat() not in (Path(dataset.folder) / "csv" / "phq-2.csv").read_text()
    )
