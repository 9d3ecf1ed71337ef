"""Read the reference data shipped in ``places/data/`` and load it into the database.

The data migration ``0003_load_reference_data`` calls :func:`load_reference_data` with the
historical models; :func:`ensure_reference_data` reloads it into a database that was emptied
(``manage.py flush``, or a test using ``transactional_db``, which flushes every table).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000


def read_states() -> list[dict]:
    with open(DATA_DIR / "states.csv", encoding="utf-8", newline="") as handle:
        return [
            {
                "fips": row["fips"],
                "usps": row["usps"],
                "name": row["name"],
                "is_territory": row["is_territory"] == "1",
            }
            for row in csv.DictReader(handle)
        ]


def read_counties() -> list[dict]:
    """``{"fips", "name", "state_id"}``; the state is the first two digits of the FIPS code."""
    with open(DATA_DIR / "counties.csv", encoding="utf-8", newline="") as handle:
        return [
            {"fips": row["fips"], "name": row["name"], "state_id": row["fips"][:2]}
            for row in csv.DictReader(handle)
        ]


def read_zip_codes() -> Iterator[dict]:
    """``{"code", "county_id", "state_id", "city", "latitude", "longitude"}`` per ZIP code."""
    with gzip.open(DATA_DIR / "zipcodes.csv.gz", "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        for row in csv.DictReader(text):
            yield {
                "code": row["zip"],
                "county_id": row["county"],
                "state_id": row["county"][:2],
                "city": row["city"],
                "latitude": float(row["lat"]) if row["lat"] else None,
                "longitude": float(row["lon"]) if row["lon"] else None,
            }


def _batches(rows, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_reference_data(state_model, county_model, zip_model) -> dict[str, int]:
    """Insert every state, county and ZIP code (into empty tables) and return the counts.

    Takes the model classes so a migration can pass its historical models.
    """
    states = [state_model(**row) for row in read_states()]
    state_model.objects.bulk_create(states, batch_size=BATCH_SIZE)
    counties = [county_model(**row) for row in read_counties()]
    county_model.objects.bulk_create(counties, batch_size=BATCH_SIZE)
    zip_count = 0
    for batch in _batches(read_zip_codes(), BATCH_SIZE):
        zip_model.objects.bulk_create([zip_model(**row) for row in batch])
        zip_count += len(batch)
    return {"states": len(states), "counties": len(counties), "zip_codes": zip_count}


def ensure_reference_data() -> bool:
    """Load the reference data if the states table is empty; True when it loaded."""
    from kindred.places.models import County, State, ZipCode

    if State.objects.exists():
        return False
    load_reference_data(State, County, ZipCode)
    return True
