"""Resources: drafting, review and publishing, and who may see and change what."""

from django.core import mail

from kindred.core.models import AuditEvent
from kindred.library.models import Resource, ResourceReview
from kindred.library.tests.factories import make_resource, topic
from kindred.library.text import reading_level


def test_member_drafts_a_resource_with_audiences_and_topics(client_as, alice):
    play = topic()
    response = client_as(alice).post(
        "/library/resources/new/",
        {
            "title": "Singing with your baby",
            "summary": "Songs are conversations.",
            "body": "Sing *anything*. Your baby loves your voice.",
            "type": "article",
            "language": "en",
            "audiences": ["parents", "community_workers"],
            "topics": [play.pk],
            "external_url": "https://example.org/songs",
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.status == "draft" and resource.author == alice
    assert resource.audiences == ["community_workers", "parents"]
    assert list(resource.topics.all()) == [play]
    assert resource.reading_grade > 0
    assert AuditEvent.objects.filter(verb="resource.created", actor=alice).exists()


def test_missing_fields_are_explained_and_kept(client_as, alice):
    response = client_as(alice).post(
        "/library/resources/new/", {"title": "Half done", "type": "video", "language": "en"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "A video needs a link" in body and 'value="Half done"' in body
    assert not Resource.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/library/resources/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_draft_is_hidden_from_outsiders_and_locked_for_them(client, client_as, alice, charlie):
    draft = make_resource(author=alice, status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client_as(charlie).get(draft.get_absolute_url()).status_code == 404
    assert client_as(alice).get(draft.get_absolute_url()).status_code == 200
    published = make_resource("Public guide", author=alice)
    assert client_as(charlie).get(f"{published.get_absolute_url()}edit/").status_code == 403


def test_submit_is_post_only(client_as, alice):
    draft = make_resource(author=alice, status="draft")
    assert client_as(alice).get(f"{draft.get_absolute_url()}submit/").status_code == 405


def test_review_flow_publishes_after_approval(client_as, alice, bob, staff):
    draft = make_resource("Reading together", author=alice, status="draft")
    client_as(alice).post(f"{draft.get_absolute_url()}submit/")
    draft.refresh_from_db()
    assert draft.status == "in_review"
    # Only staff may ask someone to review.
    assert (
        client_as(alice)
        .post(f"{draft.get_absolute_url()}reviewers/", {"email": bob.email})
        .status_code
        == 403
    )
    mail.outbox.clear()
    client_as(staff).post(f"{draft.get_absolute_url()}reviewers/", {"email": bob.email})
    assert ResourceReview.objects.get(resource=draft).reviewer == bob
    assert mail.outbox[0].to == [bob.email] and "Please review" in mail.outbox[0].subject
    # The reviewer now sees the draft and approves it.
    assert client_as(bob).get(draft.get_absolute_url()).status_code == 200
    client_as(bob).post(f"{draft.get_absolute_url()}review/", {"decision": "approve"})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at
    assert mail.outbox[-1].to == [alice.email] and "Published" in mail.outbox[-1].subject


def test_asking_for_changes_needs_a_note_and_returns_to_draft(client_as, alice, bob, staff):
    resource = make_resource(author=alice, status="draft")
    client_as(alice).post(f"{resource.get_absolute_url()}submit/")
    client_as(staff).post(f"{resource.get_absolute_url()}reviewers/", {"email": bob.email})
    response = client_as(bob).post(
        f"{resource.get_absolute_url()}review/", {"decision": "changes"}, follow=True
    )
    assert "Please say what should change" in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == "in_review"
    client_as(bob).post(
        f"{resource.get_absolute_url()}review/",
        {"decision": "changes", "note": "Add a Spanish summary."},
    )
    resource.refresh_from_db()
    assert resource.status == "draft"
    assert resource.reviews.get().note == "Add a Spanish summary."


def test_outsider_cannot_review(client_as, alice, charlie):
    resource = make_resource(author=alice, status="in_review")
    # charlie is not a reviewer: the draft does not exist for him.
    assert (
        client_as(charlie)
        .post(f"{resource.get_absolute_url()}review/", {"decision": "approve"})
        .status_code
        == 404
    )
    resource.refresh_from_db()
    assert resource.status == "in_review"


def test_unknown_reviewer_is_explained(client_as, alice, staff):
    resource = make_resource(author=alice, status="in_review")
    response = client_as(staff).post(
        f"{resource.get_absolute_url()}reviewers/", {"email": "nobody@example.org"}, follow=True
    )
    assert "Nobody with that email address" in response.content.decode()
    assert not ResourceReview.objects.exists()


def test_staff_archives_and_archived_resources_leave_the_library(client, client_as, staff):
    resource = make_resource("Old guide")
    client_as(staff).post(f"{resource.get_absolute_url()}archive/")
    resource.refresh_from_db()
    assert resource.status == "archived"
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_translations_link_both_ways(client, alice):
    english = make_resource("Talking with your baby")
    spanish = make_resource("Hablar con tu bebé", language="es", translation_of=english)
    page = client.get(english.get_absolute_url()).content.decode()
    assert spanish.get_absolute_url() in page and 'hreflang="es"' in page
    assert english.get_absolute_url() in client.get(spanish.get_absolute_url()).content.decode()


def test_author_edits_title_and_file_is_kept(client_as, alice):
    resource = make_resource("First title", author=alice, status="draft")
    client_as(alice).post(
        f"{resource.get_absolute_url()}edit/",
        {
            "title": "Better title",
            "summary": resource.summary,
            "body": resource.body,
            "type": "article",
            "language": "en",
            "audiences": ["parents"],
        },
    )
    resource.refresh_from_db()
    assert resource.title == "Better title" and resource.slug == "better-title"


def test_reading_level_easy_versus_technical():
    easy_ease, easy_grade = reading_level(
        "Hold your baby. Sing a song. Smile and wait. Take turns.", "en"
    )
    hard_ease, hard_grade = reading_level(
        "Intergenerational transmission of relational adversity necessitates comprehensive, "
        "multidisciplinary interventions incorporating developmental neuroscience.",
        "en",
    )
    assert easy_grade < 5 < hard_grade and easy_ease > hard_ease
    es_easy, _ = reading_level("Abraza a tu bebé. Canta. Sonríe. Mira sus ojos.", "es")
    es_hard, _ = reading_level(
        "La transmisión intergeneracional de adversidades relacionales requiere intervenciones "
        "multidisciplinarias fundamentadas en neurociencia del desarrollo.",
        "es",
    )
    assert es_easy > es_hard


def test_library_list_queries_are_bounded(client, db, django_assert_max_num_queries):
    for number in range(30):
        make_resource(f"Guide number {number}", topics=[topic()])
    with django_assert_max_num_queries(12):
        response = client.get("/library/")
    assert response.status_code == 200
    assert "30 resources" in response.content.decode()
