"""Reliability and score distributions for an approved dataset, on numpy and scipy only.

- Cronbach's alpha with Feldt's (1965) F-based confidence interval.
- McDonald's omega (total) from a one-factor model fitted to the item correlation matrix by
  iterated principal axis factoring (the unweighted least-squares solution), with a percentile
  bootstrap interval. Above ``BOOT_ROWS`` rows the bootstrap draws ``BOOT_ROWS`` rows and
  narrows its spread by sqrt(BOOT_ROWS / n) (an m-out-of-n bootstrap) to stay quick.
- Corrected item–total correlations and alpha if the item is dropped.
- Counts of result bands by language and by site, with cells under 11 suppressed.

GPL libraries (pingouin, factor-analyzer) are not used; tests check these functions against
values worked out from the formulas and from known factor structures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from scipy.special import fdtri  # F quantiles; lighter than importing scipy.stats

SMALL_CELL = 11
BOOTSTRAP = 200
BOOT_ROWS = 20000
MIN_BOOT_ROWS = 30


def cronbach_alpha(x: np.ndarray) -> float:
    """Alpha of an n × k matrix of complete item scores."""
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - item_var / total_var))


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """(1 − α̂)/(1 − α) follows F(n − 1, (n − 1)(k − 1)) (Feldt 1965)."""
    if not np.isfinite(alpha) or n < 3 or k < 2:
        return (float("nan"), float("nan"))
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    lower = 1 - (1 - alpha) * fdtri(df1, df2, 1 - tail)
    upper = 1 - (1 - alpha) * fdtri(df1, df2, tail)
    return (float(lower), float(upper))


def one_factor_loadings(r: np.ndarray, *, max_iter: int = 300, tol: float = 1e-6) -> np.ndarray:
    """Standardised loadings of a one-factor model (iterated principal axis factoring)."""
    k = r.shape[0]
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            h2 = 1 - 1 / np.diag(np.linalg.inv(r))  # squared multiple correlations
    except np.linalg.LinAlgError:
        h2 = np.full(k, 0.5)
    if not np.all(np.isfinite(h2)):
        h2 = np.full(k, 0.5)
    h2 = np.clip(h2, 0.005, 0.995)
    loadings = np.sqrt(h2)
    for _ in range(max_iter):
        reduced = r.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        updated = np.clip(loadings**2, 0.005, 0.995)  # keep away from Heywood cases
        if np.max(np.abs(updated - h2)) < tol:
            break
        h2 = updated
    return -loadings if loadings.sum() < 0 else loadings


def omega_from_correlations(r: np.ndarray) -> float:
    loadings = one_factor_loadings(r)
    common = loadings.sum() ** 2
    unique = (1 - loadings**2).sum()
    return float(common / (common + unique))


def _correlations(x: np.ndarray) -> np.ndarray | None:
    sd = x.std(axis=0, ddof=1)
    if np.any(sd <= 0):
        return None
    return np.corrcoef(x, rowvar=False)


def mcdonald_omega(x: np.ndarray) -> float:
    r = _correlations(x)
    return float("nan") if r is None else omega_from_correlations(r)


def omega_interval(
    x: np.ndarray, *, level: float = 0.95, draws: int = BOOTSTRAP, seed: int = 2026
) -> tuple[float, float]:
    n = x.shape[0]
    if n < MIN_BOOT_ROWS:  # too few answers for a bootstrap to mean anything
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    m = min(n, BOOT_ROWS)
    estimate = mcdonald_omega(x)
    values = []
    for _ in range(draws):
        sample = x[rng.integers(0, n, size=m)]
        value = mcdonald_omega(sample)
        if np.isfinite(value):
            values.append(value)
    if len(values) < draws // 2:
        return (float("nan"), float("nan"))
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    if m < n:  # m-out-of-n: shrink the spread to the full sample size
        shrink = np.sqrt(m / n)
        low, high = estimate - (estimate - low) * shrink, estimate + (high - estimate) * shrink
    return (float(low), float(high))


def item_total(x: np.ndarray) -> list[dict[str, float]]:
    """Corrected item–total correlation and alpha if the item were dropped, per item."""
    total = x.sum(axis=1)
    out = []
    for j in range(x.shape[1]):
        rest = total - x[:, j]
        if x[:, j].std() > 0 and rest.std() > 0:
            correlation = float(np.corrcoef(x[:, j], rest)[0, 1])
        else:
            correlation = float("nan")
        dropped = cronbach_alpha(np.delete(x, j, axis=1)) if x.shape[1] > 2 else float("nan")
        out.append({"r": correlation, "alpha_if_dropped": dropped})
    return out


def scale_reliability(x: np.ndarray) -> dict[str, Any]:
    """Everything the page shows for one scale, from complete cases."""
    complete = x[~np.isnan(x).any(axis=1)]
    n, k = complete.shape
    alpha = cronbach_alpha(complete)
    # A one-factor model needs three items or more to be identified.
    omega = mcdonald_omega(complete) if n >= 3 and k >= 3 else float("nan")
    return {
        "n": int(n),
        "items": int(k),
        "alpha": alpha,
        "alpha_ci": feldt_interval(alpha, n, k),
        "omega": omega,
        "omega_ci": omega_interval(complete) if np.isfinite(omega) else (np.nan, np.nan),
        "item_total": item_total(complete) if n >= 3 else [],
    }


def suppress(count: int) -> int | None:
    """Small cells (1–10) are withheld; zero stays zero."""
    return None if 0 < count < SMALL_CELL else int(count)


def distribution(labels: list, bands: list) -> dict[str, Any]:
    """Counts of ``bands`` within each value of ``labels``, small cells suppressed."""
    by: dict[str, dict[str, int]] = {}
    band_names: list[str] = []
    for label, band in zip(labels, bands, strict=True):
        if band is None:
            continue
        key = "—" if label is None else str(label)
        by.setdefault(key, {})
        by[key][band] = by[key].get(band, 0) + 1
        if band not in band_names:
            band_names.append(band)
    return {
        "bands": band_names,
        "rows": [
            {"label": key, "counts": [suppress(counts.get(b, 0)) for b in band_names]}
            for key, counts in sorted(by.items())
        ],
    }


def _clean(value: Any) -> Any:
    """JSON-safe: NaN becomes None, tuples become lists, numbers are rounded."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if not np.isfinite(value) else round(float(value), 4)
    return value


def dataset_psychometrics(folder: Path, scales: dict[str, list[dict]]) -> dict[str, Any]:
    """Reliability per scale and band distributions per instrument of a built dataset.

    ``scales`` comes from the build report: {instrument: [{id, label, items, reverse}]}.
    """
    out: dict[str, Any] = {}
    for slug, scale_list in scales.items():
        path = Path(folder) / "parquet" / f"{slug}.parquet"
        if not path.exists():
            continue
        names = set(pq.read_schema(path).names)
        wanted = {c for s in scale_list for c in s["items"]} & names
        wanted |= {c for c in ("language", "site", "band") if c in names}
        table = pq.read_table(path, columns=sorted(wanted))
        result: dict[str, Any] = {"scales": [], "rows": table.num_rows}
        for scale in scale_list:
            columns = [c for c in scale["items"] if c in names]
            if len(columns) < 2:
                continue
            x = np.column_stack(
                [table.column(c).to_numpy(zero_copy_only=False).astype(float) for c in columns]
            )
            for j, column in enumerate(columns):
                bounds = scale["reverse"].get(column)
                if bounds:
                    x[:, j] = bounds[0] + bounds[1] - x[:, j]
            stats_ = scale_reliability(x)
            for entry, column in zip(stats_["item_total"], columns, strict=False):
                entry["item"] = column
            result["scales"].append({"id": scale["id"], "label": scale["label"], **stats_})
        if "band" in names:
            bands = table.column("band").to_pylist()
            for by in ("language", "site"):
                if by in names:
                    result[f"by_{by}"] = distribution(table.column(by).to_pylist(), bands)
        out[slug] = result
    return _clean(out)
