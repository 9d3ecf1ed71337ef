"""Server-rendered, dependency-free maps: accessible inline SVG for any template.

- ``us_states_svg(values, title=...)``: the 50 states and DC, each a link, coloured in up to
  5 classes of a sequential palette when ``values`` (USPS code -> number or None) is given.
- ``state_counties_svg("OK", values, title=...)``: one state's counties (county FIPS -> number),
  fitted to the state.

Both return ``SafeString`` HTML: a ``<figure class="kindred-map">`` holding the ``<svg>`` and
an HTML legend (readable at any width, unlike text inside a scaled SVG). Include
``places/places.css`` on the page for hover and focus styles; colours are ``fill``
attributes, so the map reads without it. The shapes come from the us-atlas files vendored in
``core/static/vendor/us-atlas`` (2017 Census boundaries, Albers USA projection, 975x610); they
are decoded once per process. Territories are not in those files: list them next to the map.
A map is a picture of a table: always show the same numbers in a table too.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kindred.places.loading import read_counties, read_states

ATLAS_DIR = Path(__file__).resolve().parent.parent / "core" / "static" / "vendor" / "us-atlas"
WIDTH, HEIGHT = 975, 610

# ColorBrewer "Greens" (sequential, colour-blind safe), light to dark, 5 classes.
PALETTE = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
NO_DATA_FILL = "#d9d9d9"
PLAIN_FILL = "#cfe3d9"
BORDER = "#ffffff"

Number = int | float | Decimal


@dataclass(frozen=True)
class Shape:
    id: str
    d: str  # SVG path data
    bbox: tuple[float, float, float, float]  # min x, min y, max x, max y


def _fmt(value: float) -> str:
    """Shortest text for a coordinate with one decimal: 12.0 -> "12", -0.5 -> "-.5"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text in ("-0", "", "-"):
        return "0"
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


def _pair(x: float, y: float) -> str:
    """ "x y" with the space dropped before a minus sign, as SVG path data allows."""
    fx, fy = _fmt(x), _fmt(y)
    return f"{fx}{fy}" if fy.startswith("-") else f"{fx} {fy}"


@functools.cache
def _topology(filename: str) -> tuple[dict, list[list[tuple[float, float]]]]:
    """The TopoJSON file and its arcs as absolute coordinates (quantized, delta-encoded)."""
    topology = json.loads((ATLAS_DIR / filename).read_text(encoding="utf-8"))
    (scale_x, scale_y) = topology["transform"]["scale"]
    (move_x, move_y) = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * scale_x + move_x, 1), round(y * scale_y + move_y, 1)))
        arcs.append(points)
    return topology, arcs


def _ring_path(points: list[tuple[float, float]]) -> str:
    """ "M x y l dx dy dx dy ... z": relative moves, implicit repeated lineto."""
    x0, y0 = points[0]
    parts = [f"M{_pair(x0, y0)}l"]
    last_x, last_y = x0, y0
    first = True
    for x, y in points[1:]:
        if (x, y) == (last_x, last_y):
            continue
        pair = _pair(x - last_x, y - last_y)
        parts.append(pair if first or pair.startswith("-") else " " + pair)
        first = False
        last_x, last_y = x, y
    return "".join(parts) + "z"


def _decode(filename: str, object_name: str) -> dict[str, Shape]:
    """SVG path data and bounding box per feature id of one TopoJSON object."""
    topology, arcs = _topology(filename)
    shapes = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        parts = []
        xs, ys = [], []
        for polygon in polygons:
            for ring in polygon:
                points = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    points.extend(arc[1:] if points else arc)
                if len(set(points)) < 3:
                    # Simplification shrank this place to a point or a line (Lexington city,
                    # VA): draw a small diamond so it can still be coloured and linked.
                    if ring is not polygon[0]:
                        continue
                    x, y = points[0]
                    points = [(x - 0.5, y), (x, y - 0.5), (x + 0.5, y), (x, y + 0.5)]
                parts.append(_ring_path(points))
                xs.extend(p[0] for p in points)
                ys.extend(p[1] for p in points)
        if parts:
            shapes[geometry["id"]] = Shape(
                geometry["id"], "".join(parts), (min(xs), min(ys), max(xs), max(ys))
            )
    return shapes


@functools.cache
def state_shapes() -> dict[str, Shape]:
    """State FIPS -> shape (50 states and DC)."""
    return _decode("states-albers-10m.json", "states")


@functools.cache
def county_shapes() -> dict[str, Shape]:
    """County FIPS -> shape (3,142 counties of the 50 states and DC)."""
    return _decode("counties-albers-10m.json", "counties")


@functools.cache
def _state_outlines() -> dict[str, Shape]:
    """State outlines from the county file, so they line up with its counties."""
    return _decode("counties-albers-10m.json", "states")


@functools.cache
def _states() -> dict[str, dict]:
    """USPS -> {"fips", "usps", "name", ...} from the shipped data (no database query)."""
    return {row["usps"]: row for row in read_states()}


@functools.cache
def _county_names() -> dict[str, str]:
    return {row["fips"]: row["name"] for row in read_counties()}


def states_on_map() -> set[str]:
    """USPS codes the US map draws; every other state or territory must be listed beside it."""
    shapes = state_shapes()
    return {usps for usps, row in _states().items() if row["fips"] in shapes}


# --- Classes ----------------------------------------------------------------------------------
def class_breaks(values, classes: int = 5) -> list[Number]:
    """Upper bounds of up to ``classes`` classes holding about equal numbers of values."""
    numbers = sorted(v for v in values if v is not None)
    if not numbers:
        return []
    distinct = sorted(set(numbers))
    if len(distinct) <= classes:
        return distinct
    breaks = []
    for i in range(1, classes + 1):
        bound = numbers[math.ceil(i * len(numbers) / classes) - 1]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def _palette(count: int) -> list[str]:
    if count <= 1:
        return [PALETTE[2]] * count
    last = len(PALETTE) - 1
    return [PALETTE[round(i * last / (count - 1))] for i in range(count)]


def _number(value: Number) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _default_label(value: Number | None) -> str:
    return _("no data") if value is None else _number(value)


def _range_label(low: Number | None, high: Number, *, exclusive_low: bool) -> str:
    numbers = {"low": _number(low) if low is not None else "", "high": _number(high)}
    if low is None:
        return _("up to %(high)s") % numbers
    if low >= high:
        return numbers["high"]
    if exclusive_low:
        return _("more than %(low)s, up to %(high)s") % numbers
    return _("%(low)s to %(high)s") % numbers


def _legend_labels(breaks: list[Number], values) -> list[str]:
    """Labels for quantile classes: "0 to 3", "4 to 10" (whole numbers) or "more than..."."""
    present = [v for v in values if v is not None]
    integral = all(float(v).is_integer() for v in present)
    labels = []
    previous = None
    for bound in breaks:
        if previous is None:
            labels.append(_range_label(min(present), bound, exclusive_low=False))
        elif integral:
            labels.append(_range_label(previous + 1, bound, exclusive_low=False))
        else:
            labels.append(_range_label(previous, bound, exclusive_low=True))
        previous = bound
    return labels


def _explicit_labels(bounds: list[Number]) -> list[str]:
    labels = []
    previous = None
    for bound in bounds:
        labels.append(_range_label(previous, bound, exclusive_low=True))
        previous = bound
    return labels


@dataclass
class _Classes:
    breaks: list[Number]
    colors: list[str]
    labels: list[str]
    has_missing: bool

    def fill(self, value: Number | None) -> tuple[str, str]:
        """(fill colour, class name) for a value."""
        if value is None:
            return NO_DATA_FILL, "map-no-data"
        for index, bound in enumerate(self.breaks):
            if value <= bound:
                return self.colors[index], f"map-class-{index}"
        return self.colors[-1], f"map-class-{len(self.breaks) - 1}"


def _classes(values: Mapping[str, Number | None], ids, breaks) -> _Classes:
    present = [values.get(i) for i in ids]
    if breaks is not None and not 1 <= len(breaks) <= len(PALETTE):
        raise ValueError(f"breaks needs 1 to {len(PALETTE)} upper bounds, not {len(breaks)}")
    bounds = sorted(breaks) if breaks is not None else class_breaks(present)
    return _Classes(
        breaks=bounds,
        colors=_palette(len(bounds)),
        labels=_legend_labels(bounds, present) if breaks is None else _explicit_labels(bounds),
        has_missing=any(v is None for v in present),
    )


# --- Rendering --------------------------------------------------------------------------------
def _legend(classes: _Classes, title: str) -> str:
    items = []
    entries = list(zip(classes.colors, classes.labels, strict=True))
    if classes.has_missing:
        entries.append((NO_DATA_FILL, _("no data")))
    for color, label in entries:
        items.append(
            '<li><svg class="map-swatch" width="16" height="16" viewBox="0 0 16 16" '
            f'aria-hidden="true" focusable="false"><rect width="16" height="16" fill="{color}" '
            f'stroke="#595959" stroke-width="1"/></svg> {escape(label)}</li>'
        )
    legend_label = _("Legend: %(title)s") % {"title": title}
    return (
        f'<ul class="map-legend" aria-label={quoteattr(legend_label)}>' + "".join(items) + "</ul>"
    )


def _render(
    *,
    features: list[tuple[str, Shape, str]],  # (key, shape, name)
    values: Mapping[str, Number | None] | None,
    title: str,
    description: str,
    link: Callable[[str], str | None] | None,
    value_label: Callable[[Number | None], str],
    breaks,
    html_id: str,
    view_box: tuple[float, float, float, float],
    outline: str = "",
) -> SafeString:
    classes = (
        _classes(values, [key for key, _shape, _name in features], breaks)
        if values is not None
        else None
    )
    has_links = link is not None
    title_id, desc_id = f"{html_id}-title", f"{html_id}-desc"
    labelled = f'aria-labelledby="{title_id}"'
    if description:
        labelled += f' aria-describedby="{desc_id}"'
    # role="img" hides an image's children from assistive technology, which would hide the
    # links too; a map of links is a labelled group instead.
    role = "group" if has_links else "img"
    x, y, w, h = view_box
    out = [
        f'<figure class="kindred-map" id="{escape(html_id)}">',
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" role="{role}" {labelled} '
        f'viewBox="{_fmt(x)} {_fmt(y)} {_fmt(w)} {_fmt(h)}" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    if description:
        out.append(f'<desc id="{desc_id}">{escape(description)}</desc>')
    out.append(
        f'<g class="map-areas" stroke="{BORDER}" stroke-width="0.75" stroke-linejoin="round">'
    )
    for key, shape, name in features:
        value = values.get(key) if values is not None else None
        if classes is not None:
            fill, css_class = classes.fill(value)
            label = _("%(name)s: %(value)s") % {"name": name, "value": value_label(value)}
        else:
            fill, css_class, label = PLAIN_FILL, "map-plain", name
        path = (
            f'<path d="{shape.d}" fill="{fill}" class="map-area {css_class}" '
            f'vector-effect="non-scaling-stroke" data-id="{escape(key)}"'
        )
        href = link(key) if has_links else None
        if href:
            out.append(
                f'<a href={quoteattr(href)} class="map-link"><title>{escape(label)}</title>'
                f"{path}/></a>"
            )
        else:
            out.append(f"{path}><title>{escape(label)}</title></path>")
    out.append("</g>")
    if outline:
        out.append(
            f'<path class="map-outline" d="{outline}" fill="none" stroke="#333333" '
            'stroke-width="1.5" vector-effect="non-scaling-stroke" aria-hidden="true"/>'
        )
    out.append("</svg>")
    if classes is not None and (classes.breaks or classes.has_missing):
        out.append(f"<figcaption>{_legend(classes, title)}</figcaption>")
    out.append("</figure>")
    return mark_safe("".join(out))  # noqa: S308 (every text and attribute is escaped above)


def state_url(usps: str) -> str:
    return reverse("places:state", args=[usps.lower()])


def us_states_svg(
    values: Mapping[str, Number | None] | None = None,
    *,
    title: str,
    description: str = "",
    link: Callable[[str], str | None] | None = state_url,
    value_label: Callable[[Number | None], str] = _default_label,
    breaks: list[Number] | None = None,
    html_id: str = "us-map",
) -> SafeString:
    """The US map: 50 states and DC, each a link to ``link(usps)`` (None: no links).

    ``values`` maps USPS codes to numbers (None or missing: "no data"); without ``values`` the
    map is a plain locator map. Classes are quantiles unless ``breaks`` (ascending upper
    bounds, at most 5) is given. ``value_label(value)`` words each state's value in its
    tooltip ("Oklahoma: 12 members"). Territories are not drawn: see ``states_on_map()``.
    """
    shapes = state_shapes()
    features = [
        (usps, shapes[row["fips"]], row["name"])
        for usps, row in sorted(_states().items(), key=lambda item: item[1]["name"])
        if row["fips"] in shapes
    ]
    return _render(
        features=features,
        values=values,
        title=title,
        description=description,
        link=link,
        value_label=value_label,
        breaks=breaks,
        html_id=html_id,
        view_box=(0, 0, WIDTH, HEIGHT),
    )


def state_counties_svg(
    usps: str,
    values: Mapping[str, Number | None] | None = None,
    *,
    title: str,
    description: str = "",
    link: Callable[[str], str | None] | None = None,
    value_label: Callable[[Number | None], str] = _default_label,
    breaks: list[Number] | None = None,
    html_id: str = "county-map",
) -> SafeString:
    """One state's counties, keyed by 5-digit county FIPS, fitted to the state.

    Returns an empty string for a territory (not in the map files) or an unknown code.
    ``link(fips)`` may give each county a link. Other arguments as ``us_states_svg``.
    """
    row = _states().get((usps or "").upper())
    if row is None:
        return mark_safe("")
    shapes = county_shapes()
    names = _county_names()
    features = sorted(
        (
            (fips, shape, names.get(fips, fips))
            for fips, shape in shapes.items()
            if fips.startswith(row["fips"])
        ),
        key=lambda item: item[2],
    )
    if not features:
        return mark_safe("")
    min_x = min(shape.bbox[0] for _k, shape, _n in features)
    min_y = min(shape.bbox[1] for _k, shape, _n in features)
    max_x = max(shape.bbox[2] for _k, shape, _n in features)
    max_y = max(shape.bbox[3] for _k, shape, _n in features)
    pad = max(max_x - min_x, max_y - min_y) * 0.02
    outline = _state_outlines().get(row["fips"])
    return _render(
        features=features,
        values=values,
        title=title,
        description=description,
        link=link,
        value_label=value_label,
        breaks=breaks,
        html_id=html_id,
        view_box=(min_x - pad, min_y - pad, max_x - min_x + 2 * pad, max_y - min_y + 2 * pad),
        outline=outline.d if outline else "",
    )
