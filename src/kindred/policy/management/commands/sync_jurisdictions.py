from django.core.management.base import BaseCommand

from kindred.policy.services import sync_jurisdictions


class Command(BaseCommand):
    help = "Make sure the United States and every state, DC and territory have a jurisdiction."

    def handle(self, *args, **options):
        created = sync_jurisdictions()
        self.stdout.write(f"{created} jurisdictions created.")
