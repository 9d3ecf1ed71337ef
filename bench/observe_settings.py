"""Bench-only settings for the observe benchmarks: Kindred's settings plus observe_urls.py
(a bare insert view as the floor). Never used by Kindred itself."""

from kindred.settings import *  # noqa: F403

ROOT_URLCONF = "observe_urls"
