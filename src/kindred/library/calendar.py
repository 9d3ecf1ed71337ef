"""iCalendar (RFC 5545) feeds and schema.org Event JSON-LD for events.

Online meeting links appear only in the feed of a member who has a place: public feeds
and pages point to the event page instead, so links are not handed to strangers.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from kindred.library.models import Event
from kindred.library.text import plain_text

PRODID = "-//Kindred//Early Relational Health network//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _vevent(event: Event, *, with_links: bool, stamp: str) -> list[str]:
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    description = plain_text(event.description)
    if event.is_online:
        link = event.online_url if with_links else url
        description += f"\n\n{link}"
    location = event.place_label if event.is_in_person else ""
    if event.is_online and not location:
        location = event.online_url if with_links else "Online"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@{_host()}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"LAST-MODIFIED:{_utc(event.updated)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if event.status == Event.Status.CANCELLED else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if event.host:
        lines.append(f"ORGANIZER;CN={_quote_param(str(event.host))}:{url}")
    lines.append("END:VEVENT")
    return lines


def _quote_param(value: str) -> str:
    return '"' + value.replace('"', "'") + '"'


def render_calendar(events, *, name: str, links_for: set[int] | None = None) -> str:
    """A VCALENDAR of ``events``; ``links_for`` holds the ids whose meeting link to show."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += _vevent(event, with_links=event.pk in (links_for or set()), stamp=stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


_MODES = {
    Event.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event: Event, *, is_full: bool = False) -> dict:
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    locations = []
    if event.is_in_person:
        address = {"@type": "PostalAddress", "addressCountry": "US"}
        if event.address:
            address["streetAddress"] = event.address
        if event.zip_code_id:
            address["postalCode"] = event.zip_code_id
        if event.state_id:
            address["addressRegion"] = event.state.usps
        locations.append(
            {"@type": "Place", "name": event.venue_name or event.address, "address": address}
        )
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": url})
    status = "EventCancelled" if event.status == Event.Status.CANCELLED else "EventScheduled"
    host = event.host
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": plain_text(event.description)[:500],
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": _MODES[event.mode],
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": str(host),
            "url": f"{settings.SITE_URL}{host.get_absolute_url()}",
        },
        "inLanguage": event.language,
        "url": url,
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "USD",
            "url": url,
            "availability": "https://schema.org/SoldOut"
            if is_full
            else "https://schema.org/InStock",
        },
    }
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    return data


def jsonld_script(data: dict, nonce: str = "") -> SafeString:
    """A <script type="application/ld+json"> block, escaped so that no value can end it."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    nonce_attr = f' nonce="{nonce}"' if nonce else ""
    # The JSON has <, > and & escaped above, so no value can close the script element.
    return mark_safe(f'<script type="application/ld+json"{nonce_attr}>{text}</script>')  # noqa: S308
