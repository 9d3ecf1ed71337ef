"""How a bench script reports a figure so that `make bench` can gather it into one table.

    from _report import report
    report("directory search p95", 12.3, "ms", data_size="100,000 members",
           database="sqlite", floor=4.1)

prints a human line and a machine line ``BENCH {...}``. ``floor`` is the same figure for the
simplest thing the machine can do in the same run (a page's own SQL alone, a bare INSERT view,
a DuckDB copy of the same rows), so ``ratio`` compares across noisy machines.
"""

import json
import os


def database_label() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


def report(
    figure: str,
    value: float,
    unit: str,
    *,
    data_size: str,
    database: str = "",
    floor: float | None = None,
    target: str = "",
) -> dict:
    row = {
        "figure": figure,
        "value": round(value, 3),
        "unit": unit,
        "data_size": data_size,
        "database": database or database_label(),
        "floor": None if floor is None else round(floor, 3),
        "ratio": None if not floor else round(value / floor, 2),
        "target": target,
    }
    print(
        f"{figure}: {value:.2f} {unit} ({data_size}, {row['database']})"
        + (f", floor {floor:.2f} {unit}, ratio {row['ratio']}" if floor else ""),
        flush=True,
    )
    print("BENCH " + json.dumps(row), flush=True)
    return row
