"""Reminder writes: the scan that records what is due, and the send that delivers one.

Exactly once, in three parts:

1. The scan inserts one log row per (kind, subject, offset, recipient) with ``ON CONFLICT DO
   NOTHING``: repeated or concurrent scans cannot make a second row.
2. The send claims the row with a conditional update (``pending``/``failed`` → ``sending``,
   committed) before it talks to the mail server, and marks it sent afterwards: a retried,
   duplicated or redelivered task finds it being sent, or sent, and does nothing.
3. Tasks are published after commit, with bounded timeouts; a publish that fails leaves the
   row unsent, and the next scan publishes it again.

A worker killed during the send leaves its claim behind: the redelivered task does not send
again. Once the claim is older than any send can take (:func:`claim_lease`), the next scan
records the send as interrupted (``failed``, with the reason) and queues it again; the mail
server may then get it twice, with the same ``Message-ID``, so a reader sees one message.

Notices (:mod:`reminders.notices`) are recorded by the subscribers of the meetings' events, in
the emitting transaction, into the same log with the same ``ON CONFLICT DO NOTHING``, and
published after commit the same way. The scan leaves them alone (it computes the other kinds),
except to queue again one still unsent in its late days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from core.access import Access, require_staff
from core.events import Event
from core.outbox import enqueue, publish
from meetings.events import (
    AgendaChanged,
    ChambersInvited,
    DecisionAdopted,
    DecisionPublished,
    DocumentAdded,
    ProcedureClosed,
    ProcedureOpened,
)

from . import notices
from .due import Due, Recipient, occurrences
from .messages import compose
from .models import NOTICE_KINDS, Reminder, ReminderRule, ReminderStatus

#: A queued reminder not sent after this long is queued again by the next scan (its message
#: was lost: broker restarted without persistence, or a publish that seemed to succeed).
REQUEUE_AFTER = dt.timedelta(hours=1)
UNSENT = [ReminderStatus.PENDING, ReminderStatus.FAILED, ReminderStatus.SKIPPED]
#: The states a send may claim a row from.
SENDABLE = [ReminderStatus.PENDING, ReminderStatus.FAILED]


def claim_lease() -> dt.timedelta:
    """How long a claimed send may take before it counts as interrupted: every step of the
    SMTP conversation is bounded by ``EMAIL_TIMEOUT``, and a send has a handful of them."""
    return dt.timedelta(seconds=settings.EMAIL_TIMEOUT * 6 + 60)


def _in_flight() -> Q:
    """Rows a worker is sending now (claimed within the lease): nobody else touches them."""
    return Q(status=ReminderStatus.SENDING, claimed_at__gte=timezone.now() - claim_lease())


def reminders_release_interrupted() -> int:
    """Claims older than the lease belong to workers that died mid-send: record them as
    failed with the reason, for the scan (or staff) to send again. Returns how many."""
    return Reminder.objects.filter(
        status=ReminderStatus.SENDING, claimed_at__lt=timezone.now() - claim_lease()
    ).update(
        status=ReminderStatus.FAILED,
        queued_at=None,
        last_error=gettext(
            "Interrupted: the worker stopped during the send; the mail server may have "
            "received it (a copy sent again has the same Message-ID)."
        ),
    )


@dataclass
class ScanLine:
    """One reminder a scan found due, for one recipient, and what became of it."""

    due: Due
    recipient: Recipient
    state: str  # "sent" (already), "being sent", "queued", "queued earlier", "would send"


@dataclass
class ScanResult:
    today: dt.date
    lines: list[ScanLine]
    to_send: list[int]  # ids of log rows to publish after commit
    skipped: int = 0  # unsent rows that are no longer due
    notices: int = 0  # unsent notices queued again (included in ``to_send``)

    @property
    def new(self) -> int:
        """Reminders this scan queued (or, in a dry run, would send)."""
        return sum(1 for line in self.lines if line.state in ("queued", "would send"))


def _key(kind: str, subject: str, offset: int, recipient: str) -> tuple[str, str, int, str]:
    return (kind, subject, offset, recipient)


def _log_row(due: Due, recipient: Recipient) -> Reminder:
    """The log row of one occurrence (or notice) for one recipient, not yet saved."""
    return Reminder(
        kind=due.kind,
        subject=due.subject,
        offset_days=due.offset_days,
        recipient=recipient.key,
        user_id=recipient.user_id,
        contact_id=recipient.contact_id,
        chamber_id=recipient.chamber_id,
        email=recipient.email,
        language=recipient.language,
        due_on=due.due_on,
        context=due.context,
        link=due.link,
    )


def reminders_scan(*, today: dt.date | None = None, dry_run: bool = False) -> ScanResult:
    """Record every reminder due on ``today`` and publish the unsent ones after commit.

    With ``dry_run`` nothing is written or published: the result says what would be sent.
    """
    today = today or timezone.localdate()
    if dry_run:
        return _scan(today, dry_run=True)
    with transaction.atomic():
        result = _scan(today, dry_run=False)
        ids = list(result.to_send)
        transaction.on_commit(lambda: reminders_publish(ids), robust=True)
    return result


#: Unsent rows a scan may set aside as no longer due. The state is in the UPDATE's WHERE, not
#: only in the read before it: a row a worker sent meanwhile is left sent (docs/locking.md).
_SET_ASIDE_FROM = [ReminderStatus.PENDING, ReminderStatus.FAILED]
#: Rows a scan queues again (a pending one stays pending: it is only stamped when published).
_REQUEUE_FROM = [ReminderStatus.FAILED, ReminderStatus.SKIPPED]


#: What identifies a log row (its unique constraint): all the scan reads of thousands of rows.
_KEY_FIELDS = ("kind", "subject", "offset_days", "recipient")


def _scan(today: dt.date, *, dry_run: bool) -> ScanResult:
    if not dry_run:
        reminders_release_interrupted()
    dues = occurrences(today=today)
    wanted: dict[tuple[str, str, int, str], tuple[Due, Recipient]] = {}
    for due in dues:
        for recipient in due.recipients:
            wanted.setdefault(
                _key(due.kind, due.subject, due.offset_days, recipient.key), (due, recipient)
            )
    # The kinds the scan computes: a notice is never "no longer due" for not being found.
    existing = {
        _key(r.kind, r.subject, r.offset_days, r.recipient): r
        for r in Reminder.objects.exclude(kind__in=NOTICE_KINDS)
        .filter(
            Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
            | Q(subject__in={key[1] for key in wanted})
        )
        .only(*_KEY_FIELDS, "status")
    }
    if dry_run:
        lines = []
        for key, (due, recipient) in wanted.items():
            row = existing.get(key)
            sent = row is not None and row.status == ReminderStatus.SENT
            lines.append(ScanLine(due, recipient, "sent" if sent else "would send"))
        return ScanResult(today=today, lines=lines, to_send=[])
    result = ScanResult(today=today, lines=[], to_send=[])

    Reminder.objects.bulk_create(
        [
            _log_row(due, recipient)
            for key, (due, recipient) in wanted.items()
            if key not in existing
        ],
        ignore_conflicts=True,  # a concurrent scan inserted it first: one row either way
    )
    # Unsent rows that are no longer due (the invitation was answered, the term approved)
    # are set aside; they come back if they fall due again.
    # A part of the scan that failed found nothing: its kinds' rows are not "no longer due".
    unknown = dues.failed_kinds
    stale = [
        row.pk
        for key, row in existing.items()
        if key not in wanted and row.status != ReminderStatus.SENT and row.kind not in unknown
    ]
    result.skipped = Reminder.objects.filter(pk__in=stale, status__in=_SET_ASIDE_FROM).update(
        status=ReminderStatus.SKIPPED, queued_at=None
    )
    # What to publish: every due row not yet sent, unless it was queued a moment ago and its
    # task is still on its way (a duplicate would be harmless, but it is noise).
    candidates = (
        Reminder.objects.filter(
            Q(kind__in={k[0] for k in wanted}), Q(subject__in={k[1] for k in wanted})
        )
        .exclude(status=ReminderStatus.SENT)
        .exclude(_in_flight())
        .only(*_KEY_FIELDS, "status", "queued_at")
    )
    recent = timezone.now() - REQUEUE_AFTER
    sending = {
        _key(r.kind, r.subject, r.offset_days, r.recipient)
        for r in Reminder.objects.filter(_in_flight()).only(*_KEY_FIELDS)
    }
    # What a due key's row is left as; a key without a candidate row is sent (or being sent).
    states = dict.fromkeys(sending, "being sent")
    for row in candidates:
        key = _key(row.kind, row.subject, row.offset_days, row.recipient)
        if key not in wanted:
            continue
        if (
            row.status == ReminderStatus.PENDING
            and row.queued_at is not None
            and row.queued_at > recent
        ):
            states[key] = "queued earlier"
            continue
        states[key] = "queued"
        result.to_send.append(row.pk)
    result.lines = [
        ScanLine(due, recipient, states.get(key, "sent"))
        for key, (due, recipient) in wanted.items()
    ]
    # Notices still unsent in their late days (the broker was down when they were recorded,
    # or every retry failed) are queued again, unless queued a moment ago.
    late = today - dt.timedelta(days=settings.REMINDERS_LATE_DAYS)
    unsent_notices = list(
        Reminder.objects.filter(
            kind__in=NOTICE_KINDS,
            status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED],
            due_on__gte=late,
            due_on__lte=today,
        )
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=recent))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    result.notices = len(unsent_notices)
    result.to_send.extend(unsent_notices)
    if result.to_send:
        Reminder.objects.filter(pk__in=result.to_send, status__in=_REQUEUE_FROM).update(
            status=ReminderStatus.PENDING
        )
    return result


def reminders_publish(reminder_ids: list[int]) -> int:
    """Publish one send task per reminder (after commit) and stamp those that went out (the
    outbox, :mod:`core.outbox`); the next scan queues the rest."""
    from .tasks import send_reminder

    return publish(send_reminder, Reminder, reminder_ids)


def reminder_send(*, reminder_id: int) -> str:
    """Send one reminder unless it is sent or being sent. Returns the row's state afterwards.

    The claim (``sending``) is committed before the mail server is contacted, and no lock is
    held while it answers: a second task for the same reminder finds it being sent and does
    nothing, and a worker killed mid-send leaves the claim for :func:`claim_lease` to expire.
    A failure raised here is recorded by the task (:func:`reminder_record_failure`).
    """
    claimed = Reminder.objects.filter(pk=reminder_id, status__in=SENDABLE).update(
        status=ReminderStatus.SENDING, claimed_at=timezone.now()
    )
    if not claimed:
        state = Reminder.objects.filter(pk=reminder_id).values_list("status", flat=True).first()
        return state or "missing"
    reminder = Reminder.objects.get(pk=reminder_id)
    message = compose(reminder)
    if message is None:
        # A notice whose meeting was cancelled or whose decision was unpublished before
        # it went out, or a reminder of a procedure closed, withdrawn or answered meanwhile:
        # set aside, never sent (it comes back if its event happens again).
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.SKIPPED, queued_at=None, claimed_at=None
        )
        return ReminderStatus.SKIPPED
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[reminder.email],
        connection=get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT),
        # The same reminder is always the same message: a copy sent again after an
        # interrupted send is one message to the reader's client.
        headers={"Message-ID": message_id(reminder)},
    )
    email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    email.send()
    Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT,
        title=message.subject[:300],
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )
    return ReminderStatus.SENT


def message_id(reminder: Reminder) -> str:
    """A reminder's ``Message-ID``, from its log row alone (the same on every attempt)."""
    domain = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}.{reminder.kind}.{reminder.offset_days}@{domain}>"


def reminder_record_failure(*, reminder_id: int, error: str, final: bool) -> None:
    """Count a failed attempt and release the claim: ``pending`` while a retry is coming,
    ``failed`` after the last one (until the next scan queues it again). A conditional
    update: a row sent meanwhile is left as it is."""
    changes: dict[str, Any] = {"last_error": error[:2000], "claimed_at": None}
    if final:
        changes["status"] = ReminderStatus.FAILED
        changes["queued_at"] = None
    else:
        changes["status"] = ReminderStatus.PENDING
    Reminder.objects.filter(pk=reminder_id, status__in=[*SENDABLE, ReminderStatus.SENDING]).update(
        **changes, attempts=F("attempts") + 1
    )


@transaction.atomic
def reminders_retry(*, actor: Access, reminders: Iterable[Reminder]) -> int:
    """Staff send failed or pending reminders again now; sent ones are left alone."""
    require_staff(actor)
    # Lock the rows, then claim them with their state in the WHERE: a row a worker is sending
    # right now is left out, and so is one sent meanwhile (docs/locking.md). An interrupted
    # send (a claim past its lease) may be sent again.
    reminders_release_interrupted()
    ids = list(
        Reminder.objects.select_for_update()
        .filter(pk__in=[r.pk for r in reminders])
        .exclude(status=ReminderStatus.SENT)
        .exclude(status=ReminderStatus.SENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Reminder.objects.filter(pk__in=ids, status__in=[*SENDABLE, ReminderStatus.SKIPPED]).update(
        status=ReminderStatus.PENDING, queued_at=None
    )
    transaction.on_commit(lambda: reminders_publish(ids), robust=True)
    return len(ids)


def reminders_scan_now(*, actor: Access, today: dt.date | None = None) -> ScanResult:
    """The admin's "send due reminders now": the daily scan, run at once for staff."""
    require_staff(actor)
    return reminders_scan(today=today)


@transaction.atomic
def rule_save(*, actor: Access, rule: ReminderRule) -> ReminderRule:
    require_staff(actor)
    rule.full_clean()
    rule.save()
    return rule


# Notices ------------------------------------------------------------------------------------


def notice_record(due: Due | None) -> list[int]:
    """Record a notice's log rows in the current (the event's) transaction and publish them
    after it commits; returns the ids to publish.

    Exactly once: a row that exists (sent, or on its way) is not made again. One that was set
    aside when it went out (its meeting was cancelled, its decision unpublished meanwhile) is
    due again now that its event happened again."""
    if due is None or not due.recipients:
        return []
    Reminder.objects.bulk_create(
        [_log_row(due, recipient) for recipient in due.recipients],
        ignore_conflicts=True,  # the unique (kind, subject, offset, recipient): once
    )
    rows = Reminder.objects.filter(
        kind=due.kind,
        subject=due.subject,
        offset_days=due.offset_days,
        recipient__in=[r.key for r in due.recipients],
    )
    rows.filter(status=ReminderStatus.SKIPPED).update(status=ReminderStatus.PENDING, queued_at=None)
    ids = list(
        rows.filter(status=ReminderStatus.PENDING, queued_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: reminders_publish(ids), robust=True)
    return ids


def notice_chambers_invited(event: ChambersInvited) -> None:
    """``ChambersInvited``, in its transaction: the invitation to each chamber invited now."""
    notice_record(notices.invitation(event.meeting, event.chamber_ids, today=notices.today()))


def notice_meeting_changed(event: DocumentAdded | AgendaChanged) -> None:
    """``DocumentAdded`` or ``AgendaChanged``, in its transaction: today's notice of the change
    (one per meeting and recipient a day)."""
    notice_record(notices.meeting_changed(event.meeting, today=notices.today()))


def notice_decision_adopted(event: DecisionAdopted) -> None:
    """``DecisionAdopted``, in its transaction: the notice, if the decision is published."""
    notice_record(notices.decision_adopted(event.decision, today=notices.today(), adopted_now=True))


def notice_decision_published(event: DecisionPublished) -> None:
    """``DecisionPublished``, in its transaction: the notice, if it is adopted (and was not
    told before)."""
    notice_record(
        notices.decision_adopted(event.decision, today=notices.today(), adopted_now=False)
    )


def notice_procedure_opened(event: ProcedureOpened) -> None:
    """``ProcedureOpened``, in its transaction: the opening letter to each voting chamber."""
    notice_record(notices.procedure_opened(event.procedure, today=notices.today()))


def notice_procedure_closed(event: ProcedureClosed) -> None:
    """``ProcedureClosed``, in its transaction: the result (or the withdrawal) to every member
    and observer chamber. A close runs once (the procedure's lock): so does this."""
    notice_record(notices.procedure_closed(event.procedure, today=notices.today()))


def scan_requested(event: Event) -> None:
    """A domain event that can make a reminder due today (a meeting saved, a decision
    adopted, a written procedure opened), received after commit: ask a worker to scan now."""
    from .tasks import scan_reminders

    enqueue(scan_reminders)


# Personal data (core.privacy) ----------------------------------------------------------------


def _of_person(contact_id: int, email: str) -> Q:
    """The log's rows about a contact: sent to it, or to an address it used."""
    return Q(contact_id=contact_id) | (Q(email=email) if email else Q(pk__in=[]))


def personal_data_of(contact_id: int, email: str) -> list[dict[str, Any]]:
    """What the log holds about a person: where each reminder went, in which language."""
    return [
        {**row, "due_on": row["due_on"].isoformat()}
        for row in Reminder.objects.filter(_of_person(contact_id, email))
        .order_by("pk")
        .values("kind", "subject", "email", "language", "due_on", "status")
    ]


def personal_data_erase(contact_id: int, email: str) -> int:
    """The person's address in the log, replaced by one that says it was erased."""
    erased = f"erased-{contact_id}@erased.invalid"
    changed: int = Reminder.objects.filter(_of_person(contact_id, email)).update(email=erased)
    return changed
