"""Horizontal bar charts as server-rendered SVG coordinates (no JavaScript).

Each chart comes with a table holding the same numbers, so nothing is shown only in colour
or only in the picture.
"""

from __future__ import annotations

WIDTH = 640
ROW = 44
BAR = 16
LEFT = 8
RIGHT = 56


def bar_chart(rows: list[dict], *, maximum: float = 100.0, unit: str = "%") -> dict:
    """``rows``: [{"label", "value", "markers": [{"key", "value"}]}] → SVG geometry."""
    top = maximum or max((r["value"] for r in rows), default=1) or 1
    span = WIDTH - LEFT - RIGHT
    bars = []
    for index, row in enumerate(rows):
        y = index * ROW
        value = max(0.0, float(row["value"]))
        width = round(min(value, top) / top * span, 1)
        bars.append(
            {
                "label": row["label"],
                "label_y": y + 14,
                "y": y + 20,
                "width": width,
                "value": value,
                "text": f"{value:g}{unit}",
                "text_x": LEFT + width + 6,
                "text_y": y + 20 + BAR - 3,
                "markers": [
                    {
                        "key": m["key"],
                        "x": round(LEFT + min(max(m["value"], 0), top) / top * span, 1),
                        "y": y + 20 + BAR / 2,
                    }
                    for m in row.get("markers", [])
                ],
            }
        )
    grid = [
        {"x": round(LEFT + step / 4 * span, 1), "label": f"{top * step / 4:g}{unit}"}
        for step in range(5)
    ]
    height = len(rows) * ROW + 24
    return {
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "bar": BAR,
        "bars": bars,
        "grid": grid,
        "grid_bottom": height - 18,
        "grid_text_y": height - 4,
    }
