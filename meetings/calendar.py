"""Meetings as iCalendar (RFC 5545): the feed of all meetings and one file per meeting.

Times are written in the meeting's own time zone (``DTSTART;TZID=Asia/Almaty:...``, with the
zone's definition in the file), as the portal shows them; each event's UID
is stable per meeting (``meeting-<pk>@<domain>``), so a re-imported file updates the event
instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from core import ical

from .models import Meeting, MeetingFormat, MeetingStatus

PRODID = "-//Union of chambers of commerce//Secretariat//EN"

#: Our statuses in iCalendar's words; a postponed meeting has no firm date, so it is tentative.
ICAL_STATUS: dict[str, str] = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def event_uid(meeting: Meeting, domain: str) -> str:
    return f"meeting-{meeting.pk}@{domain}"


def location(meeting: Meeting) -> str:
    """ "Astana, Kazakhstan"; "Online" for an online meeting without a venue."""
    parts = [meeting.venue_city, str(meeting.venue_country.name) if meeting.venue_country else ""]
    place = ", ".join(part for part in parts if part)
    if not place and meeting.format == MeetingFormat.ONLINE:
        return str(MeetingFormat.ONLINE.label)
    return place


def description(meeting: Meeting) -> str:
    """The agenda's titles, one a line (the agenda must be prefetched for a feed)."""
    lines = [f"{item.position}. {item.title}" for item in meeting.agenda.all()]
    if not lines:
        return ""
    return "\n".join([_("Agenda:"), *lines])


def meeting_event(meeting: Meeting, *, domain: str, url: str | None = None) -> ical.Component:
    event = ical.event()
    event.raw("UID", event_uid(meeting, domain))
    event.utc("DTSTAMP", meeting.updated_at)
    event.utc("LAST-MODIFIED", meeting.updated_at)
    event.time("DTSTART", meeting.local_starts_at)
    event.time("DTEND", meeting.local_ends_at)
    event.text("SUMMARY", meeting.display_title)
    event.raw("STATUS", ICAL_STATUS[meeting.status])
    place = location(meeting)
    if place:
        event.text("LOCATION", place)
    text = description(meeting)
    if text:
        event.text("DESCRIPTION", text)
    if url:
        event.raw("URL", url)
    return event


def feed(name: str, events: Iterable[ical.Component]) -> bytes:
    """A published VCALENDAR of the union's with the zones its events name (the rotation's
    and the personal feeds use it too)."""
    return ical.calendar(name, PRODID, events)


def build_calendar(
    meetings: Iterable[Meeting], *, domain: str, url_for: Callable[[Meeting], str] | None = None
) -> bytes:
    """One VCALENDAR with a VEVENT per meeting."""
    return feed(
        _("Meetings of the union"),
        (
            meeting_event(meeting, domain=domain, url=url_for(meeting) if url_for else None)
            for meeting in meetings
        ),
    )
