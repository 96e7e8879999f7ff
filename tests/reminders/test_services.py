"""Reminder writes: the scan records one log row per (kind, subject, offset, recipient) and
publishes the unsent ones after commit; the send delivers each exactly once, in the recipient's
language; failures, reminders no longer due, staff retries and dry runs.

Publishing is replaced by a recorder (``published``) or a fake broker (``broker``): no test
reaches Celery's broker. Dates are passed explicitly."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.access import access_for_user
from core.errors import ForbiddenError
from meetings.models import RSVP, Invitation
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.conftest import requires_postgres
from tests.factories import UserFactory, make_login
from tests.scenes import answer, build_world
from tests.scenes import meeting_on as make_meeting

D = dt.date
K = ReminderKind
S = ReminderStatus
from core import outbox  # noqa: E402

DAY = D(2026, 11, 25)  # the 60-day approval reminder for 2027 is due


@pytest.fixture
def published(monkeypatch) -> list[list[int]]:
    """What each scan (or retry) published after its commit."""
    calls: list[list[int]] = []

    def record(ids):
        calls.append(list(ids))
        return len(ids)

    monkeypatch.setattr(services, "reminders_publish", record)
    return calls


class FakeBroker:
    """Stands in for ``enqueue_each``: accepts ``capacity`` messages per call (None: all)."""

    def __init__(self) -> None:
        self.messages: list[int] = []
        self.capacity: int | None = None

    def enqueue_each(self, task, calls) -> int:
        assert task.name == "reminders.tasks.send_reminder"
        calls = list(calls)
        accepted = calls if self.capacity is None else calls[: self.capacity]
        self.messages.extend(args[0] for args in accepted)
        return len(accepted)


@pytest.fixture
def broker(monkeypatch) -> FakeBroker:
    fake = FakeBroker()
    monkeypatch.setattr(outbox, "enqueue_each", fake.enqueue_each)
    return fake


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """Scan on a day and run what it asked to do after commit."""

    def run(day: dt.date, **kwargs) -> services.ScanResult:
        with django_capture_on_commit_callbacks(execute=True):
            return services.reminders_scan(today=day, **kwargs)

    return run


def row(world, contact=None, user=None, **filters) -> Reminder:
    recipient = f"contact:{contact.pk}" if contact is not None else f"user:{user.pk}"
    return Reminder.objects.get(recipient=recipient, **filters)


def approval_rows() -> list[tuple]:
    return sorted(
        Reminder.objects.filter(kind=K.APPROVAL_DUE).values_list(
            "subject", "offset_days", "email", "status"
        )
    )


# The scan ---------------------------------------------------------------------------------


def test_scan_records_one_row_per_reminder_and_recipient(world, scan, published):
    result = scan(DAY)
    secretary, deputy = world.staff
    rows = {r.recipient: r for r in Reminder.objects.all()}
    assert set(rows) == {
        f"user:{secretary.pk}",
        f"user:{deputy.pk}",
        f"contact:{world.kz_focal.pk}",
        f"contact:{world.kg_head.pk}",
    }
    focal = rows[f"contact:{world.kz_focal.pk}"]
    assert (focal.kind, focal.subject, focal.offset_days, focal.due_on) == (
        K.APPROVAL_DUE,
        "period:2027-01-01",
        60,
        D(2026, 11, 1),
    )
    assert (focal.email, focal.language, focal.contact, focal.chamber, focal.user) == (
        "focal@kz.example",
        "kk",
        world.kz_focal,
        world.kz,
        None,
    )
    assert (focal.status, focal.link, focal.attempts) == (S.PENDING, "/rotation/", 0)
    assert focal.context["next"] == world.kg.pk
    staff_row = rows[f"user:{deputy.pk}"]
    assert (staff_row.user, staff_row.contact, staff_row.email, staff_row.language) == (
        deputy,
        None,
        "deputy@union.example",
        "tr",
    )
    assert sorted(result.to_send) == sorted(r.pk for r in rows.values())
    assert published == [result.to_send]  # after commit, once
    assert {line.state for line in result.lines} == {"queued"}
    assert (result.new, result.skipped, result.today) == (4, 0, DAY)


def test_the_log_refuses_a_second_row_for_the_same_reminder(world, scan, published):
    scan(DAY)
    first = Reminder.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=first.kind,
            subject=first.subject,
            offset_days=first.offset_days,
            recipient=first.recipient,
            email="other@example.org",
            language="en",
            due_on=first.due_on,
        )
    assert Reminder.objects.count() == 4


def test_a_repeated_scan_creates_nothing_and_queues_nothing_already_queued(world, scan, broker):
    first = scan(DAY)
    assert sorted(broker.messages) == sorted(first.to_send)
    assert not Reminder.objects.filter(queued_at__isnull=True).exists()
    again = scan(DAY)
    assert Reminder.objects.count() == 4
    assert again.to_send == []
    assert len(broker.messages) == 4
    # The next day: same reminders, still nothing new.
    assert scan(DAY + dt.timedelta(days=1)).to_send == []
    assert Reminder.objects.count() == 4
    # A message lost in the broker: after REQUEUE_AFTER the next scan queues it again.
    lost = Reminder.objects.first()
    Reminder.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - services.REQUEUE_AFTER - dt.timedelta(minutes=1)
    )
    assert scan(DAY).to_send == [lost.pk]
    assert Reminder.objects.count() == 4


def test_a_broker_down_leaves_the_rest_for_the_next_scan(world, scan, broker):
    broker.capacity = 1
    first = scan(DAY)
    assert broker.messages == first.to_send[:1]
    unqueued = Reminder.objects.filter(queued_at__isnull=True)
    assert sorted(unqueued.values_list("pk", flat=True)) == sorted(first.to_send[1:])
    broker.capacity = None
    again = scan(DAY)
    assert sorted(again.to_send) == sorted(first.to_send[1:])
    assert sorted(broker.messages) == sorted(first.to_send)


def test_sent_reminders_are_reported_and_not_queued_again(world, scan, published):
    first = scan(DAY)
    services.reminder_send(reminder_id=first.to_send[0])
    again = scan(DAY)
    assert first.to_send[0] not in again.to_send
    assert sorted(again.to_send) == sorted(first.to_send[1:])  # never queued: again
    states = Counter(line.state for line in again.lines)
    assert states == {"sent": 1, "queued": 3}
    assert again.new == 3


# Sending ----------------------------------------------------------------------------------


def test_send_delivers_one_email_in_the_recipients_language(world, scan, published):
    scan(DAY)
    reminder = row(world, contact=world.kz_focal)
    assert services.reminder_send(reminder_id=reminder.pk) == S.SENT
    (message,) = mail.outbox
    assert message.to == ["focal@kz.example"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = f"{settings.PORTAL_URL}/rotation/"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="kk">' in html
    # Chamber names in Kazakh (the current chair and the next one), in both parts.
    for part in (message.body, html):
        assert "Атамекен палатасы" in part and "Қырғыз палатасы" in part
        assert "Atameken Chamber" not in part and "Kyrgyz Chamber" not in part
        assert link in part
    assert f'href="{link}"' in html
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.title) == (S.SENT, 1, message.subject)
    assert reminder.sent_at is not None
    # Once: a second send (a retried or redelivered task) sends nothing.
    assert services.reminder_send(reminder_id=reminder.pk) == S.SENT
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 1


@pytest.mark.parametrize(
    ("who", "language", "names"),
    [
        ("kg_head", "ru", ("Палата Атамекен", "Киргизская палата")),
        ("secretary", "en", ("Atameken Chamber", "Kyrgyz Chamber")),
    ],
)
def test_each_recipient_reads_its_own_language(world, scan, published, who, language, names):
    scan(DAY)
    if who == "secretary":
        reminder = row(world, user=world.staff[0])
    else:
        reminder = row(world, contact=getattr(world, who))
    services.reminder_send(reminder_id=reminder.pk)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert f'<html lang="{language}">' in html
    assert all(name in message.body and name in html for name in names)
    assert f"{settings.PORTAL_URL}/rotation/" in message.body


def test_sending_an_unknown_or_skipped_reminder_sends_nothing(world, scan, published):
    assert services.reminder_send(reminder_id=987654) == "missing"
    scan(DAY)
    reminder = row(world, contact=world.kz_focal)
    Reminder.objects.filter(pk=reminder.pk).update(status=S.SKIPPED)
    assert services.reminder_send(reminder_id=reminder.pk) == S.SKIPPED
    assert mail.outbox == []


def test_a_final_failure_is_queued_again_by_the_next_scan_then_delivered(world, scan, published):
    scan(DAY)
    reminder = row(world, contact=world.kg_head)
    services.reminder_record_failure(
        reminder_id=reminder.pk, error="SMTPServerDisconnected: gone", final=False
    )
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (S.PENDING, 1)
    assert reminder.last_error == "SMTPServerDisconnected: gone"
    Reminder.objects.filter(pk=reminder.pk).update(queued_at=timezone.now())
    services.reminder_record_failure(reminder_id=reminder.pk, error="OSError: down", final=True)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.queued_at) == (S.FAILED, 2, None)
    assert mail.outbox == []

    result = scan(DAY + dt.timedelta(days=1))
    assert reminder.pk in result.to_send
    assert Reminder.objects.count() == 4
    reminder.refresh_from_db()
    assert reminder.status == S.PENDING
    assert services.reminder_send(reminder_id=reminder.pk) == S.SENT
    assert [m.to for m in mail.outbox] == [["head@kg.example"]]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (S.SENT, 3, "")
    # A failure reported after the send changes nothing.
    services.reminder_record_failure(reminder_id=reminder.pk, error="late", final=True)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (S.SENT, 3, "")


# Reminders no longer due --------------------------------------------------------------------


def test_rows_no_longer_due_are_skipped_and_come_back_when_due_again(world, scan, published):
    meeting = make_meeting(D(2026, 3, 20))
    answer(meeting, world.kz, RSVP.ATTENDING)
    answer(meeting, world.kg, RSVP.DECLINED)
    first = scan(D(2026, 3, 10))
    hu, tr = row(world, contact=world.hu_focal), row(world, contact=world.tr_focal)
    assert sorted(first.to_send) == sorted([hu.pk, tr.pk])
    answer(meeting, world.tr, RSVP.ATTENDING)

    second = scan(D(2026, 3, 11))
    assert second.skipped == 1
    hu.refresh_from_db()
    tr.refresh_from_db()
    assert (hu.status, tr.status) == (S.PENDING, S.SKIPPED)
    assert second.to_send == [hu.pk]
    assert services.reminder_send(reminder_id=tr.pk) == S.SKIPPED  # a task already queued
    assert mail.outbox == []

    Invitation.objects.filter(meeting=meeting, chamber=world.tr).update(response=RSVP.PENDING)
    third = scan(D(2026, 3, 12))
    assert tr.pk in third.to_send and third.skipped == 0
    tr.refresh_from_db()
    assert tr.status == S.PENDING
    assert Reminder.objects.count() == 2
    assert services.reminder_send(reminder_id=tr.pk) == S.SENT
    assert [m.to for m in mail.outbox] == [["focal@tr.example"]]


def test_approving_the_next_term_skips_unsent_approval_reminders(world, scan, published):
    scan(DAY)
    sent = row(world, contact=world.kz_focal)
    services.reminder_send(reminder_id=sent.pk)
    world.approve(world.kg, 2027)
    result = scan(DAY + dt.timedelta(days=1))
    assert result.skipped == 3
    assert result.to_send == []
    assert Counter(s for *_, s in approval_rows()) == {S.SKIPPED: 3, S.SENT: 1}


def test_a_later_offset_replaces_an_unsent_earlier_one(world, scan, published):
    scan(D(2026, 10, 1))
    services.reminder_send(reminder_id=row(world, contact=world.kz_focal).pk)
    result = scan(D(2026, 11, 2))
    assert result.skipped == 3  # the 120-day ones never sent
    assert len(result.to_send) == 4  # the 60-day ones
    assert Counter((offset, s) for _, offset, _, s in approval_rows()) == {
        (120, S.SENT): 1,
        (120, S.SKIPPED): 3,
        (60, S.PENDING): 4,
    }


# Staff retries, scan now, dry run -----------------------------------------------------------


def test_retry_requires_staff_and_leaves_sent_reminders_alone(
    world, scan, published, django_capture_on_commit_callbacks
):
    scan(DAY)
    published.clear()
    secretary, deputy = world.staff
    failed = row(world, contact=world.kg_head)
    sent = row(world, contact=world.kz_focal)
    skipped = row(world, user=deputy)
    Reminder.objects.filter(pk=failed.pk).update(status=S.FAILED)
    Reminder.objects.filter(pk=skipped.pk).update(status=S.SKIPPED)
    services.reminder_send(reminder_id=sent.pk)
    chosen = Reminder.objects.filter(pk__in=[failed.pk, sent.pk, skipped.pk])

    member = access_for_user(make_login(world.kz, "editor", username="kz-editor"))
    with pytest.raises(ForbiddenError):
        services.reminders_retry(actor=member, reminders=chosen)
    assert Reminder.objects.get(pk=failed.pk).status == S.FAILED
    assert published == []

    staff = access_for_user(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_retry(actor=staff, reminders=chosen) == 2
    assert sorted(published[0]) == sorted([failed.pk, skipped.pk])
    statuses = dict(chosen.values_list("pk", "status"))
    assert statuses == {failed.pk: S.PENDING, skipped.pk: S.PENDING, sent.pk: S.SENT}
    assert services.reminder_send(reminder_id=failed.pk) == S.SENT
    assert len(mail.outbox) == 2


def test_scan_now_requires_staff(world, scan, published):
    member = access_for_user(make_login(world.kz, "viewer", username="kz-viewer"))
    with pytest.raises(ForbiddenError):
        services.reminders_scan_now(actor=member, today=DAY)
    assert not Reminder.objects.exists()
    result = services.reminders_scan_now(actor=access_for_user(world.staff[0]), today=DAY)
    assert Reminder.objects.count() == len(result.to_send) == 4


def test_dry_run_writes_and_publishes_nothing(
    world, scan, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.reminders_scan(today=DAY, dry_run=True)
    assert callbacks == [] and published == []
    assert not Reminder.objects.exists()
    assert result.to_send == []
    assert {line.state for line in result.lines} == {"would send"}
    assert {line.recipient.email for line in result.lines} == {
        "sec@union.example",
        "deputy@union.example",
        "focal@kz.example",
        "head@kg.example",
    }
    # After a real scan and one send, a dry run reports what was sent and changes nothing.
    scan(DAY)
    sent = row(world, contact=world.kz_focal)
    services.reminder_send(reminder_id=sent.pk)
    Reminder.objects.filter(recipient=f"contact:{world.kg_head.pk}").update(status=S.FAILED)
    before = list(Reminder.objects.order_by("pk").values_list("pk", "status", "queued_at"))
    published.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        later = services.reminders_scan(today=D(2026, 12, 5), dry_run=True)
        again = services.reminders_scan(today=DAY, dry_run=True)
    assert callbacks == [] and published == []
    assert list(Reminder.objects.order_by("pk").values_list("pk", "status", "queued_at")) == before
    assert Counter(line.state for line in again.lines) == {"sent": 1, "would send": 3}
    assert later.skipped == 0 and {line.due.offset_days for line in later.lines} == {30}


# The demo ---------------------------------------------------------------------------------


def test_demo_rows_record_each_recipients_language(demo, scan, published):
    scan(DAY)
    assert approval_rows() == [
        ("period:2027-01-01", 60, "international@atameken.example", S.PENDING),
        ("period:2027-01-01", 60, "international@kyrgyzstan-cci.example", S.PENDING),
        ("period:2027-01-01", 60, "secretariat@union.example", S.PENDING),
    ]
    languages = dict(Reminder.objects.filter(kind=K.APPROVAL_DUE).values_list("email", "language"))
    assert languages == {
        "secretariat@union.example": "en",
        "international@atameken.example": "kk",
        "international@kyrgyzstan-cci.example": "ru",
    }
    kazakh = Reminder.objects.get(kind=K.APPROVAL_DUE, language="kk")
    services.reminder_send(reminder_id=kazakh.pk)
    (message,) = mail.outbox
    assert "«Атамекен» Қазақстан Республикасының Ұлттық кәсіпкерлер палатасы" in message.body
    assert "Қырғыз Республикасының Сауда-өнеркәсіп палатасы" in message.body
    assert '<html lang="kk">' in message.alternatives[0][0]

    scan(D(2026, 12, 1))
    assert [r[1:] for r in approval_rows()] == [
        (30, "international@atameken.example", S.PENDING),
        (30, "international@kyrgyzstan-cci.example", S.PENDING),
        (30, "secretariat@union.example", S.PENDING),
        (60, "international@atameken.example", S.SENT),
        (60, "international@kyrgyzstan-cci.example", S.SKIPPED),
        (60, "secretariat@union.example", S.SKIPPED),
    ]


# PostgreSQL: concurrent scans and sends ---------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_and_sends_deliver_each_reminder_exactly_once(default_rules, monkeypatch):
    world = build_world()
    for i in range(12):  # more rows, more chances to collide
        UserFactory(username=f"staff{i}", email=f"staff{i}@union.example", is_staff=True)
    published: list[int] = []
    monkeypatch.setattr(services, "reminders_publish", lambda ids: published.extend(ids))

    barrier = threading.Barrier(2)
    queued: list[list[int]] = []
    errors: list[BaseException] = []

    def run_scan() -> None:
        try:
            barrier.wait()
            queued.append(services.reminders_scan(today=DAY).to_send)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(queued) == 2
    rows = list(Reminder.objects.values_list("pk", "recipient"))
    recipients = [recipient for _, recipient in rows]
    assert len(rows) == 16 and len(set(recipients)) == 16  # 14 staff, KZ focal, KG head
    assert f"contact:{world.kz_focal.pk}" in recipients
    ids = [pk for scan_ids in queued for pk in scan_ids]
    assert set(ids) == {pk for pk, _ in rows}
    assert sorted(published) == sorted(ids)  # both scans published what they queued

    # Several workers each get every message (duplicates included), in different orders.
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def worker(seed: int) -> None:
        mine = list(ids)
        random.Random(seed).shuffle(mine)
        try:
            start.wait()
            for pk in mine:
                outcomes.append(services.reminder_send(reminder_id=pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert errors == []
    assert len(outcomes) == 4 * len(ids)
    # A duplicate finds the reminder sent, or being sent by another worker (its claim).
    assert set(outcomes) <= {S.SENT, S.SENDING}
    assert len(mail.outbox) == 16
    assert Counter(m.to[0] for m in mail.outbox) == {
        email: 1 for email in Reminder.objects.values_list("email", flat=True)
    }
    assert set(Reminder.objects.values_list("status", flat=True)) == {S.SENT}
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
