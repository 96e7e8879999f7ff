"""Reads of the reminder log for the portal and the admin."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from core.access import Access

from .due import Due, Recipient, occurrences
from .models import Reminder, ReminderStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def reminders_for(access: Access) -> QuerySet[Reminder]:
    """What was sent to this person or to their chamber's contacts (not the ones set aside
    as no longer due)."""
    mine = Q(user_id=access.user.pk) if access.user is not None else Q(pk__in=[])
    if access.chamber_id is not None:
        mine |= Q(chamber_id=access.chamber_id)
    return (
        Reminder.objects.filter(mine)
        .exclude(status=ReminderStatus.SKIPPED)
        .select_related("chamber", "contact")
        .order_by("-due_on", "-pk")
    )


def upcoming(
    *, today: dt.date, days: int = 30
) -> list[tuple[Due, list[tuple[Recipient, str, StrOrPromise]]]]:
    """What falls due from today to ``days`` ahead, each recipient with the state of its log
    row (sent, pending, failed, skipped, or "" if none yet) and that state in words, for the
    secretariat's overview."""
    labels = dict(ReminderStatus.choices)
    dues = occurrences(today=today, horizon_days=days)
    rows = Reminder.objects.filter(subject__in={d.subject for d in dues}).values_list(
        "kind", "subject", "offset_days", "recipient", "status"
    )
    states = {(k, s, o, r): status for k, s, o, r, status in rows}
    return [
        (
            due,
            [
                (r, state, labels.get(state, ""))
                for r in due.recipients
                for state in [states.get((due.kind, due.subject, due.offset_days, r.key), "")]
            ],
        )
        for due in dues
    ]
