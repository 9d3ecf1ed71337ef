"""Stories: consent choices, moderation, and withdrawing consent."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kindred.library import services
from kindred.library.models import Story
from kindred.library.tests.factories import topic
from kindred.places.models import State


def story_form(**overrides) -> dict:
    data = {
        "title": "The night she first laughed",
        "body": "We were singing in the kitchen and she laughed out loud.",
        "teller_name": "Rosa María Flores",
        "teller_email": "rosa@example.org",
        "teller_role": "parent",
        "attribution": "first_name",
        "language": "en",
        "consent": "on",
    }
    data.update(overrides)
    return data


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "PNG")
    return SimpleUploadedFile("family.png", buffer.getvalue(), content_type="image/png")


def make_story(**overrides) -> Story:
    data = {
        "title": "Bath time songs",
        "body": "Every evening we sing.",
        "teller_name": "Rosa María Flores",
        "teller_role": "parent",
        "attribution": "full_name",
        "teller_email": "rosa@example.org",
    }
    data.update(overrides)
    return services.submit_story(**data)


def test_guest_shares_a_story_that_waits_for_moderation(client, db):
    ohio = State.objects.get(usps="OH")
    response = client.post(
        "/library/stories/new/",
        story_form(
            state=ohio.pk,
            topics=[topic().pk],
            photo=png(),
            photo_alt="Rosa and her baby",
            consent_photo="on",
        ),
    )
    assert response.status_code == 200 and "Thank you for your story" in response.content.decode()
    story = Story.objects.get()
    assert story.status == "submitted" and story.consent_at and story.consent_photo
    assert story.state == ohio and story.teller_email == "rosa@example.org"
    # Nobody else sees it yet.
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "The night she first laughed" not in client.get("/library/stories/").content.decode()


def test_consent_is_required_and_answers_are_kept(client, db):
    response = client.post("/library/stories/new/", story_form(consent=""))
    body = response.content.decode()
    assert "Please give your consent" in body and "The night she first laughed" in body
    assert not Story.objects.exists()


def test_guest_must_leave_an_email(client, db):
    response = client.post("/library/stories/new/", story_form(teller_email=""))
    assert "This field is required" in response.content.decode()
    assert not Story.objects.exists()


def test_photo_needs_a_description(client, db):
    response = client.post("/library/stories/new/", story_form(photo=png(), photo_alt=""))
    assert "Please describe the photo" in response.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("attribution", "shown", "hidden"),
    [
        ("full_name", "Rosa María Flores", None),
        ("first_name", "Rosa", "Flores"),
        ("anonymous", "Parent or caregiver in Ohio", "Rosa"),
    ],
)
def test_published_story_credits_as_the_teller_chose(client, staff, attribution, shown, hidden):
    story = make_story(attribution=attribution, state=State.objects.get(usps="OH"))
    services.moderate_story(story, by=staff, publish=True)
    page = client.get(story.get_absolute_url()).content.decode()
    assert shown in page
    if hidden:
        assert hidden not in page


def test_photo_without_consent_is_never_shown(client, staff):
    story = make_story(photo=png(), photo_alt="Us", consent_photo=False)
    services.moderate_story(story, by=staff, publish=True)
    assert 'class="story-photo"' not in client.get(story.get_absolute_url()).content.decode()


def test_staff_moderates_and_the_teller_hears(client_as, staff):
    story = make_story()
    page = client_as(staff).get("/library/stories/moderation/").content.decode()
    assert "Bath time songs" in page
    mail.outbox.clear()
    client_as(staff).post(f"/library/stories/{story.pk}/moderate/", {"decision": "publish"})
    story.refresh_from_db()
    assert story.status == "published" and story.moderated_by == staff
    assert mail.outbox[0].to == ["rosa@example.org"] and "published" in mail.outbox[0].subject


def test_declining_needs_a_kind_note(client_as, staff):
    story = make_story()
    response = client_as(staff).post(
        f"/library/stories/{story.pk}/moderate/", {"decision": "decline"}, follow=True
    )
    assert "Please write a short note" in response.content.decode()
    story.refresh_from_db()
    assert story.status == "submitted"


def test_moderation_is_for_staff_only(client_as, alice):
    story = make_story()
    assert client_as(alice).get("/library/stories/moderation/").status_code == 403
    assert (
        client_as(alice)
        .post(f"/library/stories/{story.pk}/moderate/", {"decision": "publish"})
        .status_code
        == 403
    )
    story.refresh_from_db()
    assert story.status == "submitted"


def test_member_withdraws_their_story(client, client_as, alice, bob, staff):
    story = make_story(submitted_by=alice)
    services.moderate_story(story, by=staff, publish=True)
    # bob cannot withdraw alice's story.
    assert client_as(bob).post(f"/library/stories/{story.pk}/withdraw/").status_code == 403
    client_as(alice).post(f"/library/stories/{story.pk}/withdraw/")
    story.refresh_from_db()
    assert story.status == "withdrawn"
    assert client.get(story.get_absolute_url()).status_code == 404


def test_stories_by_place_and_theme(client, staff):
    play = topic()
    ohio, texas = State.objects.get(usps="OH"), State.objects.get(usps="TX")
    for title, state, topics in [("Ohio play", ohio, [play]), ("Texas night", texas, [])]:
        services.moderate_story(
            make_story(title=title, state=state, topics=topics), by=staff, publish=True
        )
    by_place = client.get("/library/stories/", {"state": "tx"}).content.decode()
    assert "Texas night" in by_place and "Ohio play" not in by_place
    by_theme = client.get("/library/stories/", {"topic": "play"}, headers={"HX-Request": "true"})
    assert "Ohio play" in by_theme.content.decode() and "<html" not in by_theme.content.decode()
