"""Meetings as iCalendar (RFC 5545): the feed of all meetings and one file per meeting.

Times are written in the meeting's own time zone (``DTSTART;TZID=Asia/Almaty:...``, with the
zone's definition in the file), as the portal shows them; each event's UID
is stable per meeting (``meeting-<pk>@<domain>``), so a re-imported file updates the event
instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

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


def meeting_event(meeting: Meeting, *, domain: str, url: str | None = None) -> Event:
    event = Event()
    event.add("uid", event_uid(meeting, domain))
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.local_starts_at)
    event.add("dtend", meeting.local_ends_at)
    event.add("summary", meeting.display_title)
    event.add("status", ICAL_STATUS[meeting.status])
    place = location(meeting)
    if place:
        event.add("location", place)
    text = description(meeting)
    if text:
        event.add("description", text)
    if url:
        event.add("url", url)
    return event


def new_calendar(name: str) -> Calendar:
    """An empty published VCALENDAR of the union's (the rotation's feed uses it too)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def build_calendar(
    meetings: Iterable[Meeting], *, domain: str, url_for: Callable[[Meeting], str] | None = None
) -> bytes:
    """One VCALENDAR with a VEVENT per meeting."""
    calendar = new_calendar(_("Meetings of the union"))
    for meeting in meetings:
        url = url_for(meeting) if url_for else None
        calendar.add_component(meeting_event(meeting, domain=domain, url=url))
    calendar.add_missing_timezones()  # a VTIMEZONE for each zone the events name
    return calendar.to_ical()
