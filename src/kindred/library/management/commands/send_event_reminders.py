from django.core.management.base import BaseCommand

from kindred.library.services import send_due_reminders


class Command(BaseCommand):
    help = "Queue a reminder email for everyone going to an event that starts within a day."

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"{count} reminders queued.")
