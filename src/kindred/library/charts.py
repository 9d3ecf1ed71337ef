"""A small server-rendered line chart (SVG), so reach charts work without JavaScript."""

from __future__ import annotations

WIDTH, HEIGHT, PAD = 640, 220, 32


def line_chart(buckets: list[dict], series: list[tuple[str, str]]) -> dict:
    """Points for one polyline per (key, label) in ``series`` over ``buckets`` (dicts with
    ``day`` and a count per key)."""
    peak = max([1, *(bucket[key] for bucket in buckets for key, _label in series)])
    steps = max(1, len(buckets) - 1)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def point(index: int, value: int) -> str:
        x = PAD + inner_w * index / steps
        y = PAD + inner_h * (1 - value / peak)
        return f"{x:.1f},{y:.1f}"

    lines = [
        {
            "key": key,
            "label": label,
            "points": " ".join(point(i, bucket[key]) for i, bucket in enumerate(buckets)),
            "total": sum(bucket[key] for bucket in buckets),
        }
        for key, label in series
    ]
    ticks = []
    if buckets:
        for index in sorted({0, len(buckets) // 2, len(buckets) - 1}):
            ticks.append({"x": PAD + inner_w * index / steps, "day": buckets[index]["day"]})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "bottom": HEIGHT - PAD,
        "right": WIDTH - PAD,
        "peak": peak,
        "lines": lines,
        "ticks": ticks,
    }
