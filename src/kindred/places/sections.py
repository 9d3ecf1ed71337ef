"""Sections other apps add to a state's page (/places/<usps>/).

In your app's ``AppConfig.ready()``::

    from kindred.places.sections import register_state_section

    register_state_section(
        key="communities",
        title=_("Communities"),
        template="network/state_communities.html",  # rendered with state, section, request
        get_context=lambda request, state: {"items": Community.objects.in_state(state)[:20]},
        empty_text=_("No communities in this state yet. Start one!"),
        order=10,
    )

``get_context(request, state)`` returns the template's context. The section counts as
empty (and shows ``empty_text`` instead of the template) when it returns nothing, or an
``items`` that is empty. Section templates start their headings at ``<h3>``: the page
gives each section its ``<h2>`` from ``title``. Keep each section to a fixed number of
queries (the page is tested for it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kindred.places.models import State

DEFAULT_EMPTY_TEXT = _("Nothing here yet. It will grow as people in the network add to it.")


@dataclass(frozen=True)
class StateSection:
    key: str
    title: str
    template: str
    get_context: Callable[[HttpRequest, State], dict | None]
    empty_text: str = DEFAULT_EMPTY_TEXT
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    html: SafeString
    is_empty: bool
    empty_text: str


_sections: dict[str, StateSection] = {}


def register_state_section(
    *,
    key: str,
    title: str,
    template: str,
    get_context: Callable[[HttpRequest, State], dict | None],
    empty_text: str | None = None,
    order: int = 100,
) -> StateSection:
    """Add (or replace, by ``key``) a section on every state's page."""
    section = StateSection(
        key=key,
        title=title,
        template=template,
        get_context=get_context,
        empty_text=empty_text or DEFAULT_EMPTY_TEXT,
        order=order,
    )
    _sections[key] = section
    return section


def unregister_state_section(key: str) -> None:
    _sections.pop(key, None)


def state_sections() -> list[StateSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def render_state_sections(request: HttpRequest, state: State) -> list[RenderedSection]:
    rendered = []
    for section in state_sections():
        context = section.get_context(request, state) or {}
        is_empty = not context or ("items" in context and not context["items"])
        html = SafeString("")
        if not is_empty:
            html = render_to_string(
                section.template,
                {"state": state, "section": section, **context},
                request=request,
            )
        rendered.append(
            RenderedSection(
                key=section.key,
                title=section.title,
                html=html,
                is_empty=is_empty,
                empty_text=section.empty_text,
            )
        )
    return rendered
