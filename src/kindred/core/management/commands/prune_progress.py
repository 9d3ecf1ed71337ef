from django.core.management.base import BaseCommand

from kindred.core.tasks import prune_finished_progress


class Command(BaseCommand):
    help = "Queue the removal of task progress rows that finished long ago (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep this many days.")

    def handle(self, *args, days: int, **options):
        result = prune_finished_progress.enqueue(days=days)
        self.stdout.write(f"Queued task {result.id} (keeping {days} days).")
