"""The WSGI entry point loads at boot what the first request would, then freezes it out of
the garbage collector's way (a full collection then scans only what requests create)."""

import json
import os
import subprocess
import sys

PROBE = """
import gc, json, sys
import kindred.wsgi
from django.conf import settings
from django.utils.translation import trans_real
tracked = {id(obj) for obj in gc.get_objects()}
urlconf = sys.modules.get(settings.ROOT_URLCONF)
print(json.dumps({
    "urlconf_loaded": urlconf is not None,
    "urlconf_frozen": urlconf is not None and id(urlconf.__dict__) not in tracked,
    "views_frozen": id(sys.modules["kindred.policy.api"].__dict__) not in tracked,
    "catalogs": sorted(trans_real._translations),
    "frozen": gc.get_freeze_count(),
    "tracked": len(tracked),
}))
"""


def test_the_urlconf_and_catalogs_load_at_boot_and_are_frozen():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["urlconf_loaded"] and found["urlconf_frozen"] and found["views_frozen"]
    assert {"en", "es"} <= set(found["catalogs"])
    assert found["tracked"] < found["frozen"] / 10
