"""Background tasks of the network (django-tasks; run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from kindred.core.progress import tracking
from kindred.network import imports, metrics
from kindred.network.models import Community, NetworkMetrics
from kindred.places.models import State


def scope_from(kind: str, key: str = "") -> metrics.Scope:
    """The scope a task was asked about: ("national"), ("state", "OK"), ("community", "12")."""
    if kind == NetworkMetrics.Scope.STATE:
        return metrics.Scope.for_state(State.objects.get(usps=key.upper()))
    if kind == NetworkMetrics.Scope.COMMUNITY:
        return metrics.Scope.for_community(Community.objects.get(pk=int(key)))
    return metrics.Scope.national()


@task()
def compute_network_metrics(*, kind: str, key: str = "", progress_id: str | None = None) -> int:
    """Compute and save a metrics snapshot; returns its id. Safe to run again: each run
    adds a newer snapshot and pages show the latest."""
    with tracking(progress_id):
        snapshot = metrics.compute_metrics(scope_from(kind, key), progress_id=progress_id)
    return snapshot.pk


@task()
def import_members(*, upload: str, owner_id: int, progress_id: str | None = None) -> dict:
    """Run a CSV import that was mapped and previewed (see ``imports.run_import``)."""
    with tracking(progress_id):
        return imports.run_import(upload=upload, owner_id=owner_id, progress_id=progress_id)
