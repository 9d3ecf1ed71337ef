from django.template.loader import render_to_string
from django.utils.html import format_html

from kindred.core.tables import Column, Table


def _render(table: Table) -> str:
    return render_to_string("core/table.html", {"table": table})


def test_a_table_has_a_caption_and_scoped_headers():
    table = Table(
        caption="Members by state",
        columns=[Column("State"), Column("Members", numeric=True)],
        rows=[["Ohio", 12], [format_html('<a href="/x">{}</a>', "Texas"), 3]],
    )
    html = _render(table)
    assert f'<caption id="{table.id}-caption">Members by state</caption>' in html
    assert '<th scope="col">State</th><th scope="col" class="num">Members</th>' in html
    assert '<th scope="row">Ohio</th><td class="num">12</td>' in html
    assert '<th scope="row"><a href="/x">Texas</a></th>' in html
    # The scroll box is a labelled, focusable region.
    assert f'role="region" aria-labelledby="{table.id}-caption" tabindex="0"' in html


def test_cells_are_escaped():
    table = Table(caption="c", columns=[Column("A")], rows=[["<b>bold</b>"]])
    assert "&lt;b&gt;bold&lt;/b&gt;" in _render(table)


def test_an_empty_table_says_so():
    table = Table(caption="c", columns=[Column("A"), Column("B")], rows=[], empty="None yet.")
    assert '<td colspan="2" class="empty">None yet.</td>' in _render(table)


def test_the_caption_can_be_visually_hidden():
    table = Table(caption="c", columns=[Column("A")], rows=[["x"]], caption_hidden=True)
    assert 'class="visually-hidden">c</caption>' in _render(table)
