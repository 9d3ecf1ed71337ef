"""Shared by the backup and restore commands."""

import os


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
