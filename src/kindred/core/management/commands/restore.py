"""Restore a backup made by `manage.py backup` into the configured (empty or stale) database."""

import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kindred.core.backups import pg_env, pg_program

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class Command(BaseCommand):
    help = (
        "Replace the configured database's contents with the backup in FILE. Stop the web "
        "server and task workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py backup`.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm.")

    def handle(self, *args, file: str, no_input: bool, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"There is no backup file at {source}.")
        head = source.read_bytes()[:16]
        expected = SQLITE_MAGIC if connection.vendor == "sqlite" else PG_MAGIC
        if not head.startswith(expected):
            raise CommandError(
                f"{source} is not a {connection.vendor} backup made by `manage.py backup`."
            )
        if not no_input:
            answer = input(
                f"This replaces everything in the {connection.vendor} database. Go on? [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Restore cancelled; nothing changed.")
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(source) as src:
                src.backup(connection.connection)
        else:
            self._restore_postgres(source)
        self.stdout.write(f"Restored {source} into the {connection.vendor} database.")

    def _restore_postgres(self, source: Path) -> None:
        env, name = pg_env(connection.settings_dict)
        connection.close()
        # Extensions (pg_trgm) belong to the server's superuser and already exist in a database
        # made from template1; restoring them would need superuser rights, so skip them.
        command = [pg_program("pg_restore"), "--list", str(source)]
        # A fixed program with our own arguments.
        listing = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if listing.returncode:
            raise CommandError(f"pg_restore could not read {source}: {listing.stderr.strip()}")
        keep = [line for line in listing.stdout.splitlines() if " EXTENSION " not in line]
        with tempfile.NamedTemporaryFile("w", suffix=".list") as toc:
            toc.write("\n".join(keep) + "\n")
            toc.flush()
            result = subprocess.run(  # noqa: S603 (fixed program, our own arguments)
                [
                    pg_program("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--use-list={toc.name}",
                    f"--dbname={name}",
                    str(source),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        if result.returncode:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
