"""Settings come from the environment and fail loudly, naming the variable, on bad values.

Each case starts a fresh Python process, as a deployment would, so that module-level
settings code really runs with the given environment.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup()"
# Variables that would change the outcome if inherited from the test run or the shell.
SCRUBBED = {
    "KINDRED_TESTING",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "TIME_ZONE",
    "AXES_FAILURE_LIMIT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_PROXY",
}


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    clean |= {
        "DJANGO_SETTINGS_MODULE": "kindred.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "KINDRED_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "1",
    }
    clean |= env
    for key in [key for key, value in clean.items() if value is None]:
        del clean[key]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("TIME_ZONE", "Mars/Base"),
        ("DATABASE_URL", "mysql://x"),
        ("CACHE_URL", "bogus://"),
        ("EMAIL_URL", "pigeon://"),
        ("SITE_URL", "ftp://x"),
        ("AXES_FAILURE_LIMIT", "abc"),
        ("SQLITE_BUSY_TIMEOUT", "0"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    result = run(["-c", SETUP], tmp_path, **{variable: value})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert variable in last_line


def test_a_missing_secret_key_stops_production(tmp_path):
    result = run(["-c", SETUP], tmp_path, DEBUG="0", SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_checking_migrations_needs_no_secret_but_serving_does(tmp_path):
    check = run(["manage.py", "makemigrations", "--check", "--dry-run"], tmp_path, DEBUG=None)
    assert check.returncode == 0, check.stderr
    assert "No changes detected" in check.stdout
    served = run(["manage.py", "check"], tmp_path, DEBUG=None)
    assert served.returncode != 0
    assert "SECRET_KEY" in served.stderr.strip().splitlines()[-1]


def test_a_short_secret_key_stops_production(tmp_path):
    result = run(["-c", SETUP], tmp_path, DEBUG="0", SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_good_values_start(tmp_path):
    result = run(
        ["-c", SETUP + "; from django.conf import settings; print(settings.EMAIL_HOST)"],
        tmp_path,
        EMAIL_URL="submission://user:pw@mail.example.org",
        CACHE_URL="locmem://kindred",
        TIME_ZONE="America/Chicago",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "mail.example.org"


def test_the_production_configuration_passes_the_deploy_checks(tmp_path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="0",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS="kindred.example.org",
        SITE_URL="https://kindred.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
