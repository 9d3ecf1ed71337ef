from django.conf import settings
from django.core.management.base import BaseCommand

from kindred.accounts.demo import DEMO_PASSWORD, PERSONAS
from kindred.research.demo import STEWARD


class Command(BaseCommand):
    help = "Print the demo sign-ins (only when DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            return
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, _name, what in PERSONAS:
            self.stdout.write(f"  {email:32} {what}")
        steward = "research data steward: reviews data requests (MFA)"
        self.stdout.write(f"  {STEWARD[0]:32} {steward}")
        self.stdout.write("")
