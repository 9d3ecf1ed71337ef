"""A family's scores over time as a small server-rendered SVG (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 560, 180, 36


@dataclass
class Point:
    label: str
    value: float


def line_chart(points: list[Point], *, top: float, bottom: float = 0) -> dict:
    """Coordinates for an SVG polyline; the template draws it with a text alternative."""
    span = (top - bottom) or 1
    count = len(points)
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)
    coords = []
    for index, point in enumerate(points):
        x = PAD + index * step if count > 1 else WIDTH / 2
        y = HEIGHT - PAD - (point.value - bottom) / span * (HEIGHT - 2 * PAD)
        coords.append(
            {"x": round(x, 1), "y": round(y, 1), "label": point.label, "value": point.value}
        )
    ticks = [
        {
            "y": round(HEIGHT - PAD - i / 4 * (HEIGHT - 2 * PAD), 1),
            "value": round(bottom + i / 4 * span, 1),
        }
        for i in range(5)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "right": WIDTH - PAD,
        "bottom": HEIGHT - PAD,
        "points": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "ticks": ticks,
    }
