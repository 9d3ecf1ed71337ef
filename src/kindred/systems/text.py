"""Small text helpers for systems pages: ages, safe Markdown."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "em",
    "h3",
    "h4",
    "i",
    "li",
    "ol",
    "p",
    "strong",
    "ul",
}


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to mark safe (nh3 keeps an allow-list)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def months(value: int) -> str:
    if value and value % 12 == 0:
        years = value // 12
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d month", "%(n)d months", value) % {"n": value}


def age_range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return _("All ages")
    if low is None or low == 0:
        return (
            _("Birth to %(high)s") % {"high": months(high)} if high is not None else _("All ages")
        )
    if high is None:
        return _("From %(low)s") % {"low": months(low)}
    return _("%(low)s to %(high)s") % {"low": months(low), "high": months(high)}
