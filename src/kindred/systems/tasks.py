"""Background work for systems: referral emails and HSDS imports.

Emails name no family: they say a referral moved and link to it; the page shows the rest
to those allowed to see it. Each runs once per status change, so a retry sends one more
copy at most, never a different message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from kindred.core import progress as task_progress


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipients(referral, status: str) -> list:
    from kindred.network.models import OrganizationMembership

    if status in {"sent", "cancelled"}:
        members = OrganizationMembership.objects.filter(
            organization=referral.to_organization
        ).select_related("user")
        admins = [m.user for m in members if m.is_admin]
        people = admins or [m.user for m in members]
    else:
        people = [referral.created_by] if referral.created_by else []
    return [p for p in people if p is not None and p.is_active and p.email]


@task()
def notify_referral(referral_id: str, status: str) -> int:
    """Tell the other side that a referral was sent or moved; returns emails sent."""
    from kindred.systems.models import Referral

    referral = (
        Referral.objects.select_related("service", "to_organization", "from_organization")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        return 0
    sent = 0
    for person in _recipients(referral, status):
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = (
                _("New referral for %(service)s") % {"service": referral.service.name}
                if status == "sent"
                else _("Referral %(ref)s: %(status)s")
                % {"ref": referral.short_ref, "status": referral.Status(status).label}
            )
            body = render_to_string(
                "systems/emails/referral_status.txt",
                {
                    "referral": referral,
                    "status": referral.Status(status).label,
                    "is_new": status == "sent",
                    "url": _absolute(referral.get_absolute_url()),
                },
            )
        EmailMessage(subject=str(subject), body=body, to=[person.email]).send()
        sent += 1
    return sent


@task()
def import_hsds_file(
    *,
    organization_id: int,
    user_id: int,
    filename: str,
    content: str,
    progress_id: str,
    default_need_id: int | None = None,
) -> None:
    """Import an HSDS JSON or CSV file in the background, all or nothing."""
    from kindred.accounts.models import User
    from kindred.network.models import Organization
    from kindred.systems.hsds_import import HsdsImportError, import_hsds

    with task_progress.tracking(progress_id):
        organization = Organization.objects.get(pk=organization_id)
        user = User.objects.get(pk=user_id)
        from kindred.systems.models import Need

        default_need = Need.objects.filter(pk=default_need_id).first() if default_need_id else None
        task_progress.advance(progress_id, done=0, total=1)
        try:
            services = import_hsds(
                organization=organization,
                actor=user,
                filename=filename,
                content=content,
                default_need=default_need,
            )
        except HsdsImportError as exc:
            lines = [str(problem) for problem in exc.problems[:50]]
            task_progress.fail(progress_id, message="\n".join([str(exc.summary), *lines]))
            return
        message = translation.ngettext(
            "Imported %(count)d service.", "Imported %(count)d services.", len(services)
        ) % {"count": len(services)}
        from django.urls import reverse

        task_progress.finish(
            progress_id,
            message=message,
            result_url=reverse("systems:organization-services", args=[organization.slug]),
        )
