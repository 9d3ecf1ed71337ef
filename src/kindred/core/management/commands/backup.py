"""Back up the whole database to one file, while Kindred keeps running."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kindred.core.backups import pg_env, pg_program


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to FILE: SQLite's online backup, or pg_dump's "
        "custom format for PostgreSQL. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup.")

    def handle(self, *args, file: str, **options):
        target = Path(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(target) as dest:
                connection.connection.backup(dest)
        elif connection.vendor == "postgresql":
            env, name = pg_env(connection.settings_dict)
            result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
                [pg_program("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", name],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        size = target.stat().st_size
        self.stdout.write(
            f"Backed up the {connection.vendor} database to {target} ({size:,} bytes)."
        )
