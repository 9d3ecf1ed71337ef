import pytest
from django.urls import reverse

from kindred.systems import services
from kindred.systems.models import Certificate, Competency, Enrolment
from kindred.systems.services import SystemsError
from kindred.systems.tests.factories import make_path, ratings


@pytest.fixture
def path(db):
    return make_path()


def _enrol(client, path, value="2"):
    data = {f"confidence_{c.slug}": value for c in path.competencies.all()}
    return client.post(f"/systems/learning/{path.slug}/enrol/", data)


def _pass(client, path, module, answer="0"):
    data = {f"question_{q.pk}": answer for q in module.questions.all()}
    return client.post(f"/systems/learning/{path.slug}/modules/{module.order}/quiz/", data)


def test_a_learner_completes_a_path_and_anyone_verifies_the_certificate(
    path, bob, client_as, client
):
    learner = client_as(bob)
    assert learner.post(f"/systems/learning/{path.slug}/enrol/", {}).status_code == 422
    assert _enrol(learner, path).status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.pre_confidence == {"attune": 2, "strengths": 2}
    first, second = path.modules.all()
    response = _pass(learner, path, first, answer="1")  # all wrong: 0%
    assert response.status_code == 200 and "You scored 0%" in response.content.decode()
    assert _pass(learner, path, first).status_code == 302
    # Finishing early is refused with a clear message.
    assert learner.get(f"/systems/learning/{path.slug}/finish/").status_code == 200
    with pytest.raises(SystemsError, match="Pass every module"):
        services.complete_path(enrolment=enrolment, post_confidence=ratings(path, 4))
    _pass(learner, path, second)
    data = {f"confidence_{c.slug}": "4" for c in path.competencies.all()}
    response = learner.post(f"/systems/learning/{path.slug}/finish/", data)
    certificate = Certificate.objects.get()
    assert response.status_code == 302 and response.url == certificate.get_absolute_url()
    enrolment.refresh_from_db()
    assert enrolment.confidence_change == 2.0
    page = client.get(f"/systems/certificates/{certificate.code}/").content.decode()
    assert "This certificate is valid." in page and "Bob Member" in page
    pdf = client.get(f"/systems/certificates/{certificate.code.lower()}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    api = client.get(f"/api/systems/certificates/{certificate.code}").json()
    assert api["valid"] is True and api["ce_hours"] == 2.0


def test_an_unknown_certificate_code_is_not_found_without_hints(client, path, bob):
    enrolment = Enrolment.objects.create(user=bob, path=path)
    real = Certificate.objects.create(
        enrolment=enrolment, holder_name="Bob", path_title="P", ce_hours=1
    )
    near_miss = real.code[:-1] + ("A" if real.code[-1] != "A" else "B")
    for code in (near_miss, "nothing", "ZZZZ-ZZZZ-ZZZZ"):
        response = client.get(f"/systems/certificates/{code}/")
        body = response.content.decode()
        assert response.status_code == 404 and "Certificate not found" in body
        assert real.code not in body and "Bob" not in body
    assert client.get("/systems/certificates/?code=ZZZZ-ZZZZ-ZZZZ").status_code == 404
    assert client.get("/systems/certificates/nothing/pdf/").status_code == 404
    assert client.get("/api/systems/certificates/nothing").status_code == 404


def test_the_lookup_form_finds_a_code_typed_loosely(client, path, bob):
    enrolment = Enrolment.objects.create(user=bob, path=path)
    certificate = Certificate.objects.create(
        enrolment=enrolment, holder_name="Bob", path_title="P", ce_hours=1
    )
    response = client.get("/systems/certificates/", {"code": f" {certificate.code.lower()} "})
    assert response.status_code == 302 and response.url == certificate.get_absolute_url()


def test_quizzes_need_every_answer_and_an_enrolment(path, bob, client_as):
    learner = client_as(bob)
    module = path.modules.first()
    assert _pass(learner, path, module).status_code == 302  # not enrolled: sent to the path
    _enrol(learner, path)
    response = learner.post(f"/systems/learning/{path.slug}/modules/1/quiz/", {})
    assert response.status_code == 422 and "Choose an answer." in response.content.decode()


def test_the_module_page_renders_safe_markdown_and_spanish(path, client):
    path.modules.first().pages.update(body_en="**Notice** <script>alert(1)</script>")
    body = client.get(f"/systems/learning/{path.slug}/modules/1/").content.decode()
    assert "<strong>Notice</strong>" in body and "<script>alert" not in body
    client.cookies["django_language"] = "es"
    body = client.get(f"/systems/learning/{path.slug}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Primeros pasos" in body


def test_only_staff_edit_the_competency_framework(client_as, alice, db):
    url = reverse("systems:competency-new")
    assert client_as(alice).get(url).status_code == 403
    from allauth.mfa.models import Authenticator

    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    response = client_as(alice).post(
        url,
        {
            "slug": "repair",
            "domain_en": "Relationships",
            "name_en": "Repair after a rupture",
            "order": 9,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Competency.objects.filter(slug="repair").exists()
    response = client_as(alice).post(
        url, {"slug": "repair", "domain_en": "x", "name_en": "y", "order": 1}
    )
    assert response.status_code == 422  # the code is taken


def test_an_organization_sees_its_staffs_progress(clinic, path, alice, bob, charlie, client_as):
    services.enrol_in_path(user=bob, path=path, pre_confidence=ratings(path))
    url = f"/systems/organizations/{clinic.slug}/learning/"
    body = client_as(alice).get(url).content.decode()
    assert "Bob Member" in body and "0 / 2" in body
    assert client_as(bob).get(url).status_code == 403
    assert client_as(charlie).get(url).status_code == 403
