"""What a state's page shows of systems: commitments, services and referral figures."""

from __future__ import annotations

from django.db.models import Prefetch

from kindred.places.models import State
from kindred.systems.models import Commitment, Milestone, Service
from kindred.systems.services.commitments import state_change_summary
from kindred.systems.services.referrals import referral_metrics, suppress

SHOWN = 5


def systems_for_state(state: State) -> dict:
    """Context for ``systems/_state_section.html`` (as ``systems_section``): up to five
    commitments and services in ``state``, their totals, the sectors that made and kept
    commitments there, and the state's referral figures (small counts suppressed)."""
    commitments = (
        Commitment.objects.in_state(state)
        .exclude(status=Commitment.Status.WITHDRAWN)
        .select_related("organization")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("order")))
    )
    services = Service.objects.active().search(state=state).select_related("organization")
    summary = next((row for row in state_change_summary() if row["state"].pk == state.pk), None)
    metrics = referral_metrics(state=state)
    return {
        "state": state,
        "commitments": list(commitments[:SHOWN]),
        "commitment_count": commitments.count(),
        "services": list(services.order_by("name")[:SHOWN]),
        "service_count": services.count(),
        "sectors_made": summary["sectors_made"] if summary else [],
        "sectors_kept": summary["sectors_kept"] if summary else [],
        "referrals": {
            "total": suppress(metrics["total"]),
            "crossing": suppress(metrics["crossing"]),
            "crossing_percent": metrics["crossing_percent"] if metrics["total"] >= 11 else None,
            "completion_rate": metrics["completion_rate"] if metrics["total"] >= 11 else None,
        },
    }
