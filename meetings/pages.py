"""What the meetings app adds to the pages of the chambers app, through :mod:`core.pages`
(registered in ``MeetingsConfig.ready``): a chamber's action items on its page, and three
sections of the secretariat's worklist (unanswered invitations, overdue action items, minutes
not published)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chambers.models import Chamber
from core.access import access_for_request
from core.pages import Severity, WorklistLine, WorklistSection, highest_severity

from . import selectors
from .models import ActionItem

#: How many rows a section lists before "N more" (its link shows them all).
SHOWN = 10
#: An answer still missing this close to the meeting is urgent.
ANSWERS_URGENT_DAYS = 14


def chamber_context(request: HttpRequest, *, chamber: Chamber, **_objects: Any) -> dict[str, Any]:
    """The chamber's action items, for members (the page's contacts are members-only too)."""
    if not access_for_request(request).is_member:
        return {}
    return {"action_items": list(selectors.chamber_action_items(chamber=chamber))}


def _admin_changelist(model: str, **lookups: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in lookups.items())
    return reverse(f"admin:meetings_{model}_changelist") + (f"?{query}" if query else "")


def unanswered_invitations(request: HttpRequest) -> WorklistSection | None:
    """Upcoming meetings whose invitations are not all answered: one line per meeting, with
    the chambers that have not answered, linking to the meeting's attendance."""
    now = timezone.now()
    lines = []
    total = 0
    for meeting in selectors.meetings_awaiting_answers(now=now):
        names = ", ".join(i.chamber.short_name for i in meeting.pending_invitations)
        total += meeting.pending_count
        text = ngettext(
            "%(meeting)s (%(date)s): %(count)d of %(invited)d chambers has not answered: "
            "%(chambers)s",
            "%(meeting)s (%(date)s): %(count)d of %(invited)d chambers have not answered: "
            "%(chambers)s",
            meeting.pending_count,
        ) % {
            "meeting": meeting.display_title,
            "date": meeting.date.isoformat(),
            "count": meeting.pending_count,
            "invited": meeting.invited_count,
            "chambers": names,
        }
        soon = meeting.starts_at - now <= dt.timedelta(days=ANSWERS_URGENT_DAYS)
        lines.append(
            WorklistLine(
                text=text,
                url=reverse("meetings:meeting", args=[meeting.pk]) + "#attendance",
                count=meeting.pending_count,
                severity=Severity.DANGER if soon else Severity.WARNING,
            )
        )
    if not lines:
        return None
    return WorklistSection(
        key="invitations",
        title=_("Unanswered invitations"),
        lines=tuple(lines),
        count=total,
        url=reverse("meetings:meetings"),
        severity=highest_severity(lines),
        url_label=_("All meetings"),
    )


def overdue_action_items(request: HttpRequest) -> WorklistSection | None:
    """Open or in-progress action items past their due date, the longest overdue first."""
    today = timezone.localdate()
    overdue = selectors.action_items_overdue(on=today)
    count = overdue.count()
    if not count:
        return None
    lines = []
    for item in overdue[:SHOWN]:
        assert item.due is not None  # an overdue item has a due date
        late = (today - item.due).days
        text = ngettext(
            "%(item)s (%(chamber)s, %(priority)s): due %(due)s, %(days)d day late",
            "%(item)s (%(chamber)s, %(priority)s): due %(due)s, %(days)d days late",
            late,
        ) % {
            "item": item.title,
            "chamber": item.responsible.short_name,
            "priority": item.priority.title,
            "due": item.due.isoformat(),
            "days": late,
        }
        lines.append(
            WorklistLine(
                text=text,
                url=reverse("admin:meetings_actionitem_change", args=[item.pk]),
                severity=Severity.DANGER,
            )
        )
    return WorklistSection(
        key="overdue-action-items",
        title=_("Overdue action items"),
        lines=tuple(lines),
        count=count,
        url=_admin_changelist(
            "actionitem",
            status__in=",".join(str(s) for s in ActionItem.PENDING_STATUSES),
            due__lt=today.isoformat(),
        ),
        severity=Severity.DANGER,
        url_label=_("Every overdue action item, in the administration"),
    )


def minutes_unpublished(request: HttpRequest) -> WorklistSection | None:
    """Held meetings whose minutes are not published, linking to the meeting in the admin."""
    meetings = selectors.meetings_minutes_unpublished()
    count = meetings.count()
    if not count:
        return None
    lines = []
    for meeting in meetings[:SHOWN]:
        if meeting.minutes:
            text = _("%(meeting)s (%(date)s): the minutes are drafted, not published")
        else:
            text = _("%(meeting)s (%(date)s): no minutes yet")
        lines.append(
            WorklistLine(
                text=text % {"meeting": meeting.display_title, "date": meeting.date.isoformat()},
                url=reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                severity=Severity.WARNING,
            )
        )
    return WorklistSection(
        key="minutes",
        title=_("Minutes not published"),
        lines=tuple(lines),
        count=count,
        url=_admin_changelist("meeting", status__exact="held", minutes_published__exact="0"),
        severity=Severity.WARNING,
        url_label=_("Every such meeting, in the administration"),
    )


#: A procedure closing this soon with voters still silent is urgent.
PROCEDURE_URGENT_DAYS = 3


def open_procedures(request: HttpRequest) -> WorklistSection | None:
    """Written procedures still open, the soonest deadline first: how many voters have
    answered, linking to the procedure's page (paper answers, an early close)."""
    now = timezone.now()
    procedures = list(selectors.procedures_open())
    if not procedures:
        return None
    lines = []
    for procedure in procedures[:SHOWN]:
        voters = len(procedure.voters.all())
        answered = len(procedure.ballots.all())
        text = _(
            "%(decision)s (%(mode)s): %(answered)d of %(voters)d answered, until %(until)s"
        ) % {
            "decision": procedure.decision.title,
            "mode": procedure.get_mode_display(),
            "answered": answered,
            "voters": voters,
            "until": f"{procedure.local_closes_at:%Y-%m-%d %H:%M} ({procedure.time_zone})",
        }
        soon = procedure.closes_at - now <= dt.timedelta(days=PROCEDURE_URGENT_DAYS)
        lines.append(
            WorklistLine(
                text=text,
                url=reverse("meetings:procedure", args=[procedure.decision_id]),
                count=voters - answered,
                severity=Severity.DANGER if soon and answered < voters else Severity.INFO,
            )
        )
    return WorklistSection(
        key="procedures",
        title=_("Written procedures open"),
        lines=tuple(lines),
        count=len(procedures),
        url=_admin_changelist("procedure", state="open"),
        severity=highest_severity(lines),
        url_label=_("Every written procedure, in the administration"),
    )
