"""The reminders' section of the secretariat's worklist (:mod:`core.pages`, registered in
``RemindersConfig.ready``): reminders whose sending failed after the last retry."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pages import Severity, WorklistLine, WorklistSection

from .models import Reminder, ReminderStatus

#: How many failed reminders are listed (the latest); the section links to all of them.
SHOWN = 5


def failed_reminders(request: HttpRequest) -> WorklistSection | None:
    """The count of failed reminders and the latest few, each linking to its log row; the
    section links to the log filtered on failures (its action sends them again)."""
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    count = failed.count()
    if not count:
        return None
    lines = []
    for reminder in failed.order_by("-due_on", "-pk")[:SHOWN]:
        text = ngettext(
            "%(reminder)s, due %(due)s: failed after %(attempts)d attempt",
            "%(reminder)s, due %(due)s: failed after %(attempts)d attempts",
            reminder.attempts,
        ) % {
            "reminder": reminder,
            "due": reminder.due_on.isoformat(),
            "attempts": reminder.attempts,
        }
        lines.append(
            WorklistLine(
                text=text,
                url=reverse("admin:reminders_reminder_change", args=[reminder.pk]),
                severity=Severity.DANGER,
            )
        )
    changelist = reverse("admin:reminders_reminder_changelist")
    return WorklistSection(
        key="failed-reminders",
        title=_("Failed reminders"),
        lines=tuple(lines),
        count=count,
        url=f"{changelist}?status__exact={ReminderStatus.FAILED}",
        severity=Severity.DANGER,
        url_label=_("Every failed reminder, in the administration (to send them again)"),
    )
