from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.library.models import Story
from kindred.library.tasks import send_story_decision


@transaction.atomic
def submit_story(
    *,
    title: str,
    body: str,
    teller_name: str,
    teller_role: str,
    attribution: str,
    teller_email: str = "",
    submitted_by=None,
    language: str = "en",
    topics=(),
    state=None,
    county=None,
    photo=None,
    photo_alt: str = "",
    consent_photo: bool = False,
    created=None,
) -> Story:
    """A story waiting for moderation. The caller has checked the consent box."""
    story = Story(
        title=title,
        body=body,
        teller_name=teller_name,
        teller_email=(teller_email or getattr(submitted_by, "email", "") or "").lower(),
        teller_role=teller_role,
        attribution=attribution,
        consent_at=timezone.now(),
        consent_photo=bool(photo) and consent_photo,
        submitted_by=submitted_by,
        language=language,
        state=state or (county.state if county else None),
        county=county,
        photo_alt=photo_alt,
    )
    if photo:
        story.photo = photo
    story.full_clean(exclude=["photo"])
    story.save()
    if created:
        Story.objects.filter(pk=story.pk).update(created=created)
    story.topics.set(topics)
    log_action(submitted_by, "story.submitted", story)
    return story


@transaction.atomic
def moderate_story(
    story: Story, *, by, publish: bool, note: str = "", when=None, notify: bool = True
) -> Story:
    """Publish a story or decline it (with a kind note to the storyteller)."""
    if story.status != Story.Status.SUBMITTED:
        raise ValidationError(_("This story has already been moderated."))
    if not publish and not note.strip():
        raise ValidationError(_("Please write a short note so the storyteller knows why."))
    story.status = Story.Status.PUBLISHED if publish else Story.Status.DECLINED
    story.moderated_by = by
    story.moderated_at = when or timezone.now()
    story.moderation_note = note
    fields = ["status", "moderated_by", "moderated_at", "moderation_note"]
    if publish:
        story.published_at = story.moderated_at
        fields.append("published_at")
    story.save(update_fields=fields)
    log_action(by, "story.published" if publish else "story.declined", story)
    if notify:
        send_story_decision.enqueue(story.pk)
    return story


@transaction.atomic
def withdraw_story(story: Story, *, by) -> Story:
    """The storyteller takes their story (and their consent) back."""
    story.status = Story.Status.WITHDRAWN
    story.save(update_fields=["status"])
    log_action(by, "story.withdrawn", story)
    return story
