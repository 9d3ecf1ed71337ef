import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from kindred.accounts.models import User

# Each area seeds itself through its own services, in dependency order.
SEEDERS = [
    "kindred.accounts.demo.seed",
    "kindred.network.demo.seed",
    "kindred.library.demo.seed",
    "kindred.systems.demo.seed",
    "kindred.policy.demo.seed",
    "kindred.observe.demo.seed",
    "kindred.research.demo.seed",
]


class Command(BaseCommand):
    help = "Build a realistic, deterministic demo network (fixed random seed)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has users."
        )

    def handle(self, *args, scale: str, seed: int, if_empty: bool, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError("seed_demo creates accounts with public passwords: DEBUG only.")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has data; demo data not loaded again.")
            return
        started = time.monotonic()
        for path in SEEDERS:
            # One random stream per area, so adding data to one area leaves the others alone.
            rng = random.Random(f"{seed}:{path}")
            import_string(path)(rng, scale)
            self.stdout.write(f"  seeded {path.rsplit('.', 2)[0]}")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ({scale}) ready in {elapsed:.1f}s."))
