"""A de-identified extract of 1,000,000 responses: time and peak memory (targets ≤ 60 s and
≤ 300 MB), run in a fresh process so start-up memory counts.

The figure is the whole build of one approved request (every bulk site, four instruments):
the database read, Safe Harbor, k-anonymity (k = 5 over six quasi-identifiers), CSV, Parquet,
SPSS and Stata files with dictionary, codebook and disclosure report, and the zip per format.
The reliability step that the task runs afterwards is reported on its own.

    .venv/bin/python bench/research_extract.py
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import research_setup as setup  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(message: str) -> None:
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    print(f"    {message} (RSS {rss:.0f} MB, peak {peak_mb():.0f} MB)", flush=True)


def child(request_id: int) -> None:
    setup.configure()
    from kindred.research.extract import build_extract
    from kindred.research.models import DataRequest

    request = DataRequest.objects.get(pk=request_id)
    baseline = peak_mb()
    out = Path(tempfile.mkdtemp(prefix="kindred-bench-extract-"))
    try:
        started = time.perf_counter()
        result = build_extract(request, out, log=log)
        elapsed = time.perf_counter() - started
        peak = peak_mb()
        from kindred.research.psychometrics import dataset_psychometrics

        started = time.perf_counter()
        dataset_psychometrics(out, result.report["scales"])
        psy = time.perf_counter() - started
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        print(
            "RESULT "
            + json.dumps(
                {
                    "seconds": elapsed,
                    "peak_mb": peak,
                    "baseline_mb": baseline,
                    "rows": result.rows,
                    "families": result.families,
                    "psychometrics_seconds": psy,
                    "peak_after_psychometrics_mb": peak_mb(),
                    "bytes": size,
                    "k_satisfied": result.report["k_satisfied"],
                    "generalisation": result.report["generalisation"],
                    "suppressed": result.report["rows_suppressed"],
                }
            ),
            flush=True,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    info = setup.prepare()
    from _report import report

    print(f"database: {setup.database_url().split('://')[0]}; {info['responses']:,} responses")
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(info["request"])],
        check=True,
        capture_output=True,
        text=True,
    )
    print(run.stdout, end="")
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    size = f"{result['rows']:,} responses, {result['families']:,} families"
    report(
        "research extract (all formats)", result["seconds"], "s", data_size=size, target="<= 60 s"
    )
    report(
        "research extract peak RSS",
        result["peak_mb"],
        "MB",
        data_size=size,
        floor=result["baseline_mb"],
        target="<= 300 MB",
    )
    report(
        "research psychometrics of the extract",
        result["psychometrics_seconds"],
        "s",
        data_size=size,
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(int(sys.argv[-1]))
    else:
        main()
