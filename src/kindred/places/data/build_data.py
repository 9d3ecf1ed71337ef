"""Build the places reference data (states.csv, counties.csv, zipcodes.csv.gz, zip_fixes.csv).

Run by hand when the sources change, never at run time; commit the outputs. See README.md in
this folder for the sources, their licences and the vintage. You need:

* the npm package ``us-atlas`` 3.0.1, unpacked (``npm pack us-atlas@3.0.1`` then
  ``tar xzf``), passed with ``--atlas path/to/package``;
* the PyPI package ``zipcodes`` 3.0.0 importable, without adding it to the project:
  ``pip install --target /tmp/zcpkg zipcodes==3.0.0`` then ``PYTHONPATH=/tmp/zcpkg``.

    PYTHONPATH=/tmp/zcpkg python src/kindred/places/data/build_data.py --atlas /tmp/us-atlas

It prints a summary of what it had to fix. Only the standard library and the two sources
above are used, so the output is reproducible (gzip mtime is fixed at 0).
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import io
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- States, DC and territories (Census ANSI/FIPS state codes; USPS abbreviations) ---------
# The US Minor Outlying Islands (FIPS 74, UM) are left out: they have no permanent
# population, no ZIP codes of their own and no county-equivalents in the boundary files.
STATES = [
    ("01", "AL", "Alabama", False),
    ("02", "AK", "Alaska", False),
    ("04", "AZ", "Arizona", False),
    ("05", "AR", "Arkansas", False),
    ("06", "CA", "California", False),
    ("08", "CO", "Colorado", False),
    ("09", "CT", "Connecticut", False),
    ("10", "DE", "Delaware", False),
    ("11", "DC", "District of Columbia", False),
    ("12", "FL", "Florida", False),
    ("13", "GA", "Georgia", False),
    ("15", "HI", "Hawaii", False),
    ("16", "ID", "Idaho", False),
    ("17", "IL", "Illinois", False),
    ("18", "IN", "Indiana", False),
    ("19", "IA", "Iowa", False),
    ("20", "KS", "Kansas", False),
    ("21", "KY", "Kentucky", False),
    ("22", "LA", "Louisiana", False),
    ("23", "ME", "Maine", False),
    ("24", "MD", "Maryland", False),
    ("25", "MA", "Massachusetts", False),
    ("26", "MI", "Michigan", False),
    ("27", "MN", "Minnesota", False),
    ("28", "MS", "Mississippi", False),
    ("29", "MO", "Missouri", False),
    ("30", "MT", "Montana", False),
    ("31", "NE", "Nebraska", False),
    ("32", "NV", "Nevada", False),
    ("33", "NH", "New Hampshire", False),
    ("34", "NJ", "New Jersey", False),
    ("35", "NM", "New Mexico", False),
    ("36", "NY", "New York", False),
    ("37", "NC", "North Carolina", False),
    ("38", "ND", "North Dakota", False),
    ("39", "OH", "Ohio", False),
    ("40", "OK", "Oklahoma", False),
    ("41", "OR", "Oregon", False),
    ("42", "PA", "Pennsylvania", False),
    ("44", "RI", "Rhode Island", False),
    ("45", "SC", "South Carolina", False),
    ("46", "SD", "South Dakota", False),
    ("47", "TN", "Tennessee", False),
    ("48", "TX", "Texas", False),
    ("49", "UT", "Utah", False),
    ("50", "VT", "Vermont", False),
    ("51", "VA", "Virginia", False),
    ("53", "WA", "Washington", False),
    ("54", "WV", "West Virginia", False),
    ("55", "WI", "Wisconsin", False),
    ("56", "WY", "Wyoming", False),
    ("60", "AS", "American Samoa", True),
    ("66", "GU", "Guam", True),
    ("69", "MP", "Northern Mariana Islands", True),
    ("72", "PR", "Puerto Rico", True),
    ("78", "VI", "U.S. Virgin Islands", True),
]
USPS_BY_FIPS = {fips: usps for fips, usps, _name, _territory in STATES}

# --- County names: us-atlas has the bare NAME; we ship the Census NAMELSAD ------------------
# Alaska's boroughs and census areas, vintage 2017 (before Valdez-Cordova was split in 2019).
ALASKA = {
    "02013": "Aleutians East Borough",
    "02016": "Aleutians West Census Area",
    "02020": "Anchorage Municipality",
    "02050": "Bethel Census Area",
    "02060": "Bristol Bay Borough",
    "02068": "Denali Borough",
    "02070": "Dillingham Census Area",
    "02090": "Fairbanks North Star Borough",
    "02100": "Haines Borough",
    "02105": "Hoonah-Angoon Census Area",
    "02110": "Juneau City and Borough",
    "02122": "Kenai Peninsula Borough",
    "02130": "Ketchikan Gateway Borough",
    "02150": "Kodiak Island Borough",
    "02158": "Kusilvak Census Area",
    "02164": "Lake and Peninsula Borough",
    "02170": "Matanuska-Susitna Borough",
    "02180": "Nome Census Area",
    "02185": "North Slope Borough",
    "02188": "Northwest Arctic Borough",
    "02195": "Petersburg Borough",
    "02198": "Prince of Wales-Hyder Census Area",
    "02220": "Sitka City and Borough",
    "02230": "Skagway Municipality",
    "02240": "Southeast Fairbanks Census Area",
    "02261": "Valdez-Cordova Census Area",
    "02275": "Wrangell City and Borough",
    "02282": "Yakutat City and Borough",
    "02290": "Yukon-Koyukuk Census Area",
}
# Island areas: full names from the Census county-equivalent list (2010 FIPS codes, still
# current). Rose Island and Swains Island are not drawn in us-atlas, so they are added here.
TERRITORY_COUNTIES = {
    "60010": "Eastern District",
    "60020": "Manu'a District",
    "60030": "Rose Island",
    "60040": "Swains Island",
    "60050": "Western District",
    "66010": "Guam",
    "69085": "Northern Islands Municipality",
    "69100": "Rota Municipality",
    "69110": "Saipan Municipality",
    "69120": "Tinian Municipality",
    "78010": "St. Croix Island",
    "78020": "St. John Island",
    "78030": "St. Thomas Island",
}
# States whose county FIPS codes of 500 and above are independent cities.
INDEPENDENT_CITY_STATES = {"24", "29", "32", "51"}


def full_county_name(fips: str, name: str) -> str:
    state = fips[:2]
    if fips in TERRITORY_COUNTIES:
        return TERRITORY_COUNTIES[fips]
    if state == "02":
        return ALASKA[fips]
    if state == "11":
        return "District of Columbia"
    if state == "22":
        return f"{name} Parish"
    if state == "72":
        return f"{name} Municipio"
    if fips == "32510":
        return "Carson City"
    if state in INDEPENDENT_CITY_STATES and int(fips[2:]) >= 500:
        return f"{name} city"
    return f"{name} County"


# --- ZIP codes: names in the zipcodes data that differ from the Census names ----------------
# (state, name as written in the zipcodes data) -> county FIPS.
NAME_FIXES = {
    # Valdez-Cordova Census Area (02261) was split into these two on 1 January 2019; our
    # vintage (2017) still has the single census area.
    ("AK", "Chugach Census Area"): "02261",
    ("AK", "Copper River Census Area"): "02261",
}
# ZIP -> county FIPS decided by hand, with the reason.
ZIP_FIXES = {
    # "Prince of Wales-Outer Ketchikan Borough" (dissolved 2008); the PO boxes are in Ketchikan.
    "99950": ("02130", "old borough name; Ketchikan post office"),
    # UNIQUE ZIPs with neither county nor coordinates in the source, placed by their city.
    "18768": ("42079", "no county or location in source; Wilkes-Barre is in Luzerne County"),
    "90140": ("06037", "no county or location in source; Commerce is in Los Angeles County"),
    # Pago Pago, on Tutuila, is the seat of the Eastern District.
    "96799": ("60010", "no county in source; Pago Pago is in the Eastern District"),
}
# The zipcodes data mixes in military (AA/AE/AP) and freely associated states (FM, MH, PW):
# they are not US states or territories and have no county, so we leave them out.
OUT_OF_SCOPE_STATES = {"AA", "AE", "AP", "FM", "MH", "PW"}
MILITARY_CITIES = {"APO", "FPO", "DPO"}

SUFFIXES = (
    "city and borough",
    "census area",
    "municipality",
    "municipio",
    "borough",
    "county",
    "parish",
    "district",
    "island",
    "city",
)


def simplify(text: str) -> str:
    """Lower case ASCII letters only: accents, punctuation, spaces and St./Saint folded."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"\bsainte\b", "ste", text)
    return re.sub(r"[^a-z]", "", text)


def split_suffix(name: str) -> tuple[str, str]:
    """("Roanoke City") -> ("Roanoke", "city"); "Municipality of Anchorage" is turned around."""
    name = name.strip()
    match = re.match(r"^(municipality|city and borough|borough) of (.+)$", name, re.I)
    if match:
        return match.group(2), match.group(1).lower()
    lower = name.lower()
    for suffix in SUFFIXES:
        if lower.endswith(" " + suffix):
            return name[: -len(suffix) - 1], suffix
    return name, ""


# --- TopoJSON (unprojected) for point-in-polygon fallbacks ----------------------------------
def decode_topology(topology: dict) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """County FIPS -> list of polygons -> list of rings -> (lon, lat) points."""
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    shapes = {}
    for geometry in topology["objects"]["counties"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            polygons = []
        shapes[geometry["id"]] = [[ring(r) for r in polygon] for polygon in polygons]
    return shapes


def contains(polygons, lon: float, lat: float) -> bool:
    inside = False
    for polygon in polygons:
        for ring_points in polygon:
            j = len(ring_points) - 1
            for i in range(len(ring_points)):
                xi, yi = ring_points[i]
                xj, yj = ring_points[j]
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
    return inside


def miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 3958.8 * 2 * math.asin(math.sqrt(a))


# --- Build ----------------------------------------------------------------------------------
def build_counties(atlas: Path) -> tuple[list[tuple[str, str]], dict]:
    topology = json.loads((atlas / "counties-10m.json").read_text(encoding="utf-8"))
    counties = {}
    for geometry in topology["objects"]["counties"]["geometries"]:
        fips = geometry["id"]
        if fips[:2] not in USPS_BY_FIPS:
            raise SystemExit(f"county {fips} is in an unknown state")
        counties[fips] = full_county_name(fips, geometry["properties"]["name"])
    for fips, name in TERRITORY_COUNTIES.items():
        counties.setdefault(fips, name)
    return sorted(counties.items()), decode_topology(topology)


def clean_city(city: str) -> str:
    return " ".join(city.split())


def coordinate(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number


def build_zips(counties: list[tuple[str, str]], shapes: dict):
    import zipcodes

    if zipcodes.__version__ != "3.0.0":
        print(f"warning: zipcodes {zipcodes.__version__}, README documents 3.0.0")

    state_fips = {usps: fips for fips, usps, _name, _territory in STATES}
    by_full = collections.defaultdict(list)
    by_base = collections.defaultdict(list)
    for fips, name in counties:
        usps = USPS_BY_FIPS[fips[:2]]
        by_full[(usps, simplify(name))].append(fips)
        base, _suffix = split_suffix(name)
        by_base[(usps, simplify(base))].append(fips)

    def match_name(usps: str, name: str) -> str | None:
        found = by_full.get((usps, simplify(name)), []) or by_base.get((usps, simplify(name)), [])
        if len(found) == 1:  # "Tulsa County", or "James City" for James City County
            return found[0]
        base, suffix = split_suffix(name)
        found = by_full.get((usps, simplify(base)), []) or by_base.get((usps, simplify(base)), [])
        if len(found) > 1:  # "Richmond city" (51760) or "Richmond County" (51159)
            want_city = suffix == "city"
            found = [f for f in found if (int(f[2:]) >= 500) == want_city]
        return found[0] if len(found) == 1 else None

    records = []
    dropped = collections.Counter()
    for row in zipcodes.list_all():
        usps = row["state"]
        if usps in OUT_OF_SCOPE_STATES or row["city"].upper() in MILITARY_CITIES:
            dropped["military or freely associated state"] += 1
            continue
        if usps not in state_fips:
            raise SystemExit(f"unknown state {usps!r} for ZIP {row['zip_code']}")
        lat, lon = coordinate(row["lat"]), coordinate(row["long"])
        if lat == 0 and lon == 0:
            lat = lon = None
        records.append(
            {
                "code": row["zip_code"],
                "usps": usps,
                "source_county": row["county"],
                "city": clean_city(row["city"]),
                "lat": lat,
                "lon": lon,
                "county": None,
                "how": "",
            }
        )

    fips_by_state = collections.defaultdict(list)
    for fips, _name in counties:
        fips_by_state[USPS_BY_FIPS[fips[:2]]].append(fips)

    for record in records:
        if record["code"] in ZIP_FIXES:
            record["county"], record["how"] = ZIP_FIXES[record["code"]]
            continue
        if (record["usps"], record["source_county"]) in NAME_FIXES:
            record["county"] = NAME_FIXES[(record["usps"], record["source_county"])]
            record["how"] = "county split after our vintage; mapped to the 2017 county"
        elif record["source_county"]:
            record["county"] = match_name(record["usps"], record["source_county"])
        elif len(fips_by_state[record["usps"]]) == 1:
            record["county"] = fips_by_state[record["usps"]][0]
            record["how"] = "no county in source; the only county-equivalent"

    # Fallbacks for names missing or naming a county in another state.
    by_city = collections.defaultdict(collections.Counter)
    for record in records:
        if record["county"]:
            by_city[(record["usps"], record["city"].lower())][record["county"]] += 1
    located = [r for r in records if r["county"] and r["lat"] is not None]

    for record in records:
        if record["county"]:
            continue
        reason = (
            "no county in source"
            if not record["source_county"]
            else (f"source county {record['source_county']!r} is not in {record['usps']}")
        )
        if record["lat"] is not None:
            for fips in fips_by_state[record["usps"]]:
                if contains(shapes.get(fips, []), record["lon"], record["lat"]):
                    record["county"], record["how"] = fips, f"{reason}; point in county"
                    break
        if not record["county"]:
            votes = by_city.get((record["usps"], record["city"].lower()))
            if votes:
                record["county"] = votes.most_common(1)[0][0]
                record["how"] = f"{reason}; most ZIPs of {record['city']} are in this county"
        if not record["county"] and record["lat"] is not None:
            nearest = min(
                (r for r in located if r["usps"] == record["usps"]),
                key=lambda r: miles(record["lat"], record["lon"], r["lat"], r["lon"]),
            )
            record["county"] = nearest["county"]
            record["how"] = f"{reason}; county of the nearest ZIP {nearest['code']}"
        if not record["county"]:
            record["how"] = f"{reason}; dropped"
            dropped["no county could be found"] += 1
    return records, dropped


def write_csv(path: Path, header: list[str], rows, *, compress: bool = False) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if compress:
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out,
        ):
            out.write(data)
    else:
        path.write_bytes(data)


def number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", type=Path, required=True, help="unpacked us-atlas package")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    args = parser.parse_args(argv)

    counties, shapes = build_counties(args.atlas)
    records, dropped = build_zips(counties, shapes)
    kept = [r for r in records if r["county"]]
    county_ids = {fips for fips, _name in counties}
    for record in kept:
        assert record["county"] in county_ids, record
        assert USPS_BY_FIPS[record["county"][:2]] == record["usps"], record

    write_csv(
        args.out / "states.csv",
        ["fips", "usps", "name", "is_territory"],
        [(f, u, n, int(t)) for f, u, n, t in STATES],
    )
    write_csv(args.out / "counties.csv", ["fips", "name"], counties)
    write_csv(
        args.out / "zipcodes.csv.gz",
        ["zip", "county", "city", "lat", "lon"],
        [(r["code"], r["county"], r["city"], number(r["lat"]), number(r["lon"])) for r in kept],
        compress=True,
    )
    fixes = sorted((r for r in records if r["how"]), key=lambda r: r["code"])
    write_csv(
        args.out / "zip_fixes.csv",
        ["zip", "state", "source_county", "county", "how"],
        [(r["code"], r["usps"], r["source_county"], r["county"] or "", r["how"]) for r in fixes],
    )
    print(f"states: {len(STATES)}")
    print(f"counties: {len(counties)}")
    print(f"ZIP codes: {len(kept)} kept, {sum(dropped.values())} left out: {dict(dropped)}")
    print(f"ZIP codes placed by a fallback or by hand: {len(fixes)} (see zip_fixes.csv)")
    print(collections.Counter(r["how"].split(";")[-1].strip() for r in fixes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
