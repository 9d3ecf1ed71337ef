from importlib import import_module

import pytest
from django.utils import translation

from kindred.core.models import Role, Sector, Topic

FIELDS = {"slug", "name_en", "name_es", "description_en", "description_es"}


SEEDED = import_module("kindred.core.migrations.0003_seed_vocabularies")


@pytest.mark.parametrize(
    ("model", "rows"),
    [(Role, SEEDED.ROLES), (Sector, SEEDED.SECTORS), (Topic, SEEDED.TOPICS)],
    ids=["roles", "sectors", "topics"],
)
def test_the_migration_seeds_every_vocabulary_in_both_languages(db, model, rows):
    # Other apps may add terms of their own (policy adds policy topics), never remove ours.
    slugs = set(model.objects.values_list("slug", flat=True))
    assert {row[0] for row in rows} <= slugs
    assert len(rows) >= 12
    for term in model.objects.all():
        assert term.name_en and term.name_es, term.slug
        assert term.description_en and term.description_es, term.slug


def test_terms_come_in_display_order_with_other_last(db):
    slugs = list(Role.objects.values_list("slug", flat=True))
    assert slugs[0] == "parent-caregiver"
    assert slugs[-1] == "other"


def test_a_term_speaks_the_current_language(db):
    doula = Role.objects.get(slug="community-health-worker")
    with translation.override("es"):
        assert doula.name == "Promotora o promotor de salud"
        assert str(doula) == "Promotora o promotor de salud"
        assert doula.description.startswith("Una persona de confianza")
    with translation.override("en"):
        assert doula.name == "Community health worker"


def test_the_api_lists_all_vocabularies(client, db):
    response = client.get("/api/vocabularies")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"roles", "sectors", "topics"}
    assert len(body["topics"]) == Topic.objects.active().count() >= 12
    first = body["roles"][0]
    assert set(first) == FIELDS
    assert first["slug"] == "parent-caregiver"
    assert first["name_es"] == "Madre, padre o persona cuidadora"


@pytest.mark.parametrize(
    ("kind", "model"), [("roles", Role), ("sectors", Sector), ("topics", Topic)]
)
def test_the_api_lists_one_vocabulary(client, db, kind, model):
    response = client.get(f"/api/vocabularies/{kind}")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()] == list(
        model.objects.values_list("slug", flat=True)
    )


def test_the_api_leaves_out_terms_no_longer_in_use(client, db):
    Topic.objects.filter(slug="child-care").update(is_active=False)
    slugs = [item["slug"] for item in client.get("/api/vocabularies/topics").json()]
    assert "child-care" not in slugs and "health-equity" in slugs


def test_an_unknown_vocabulary_is_404(client, db):
    response = client.get("/api/vocabularies/colours")
    assert response.status_code == 404
    assert "roles, sectors or topics" in response.json()["detail"]


def test_the_vocabulary_api_does_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/api/vocabularies")
