from django.core.management.base import BaseCommand

from kindred.policy.tasks import send_weekly_digests


class Command(BaseCommand):
    help = "Queue the weekly policy digest for weekly subscribers (run once a week, e.g. cron)."

    def handle(self, *args, **options):
        send_weekly_digests.enqueue()
        self.stdout.write("Weekly policy digest queued.")
