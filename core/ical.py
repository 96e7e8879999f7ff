"""iCalendar (RFC 5545) written as text: the meetings' and the rotation's feeds, a login's
personal feed and the invitations' attachments.

The ``icalendar`` package builds a tree of objects per property and serialises it again; a
feed of a year of a large federation's meetings (400 events) took 200-400 ms in it, most of
the feed's time. The properties we write are few and plain (text, UTC and zoned times, dates,
a URI), so they are written here directly, escaped and folded as the RFC says; ``icalendar``
still gives the VTIMEZONE of each zone the events name (once per zone and process), and the
tests read every feed back with ``icalendar``'s parser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

#: The zones written as UTC ("...Z") rather than with a TZID.
UTC_ZONES = {"UTC", "Etc/UTC", "Etc/GMT", "GMT"}


def escape(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, any line break
    written ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character nor
    between a backslash and the character it escapes."""
    if len(line) <= 75 and line.isascii():
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if current and size + width > 75 - (1 if parts else 0):
            carried = current.pop() if len(current) > 1 and current[-1] == "\\" else ""
            parts.append("".join(current))
            current = [carried] if carried else []
            size = len(carried)
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def zone_of(value: dt.datetime) -> str | None:
    """The TZID an aware time is written with, or None for UTC."""
    tz = value.tzinfo
    key: str | None = getattr(tz, "key", None)
    if key is None or key in UTC_ZONES:
        if value.utcoffset() != dt.timedelta(0):
            raise ValueError(f"a time in a zone without a name: {value!r}")
        return None
    return key


class Component:
    """One BEGIN/END block: properties added in order, written by :func:`calendar`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []
        self.zones: set[str] = set()

    def text(self, name: str, value: str) -> None:
        self.lines.append(f"{name}:{escape(value)}")

    def raw(self, name: str, value: str) -> None:
        """A value written as it is: a URI, a status, a UID of our making."""
        self.lines.append(f"{name}:{value}")

    def utc(self, name: str, value: dt.datetime) -> None:
        self.lines.append(f"{name}:{value.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}")

    def time(self, name: str, value: dt.datetime) -> None:
        """A time in its own zone (``DTSTART;TZID=Asia/Almaty:20270514T100000``), UTC as UTC."""
        zone = zone_of(value)
        if zone is None:
            self.utc(name, value)
            return
        self.zones.add(zone)
        self.lines.append(f"{name};TZID={zone}:{value:%Y%m%dT%H%M%S}")

    def date(self, name: str, value: dt.date) -> None:
        self.lines.append(f"{name};VALUE=DATE:{value:%Y%m%d}")

    def ical(self, *inside: str) -> str:
        """The block, its properties folded, then ``inside`` (blocks already written)."""
        body = "".join(f"{fold(line)}\r\n" for line in self.lines)
        return f"BEGIN:{self.name}\r\n{body}{''.join(inside)}END:{self.name}\r\n"


def event() -> Component:
    return Component("VEVENT")


@lru_cache(maxsize=64)
def vtimezone(zone: str) -> str:
    """The VTIMEZONE of a zone (its transitions from 1970 to 2038, as ``icalendar`` gives them;
    computed once per zone and process)."""
    from icalendar import Timezone

    try:
        return str(Timezone.from_tzid(zone).to_ical().decode())
    except ValueError:  # a zone icalendar does not know: the TZID alone, as icalendar leaves it
        return ""


def calendar(name: str, prodid: str, components: Iterable[Component]) -> bytes:
    """A published VCALENDAR: the zones' definitions first, then the components."""
    events = list(components)
    zones = sorted({zone for component in events for zone in component.zones})
    head = Component("VCALENDAR")
    head.text("PRODID", prodid)
    head.raw("VERSION", "2.0")
    head.raw("CALSCALE", "GREGORIAN")
    head.raw("METHOD", "PUBLISH")
    head.text("X-WR-CALNAME", name)
    inside = [vtimezone(zone) for zone in zones] + [component.ical() for component in events]
    return head.ical(*inside).encode()
