from django.core.management.base import BaseCommand
from django.db import connection

from kindred.library.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the library's SQLite full-text index from the resources "
        "(PostgreSQL keeps its own index current)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("Nothing to do: PostgreSQL's search column updates itself.")
            return
        done = rebuild_index(on_batch=lambda n: self.stdout.write(f"  {n} indexed"))
        self.stdout.write(self.style.SUCCESS(f"{done} resources indexed."))
