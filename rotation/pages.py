"""The rotation's section of the secretariat's worklist (:mod:`core.pages`, registered in
``RotationConfig.ready``): the next chair when its term is not approved yet (and the current
one, when it has no approved chair)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pages import Severity, WorklistLine, WorklistSection, highest_severity

from . import services
from .forecast import ForecastTerm

#: Days left in the current term under which an unapproved next chair is urgent, or a warning.
URGENT_DAYS = 60
WARNING_DAYS = 180


def _chamber_name(forecast: services.Forecast, chamber_id: int | None) -> str | None:
    chamber = forecast.chambers.get(chamber_id) if chamber_id else None
    return chamber.short_name if chamber else None


def next_chair(request: HttpRequest) -> WorklistSection | None:
    """The term after the current one, from the forecast, when it is not approved: who is
    forecast (or proposed by a swap) and how many days are left until the current term ends.
    A current term without an approved chair is a line too."""
    today = timezone.localdate()
    forecast = services.rotation_forecast(count=2, today=today)
    current, upcoming = forecast.terms[0], forecast.terms[1]
    url = reverse("rotation:rotation")
    lines = []
    if not current.approved:
        values = {"start": current.start.isoformat(), "end": current.end.isoformat()}
        name = _chamber_name(forecast, current.chamber_id)
        if name is None:
            text = _("No chamber chairs the current term (%(start)s to %(end)s).") % values
        else:
            text = _(
                "No chair is approved for the current term (%(start)s to %(end)s); in the "
                "forecast it is %(chamber)s."
            ) % {**values, "chamber": name}
        lines.append(WorklistLine(text=text, url=url, severity=Severity.DANGER))
    if not upcoming.approved:
        lines.append(_next_line(forecast, current.end, upcoming, today, url))
    if not lines:
        return None
    return WorklistSection(
        key="next-chair",
        title=_("Next chair not approved") if current.approved else _("Chair not approved"),
        lines=tuple(lines),
        count=len(lines),
        url=url,
        severity=highest_severity(lines),
        url_label=_("The rotation and its forecast"),
    )


def _next_line(
    forecast: services.Forecast,
    current_end: dt.date,
    upcoming: ForecastTerm,
    today: dt.date,
    url: str,
) -> WorklistLine:
    days = (current_end - today).days
    left = ngettext(
        "%(days)d day left: the current term ends on %(end)s.",
        "%(days)d days left: the current term ends on %(end)s.",
        days,
    ) % {"days": days, "end": current_end.isoformat()}
    name = _chamber_name(forecast, upcoming.chamber_id)
    values = {"start": upcoming.start.isoformat(), "end": upcoming.end.isoformat()}
    if name is None:
        what = _("No chamber can chair the next term (%(start)s to %(end)s).") % values
    elif upcoming.proposed:
        what = _(
            "%(chamber)s is proposed (by a swap) to chair the next term (%(start)s to %(end)s); "
            "it is not approved."
        ) % {**values, "chamber": name}
    else:
        what = _(
            "%(chamber)s is forecast to chair the next term (%(start)s to %(end)s); it is not "
            "approved."
        ) % {**values, "chamber": name}
    if days <= URGENT_DAYS or name is None:
        severity = Severity.DANGER
    elif days <= WARNING_DAYS:
        severity = Severity.WARNING
    else:
        severity = Severity.INFO
    return WorklistLine(text=f"{what} {left}", url=url, severity=severity)
