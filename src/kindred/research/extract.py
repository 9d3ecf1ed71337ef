"""Build a request's de-identified extract: one streaming pass over the database, a
k-anonymity pass over compact arrays, then the files, streamed batch by batch.

1. Responses are read in chunks with one unordered SQL query. Each row keeps only what Safe
   Harbor allows (numeric answers and scores; never names, contact details, codes, dates or
   free text) and goes to a per-instrument Parquet scratch file; its family, visit, age,
   year, language and site go to small integer arrays.
2. numpy numbers the families and their visits, draws random study IDs, codes the
   quasi-identifiers, and ``deid.anonymize`` generalises and suppresses until k-anonymity
   holds.
3. Each instrument's scratch rows are joined to those results 10,000 at a time and written as
   CSV, Parquet, Stata .dta and SPSS .sav (``statfiles``), with a data dictionary, a codebook
   and a disclosure report, and zipped per format.

Memory is bounded by a few bytes per row plus one batch: about 300 MB at 1,000,000 rows,
most of it the interpreter, Django and Arrow themselves (bench/research_extract.py).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime as dt
import gc
import json
import re
import shutil
import tempfile
import time
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.db import connection
from django.utils import timezone, translation

from kindred.observe.engine.definition import Definition, pick
from kindred.observe.models import Consent, Family, InstrumentVersion, Response, Site
from kindred.research import deid, statfiles

CHUNK = 1000
FLUSH_ROWS = 2000
BATCH_ROWS = 10_000
FORMATS = {
    "csv": ("CSV", ".csv"),
    "parquet": ("Parquet", ".parquet"),
    "spss": ("SPSS", ".sav"),
    "stata": ("Stata", ".dta"),
}
RELATIONSHIP_GROUP = {"mother": "parent", "father": "parent"}
NAME_OK = re.compile(r"[^A-Za-z0-9_]")


class ExtractError(Exception):
    pass


def safe_name(name: str, taken: set[str]) -> str:
    """A variable name SPSS and Stata accept: letters, digits, underscores, 32 characters."""
    base = NAME_OK.sub("_", name)
    if not base or base[0].isdigit():
        base = "v_" + base
    base = base[:32]
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"_{n}"
        candidate, n = base[: 32 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


# --- instrument layouts -----------------------------------------------------------------------


@dataclass
class ItemColumn:
    link_id: str
    name: str
    label: str
    value_labels: dict[float, str] = field(default_factory=dict)


@dataclass
class Layout:
    """The columns of one instrument's table, over every version found in the extract."""

    slug: str
    title: str
    items: list[ItemColumn]
    scales: list[tuple[str, str, str]]  # (scale id, column name, label)
    # version id -> (version label, [(column index, link_id, code->value or None)])
    readers: dict[int, tuple[str, list[tuple[int, str, dict | None]]]]
    # For psychometrics: [{id, label, items: [column], reverse: {column: [low, high]}}]
    scale_defs: list[dict] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.items] + [name for _id, name, _l in self.scales]


SCORABLE = {"choice", "rating", "integer", "decimal", "boolean"}


def _layout(slug: str, versions: list[InstrumentVersion], reserved: set[str]) -> Layout:
    taken = set(reserved)
    items: dict[str, ItemColumn] = {}
    scales: dict[str, tuple[str, str, str]] = {}
    title = slug
    for version in versions:
        spec: Definition = version.spec
        title = spec.title("en")
        for item in spec.items:
            if item.type not in SCORABLE or item.link_id in items:
                continue
            labels = {}
            if item.type == "choice":
                for pos, opt in enumerate(item.options, start=1):
                    value = opt.value if opt.value is not None else float(pos)
                    labels[float(value)] = pick(opt.text, "en") or opt.code
            elif item.type == "boolean":
                labels = {0.0: "No", 1.0: "Yes"}
            label = pick(item.text, "en") or item.link_id
            items[item.link_id] = ItemColumn(
                item.link_id, safe_name(item.link_id, taken), label[:200], labels
            )
        for scale in spec.scales:
            if scale.id not in scales:
                name = safe_name(f"score_{scale.id}", taken)
                scales[scale.id] = (
                    scale.id,
                    name,
                    "Score: " + (pick(scale.label, "en") or scale.id),
                )
    order = list(items)
    readers = {}
    for version in versions:
        spec = version.spec
        plan = []
        for item in spec.items:
            if item.link_id not in items:
                continue
            mapping = None
            if item.type == "choice":
                mapping = {
                    opt.code: float(opt.value if opt.value is not None else pos)
                    for pos, opt in enumerate(item.options, start=1)
                }
            plan.append((order.index(item.link_id), item.link_id, mapping))
        readers[version.pk] = (version.version, plan)
    scale_defs = []
    if versions:
        spec = versions[-1].spec
        for scale in spec.scales:
            columns = [items[i].name for i in scale.items if i in items]
            reverse = {}
            for link_id in scale.reverse:
                bounds = spec.item(link_id).value_range() if link_id in items else None
                if bounds:
                    reverse[items[link_id].name] = list(bounds)
            label = pick(scale.label, "en") or scale.id
            scale_defs.append(
                {"id": scale.id, "label": label, "items": columns, "reverse": reverse}
            )
    return Layout(slug, title, list(items.values()), list(scales.values()), readers, scale_defs)


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --- scratch tables ---------------------------------------------------------------------------


class Scratch:
    """Rows of one instrument, flushed to a Parquet scratch file in batches.

    Study IDs, visit numbers and quasi-identifiers are not stored here: they are worked out
    for all rows at once after the read, and joined back by the global row number.
    """

    def __init__(self, layout: Layout, path: Path):
        self.layout = layout
        self.path = path
        self.writer: pq.ParquetWriter | None = None
        self.count = 0
        self.width = len(layout.columns)
        self.n_items = len(layout.items)
        self.scale_ids = [scale_id for scale_id, _name, _label in layout.scales]
        self._reset()

    def _reset(self) -> None:
        self.rows: list[int] = []
        self.versions: list[str] = []
        self.values: list[tuple] = []
        self.bands: list[str | None] = []
        self.flags: list[str | None] = []
        self.critical: list[int] = []

    def add(self, row: int, version_id: int, answers, scores, band, flags, critical) -> None:
        version, plan = self.layout.readers[version_id]
        got: list[float | None] = [None] * self.width
        for index, link_id, mapping in plan:
            answer = answers.get(link_id)
            if answer is not None:
                got[index] = mapping.get(answer) if mapping is not None else _number(answer)
        offset = self.n_items
        for scale_id in self.scale_ids:
            got[offset] = _number(scores.get(scale_id))
            offset += 1
        self.rows.append(row)
        self.versions.append(version)
        self.values.append(tuple(got))
        self.bands.append(band or None)
        self.flags.append(" ".join(flags) if flags else None)
        self.critical.append(1 if critical else 0)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        arrays = {
            "_row": pa.array(self.rows, pa.int64()),
            "instrument_version": pa.array(self.versions, pa.string()),
        }
        columns = list(zip(*self.values, strict=True)) if self.width else []
        for name, values in zip(self.layout.columns, columns, strict=True):
            arrays[name] = pa.array(values, pa.float64())
        arrays["band"] = pa.array(self.bands, pa.string())
        arrays["flags"] = pa.array(self.flags, pa.string())
        arrays["critical"] = pa.array(self.critical, pa.int8())
        table = pa.table(arrays)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="none")
        self.writer.write_table(table)
        self.count += len(self.rows)
        self._reset()

    def close(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()


# --- the build --------------------------------------------------------------------------------


@dataclass
class Vocab:
    values: dict[str, list[str]] = field(default_factory=dict)
    index: dict[str, dict[str, int]] = field(default_factory=dict)

    def code(self, var: str, value: str | None) -> int:
        if value is None or value == "":
            return deid.MISSING
        table = self.index.setdefault(var, {})
        if value not in table:
            table[value] = len(table)
            self.values.setdefault(var, []).append(value)
        return table[value]


def eligible_families(family_ids: set[int] | None = None) -> tuple[set[int], dict[str, int]]:
    """Families whose latest research consent is granted and not withdrawn (at build time)."""
    latest: dict[int, tuple[bool, bool]] = {}
    rows = (
        Consent.objects.filter(kind=Consent.Kind.RESEARCH)
        .order_by("family_id", "recorded_at", "id")
        .values_list("family_id", "granted", "withdrawn_at")
    )
    for family_id, granted, withdrawn_at in rows.iterator(chunk_size=CHUNK):
        latest[family_id] = (granted, withdrawn_at is not None)
    allowed = {fid for fid, (granted, withdrawn) in latest.items() if granted and not withdrawn}
    counts = {
        "withdrawn": sum(1 for granted, withdrawn in latest.values() if withdrawn),
        "declined": sum(1 for granted, withdrawn in latest.values() if not granted),
    }
    return allowed, counts


def _site_facts(sites: list[Site]) -> dict[int, dict[str, str]]:
    facts = {}
    restricted = deid.restricted_zip3()
    for site in sites:
        org = site.organization
        zip_code = org.zip_code_id or ""
        facts[site.pk] = {
            "site": f"S{len(facts) + 1:03d}",
            "site_name": site.name,
            "site_kind": site.kind,
            "zip3": deid.zip3(zip_code, restricted),
            "state": org.zip_code.state.usps if org.zip_code_id else "",
        }
    return facts


@dataclass
class BuildResult:
    folder: Path
    files: dict[str, str]
    report: dict[str, Any]
    rows: int
    families: int


class Rows:
    """Per-row facts gathered while reading, as compact arrays (4–8 bytes a row)."""

    def __init__(self):
        self.family = array("q")  # the family's database ID (never written out)
        self.encounter = array("q")
        self.age_days = array("i")
        self.year = array("i")
        self.language = array("i")
        self.site = array("i")

    def numpy(self, name: str) -> np.ndarray:
        values = getattr(self, name)
        dtype = np.int64 if values.typecode == "q" else np.int32
        return np.frombuffer(values, dtype=dtype).copy()


def _trim() -> None:
    """Give freed memory back to the system between phases, so phases do not stack up."""
    gc.collect()
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _release_arrow_memory_promptly() -> None:
    """Arrow's allocator keeps freed memory for reuse; hand it back to the system at once so
    that one instrument's table does not stay resident while the next one is written."""
    with contextlib.suppress(Exception):
        pa.jemalloc_set_decay_ms(0)


def _json(value):
    """JSON columns arrive decoded from PostgreSQL and as text from SQLite."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _year(value) -> int:
    if value is None:
        return deid.MISSING
    return value.year if hasattr(value, "year") else int(str(value)[:4])


def _response_sql(responses) -> tuple[str, tuple]:
    """The read as plain SQL (no ORDER BY: rows are put in order afterwards in numpy)."""
    query = responses.order_by().values_list(
        "family_id",
        "encounter_id",
        "child_age_days",
        "encounter__language",
        "encounter__date",
        "site_id",
        "instrument_slug",
        "instrument_version_id",
        "answers",
        "scores",
        "band",
        "flags",
        "has_critical",
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


def build_extract(
    request,
    out_dir: Path,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> BuildResult:
    """Write the request's extract into ``out_dir`` (created if needed)."""
    started = time.monotonic()
    _release_arrow_memory_promptly()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    variables = [v for v in request.variables if v in deid.VARIABLE_NAMES]
    quasi = [v for v in request.quasi_identifiers if v in variables]
    sites = list(request.sites.select_related("organization__zip_code__state").order_by("pk"))
    site_facts = _site_facts(sites)
    slugs = sorted(request.instruments.values_list("slug", flat=True))
    if not slugs or not sites:
        raise ExtractError("The request names no instruments or no sites.")

    allowed, consent_counts = eligible_families()
    responses = (
        Response.objects.counted()
        .filter(site__in=sites, instrument_slug__in=slugs)
        .exclude(encounter__status="entered_in_error")
    )
    if request.date_from:
        responses = responses.filter(encounter__date__gte=request.date_from)
    if request.date_to:
        responses = responses.filter(encounter__date__lte=request.date_to)
    total_expected = responses.count()
    version_ids = set(responses.values_list("instrument_version_id", flat=True).distinct())
    versions = list(
        InstrumentVersion.objects.filter(pk__in=version_ids)
        .select_related("instrument")
        .order_by("published_at", "pk")
    )
    reserved = {"study_id", "visit", "instrument_version", "band", "flags", "critical", "_row"}
    reserved |= set(variables)
    layouts = {
        slug: _layout(slug, [v for v in versions if v.instrument.slug == slug], reserved)
        for slug in slugs
    }
    scratch_dir = Path(tempfile.mkdtemp(prefix="kindred-extract-"))
    try:
        scratches = {
            slug: Scratch(layout, scratch_dir / f"{slug}.parquet")
            for slug, layout in layouts.items()
            if layout.readers
        }
        vocab = Vocab()
        site_index = {site_id: n for n, site_id in enumerate(site_facts)}
        rows = Rows()
        skipped_rows, skipped_families = 0, set()
        seen = row_number = 0
        sql, params = _response_sql(responses)
        # chunked_cursor: a server-side cursor on PostgreSQL, so rows arrive as we go.
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(CHUNK):
                for (
                    family_id,
                    encounter_id,
                    age_days,
                    language,
                    visit_date,
                    site_id,
                    slug,
                    version_id,
                    answers,
                    scores,
                    band,
                    flags,
                    critical,
                ) in batch:
                    if family_id not in allowed:
                        skipped_rows += 1
                        skipped_families.add(family_id)
                        continue
                    rows.family.append(family_id)
                    rows.encounter.append(encounter_id)
                    rows.age_days.append(age_days)
                    rows.year.append(_year(visit_date))
                    rows.language.append(vocab.code("language", language))
                    rows.site.append(site_index[site_id])
                    scratches[slug].add(
                        row_number,
                        version_id,
                        _json(answers),
                        _json(scores) or {},
                        band,
                        _json(flags) if flags and flags != "[]" else None,
                        critical,
                    )
                    row_number += 1
                seen += len(batch)
                if on_progress and seen % (CHUNK * 10) == 0:
                    on_progress(seen, total_expected)
        for scratch in scratches.values():
            scratch.close()
        if on_progress:
            on_progress(total_expected, total_expected)
        _trim()
        if log:
            log(f"read {seen} rows in {time.monotonic() - started:.1f}s")

        # Families numbered 0…n−1 (``order`` maps the number back to the database ID).
        order, families = np.unique(rows.numpy("family"), return_inverse=True)
        families = families.astype(np.int32)
        ids = deid.StudyIds()
        study_ids = pa.array([ids.new() for _ in range(len(order))], pa.string())
        del ids
        visits = _visit_numbers(families, rows.numpy("encounter"), rows.numpy("age_days"))
        _trim()
        raw = _raw_codes(variables, rows, order, families, site_facts, vocab)
        del rows
        _trim()
        hierarchies, _parents = _hierarchies(variables, vocab, site_facts)
        result = deid.anonymize(
            {n: raw[n] for n in quasi}, {n: hierarchies[n] for n in quasi}, families, k=request.k
        )
        _trim()
        if log:
            log(f"k-anonymity in {time.monotonic() - started:.1f}s: levels {result.levels}")

        dictionary: list[dict[str, Any]] = []
        files: dict[str, list[str]] = {fmt: [] for fmt in FORMATS}
        written: dict[str, int] = {}
        joined = Joined(study_ids, families, visits, raw, hierarchies, result, quasi)
        with translation.override("en"):
            catalog = deid.catalog()
            joined.settle_types(catalog)
            _trim()
            for slug, scratch in scratches.items():
                if not scratch.count:
                    continue
                entries = _dictionary_entries(slug, scratch.layout, variables, result, catalog)
                dictionary.extend(entries)
                paths = _write_instrument(scratch, variables, joined, catalog, entries, out_dir)
                for fmt, path in paths.items():
                    files[fmt].append(path)
                written[slug] = scratch.count
                _trim()
                if log:
                    log(f"wrote {slug} in {time.monotonic() - started:.1f}s")
            report = _report(
                request,
                result=result,
                quasi=quasi,
                variables=variables,
                written=written,
                families=len(order),
                skipped={"skipped_rows": skipped_rows, "skipped_families": skipped_families},
                consent_counts=consent_counts,
                site_facts=site_facts,
                hierarchies=hierarchies,
            )
            report["scales"] = {
                slug: layout.scale_defs for slug, layout in layouts.items() if slug in written
            }
            _write_docs(out_dir, dictionary, report, layouts, site_facts, variables, vocab)
        bundles = _bundle(out_dir, files, request.pk)
        if log:
            log(f"done in {time.monotonic() - started:.1f}s")
        return BuildResult(out_dir, bundles, report, sum(written.values()), len(order))
    finally:
        shutil.rmtree(scratch_dir, ignore_errors=True)


def _visit_numbers(families: np.ndarray, encounters: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """1, 2, 3… for each family's visits in the order they happened (age, then visit)."""
    if not len(families):
        return np.zeros(0, dtype=np.int16)
    order = np.lexsort((encounters, ages, families))
    fam = families[order]
    new_family = np.empty(len(fam), dtype=bool)
    new_family[0] = True
    np.not_equal(fam[1:], fam[:-1], out=new_family[1:])
    del fam
    enc = encounters[order]
    new_visit = np.empty(len(enc), dtype=bool)
    new_visit[0] = True
    np.not_equal(enc[1:], enc[:-1], out=new_visit[1:])
    del enc
    new_visit |= new_family
    counter = np.cumsum(new_visit, dtype=np.int32)
    del new_visit
    first = counter[new_family]
    counter -= first[np.cumsum(new_family, dtype=np.int32) - 1] - 1
    visits = np.empty(len(counter), dtype=np.int16)
    visits[order] = counter
    return visits


def _family_facts(order: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    """Birth year, relationship and born-early flag of each family, in reading order."""
    position = {int(pk): n for n, pk in enumerate(order)}
    born = np.full(len(order), deid.MISSING, dtype=np.int32)
    relationship: list[str | None] = [None] * len(order)
    preterm = np.zeros(len(order), dtype=np.int32)
    sql, params = (
        Family.objects.values_list(
            "pk", "child_dob", "caregiver_relationship", "due_date", "gestational_age_weeks"
        )
        .order_by()
        .query.sql_with_params()
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            for pk, dob, rel, due, weeks in batch:
                n = position.get(pk)
                if n is None:
                    continue
                born[n] = _year(dob)
                relationship[n] = rel
                if due or weeks:
                    family = Family(
                        child_dob=_date(dob), due_date=_date(due), gestational_age_weeks=weeks
                    )
                    preterm[n] = 1 if family.is_preterm else 0
    return born, relationship, preterm


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _raw_codes(variables, rows: Rows, order, families, site_facts, vocab) -> dict[str, np.ndarray]:
    """Each requested variable as integer codes per row (MISSING where unknown)."""
    out: dict[str, np.ndarray] = {}
    sites = list(site_facts.values())
    site_col = rows.numpy("site")
    years = rows.numpy("year")
    if {"child_birth_year", "caregiver_relationship", "preterm"} & set(variables):
        born, relationship, preterm = _family_facts(order)
    for name in variables:
        if name == "language":
            out[name] = rows.numpy("language")
        elif name in {"site", "site_kind", "zip3"}:
            table = np.array(
                [vocab.code(name, facts[name]) for facts in sites] or [deid.MISSING],
                dtype=np.int32,
            )
            out[name] = table[site_col]
        elif name == "visit_year":
            out[name] = years
        elif name == "child_age_months":
            ages = rows.numpy("age_days")
            months = (ages / deid.DAYS_PER_MONTH).astype(np.int32)
            np.minimum(months, deid.AGE_CAP_MONTHS, out=months)
            months[ages < 0] = deid.MISSING
            out[name] = months
            del ages
        elif name == "child_birth_year":
            per_row = born[families]
            too_old = (years != deid.MISSING) & (years - per_row >= deid.AGE_CAP_YEARS)
            out[name] = np.where(too_old | (per_row == deid.MISSING), deid.MISSING, per_row)
        elif name == "caregiver_relationship":
            codes = np.array([vocab.code(name, r) for r in relationship] or [0], dtype=np.int32)
            out[name] = codes[families]
        elif name == "preterm":
            out[name] = preterm[families]
    return out


@dataclass
class Joined:
    """What ``_finish_table`` joins onto each scratch row by its global row number."""

    study_ids: pa.Array
    families: np.ndarray
    visits: np.ndarray
    raw: dict[str, np.ndarray]
    hierarchies: dict
    result: deid.KResult
    quasi: list[str]
    # For text variables: every label that can appear (so each batch has the same types).
    text: dict[str, bool] = field(default_factory=dict)
    text_width: dict[str, int] = field(default_factory=dict)

    def level(self, name: str) -> deid.Level:
        step = self.result.levels.get(name, 0) if name in self.quasi else 0
        return self.hierarchies[name][step]

    def settle_types(self, catalog) -> None:
        """Decide once, over all rows, whether each variable is written as text, and how
        wide its text can be."""
        for name, codes in self.raw.items():
            level = self.level(name)
            present = [int(c) for c in np.unique(level.recode(codes)) if c != deid.MISSING]
            shown = [level.label(c) for c in present]
            is_int = catalog[name].kind == "int" and all(
                v is None or isinstance(v, int) for v in shown
            )
            self.text[name] = not is_int
            self.text_width[name] = max((len(str(v).encode()) for v in shown if v), default=1)


def _hierarchies(variables, vocab: Vocab, site_facts):
    """Generalisation hierarchies, with parent vocabularies (site kind, state, caregiver group)."""
    parents: dict[str, dict[int, int]] = {}
    by_site = {f["site"]: f for f in site_facts.values()}
    by_zip = {f["zip3"]: f["state"] for f in site_facts.values()}
    for var, target, parent_of in (
        ("site", "site_kind", lambda v: by_site[v]["site_kind"]),
        ("zip3", "state", lambda v: by_zip.get(v, "")),
        ("caregiver_relationship", "caregiver_group", lambda v: RELATIONSHIP_GROUP.get(v, "other")),
    ):
        table = {}
        for code, value in enumerate(vocab.values.get(var, [])):
            table[code] = vocab.code(target, parent_of(value))
        parents[var] = table
    hierarchies = {name: deid.levels_for(name, vocab.values, parents) for name in variables}
    return hierarchies, parents


def _labels(codes: np.ndarray, level: deid.Level, kind: str, as_text: bool) -> pa.Array:
    """Codes → a typed Arrow column (ints stay ints at full detail; bands become text)."""
    if not as_text:
        masked = (codes == deid.MISSING) | level.is_suppressed
        return pa.array(np.asarray(codes, dtype=np.int64), pa.int64(), mask=masked)
    unique = np.unique(codes)
    shown = [None if c == deid.MISSING else level.label(int(c)) for c in unique]
    lookup = [None if value is None else str(value) for value in shown]
    positions = np.searchsorted(unique, codes)
    return pa.DictionaryArray.from_arrays(
        pa.array(positions, pa.int32()), pa.array(lookup, pa.string())
    ).cast(pa.string())


def _finish_table(table: pa.Table, variables, joined: Joined, catalog) -> pa.Table:
    """A batch of scratch rows with study IDs, visit numbers and the (generalised,
    suppressed) variables joined on by global row number."""
    rows = table.column("_row").to_numpy()
    result = joined.result
    suppressed = result.suppressed[rows] if len(result.suppressed) else np.zeros(len(rows), bool)
    columns = {
        "study_id": joined.study_ids.take(pa.array(joined.families[rows])),
        "visit": pa.array(joined.visits[rows], pa.int16()),
    }
    for name in variables:
        level = joined.level(name)
        codes = level.recode(joined.raw[name][rows])
        if name in joined.quasi:
            codes = np.where(suppressed, deid.MISSING, codes)
        columns[name] = _labels(codes, level, catalog[name].kind, joined.text[name])
    for name in table.column_names:
        if name not in columns and name != "_row":
            columns[name] = table.column(name)
    return pa.table(columns)


def _dictionary_entries(slug, layout: Layout, variables, result, catalog) -> list[dict]:
    entries = [
        {
            "file": slug,
            "variable": "study_id",
            "label": "Random study ID of the family",
            "type": "text",
            "values": "",
            "notes": "Random; not derived from any real ID.",
        },
        {
            "file": slug,
            "variable": "visit",
            "label": "Visit number for this family",
            "type": "integer",
            "values": "1, 2, 3…",
            "notes": "Order of visits within the extract.",
        },
    ]
    for name in variables:
        var = catalog[name]
        level = result.levels.get(name)
        notes = str(var.description)
        if level:
            notes += f" Generalised for k-anonymity (step {level})."
        entries.append(
            {
                "file": slug,
                "variable": name,
                "label": str(var.label),
                "type": "integer" if var.kind == "int" and not level else "text",
                "values": "",
                "notes": notes,
            }
        )
    entries.append(
        {
            "file": slug,
            "variable": "instrument_version",
            "label": "Instrument version",
            "type": "text",
            "values": "",
            "notes": layout.title,
        }
    )
    for item in layout.items:
        values = "; ".join(f"{_fmt(v)} = {t}" for v, t in sorted(item.value_labels.items()))
        entries.append(
            {
                "file": slug,
                "variable": item.name,
                "label": item.label,
                "type": "number",
                "values": values,
                "notes": f"Item {item.link_id} as answered (before reverse scoring).",
            }
        )
    for scale_id, name, label in layout.scales:
        entries.append(
            {
                "file": slug,
                "variable": name,
                "label": label,
                "type": "number",
                "values": "",
                "notes": f"Scale {scale_id} as scored by Kindred.",
            }
        )
    entries += [
        {
            "file": slug,
            "variable": "band",
            "label": "Result band of the main scale",
            "type": "text",
            "values": "",
            "notes": "",
        },
        {
            "file": slug,
            "variable": "flags",
            "label": "Flags raised by the scoring rules",
            "type": "text",
            "values": "",
            "notes": "Space-separated codes.",
        },
        {
            "file": slug,
            "variable": "critical",
            "label": "A critical answer needed same-day care",
            "type": "integer",
            "values": "0 = No; 1 = Yes",
            "notes": "",
        },
    ]
    return entries


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _value_labels(entries) -> dict[str, dict[float, str]]:
    out: dict[str, dict[float, str]] = {}
    for entry in entries:
        if entry["values"] and " = " in entry["values"]:
            pairs = {}
            for part in entry["values"].split("; "):
                code, _sep, text = part.partition(" = ")
                try:
                    pairs[float(code)] = text[:80]
                except ValueError:
                    pairs = {}
                    break
            if pairs:
                out[entry["variable"]] = pairs
    return out


def _fixed_bytes(column, width: int):
    """Text as UTF-8 bytes for the Stata and SPSS writers: a numpy array when every value
    fits ``width`` (fast), else a list of str for the writers to cut safely."""
    filled = pc.fill_null(column, "")
    if int(pc.max(pc.binary_length(filled)).as_py() or 0) <= width:
        return filled.cast(pa.binary()).to_numpy(zero_copy_only=False).astype(f"S{max(width, 1)}")
    return filled.to_pylist()


def _write_instrument(scratch: Scratch, variables, joined: Joined, catalog, entries, out_dir):
    """Stream one instrument's rows into CSV, Parquet, Stata and SPSS files, a batch at a
    time, so memory stays flat however many rows there are."""
    slug = scratch.layout.slug
    paths = {}
    for fmt, (_label, ext) in FORMATS.items():
        (out_dir / fmt).mkdir(exist_ok=True)
        paths[fmt] = f"{fmt}/{slug}{ext}"
    source = pq.ParquetFile(scratch.path)
    widths = {"study_id": deid.StudyIds().length}
    for name in ("instrument_version", "band", "flags"):
        lengths = pc.utf8_length(source.read(columns=[name]).column(0))
        widths[name] = int(pc.max(lengths).as_py() or 1)
    labels = {e["variable"]: e["label"] for e in entries}
    value_labels = _value_labels(entries)
    writers = None
    for batch in source.iter_batches(batch_size=BATCH_ROWS):
        table = _finish_table(pa.Table.from_batches([batch]), variables, joined, catalog)
        if writers is None:
            columns = []
            for field_ in table.schema:
                text = pa.types.is_string(field_.type)
                width = widths.get(field_.name) or joined.text_width.get(field_.name, 1)
                columns.append(
                    statfiles.Column(
                        field_.name,
                        labels.get(field_.name, field_.name),
                        "text" if text else "number",
                        width if text else 0,
                        value_labels.get(field_.name, {}),
                    )
                )
            title = f"Kindred: {scratch.layout.title}"
            widths_seen = {c.name: c.width for c in columns}
            writers = (
                pacsv.CSVWriter(out_dir / paths["csv"], table.schema),
                pq.ParquetWriter(out_dir / paths["parquet"], table.schema, compression="zstd"),
                statfiles.DtaWriter(out_dir / paths["stata"], columns, scratch.count, title),
                statfiles.SavWriter(
                    out_dir / paths["spss"],
                    [statfiles.Column(**vars(c)) for c in columns],
                    scratch.count,
                    title,
                ),
            )
        writers[0].write_table(table)
        writers[1].write_table(table)
        plain = {
            field_.name: (
                _fixed_bytes(table[field_.name], widths_seen[field_.name])
                if pa.types.is_string(field_.type)
                else table[field_.name].to_numpy(zero_copy_only=False).astype(np.float64)
            )
            for field_ in table.schema
        }
        writers[2].write(plain)
        writers[3].write(plain)
    for writer in writers or ():
        writer.close()
    return paths


def _report(
    request,
    *,
    result,
    quasi,
    variables,
    written,
    families,
    skipped,
    consent_counts,
    site_facts,
    hierarchies,
) -> dict[str, Any]:
    rows = int(sum(written.values()))
    suppressed = int(result.suppressed.sum()) if len(result.suppressed) else 0
    restricted = sorted({f["zip3"] for f in site_facts.values() if f["zip3"] == "000"})
    levels = {name: hierarchies[name][result.levels.get(name, 0)].name for name in quasi}
    return {
        "request": request.pk,
        "study": request.study.title,
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "k": request.k,
        "quasi_identifiers": quasi,
        "variables": variables,
        "rows": rows,
        "rows_by_instrument": written,
        "families": families,
        "families_left_out": len(skipped["skipped_families"]),
        "rows_left_out": skipped["skipped_rows"],
        "consent": consent_counts,
        "generalisation": levels,
        "rows_suppressed": suppressed,
        "share_suppressed": round(suppressed / rows, 4) if rows else 0.0,
        "max_suppression": deid.MAX_SUPPRESSION,
        "equivalence_classes": result.classes,
        "smallest_class": result.smallest,
        "k_satisfied": (not quasi) or result.smallest >= request.k or rows == suppressed,
        "steps": result.steps,
        "restricted_zip3_sites": sum(1 for f in site_facts.values() if f["zip3"] == "000"),
        "restricted_zip3": restricted,
        "date_range": [
            request.date_from.isoformat() if request.date_from else None,
            request.date_to.isoformat() if request.date_to else None,
        ],
    }


SAFE_HARBOR = [
    ("Names", "Never exported (caregiver, child, staff)."),
    (
        "Geographic subdivisions smaller than a state",
        "Only the first three ZIP digits of the site; areas of 20,000 people or fewer become 000.",
    ),
    ("Dates", "Only the year of the visit and of birth, or the child's age in months."),
    ("Ages over 89", "Grouped as 90 or older (1080 months)."),
    ("Telephone and fax numbers, email addresses", "Never exported."),
    (
        "Record, account and other ID numbers, codes",
        "Family codes and database IDs are replaced by random study IDs; no key is kept.",
    ),
    ("URLs, IP addresses, device identifiers", "Never exported."),
    ("Photographs, video, voice", "Never exported."),
    ("Free text", "Text and date answers are left out: they may name people or places."),
]


def _write_docs(out_dir: Path, dictionary, report, layouts, site_facts, variables, vocab) -> None:
    with open(out_dir / "data_dictionary.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["file", "variable", "label", "type", "values", "notes"]
        )
        writer.writeheader()
        writer.writerows(dictionary)
    codebook = {
        "title": f"Kindred de-identified dataset for: {report['study']}",
        "variables": dictionary,
        "sites": {f["site"]: {"kind": f["site_kind"]} for f in site_facts.values()}
        if "site" in variables
        else {},
        "instruments": {
            slug: {
                "title": layout.title,
                "versions": sorted(v for v, _p in layout.readers.values()),
            }
            for slug, layout in layouts.items()
        },
    }
    (out_dir / "codebook.json").write_text(json.dumps(codebook, indent=2, ensure_ascii=False))
    lines = [
        f"# {codebook['title']}",
        "",
        f"Built {report['built_at']}. One file per instrument; "
        "one row per completed instrument. Missing values are blank.",
        "",
    ]
    for slug, layout in layouts.items():
        if slug not in report["rows_by_instrument"]:
            continue
        lines += [
            f"## {layout.title} (`{slug}`)",
            "",
            "| variable | label | type | values | notes |",
            "|---|---|---|---|---|",
        ]
        for entry in dictionary:
            if entry["file"] == slug:
                lines.append(
                    "| {variable} | {label} | {type} | {values} | {notes} |".format(
                        **{k: str(v).replace("|", "/") for k, v in entry.items()}
                    )
                )
        lines.append("")
    if codebook["sites"]:
        lines += ["## Sites", "", "| site | kind |", "|---|---|"]
        lines += [f"| {code} | {info['kind']} |" for code, info in codebook["sites"].items()]
        lines.append("")
    (out_dir / "codebook.md").write_text("\n".join(lines), encoding="utf-8")
    (out_dir / "disclosure_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (out_dir / "disclosure_report.md").write_text(disclosure_markdown(report), encoding="utf-8")


def disclosure_markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Disclosure report",
        "",
        f"Study: {report['study']}. Request {report['request']}. Built {report['built_at']}.",
        "",
        "## Who is in it",
        "",
        f"- {report['families']} families and {report['rows']} completed instruments.",
        f"- Left out: {report['families_left_out']} families ({report['rows_left_out']} rows) "
        "whose research consent was not in force when the extract was built "
        f"({report['consent']['withdrawn']} withdrawn, {report['consent']['declined']} declined "
        "in the whole network).",
        "",
        "## HIPAA Safe Harbor (45 CFR 164.514(b)(2))",
        "",
    ]
    lines += [f"- **{what}**: {how}" for what, how in SAFE_HARBOR]
    lines += [
        f"- Sites whose three-digit ZIP area is restricted (set to 000): "
        f"{report['restricted_zip3_sites']}.",
        "",
        "## k-anonymity",
        "",
        f"- k = {report['k']}; quasi-identifiers: "
        f"{', '.join(report['quasi_identifiers']) or 'none'}.",
        "- Generalisation applied: "
        + (", ".join(f"{k}: {v}" for k, v in report["generalisation"].items()) or "none"),
        f"- Rows with quasi-identifiers suppressed: {report['rows_suppressed']} "
        f"({report['share_suppressed']:.1%}; limit {report['max_suppression']:.0%}).",
        f"- Groups: {report['equivalence_classes']}; smallest group: {report['smallest_class']} "
        "families.",
        f"- k-anonymity satisfied: {'yes' if report['k_satisfied'] else 'no'}.",
        "",
        "Safe Harbor keeps years only. Analyses needing exact intervals or dates need Expert "
        "Determination (164.514(b)(1)) or a Limited Data Set under a data use agreement.",
        "",
    ]
    return "\n".join(lines)


def _bundle(out_dir: Path, files: dict[str, list[str]], request_id: int) -> dict[str, str]:
    """One zip per format with its files, the dictionary, the codebook and the report."""
    docs = [
        "data_dictionary.csv",
        "codebook.md",
        "codebook.json",
        "disclosure_report.md",
        "disclosure_report.json",
    ]
    bundles = {}
    for fmt, paths in files.items():
        name = f"kindred-request-{request_id}-{fmt}.zip"
        method = zipfile.ZIP_DEFLATED if fmt in {"csv", "spss"} else zipfile.ZIP_STORED
        with zipfile.ZipFile(out_dir / name, "w", method, compresslevel=1) as bundle:
            for path in [*paths, *docs]:
                bundle.write(out_dir / path, path)
        bundles[fmt] = name
    bundles["codebook"] = "codebook.md"
    bundles["disclosure"] = "disclosure_report.md"
    bundles["dictionary"] = "data_dictionary.csv"
    return bundles


def today() -> dt.date:
    return timezone.localdate()
