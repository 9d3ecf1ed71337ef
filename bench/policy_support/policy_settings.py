"""Bench-only settings: the product settings plus the bench URLconf (never used by Kindred).

The sign endpoint keeps its rate limit code path; the limit is raised because every request
of the load test comes from 127.0.0.1.
"""

from kindred.settings import *  # noqa: F403

ROOT_URLCONF = "policy_urls"
POLICY_SIGN_RATE_LIMIT = (10**9, 600)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}

import os  # noqa: E402

if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405
