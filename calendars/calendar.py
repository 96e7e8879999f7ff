"""A login's personal feed as iCalendar (RFC 5545): its meetings and the approved terms in one
VCALENDAR, made of the events of the meetings and rotation feeds (same UIDs, same contents)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from meetings.calendar import feed, meeting_event
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
    events = [
        meeting_event(meeting, domain=domain, url=meeting_url(meeting)) for meeting in meetings
    ]
    events.extend(
        term_event(term, domain=domain, stamp=stamp, url=term_url(term)) for term in terms
    )
    return feed(_("Union calendar"), events)
