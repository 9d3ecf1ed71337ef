"""Accessible data tables: a caption, column headers with ``scope="col"``, the first cell of
each row as a row header with ``scope="row"``, and a focusable scroll box on narrow screens.

In a view::

    table = Table(
        caption=_("Members by state"),
        columns=[Column(_("State")), Column(_("Members"), numeric=True)],
        rows=[[state.name, state.members] for state in states],
        empty=_("No members yet."),
    )

and in the template ``{% include "core/table.html" with table=table %}``. Cells are escaped
unless they are ``SafeString`` (build links with ``format_html``). Pages that write their
own ``<table>`` use the same markup: see ``core/table.html``.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.crypto import get_random_string


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass
class Table:
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    empty: str = ""
    caption_hidden: bool = False
    row_headers: bool = True
    id: str = field(default_factory=lambda: "table-" + get_random_string(8).lower())

    @property
    def body(self) -> list[list[tuple[Any, Column]]]:
        """Each row as (value, column) pairs, so a cell knows whether it is numeric."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]
