"""A login's personal feed as iCalendar (RFC 5545): its meetings and the approved terms in one
VCALENDAR, made of the events of the meetings and rotation feeds (same UIDs, same contents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from meetings.calendar import meeting_event, new_calendar
from meetings.models import Meeting
from rotation.calendar import term_event
from rotation.models import Term


def build_calendar(
    *,
    meetings: Iterable[Meeting],
    terms: Iterable[Term],
    domain: str,
    stamp: dt.datetime,
    meeting_url: Callable[[Meeting], str],
    term_url: Callable[[Term], str],
) -> bytes:
    """``stamp`` is when the feed was made (the terms' DTSTAMP)."""
    calendar = new_calendar(_("Union calendar"))
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, domain=domain, url=meeting_url(meeting)))
    for term in terms:
        calendar.add_component(term_event(term, domain=domain, stamp=stamp, url=term_url(term)))
    calendar.add_missing_timezones()  # the meetings' zones (see meetings.calendar)
    return calendar.to_ical()
