"""Public study pages, findings in English and Spanish, and the agenda trail
question → studies → findings."""

from django.urls import reverse
from django.utils import translation

from kindred.research import services
from kindred.research.models import Finding, Study
from kindred.research.tests.factories import make_site, make_study


def test_member_registers_a_study_and_it_is_public(db, bob, client_as, client):
    site = make_site()
    response = client_as(bob).post(
        reverse("research:study-new"),
        {
            "title": "Play in the clinic",
            "summary": "A study.",
            "status": "planned",
            "sites": [site.pk],
            "ethics_status": "pending",
            "registration_id": "OSF-1",
            "protocol_url": "https://example.org/p",
        },
    )
    study = Study.objects.get()
    assert response.status_code == 302 and study.lead == bob and study.slug == "play-in-the-clinic"
    page = client.get(study.get_absolute_url()).content.decode()
    assert "Play in the clinic" in page and "OSF-1" in page and "Under review" in page
    assert "Request data" not in page


def test_only_the_lead_edits_and_manages_the_team(db, alice, bob, charlie, client_as):
    study = make_study(alice)
    edit = reverse("research:study-edit", args=[study.slug])
    assert client_as(charlie).get(edit).status_code == 403
    team = reverse("research:study-team", args=[study.slug])
    assert client_as(charlie).post(team, {"email": "bob@example.org"}).status_code == 403
    client_as(alice).post(team, {"email": "bob@example.org"})
    assert bob in study.team.all()
    client_as(alice).post(team, {"email": "nobody@example.org"})
    assert study.team.count() == 1
    client_as(alice).post(team, {"remove": str(bob.pk)})
    assert study.team.count() == 0


def _finding(study, by, **extra):
    fields = {
        "title_en": "Small moments matter",
        "title_es": "Los pequeños momentos importan",
        "summary_en": "Babies and parents connect in everyday moments.",
        "summary_es": "Los bebés y sus familias se conectan en momentos cotidianos.",
        "chart": [{"label_en": "Clinic", "label_es": "Clínica", "value": 80}],
        "chart_title_en": "Connected visits",
        "chart_title_es": "Visitas conectadas",
    }
    fields.update(extra)
    return services.create_finding(by=by, study=study, **fields)


def test_published_finding_is_public_in_both_languages(db, alice, client):
    question = services.propose_question(by=alice, title="Does play help?", why="-", theme="impact")
    services.decide_question(question, accept=True, by=alice)
    study = make_study(alice, questions=[question])
    finding = _finding(study, alice, questions=[question])
    assert client.get(finding.get_absolute_url()).status_code == 404  # still a draft
    services.publish_finding(finding, by=alice)
    page = client.get(finding.get_absolute_url()).content.decode()
    assert "Babies and parents connect" in page and "<svg" in page and "80%" in page
    assert question.get_absolute_url() in page and study.get_absolute_url() in page
    with translation.override("es"):
        spanish = client.get(finding.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content
    assert "Los bebés y sus familias" in spanish.decode()
    agenda = client.get(reverse("research:index")).content.decode()
    assert finding.get_absolute_url() in agenda and study.get_absolute_url() in agenda


def test_publishing_needs_both_family_summaries(db, alice, client_as):
    finding = _finding(make_study(alice), alice, summary_es="")
    client_as(alice).post(
        reverse("research:finding-publish", args=[finding.slug]), {"publish": "1"}
    )
    finding.refresh_from_db()
    assert finding.status == Finding.Status.DRAFT


def test_team_writes_a_finding_with_chart_rows(db, alice, charlie, client_as):
    study = make_study(alice)
    url = reverse("research:finding-new", args=[study.slug])
    assert client_as(charlie).get(url).status_code == 403
    data = {
        "title_en": "Reading",
        "title_es": "Lectura",
        "summary_en": "Read.",
        "summary_es": "Lean.",
        "chart_unit": "%",
        "chart_rows": "Read daily | Leen a diario | 42\nNot yet | Todavía no | 58",
    }
    response = client_as(alice).post(url, data)
    finding = Finding.objects.get()
    assert response.status_code == 302 and finding.chart[1]["value"] == 58
    bad = client_as(alice).post(url, {**data, "title_en": "Other", "chart_rows": "oops"})
    assert "Line 1 should look like" in bad.content.decode()
    assert Finding.objects.count() == 1


def test_list_pages_have_bounded_queries(db, alice, client, django_assert_max_num_queries):
    for n in range(4):
        finding = _finding(make_study(alice, title=f"Study {n}"), alice, title_en=f"F{n}")
        services.publish_finding(finding, by=alice)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("research:findings")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("research:studies")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("research:index")).status_code == 200
