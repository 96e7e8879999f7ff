"""The rotation page's rows and a term's period, written in Python: the page shows a period for
every term of its timeline and forecast and a row per place of the order, where the template's
rows and included periods cost most of the page (issue 16). As the admin writes its lists
(``django.contrib.admin.templatetags.admin_list.items_for_result``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.translated import country_name, tr

register = template.Library()


@register.simple_tag
def term_period(start: dt.date, end: dt.date) -> SafeString:
    """ "2027" for a calendar year, "2027–2028" for whole years, else both days; the days in
    the title either way."""
    days = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        shown = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    else:
        shown = days
    return format_html('<span class="period" title="{}">{}</span>', days, shown)


@register.simple_tag
def timeline_item(term: Any) -> SafeString:
    """A term of the timeline: its period, its chamber (linked to the term's page if recorded)
    and country, and its kind (a current term not approved says its state)."""
    if term.chamber is None:
        chamber: Any = format_html('<span class="timeline-chamber">—</span>')
    else:
        name = tr(term.chamber, "short_name")
        if term.term_id:
            name = format_html(
                '<a href="{}">{}</a>', reverse("rotation:term", args=[term.term_id]), name
            )
        chamber = format_html(
            '<span class="timeline-chamber">{}</span>\n<span class="timeline-country">{}</span>',
            name,
            country_name(term.chamber.country),
        )
    kind = term.kind_label
    if term.kind == "current" and not term.approved:
        kind = f"{kind} ({str(term.status_label).lower()})"
    return format_html(
        '<li class="timeline-term timeline-{}" id="timeline-{}">\n'
        '<span class="timeline-period">{}</span>\n{}\n<span class="timeline-kind">{}</span></li>\n',
        term.kind,
        term.start.isoformat(),
        term_period(term.start, term.end),
        chamber,
        kind,
    )


@register.simple_tag
def forecast_row(term: Any) -> SafeString:
    """A row of the forecast: period, chamber and country, status (linked to the term's page
    if recorded), President and the chambers passed over, with why."""
    if term.chamber is None:
        chamber: Any = "—"
        country = "—"
    else:
        chamber = format_html(
            '<a href="{}">{}</a>',
            reverse("portal:chamber", args=[term.chamber.slug]),
            tr(term.chamber, "short_name"),
        )
        country = country_name(term.chamber.country)
    status: Any = term.status_label
    if term.term_id:
        status = format_html(
            '<a href="{}">{}</a>', reverse("rotation:term", args=[term.term_id]), status
        )
    if term.kind == "current":
        status = format_html('{} <span class="muted">({})</span>', status, _("current"))
    president: Any = "—"
    if term.president:
        president = tr(term.president, "name")
        if term.president.get("position"):
            president = format_html(
                '{}<br><span class="muted">{}</span>', president, tr(term.president, "position")
            )
    skipped: Any = "—"
    if term.skipped:
        skipped = format_html(
            '<ul class="skips">{}</ul>',
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        # The translated sentence is ours; what goes into it is escaped.
                        mark_safe(  # noqa: S308
                            _("%(chamber)s (%(country)s) is passed over: %(reason)s.")
                            % {
                                "chamber": conditional_escape(skip.chamber.short_name),
                                "country": conditional_escape(skip.chamber.country.name),
                                "reason": conditional_escape(skip.reason),
                            }
                        ),
                    )
                    for skip in term.skipped
                ),
            ),
        )
    return format_html(
        '<tr id="forecast-{}" class="forecast-{}">\n<td class="nowrap">{}</td>\n<td>{}</td>\n'
        "<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>\n",
        term.start.isoformat(),
        term.kind,
        term_period(term.start, term.end),
        chamber,
        country,
        status,
        president,
        skipped,
    )


@register.simple_tag
def order_row(place: dict[str, Any]) -> SafeString:
    """A place of the order: its number, the chamber (linked) and its country."""
    return format_html(
        '<tr id="order-{}">\n<td>{}</td>\n<td><a href="{}">{}</a></td>\n<td>{}</td>\n</tr>\n',
        place["chamber"],
        place.get("position", ""),
        reverse("portal:chamber", args=[place["chamber"]]),
        place.get("name", ""),
        place["country_name"],
    )
