"""Progress of background tasks, shown to the person who started them.

The short way, from a view::

    progress = enqueue_with_progress(build_export, request.user, _("Building your export"),
                                     dataset_id=dataset.pk)
    return redirect(progress)          # the page polls until the task finishes

``enqueue_with_progress`` creates the ``TaskProgress`` row and enqueues the task with an
extra ``progress_id`` keyword argument. The task reports as it goes::

    @task()
    def build_export(*, dataset_id: int, progress_id: str) -> None:
        with tracking(progress_id):
            advance(progress_id, total=len(rows))
            for row in rows:
                ...
                advance(progress_id, step=1)
            finish(progress_id, message=..., result_url=...)

``tracking`` marks the progress as failed (with a kind, generic message) if the task raises,
then re-raises so the task backend records the error too.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kindred.core.models import TaskProgress


def start_progress(owner, label: str, *, total: int = 0) -> TaskProgress:
    """Create the progress row; its messages will be in the current request's language."""
    owner = owner if getattr(owner, "is_authenticated", False) else None
    language = translation.get_language() or settings.LANGUAGE_CODE
    return TaskProgress.objects.create(
        owner=owner, label=str(label), total=total, language=language
    )


def enqueue_with_progress(task, owner, label: str, *, total: int = 0, **kwargs: Any):
    """Start ``task`` in the background with a progress page; return the ``TaskProgress``.

    ``kwargs`` go to the task, plus ``progress_id`` (a string, as task arguments must be
    JSON). With the database backend the task row is written in the caller's transaction,
    so a worker never sees the task before its progress row.
    """
    progress = start_progress(owner, label, total=total)
    try:
        task.enqueue(progress_id=str(progress.pk), **kwargs)
    except Exception:
        fail(progress.pk, message=_("The task could not be started. Please try again."))
        raise
    progress.refresh_from_db()
    return progress


def _update(progress_id, **changes: Any) -> None:
    # QuerySet.update() skips auto_now, and the polling page relies on "updated" changing.
    TaskProgress.objects.filter(pk=progress_id).update(updated=timezone.now(), **changes)


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
    _update(progress_id, **changes)


def finish(progress_id, *, message: str = "", result_url: str = "") -> None:
    _update(progress_id, status=TaskProgress.Status.DONE, message=message, result_url=result_url)


def fail(progress_id, *, message: str) -> None:
    _update(progress_id, status=TaskProgress.Status.FAILED, message=message)


@contextmanager
def tracking(progress_id) -> Iterator[None]:
    """Speak the language of the person who started the task, and mark the progress failed
    if the block raises (then let the exception through)."""
    if not progress_id:
        yield
        return
    language = TaskProgress.objects.filter(pk=progress_id).values_list("language", flat=True)
    with translation.override(language.first() or settings.LANGUAGE_CODE):
        try:
            yield
        except BaseException:
            fail(progress_id, message=_("Something went wrong and the task stopped."))
            raise
