"""Writes and summaries for commitments."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindred.core.audit import log_action
from kindred.core.models import Sector
from kindred.core.slugs import unique_slug
from kindred.network.models import Organization
from kindred.places.models import State
from kindred.systems.models import Commitment, Milestone, ProgressUpdate
from kindred.systems.services.errors import SystemsError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension -> the first bytes such a file starts with (None: plain UTF-8 text).
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".csv": None,
    ".txt": None,
}


def check_evidence_file(upload: UploadedFile) -> None:
    """Refuse files that are too big, of a kind we do not keep, or whose content does not
    match their name (a program renamed to .pdf)."""
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise SystemsError(
            _(
                "Evidence can be a PDF, an image (PNG or JPEG), a Word or Excel file, or a CSV "
                "or text file."
            ),
            field="evidence_file",
        )
    if upload.size > MAX_EVIDENCE_BYTES:
        raise SystemsError(_("Evidence files can be up to 10 MB."), field="evidence_file")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = EVIDENCE_TYPES[extension]
    if signatures is None:
        try:
            head.decode("utf-8")
            is_text = b"\x00" not in head
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at 2048 bytes is fine; binary content is not.
            is_text = exc.start >= len(head) - 3 and b"\x00" not in head
        if not is_text:
            raise SystemsError(
                _("This file is not plain text. Save it as CSV or text (UTF-8) and try again."),
                field="evidence_file",
            )
    elif not any(head.startswith(signature) for signature in signatures):
        raise SystemsError(
            _(
                "This file's content does not match its name (%(ext)s). Please upload the "
                "original file."
            )
            % {"ext": extension},
            field="evidence_file",
        )


def _require_admin(actor, organization: Organization) -> None:
    if not organization.can_edit(actor):
        raise PermissionDenied


@transaction.atomic
def create_commitment(
    *,
    actor,
    organization: Organization,
    title: str,
    kind: str,
    description: str = "",
    partners: list[Organization] | tuple = (),
    states: list[State] | tuple = (),
    milestones: list[tuple[str, date]] | tuple = (),
    target_date: date | None = None,
    made_on: date | None = None,
) -> Commitment:
    """A public commitment by ``organization`` (whose admin ``actor`` must be), alone or
    with coalition ``partners``. Without ``states``, the organizations' own states."""
    _require_admin(actor, organization)
    if kind not in Commitment.Kind.values:
        raise SystemsError(_("Choose what kind of change this is."), field="kind")
    partners = [p for p in partners if p.pk != organization.pk]
    commitment = Commitment(
        organization=organization,
        title=title.strip(),
        slug=unique_slug(Commitment, title),
        kind=kind,
        description=description.strip(),
        target_date=target_date,
        made_on=made_on or timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    commitment.full_clean(exclude=["slug"])
    commitment.save()
    commitment.partners.set(partners)
    if not states:
        state_ids = {o.state_id for o in [organization, *partners] if o.state_id}
        states = list(State.objects.filter(pk__in=state_ids))
    commitment.states.set(states)
    for order, (milestone_title, due_on) in enumerate(milestones):
        Milestone.objects.create(
            commitment=commitment, title=milestone_title, due_on=due_on, order=order
        )
    log_action(actor, "commitment.made", commitment, partners=[p.pk for p in partners])
    return commitment


@transaction.atomic
def add_milestone(*, commitment: Commitment, actor, title: str, due_on: date) -> Milestone:
    if not commitment.can_edit(actor):
        raise PermissionDenied
    order = commitment.milestones.count()
    milestone = Milestone.objects.create(
        commitment=commitment, title=title.strip(), due_on=due_on, order=order
    )
    log_action(actor, "commitment.milestone_added", commitment, milestone=milestone.pk)
    return milestone


@transaction.atomic
def post_progress_update(
    *,
    commitment: Commitment,
    actor,
    body: str,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
    milestone: Milestone | None = None,
    status: str = "",
    on: date | None = None,
) -> ProgressUpdate:
    """Report progress; reaching ``milestone`` marks it done; ``status`` moves the
    commitment (KEPT records the day it was kept)."""
    if not commitment.can_edit(actor):
        raise PermissionDenied
    if not body.strip():
        raise SystemsError(_("Say in a sentence or two what changed."), field="body")
    if milestone is not None and milestone.commitment_id != commitment.pk:
        raise SystemsError(_("That milestone belongs to another commitment."), field="milestone")
    if status and status not in Commitment.Status.values:
        raise SystemsError(_("Choose a status from the list."), field="status")
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    today = on or timezone.localdate()
    update = ProgressUpdate(
        commitment=commitment,
        milestone=milestone,
        body=body.strip(),
        evidence_url=evidence_url,
        status_after=status,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if evidence_file is not None:
        update.evidence_name = (evidence_file.name or "")[:200]
        update.evidence_file = evidence_file
    update.save()
    if milestone is not None and not milestone.done_on:
        milestone.done_on = today
        milestone.save(update_fields=["done_on"])
    if status and status != commitment.status:
        commitment.status = status
        commitment.kept_on = today if status == Commitment.Status.KEPT else None
        commitment.save(update_fields=["status", "kept_on", "updated"])
    log_action(actor, "commitment.progress", commitment, update=update.pk, status=status)
    return update


def state_change_summary() -> list[dict]:
    """Per state with commitments: how many were made and kept, and which sectors made and
    kept them (a sector counts when an organization of it leads or is a partner)."""
    commitments = {
        c.pk: c.status
        for c in Commitment.objects.exclude(status=Commitment.Status.WITHDRAWN).only("status")
    }
    orgs: dict[int, set[int]] = defaultdict(set)
    for pk, org in Commitment.objects.filter(pk__in=commitments).values_list(
        "pk", "organization_id"
    ):
        orgs[pk].add(org)
    for pk, org in Commitment.partners.through.objects.filter(
        commitment_id__in=commitments
    ).values_list("commitment_id", "organization_id"):
        orgs[pk].add(org)
    all_orgs = {org for found in orgs.values() for org in found}
    sectors_of: dict[int, set[int]] = defaultdict(set)
    for org, sector in Organization.sectors.through.objects.filter(
        organization_id__in=all_orgs
    ).values_list("organization_id", "sector_id"):
        sectors_of[org].add(sector)
    rows: dict[str, dict] = {}
    pairs = Commitment.states.through.objects.filter(commitment_id__in=commitments)
    for pk, fips in pairs.values_list("commitment_id", "state_id"):
        row = rows.setdefault(
            fips, {"made": 0, "kept": 0, "sectors_made": set(), "sectors_kept": set()}
        )
        sectors = set().union(*(sectors_of[o] for o in orgs[pk])) if orgs[pk] else set()
        row["made"] += 1
        row["sectors_made"] |= sectors
        if commitments[pk] == Commitment.Status.KEPT:
            row["kept"] += 1
            row["sectors_kept"] |= sectors
    states = State.objects.in_bulk(list(rows))
    names = {s.pk: s for s in Sector.objects.all()}
    out = []
    for fips, row in rows.items():
        out.append(
            {
                "state": states[fips],
                "made": row["made"],
                "kept": row["kept"],
                "sectors_made": sorted((names[s] for s in row["sectors_made"]), key=str),
                "sectors_kept": sorted((names[s] for s in row["sectors_kept"]), key=str),
            }
        )
    return sorted(out, key=lambda row: row["state"].name)
