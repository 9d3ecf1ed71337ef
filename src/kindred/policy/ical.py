"""iCalendar (RFC 5545) feed of hearing dates, written by hand: it is a small text format."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.utils import timezone

from kindred.policy.models import Hearing


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def hearings_calendar(hearings: Iterable[Hearing], *, base_url: str) -> str:
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "kindred"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kindred//Policy hearings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Kindred policy hearings",
    ]
    now = _stamp(timezone.now())
    for hearing in hearings:
        policy = hearing.policy
        ends = hearing.ends_at or hearing.starts_at + timedelta(hours=1)
        description = f"{policy.title} ({policy.jurisdiction.name})"
        if policy.identifier:
            description += f" {policy.identifier}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:policy-hearing-{hearing.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(hearing.starts_at)}",
            f"DTEND:{_stamp(ends)}",
            f"SUMMARY:{_escape(hearing.title)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{base_url}{policy.get_absolute_url()}",
        ]
        if hearing.location:
            lines.append(f"LOCATION:{_escape(hearing.location)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
