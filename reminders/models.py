"""Reminders: the rules that say when one is due, and the log of every reminder sent.

A reminder is identified by (kind, subject, offset, recipient): "approval of the chair of the term
starting 2027-01-01 is due, 60 days before, to contact 12". The log's unique constraint on those
four makes "at most once" a property of the database, whatever scans, retries or redeliveries
happen.

Notices (an invitation, a meeting's documents or agenda changed, a decision adopted, a written
procedure opened or closed) are reminders sent when their event happens rather than found by
the daily scan: same log, same rules (one per kind, offset 0; inactive turns the kind off),
same sending.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ReminderKind(models.TextChoices):
    APPROVAL_DUE = "approval_due", _("Approval of the next chair due")
    HANDOVER_UPCOMING = "handover_upcoming", _("Handover upcoming")
    TERM_STARTED = "term_started", _("Term started")
    INVITATION_UNANSWERED = "invitation_unanswered", _("Meeting invitation unanswered")
    MINUTES_UNPUBLISHED = "minutes_unpublished", _("Minutes not published")
    ACTION_OVERDUE = "action_overdue", _("Action item overdue")
    INVITATION = "invitation", _("Meeting invitation")
    MEETING_CHANGED = "meeting_changed", _("Meeting documents or agenda changed")
    DECISION_ADOPTED = "decision_adopted", _("Decision adopted")
    PROCEDURE_OPENED = "procedure_opened", _("Written procedure opened")
    PROCEDURE_UNANSWERED = "procedure_unanswered", _("Written procedure unanswered")
    PROCEDURE_CLOSED = "procedure_closed", _("Written procedure result")


#: Kinds whose offset counts days before their event; the others count days after it.
BEFORE_KINDS = frozenset(
    {
        ReminderKind.APPROVAL_DUE,
        ReminderKind.HANDOVER_UPCOMING,
        ReminderKind.INVITATION_UNANSWERED,
        ReminderKind.PROCEDURE_UNANSWERED,
    }
)

#: Notices: sent when their event happens (recorded by the event's subscriber, never by the
#: daily scan, which only queues them again if unsent). Their one rule has offset 0.
NOTICE_KINDS = frozenset(
    {
        ReminderKind.INVITATION,
        ReminderKind.MEETING_CHANGED,
        ReminderKind.DECISION_ADOPTED,
        ReminderKind.PROCEDURE_OPENED,
        ReminderKind.PROCEDURE_CLOSED,
    }
)


class ReminderRule(models.Model):
    """When a kind of reminder is sent: ``offset_days`` before or after its event.

    The event is the end of the current term (approval due), the start of the next term
    (handover, term started), the meeting's day (invitations, minutes), an action item's due
    date or a written procedure's deadline day (unanswered procedures). Notices are sent when
    their event happens: their one rule has offset 0 and only turns the kind on or off. Staff
    edit the rules; the defaults come from data migrations.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    offset_days = models.PositiveSmallIntegerField(
        _("offset (days)"),
        validators=[MaxValueValidator(3650)],
        help_text=_(
            "Days before the event for approvals, handovers, unanswered invitations and "
            "unanswered written procedures (before the deadline's day); days after it for term "
            "starts, minutes and overdue action items. Notices (invitations, changed documents "
            "or agenda, adopted decisions, written procedures opened and closed) are sent when "
            "it happens: 0."
        ),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive rule sends nothing; for a notice, it turns that notice off."),
    )

    class Meta:
        ordering = ["kind", "-offset_days"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "offset_days"],
                name="reminder_rule_unique_offset",
                violation_error_message=_("This kind of reminder already has this offset."),
            ),
            models.CheckConstraint(
                condition=models.Q(offset_days__lte=3650), name="reminder_rule_offset_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.describe_offset()}"

    def clean(self) -> None:
        if self.kind in NOTICE_KINDS and self.offset_days:
            raise ValidationError(
                {
                    "offset_days": _(
                        "A notice is sent when its event happens: its offset is 0. Turn it "
                        "off by making the rule inactive."
                    )
                }
            )

    @property
    def is_notice(self) -> bool:
        return self.kind in NOTICE_KINDS

    def describe_offset(self) -> str:
        return describe_offset(self.kind, self.offset_days)


def describe_offset(kind: str, days: int) -> str:
    """ "30 days before", "on the day", "14 days after", "when it happens" (a notice), in the
    active language."""
    if kind in NOTICE_KINDS:
        return str(_("when it happens"))
    if days == 0:
        return str(_("on the day"))
    if kind in BEFORE_KINDS:
        return ngettext("%(days)d day before", "%(days)d days before", days) % {"days": days}
    return ngettext("%(days)d day after", "%(days)d days after", days) % {"days": days}


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No longer due")


class Reminder(models.Model):
    """One reminder to one recipient: the log that makes sending exactly-once.

    ``subject`` names what the reminder is about (``period:2027-01-01``, ``term:4``,
    ``meeting:9``, ``action:17``; for notices ``meeting:9`` (the invitation),
    ``meeting:9:2027-05-02`` (documents or agenda changed that day), ``decision:5``; for a
    written procedure, opened, unanswered or closed, ``procedure:3``);
    ``recipient`` names who gets it (``user:3`` or ``contact:12``). The e-mail address and
    language are copied when the row is made, so the log says where it went even if the
    contact changes later.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    subject = models.CharField(
        _("about"), max_length=60, help_text=_("What the reminder is about: term:4, meeting:9…")
    )
    offset_days = models.PositiveSmallIntegerField(_("offset (days)"))
    recipient = models.CharField(_("recipient"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("user"),
    )
    contact = models.ForeignKey(
        "chambers.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("contact"),
    )
    chamber = models.ForeignKey(
        "chambers.Chamber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("chamber"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    due_on = models.DateField(_("due on"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    title = models.CharField(_("e-mail subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(
        _("send started"),
        null=True,
        blank=True,
        help_text=_("When a worker claimed it to send it."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "offset_days", "recipient"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="reminder_status_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.describe_offset()}) → {self.email}"

    @property
    def is_notice(self) -> bool:
        return self.kind in NOTICE_KINDS

    def describe_offset(self) -> str:
        return describe_offset(self.kind, self.offset_days)
