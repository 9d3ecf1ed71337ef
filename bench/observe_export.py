"""A site's FHIR NDJSON export of 50,000 responses: time and peak memory (target <= 200 MB).

Runs the streaming export in a fresh process and reads its peak resident memory
(ru_maxrss) after the last line, so start-up memory is included in the figure.

    .venv/bin/python bench/observe_export.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import observe_setup as setup  # noqa: E402


def child() -> None:
    setup.configure()
    from kindred.observe.exports import ndjson_lines
    from kindred.observe.models import Site

    site = Site.objects.get(slug=setup.EXPORT_SITE)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    lines = size = 0
    with open("/dev/null", "w") as sink:
        for chunk in ndjson_lines(site):
            sink.write(chunk)
            lines += chunk.count("\n")
            size += len(chunk)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"ndjson export: {lines:,} resources, {size / 1e6:.0f} MB in {elapsed:.1f}s; "
        f"peak RSS {peak:.0f} MB (after Django start-up {baseline:.0f} MB)"
    )
    from _report import report

    from kindred.observe.models import Response

    responses = f"{Response.objects.counted().filter(site=site).count():,} responses"
    report(
        "observe: FHIR NDJSON export peak memory",
        peak,
        "MB",
        data_size=responses,
        floor=baseline,
        target="<= 200 MB",
    )
    report("observe: FHIR NDJSON export time", elapsed, "s", data_size=responses)


def main() -> None:
    setup.prepare()
    from kindred.observe.models import Response, Site

    site = Site.objects.get(slug=setup.EXPORT_SITE)
    print(
        f"database: {setup.database_url().split('://')[0]}; export site has "
        f"{Response.objects.counted().filter(site=site).count():,} responses"
    )
    subprocess.run([sys.executable, __file__, "--child"], check=True)


if __name__ == "__main__":
    child() if "--child" in sys.argv else main()
