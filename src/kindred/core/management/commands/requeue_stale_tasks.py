from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = (
        "Put back on the queue the tasks left 'running' by a task worker that died (kill -9, "
        "a lost machine). Run it before starting the only worker (`make run` does), or from "
        "cron with an age longer than any task takes. Kindred's tasks are safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="Only tasks that started at least this many minutes ago (default 60).",
        )

    def handle(self, *args, older_than: int, **options):
        cutoff = timezone.now() - timedelta(minutes=older_than)
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
        count = stale.update(status=TaskResultStatus.READY, started_at=None, worker_ids=[])
        self.stdout.write(f"Requeued {count} task(s) left running by a stopped worker.")
