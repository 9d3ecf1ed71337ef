from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from kindred.core.models import TaskProgress
from kindred.core.progress import enqueue_with_progress, start_progress
from kindred.core.tasks import prune_finished_progress


def _make(owner, label: str, status: str, *, days_ago: int) -> TaskProgress:
    progress = start_progress(owner, label)
    when = timezone.now() - timedelta(days=days_ago)
    TaskProgress.objects.filter(pk=progress.pk).update(status=status, updated=when)
    return progress


@pytest.fixture
def old_and_new(alice):
    return {
        "old_done": _make(alice, "old done", "done", days_ago=40),
        "old_failed": _make(alice, "old failed", "failed", days_ago=31),
        "old_running": _make(alice, "old running", "running", days_ago=40),
        "recent_done": _make(alice, "recent done", "done", days_ago=2),
    }


def test_prune_removes_only_old_finished_progress(old_and_new):
    result = prune_finished_progress.enqueue(days=30)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    left = set(TaskProgress.objects.values_list("label", flat=True))
    assert left == {"old running", "recent done"}


def test_prune_reports_its_own_progress(alice, old_and_new):
    progress = enqueue_with_progress(prune_finished_progress, alice, "Tidy up", days=30)
    assert progress.status == "done"
    assert (progress.done, progress.total) == (2, 2)
    assert progress.message == "Removed 2 finished tasks."


def test_prune_command_queues_the_task(old_and_new, capsys):
    call_command("prune_progress", "--days", "1")
    assert "Queued task" in capsys.readouterr().out
    assert set(TaskProgress.objects.values_list("label", flat=True)) == {"old running"}


@pytest.fixture
def database_backend(settings, monkeypatch):
    # Changing TASKS sends setting_changed, which django_tasks uses to drop cached backends
    # (pytest-django restores TASKS afterwards, sending it again).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops any connection left inside a transaction, as a long-running process
    # should; here that transaction is the test's own (on PostgreSQL closing it would lose
    # the test data), so the worker keeps its connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def test_a_real_task_runs_through_the_database_and_a_worker(alice, old_and_new, database_backend):
    progress = enqueue_with_progress(prune_finished_progress, alice, "Tidy up", days=30)

    # Stored, waiting for a worker; nothing has happened yet.
    stored = DBTaskResult.objects.get()
    assert stored.status == TaskResultStatus.READY
    assert stored.task_path == "kindred.core.tasks.prune_finished_progress"
    assert stored.args_kwargs["kwargs"] == {"days": 30, "progress_id": str(progress.pk)}
    assert TaskProgress.objects.count() == 5
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    stored.refresh_from_db()
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.task_result.return_value == 2
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.message == "Removed 2 finished tasks."
    assert not TaskProgress.objects.filter(label__startswith="old d").exists()


def test_a_task_left_running_by_a_dead_worker_is_requeued_and_runs(
    alice, old_and_new, database_backend, capsys
):
    prune_finished_progress.enqueue(days=30)
    # A worker claimed it two hours ago and then died.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        worker_ids=["dead-worker"],
    )
    call_command("requeue_stale_tasks", "--older-than", "180")
    assert "Requeued 0 task(s)" in capsys.readouterr().out
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING

    call_command("requeue_stale_tasks")
    assert "Requeued 1 task(s)" in capsys.readouterr().out
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert set(TaskProgress.objects.values_list("label", flat=True)) == {
        "old running",
        "recent done",
    }
