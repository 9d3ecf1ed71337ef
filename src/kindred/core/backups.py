"""Shared by the backup and restore commands."""

import os
import shutil

from django.core.management import CommandError


def pg_env(settings_dict: dict) -> tuple[dict, str]:
    """Environment for pg_dump/pg_restore (the password never appears on a command line)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env, settings_dict["NAME"]


def pg_program(name: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore), or a clear error."""
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} was not found on PATH; install PostgreSQL's client programs.")
    return found
