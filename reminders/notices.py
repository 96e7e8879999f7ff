"""Notices: what an event of the meetings app sends by e-mail, and to whom.

A notice is a reminder sent when its event happens, not found by the daily scan: the event's
subscriber (``reminders.services``, in the emitting transaction) records its log rows, which
the usual outbox publishes after commit and ``reminder_send`` sends once. This module says
which rows: the kind (off when its rule is inactive), the subject that makes it once, and the
recipients, by the reminders' own rules (:class:`reminders.due._Recipients`: a chamber's focal
points, else its head, in their preferred language).

- ``invitation``, ``meeting:<id>``: to each chamber when it is invited to a meeting that is
  still ahead (planned or postponed, not yet over).
- ``meeting_changed``, ``meeting:<id>:<day>``: a document added or the agenda changed, to
  the chambers invited; at most one per meeting, recipient and day (the union's day,
  ``settings.TIME_ZONE``).
- ``decision_adopted``, ``decision:<id>``: to every member and observer chamber on the day of
  adoption, once the decision is both adopted and published (whichever happens second). A
  decision recorded as adopted long ago (the register's history, entered later) sends none
  until it is published. A decision taken by written procedure sends it too, beside the
  procedure's result.
- ``procedure_opened``, ``procedure:<id>``: the opening letter of a written or silence
  procedure, with the draft decision, to each voting chamber (the procedure's voters).
- ``procedure_closed``, ``procedure:<id>``: its result (adopted or not, and why; or withdrawn
  by the secretariat), to every member and observer chamber on the day it closed.

The reminder of a procedure not yet answered (``procedure_unanswered``) is found by the daily
scan (:func:`reminders.due.occurrences`), like the other reminders before an event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from chambers.models import MembershipStatus
from chambers.selectors import chamber_ids_with_status
from meetings.models import Decision, Invitation, Meeting, Procedure, ProcedureState

from .due import Due, Recipient, _Recipients
from .models import ReminderKind, ReminderRule


def today() -> dt.date:
    """The union's day (``settings.TIME_ZONE``): a changed notice is one per day of it."""
    return timezone.localdate()


def active(kind: str) -> bool:
    """Whether the kind's rule is on (a notice has one rule, offset 0)."""
    return ReminderRule.objects.filter(kind=kind, active=True).exists()


def takes_notices(meeting: Meeting) -> bool:
    """Invitations and changes are told while the meeting is ahead: planned or postponed, and
    not over (no notices about a cancelled or held meeting, or one recorded afterwards)."""
    return meeting.accepts_answers and meeting.ends_at >= timezone.now()


def _notice(
    kind: str,
    *,
    subject: str,
    today: dt.date,
    link: str,
    context: dict[str, object],
    label: str,
    recipients: list[Recipient],
) -> Due:
    """One notice, due today (the scan queues it again, if unsent, for the late days)."""
    return Due(
        kind=kind,
        subject=subject,
        offset_days=0,
        due_on=today,
        until=today + dt.timedelta(days=settings.REMINDERS_LATE_DAYS),
        link=link,
        context=context,
        label=label,
        recipients=recipients,
    )


def invitation(meeting: Meeting, chamber_ids: Iterable[int], *, today: dt.date) -> Due | None:
    """The invitation of the chambers just invited to ``meeting``."""
    if not takes_notices(meeting) or not active(ReminderKind.INVITATION):
        return None
    return _notice(
        ReminderKind.INVITATION,
        subject=f"meeting:{meeting.pk}",
        today=today,
        link=f"{reverse('meetings:meeting', args=[meeting.pk])}#rsvp",
        context={"meeting": meeting.pk},
        label=meeting.display_title,
        recipients=_Recipients().chambers(chamber_ids),
    )


def meeting_changed(meeting: Meeting, *, today: dt.date) -> Due | None:
    """Today's notice that ``meeting``'s documents or agenda changed, to the chambers invited."""
    if not takes_notices(meeting) or not active(ReminderKind.MEETING_CHANGED):
        return None
    invited = Invitation.objects.filter(meeting_id=meeting.pk).values_list("chamber_id", flat=True)
    return _notice(
        ReminderKind.MEETING_CHANGED,
        subject=f"meeting:{meeting.pk}:{today.isoformat()}",
        today=today,
        link=reverse("meetings:meeting", args=[meeting.pk]),
        context={"meeting": meeting.pk, "day": today.isoformat()},
        label=meeting.display_title,
        recipients=_Recipients().chambers(invited),
    )


def decision_adopted(decision: Decision, *, today: dt.date, adopted_now: bool) -> Due | None:
    """The notice of an adopted and published decision (``None`` while it is either not).

    ``adopted_now``: the event is the adoption (not the publication); an adoption recorded
    more than ``REMINDERS_LATE_DAYS`` after its date is history and sends nothing."""
    if decision.adopted_at is None or not decision.published:
        return None
    adopted_on = timezone.localdate(decision.adopted_at)
    late = today - dt.timedelta(days=settings.REMINDERS_LATE_DAYS)
    if adopted_now and adopted_on < late:
        return None
    if not active(ReminderKind.DECISION_ADOPTED):
        return None
    chambers = chamber_ids_with_status(
        statuses=[MembershipStatus.MEMBER, MembershipStatus.OBSERVER], on=adopted_on
    )
    return _notice(
        ReminderKind.DECISION_ADOPTED,
        subject=f"decision:{decision.pk}",
        today=today,
        link=f"{reverse('meetings:decisions')}#decision-{decision.pk}",
        context={"decision": decision.pk, "adopted_on": adopted_on.isoformat()},
        label=decision.title,
        recipients=_Recipients().chambers(chambers),
    )


def procedure_link(procedure: Procedure) -> str:
    """The portal's page of a decision's procedure (where voters answer)."""
    return reverse("meetings:procedure", args=[procedure.decision_id])


def procedure_opened(procedure: Procedure, *, today: dt.date) -> Due | None:
    """The opening letter of ``procedure`` to each of its voters (``None`` once it no longer
    takes answers)."""
    if not procedure.takes_answers() or not active(ReminderKind.PROCEDURE_OPENED):
        return None
    voters = procedure.voters.order_by("pk").values_list("pk", flat=True)
    return _notice(
        ReminderKind.PROCEDURE_OPENED,
        subject=f"procedure:{procedure.pk}",
        today=today,
        link=procedure_link(procedure),
        context={"procedure": procedure.pk, "decision": procedure.decision_id},
        label=procedure.decision.title,
        recipients=_Recipients().chambers(voters),
    )


def procedure_closed(procedure: Procedure, *, today: dt.date) -> Due | None:
    """The result of ``procedure``, closed or withdrawn, to every member and observer chamber
    on the day it closed (``None`` while it is open)."""
    if procedure.state == ProcedureState.OPEN or procedure.closed_at is None:
        return None
    if not active(ReminderKind.PROCEDURE_CLOSED):
        return None
    closed_on = timezone.localdate(procedure.closed_at)
    chambers = chamber_ids_with_status(
        statuses=[MembershipStatus.MEMBER, MembershipStatus.OBSERVER], on=closed_on
    )
    return _notice(
        ReminderKind.PROCEDURE_CLOSED,
        subject=f"procedure:{procedure.pk}",
        today=today,
        link=procedure_link(procedure),
        context={
            "procedure": procedure.pk,
            "decision": procedure.decision_id,
            "closed_on": closed_on.isoformat(),
        },
        label=procedure.decision.title,
        recipients=_Recipients().chambers(chambers),
    )
