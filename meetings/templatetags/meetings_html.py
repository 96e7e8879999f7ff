"""A meeting's time, venue and status, and a row of the meetings' table, written in Python.

Lists render these once per row: at a page of 100 meetings the included templates they replace
cost about 50 ms, against about 5 here (issue 16). It is how the admin renders its own lists
(``django.contrib.admin.templatetags.admin_list.items_for_result``). The detail pages use the
same tags, so each fragment is written once.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.choices import label
from core.templatetags.translated import country_name

from ..models import Meeting, MeetingFormat

register = template.Library()


@register.simple_tag
def meeting_when(meeting: Meeting) -> SafeString:
    """Start and end in the meeting's own time zone (the end's day only if it differs), each
    with its instant in UTC for machines, and the zone's name."""
    starts, ends = meeting.local_starts_at, meeting.local_ends_at
    end_shown = f"{ends:%H:%M}" if starts.date() == ends.date() else f"{ends:%Y-%m-%d %H:%M}"
    return format_html(
        '<time datetime="{}">{}</time>–<time datetime="{}">{}</time> <span class="muted">{}</span>',
        meeting.starts_at.astimezone(dt.UTC).isoformat(),
        f"{starts:%Y-%m-%d %H:%M}",
        meeting.ends_at.astimezone(dt.UTC).isoformat(),
        end_shown,
        meeting.time_zone,
    )


@register.simple_tag
def meeting_venue(meeting: Meeting) -> str:
    """ "City, Country" (either alone if the other is blank); an online meeting says so."""
    if meeting.venue_city or meeting.venue_country:
        country = country_name(meeting.venue_country)
        return ", ".join(part for part in (meeting.venue_city, country) if part)
    if meeting.format == MeetingFormat.ONLINE:
        return label(meeting, "format")
    return "—"


@register.simple_tag
def meeting_status(meeting: Meeting) -> SafeString:
    return format_html(
        '<span class="meeting-status meeting-status-{}">{}</span>',
        meeting.status,
        label(meeting, "status"),
    )


@register.simple_tag
def meeting_row(meeting: Meeting) -> SafeString:
    """A row of the meetings' table: title (linked) and format, when, venue, host, status and
    how many of the invited chambers attend (``meetings.selectors.meeting_list`` counts them)."""
    return format_html(
        '<tr id="meeting-{}">\n<td><a href="{}">{}</a> <span class="muted">({})</span></td>\n'
        "<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>\n",
        meeting.pk,
        reverse("meetings:meeting", args=[meeting.pk]),
        meeting.display_title,
        label(meeting, "format"),
        meeting_when(meeting),
        meeting_venue(meeting),
        meeting.host.short_name if meeting.host else "—",
        meeting_status(meeting),
        _("%(attending)s of %(invited)s")
        % {"attending": meeting.attending_count, "invited": meeting.invited_count},  # type: ignore[attr-defined]
    )
