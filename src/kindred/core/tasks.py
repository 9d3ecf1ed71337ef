"""Background tasks of core (django-tasks; run by ``manage.py db_worker``)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import ngettext
from django_tasks import task

from kindred.core.models import TaskProgress
from kindred.core.progress import advance, finish, tracking

PRUNE_BATCH = 500


@task()
def prune_finished_progress(*, days: int = 30, progress_id: str | None = None) -> int:
    """Delete the progress of tasks that finished more than ``days`` days ago.

    Returns how many rows went. Safe to run again: it only ever deletes finished rows.
    """
    cutoff = timezone.now() - timedelta(days=days)
    finished = [TaskProgress.Status.DONE, TaskProgress.Status.FAILED]
    with tracking(progress_id):
        old = TaskProgress.objects.filter(status__in=finished, updated__lt=cutoff)
        ids = list(old.exclude(pk=progress_id).values_list("pk", flat=True))
        if progress_id:
            advance(progress_id, done=0, total=len(ids))
        deleted = 0
        for start in range(0, len(ids), PRUNE_BATCH):
            batch = ids[start : start + PRUNE_BATCH]
            deleted += TaskProgress.objects.filter(pk__in=batch).delete()[0]
            if progress_id:
                advance(progress_id, done=deleted)
        if progress_id:
            message = ngettext(
                "Removed %(count)d finished task.", "Removed %(count)d finished tasks.", deleted
            ) % {"count": deleted}
            finish(progress_id, message=message)
    return deleted
