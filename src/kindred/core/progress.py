"""Progress of background tasks, shown to the person who started them.

A view calls ``start_progress`` and passes ``progress.id`` to its task; the task calls
``advance``/``finish``/``fail``; the page polls ``core:progress`` with htmx.
"""

from django.db.models import F

from kindred.core.models import TaskProgress


def start_progress(owner, label: str, *, total: int = 0) -> TaskProgress:
    return TaskProgress.objects.create(owner=owner, label=label, total=total)


def advance(
    progress_id,
    *,
    done: int | None = None,
    step: int = 0,
    total: int | None = None,
    message: str | None = None,
) -> None:
    changes: dict = {"status": TaskProgress.Status.RUNNING}
    if done is not None:
        changes["done"] = done
    elif step:
        changes["done"] = F("done") + step
    if total is not None:
        changes["total"] = total
    if message is not None:
        changes["message"] = message
    TaskProgress.objects.filter(pk=progress_id).update(**changes)


def finish(progress_id, *, message: str = "", result_url: str = "") -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskProgress.Status.DONE, message=message, result_url=result_url
    )


def fail(progress_id, *, message: str) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskProgress.Status.FAILED, message=message
    )
