from django import template
from django.utils.formats import date_format, time_format

from kindred.library.calendar import event_jsonld, jsonld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def event_ld(context, event, is_full=False):
    """schema.org JSON-LD for an event, with the page's CSP nonce."""
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request else ""
    return jsonld_script(event_jsonld(event, is_full=is_full), str(nonce))


@register.filter
def event_when(event) -> str:
    """ "Dec. 3, 2026, 6 p.m. – 7:30 p.m. EST", in the event's own time zone."""
    start, end = event.local_start, event.local_end
    text = f"{date_format(start, 'DATE_FORMAT')}, {time_format(start)} – "
    if end.date() != start.date():
        text += f"{date_format(end, 'DATE_FORMAT')}, "
    return text + f"{time_format(end)} {start.tzname()}"


_SECTIONS = [
    ("review", "review"),
    ("story", "stories"),
    ("campaign", "campaigns"),
    ("event", "events"),
    ("rsvp", "events"),
    ("my-calendar", "events"),
    ("newsletter", "newsletter"),
]


@register.simple_tag(takes_context=True)
def library_section(context) -> str:
    """Which part of the library the current page belongs to, for the sub-navigation."""
    match = getattr(context.get("request"), "resolver_match", None)
    name = getattr(match, "url_name", "") or ""
    for prefix, section in _SECTIONS:
        if name.startswith(prefix):
            return section
    return "resources"
