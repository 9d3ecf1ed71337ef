"""Background work for the policy area: alert emails, letter exports and letter delivery.

Each task can be retried without duplicating anything: alerts are sent once per change
(the task runs once per recorded change), deliveries are unique per signature and official,
and exports overwrite their own file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kindred.core import progress as task_progress

# Under private/: never served as media; downloads go through policy:export-download.
EXPORT_DIR = "private/policy-exports"


def export_path(progress_id: str, file_format: str) -> Path:
    folder = Path(settings.MEDIA_ROOT) / EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{progress_id}.{file_format}"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _alert_email(subscription, subject: str, template: str, context: dict) -> EmailMessage:
    manage_url = _absolute(reverse("policy:subscription", args=[subscription.token]))
    with translation.override(subscription.language):
        body = render_to_string(
            template, {**context, "manage_url": manage_url, "subscription": subscription}
        )
        subject = str(subject)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{manage_url}>"},
    )


@task()
def send_subscription_confirmation(subscription_id: int) -> bool:
    from kindred.policy.models import Subscription

    subscription = Subscription.objects.filter(pk=subscription_id, is_confirmed=False).first()
    if subscription is None:
        return False
    with translation.override(subscription.language):
        subject = _("Please confirm your Kindred policy alerts")
    confirm_url = _absolute(reverse("policy:subscription-confirm", args=[subscription.token]))
    message = _alert_email(
        subscription,
        subject,
        "policy/emails/confirm_subscription.txt",
        {"confirm_url": confirm_url},
    )
    message.send()
    return True


@task()
def notify_status_change(change_id: int) -> int:
    """Email every confirmed, immediate subscriber whom this change concerns.

    Safe to run again (a worker that died mid-way, a requeued task): each subscription's
    delivery is recorded in the same transaction as its send, so no one gets it twice.
    """
    from kindred.policy.models import AlertDelivery, StatusChange, Subscription

    change = (
        StatusChange.objects.select_related("policy__jurisdiction").filter(pk=change_id).first()
    )
    if change is None or not change.policy.is_published:
        return 0
    policy = change.policy
    topic_ids = set(policy.topics.values_list("pk", flat=True))
    candidates = (
        Subscription.objects.filter(is_confirmed=True, frequency=Subscription.Frequency.IMMEDIATE)
        .filter(Q(topic__isnull=True) | Q(topic__in=topic_ids))
        .select_related("jurisdiction")
    )
    policy_url = _absolute(policy.get_absolute_url())
    already = set(
        AlertDelivery.objects.filter(change=change).values_list("subscription_id", flat=True)
    )
    connection = get_connection()
    sent = 0
    for subscription in candidates:
        if subscription.pk in already or not subscription.matches(policy, topic_ids):
            continue
        with translation.override(subscription.language):
            subject = _("%(title)s: %(status)s") % {
                "title": policy.title,
                "status": change.get_status_display(),
            }
            message = _alert_email(
                subscription,
                subject,
                "policy/emails/status_change.txt",
                {"policy": policy, "change": change, "policy_url": policy_url},
            )
        message.connection = connection
        try:
            with transaction.atomic():
                AlertDelivery.objects.create(change=change, subscription=subscription)
                message.send()
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


@task()
def send_weekly_digests() -> int:
    """One email per weekly subscriber listing the changes since their last digest."""
    from kindred.policy.models import StatusChange, Subscription

    now = timezone.now()
    sent = 0
    subscriptions = Subscription.objects.filter(
        is_confirmed=True, frequency=Subscription.Frequency.WEEKLY
    ).select_related("jurisdiction")
    for subscription in subscriptions:
        since = subscription.last_digest_at or now - timedelta(days=7)
        changes = [
            change
            for change in StatusChange.objects.filter(created__gt=since, policy__is_published=True)
            .select_related("policy__jurisdiction")
            .prefetch_related("policy__topics")
            if subscription.matches(change.policy)
        ]
        if changes:
            with translation.override(subscription.language):
                subject = _("Policy changes this week (%(n)d)") % {"n": len(changes)}
                changes_with_urls = [(c, _absolute(c.policy.get_absolute_url())) for c in changes]
                _alert_email(
                    subscription,
                    subject,
                    "policy/emails/digest.txt",
                    {"changes": changes_with_urls},
                ).send()
            sent += 1
        subscription.last_digest_at = now
        subscription.save(update_fields=["last_digest_at"])
    return sent


@task()
def export_letters(action_id: int, progress_id: str, file_format: str) -> int:
    from kindred.policy import letters
    from kindred.policy.models import AdvocacyAction

    action = AdvocacyAction.objects.get(pk=action_id)
    try:
        total = letters.count_letters(action)
        task_progress.advance(progress_id, done=0, total=total)
        path = export_path(progress_id, file_format)
        writer = letters.write_pdf if file_format == "pdf" else letters.write_csv
        written = writer(action, path, lambda n: task_progress.advance(progress_id, done=n))
    except Exception as exc:
        task_progress.fail(progress_id, message=_("The export stopped: %(error)s") % {"error": exc})
        raise
    task_progress.advance(progress_id, done=written)
    task_progress.finish(
        progress_id,
        message=_("%(n)d letters are ready.") % {"n": written},
        result_url=reverse("policy:export-download", args=[progress_id]),
    )
    return written


@task()
def deliver_letters(action_id: int, progress_id: str) -> int:
    """Email each letter to its official where an address exists; never twice."""
    from kindred.policy import letters
    from kindred.policy.models import AdvocacyAction, LetterDelivery

    action = AdvocacyAction.objects.get(pk=action_id)
    pairs = list(letters.deliverable_pairs(action))
    task_progress.advance(progress_id, done=0, total=sum(group.count() for _o, group in pairs))
    sent = skipped = 0
    connection = get_connection()
    for official, group in pairs:
        done = set(
            LetterDelivery.objects.filter(
                official=official, status=LetterDelivery.Status.SENT, signature__action=action
            ).values_list("signature_id", flat=True)
        )
        for signature in group.iterator(chunk_size=letters.CHUNK):
            if signature.pk in done:
                skipped += 1
                continue
            subject, body = letters.render_letter(action, signature, official)
            delivery, _made = LetterDelivery.objects.get_or_create(
                signature=signature, official=official
            )
            message = EmailMessage(
                subject=subject,
                body=body,
                to=[official.email],
                reply_to=[signature.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception as exc:  # one bad address must not stop the others
                delivery.status, delivery.error = LetterDelivery.Status.FAILED, str(exc)[:300]
                delivery.save(update_fields=["status", "error"])
                continue
            delivery.status, delivery.sent_at = LetterDelivery.Status.SENT, timezone.now()
            delivery.save(update_fields=["status", "sent_at"])
            sent += 1
            task_progress.advance(progress_id, step=1)
    task_progress.finish(
        progress_id,
        message=_("%(sent)d letters sent; %(skipped)d had been sent before.")
        % {"sent": sent, "skipped": skipped},
    )
    return sent
