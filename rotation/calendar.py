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

from core import ical
from meetings.calendar import feed

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


def term_event(
    term: Term, *, domain: str, stamp: dt.datetime, url: str | None = None
) -> ical.Component:
    event = ical.event()
    event.raw("UID", event_uid(term, domain))
    event.utc("DTSTAMP", stamp)
    event.date("DTSTART", term.start)
    event.date("DTEND", term.end + dt.timedelta(days=1))
    event.text("SUMMARY", summary(term))
    event.raw("STATUS", "CONFIRMED")
    event.raw("TRANSP", "TRANSPARENT")
    text = description(term)
    if text:
        event.text("DESCRIPTION", text)
    if url:
        event.raw("URL", url)
    return event


def build_calendar(
    terms: Iterable[Term],
    *,
    domain: str,
    stamp: dt.datetime,
    url_for: Callable[[Term], str] | None = None,
) -> bytes:
    """One VCALENDAR with a VEVENT per term; ``stamp`` is when the feed was made (DTSTAMP)."""
    return feed(
        _("Chairmanship of the union"),
        (
            term_event(term, domain=domain, stamp=stamp, url=url_for(term) if url_for else None)
            for term in terms
        ),
    )
