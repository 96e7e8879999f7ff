"""The approved terms of the chairmanship as iCalendar (RFC 5545), beside the meetings feed.

Each term is an all-day event: DTSTART is its first day and DTEND the day after its last (RFC 5545
makes an all-day DTEND exclusive). Events are transparent, so a year-long chairmanship does not
mark a calendar busy. The UID is stable per term (``term-<pk>@<domain>``), so a re-imported feed
updates the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Event

from meetings.calendar import new_calendar

from .models import Term


def event_uid(term: Term, domain: str) -> str:
    return f"term-{term.pk}@{domain}"


def summary(term: Term) -> str:
    """ "Chairmanship: Atameken (Kazakhstan)"."""
    return _("Chairmanship: %(chamber)s (%(country)s)") % {
        "chamber": term.chamber.short_name,
        "country": term.chamber.country.name,
    }


def description(term: Term) -> str:
    """The President, when the term names one (``president`` must be selected with the term)."""
    if term.president is None:
        return ""
    president = term.president
    name = f"{president.name}, {president.position}" if president.position else president.name
    return _("President: %(name)s") % {"name": name}


def term_event(term: Term, *, domain: str, stamp: dt.datetime, url: str | None = None) -> Event:
    event = Event()
    event.add("uid", event_uid(term, domain))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", term.start)
    event.add("dtend", term.end + dt.timedelta(days=1))
    event.add("summary", summary(term))
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    text = description(term)
    if text:
        event.add("description", text)
    if url:
        event.add("url", url)
    return event


def build_calendar(
    terms: Iterable[Term],
    *,
    domain: str,
    stamp: dt.datetime,
    url_for: Callable[[Term], str] | None = None,
) -> bytes:
    """One VCALENDAR with a VEVENT per term; ``stamp`` is when the feed was made (DTSTAMP)."""
    calendar = new_calendar(_("Chairmanship of the union"))
    for term in terms:
        url = url_for(term) if url_for else None
        calendar.add_component(term_event(term, domain=domain, stamp=stamp, url=url))
    return calendar.to_ical()
