"""A tile-grid map of the states: one equal square per state, placed roughly where it lies.

Plain HTML and CSS (a grid), so it needs no JavaScript, no map data and no inline styles;
every tile carries its state's name and a word, not only a colour, and each map page also
shows the same facts as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

# (row, column) on an 8 × 11 grid.
TILE_POSITIONS = {
    "AK": (0, 0), "ME": (0, 10),
    "WI": (1, 5), "VT": (1, 9), "NH": (1, 10),
    "WA": (2, 0), "ID": (2, 1), "MT": (2, 2), "ND": (2, 3), "MN": (2, 4), "IL": (2, 5),
    "MI": (2, 6), "NY": (2, 8), "MA": (2, 9),
    "OR": (3, 0), "NV": (3, 1), "WY": (3, 2), "SD": (3, 3), "IA": (3, 4), "IN": (3, 5),
    "OH": (3, 6), "PA": (3, 7), "NJ": (3, 8), "CT": (3, 9), "RI": (3, 10),
    "CA": (4, 0), "UT": (4, 1), "CO": (4, 2), "NE": (4, 3), "MO": (4, 4), "KY": (4, 5),
    "WV": (4, 6), "VA": (4, 7), "MD": (4, 8), "DE": (4, 9),
    "AZ": (5, 1), "NM": (5, 2), "KS": (5, 3), "AR": (5, 4), "TN": (5, 5), "NC": (5, 6),
    "SC": (5, 7), "DC": (5, 8),
    "OK": (6, 3), "LA": (6, 4), "MS": (6, 5), "AL": (6, 6), "GA": (6, 7),
    "HI": (7, 0), "TX": (7, 3), "FL": (7, 8),
}  # fmt: skip


@dataclass
class Tile:
    usps: str
    name: str
    row: int
    column: int
    category: str
    label: str
    url: str


def tile_map(states, cells: dict[str, tuple[str, str, str]]) -> list[Tile]:
    """Tiles for ``states`` (State rows); ``cells`` maps a USPS code to
    (category css word, short label, link). States without a cell are "none"."""
    tiles = []
    for state in states:
        position = TILE_POSITIONS.get(state.usps)
        if position is None:
            continue
        category, label, url = cells.get(state.usps, ("none", "", ""))
        tiles.append(Tile(state.usps, state.name, *position, category, label, url))
    return tiles
