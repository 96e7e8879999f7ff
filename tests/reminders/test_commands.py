"""``send_reminders [--dry-run] [--date YYYY-MM-DD]`` on the demo union."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command

from core import outbox
from reminders import services
from reminders.models import Reminder, ReminderKind
from tests.reminders.test_services import FakeBroker

APPROVAL = re.compile(
    r"^2026-11-01\s+approval_due\s+60d\s+period:2027-01-01\s+(\S+) \((\w+)\)\s+\[(.+?)\]"
)


@pytest.fixture
def published(monkeypatch) -> list[list[int]]:
    calls: list[list[int]] = []
    monkeypatch.setattr(services, "reminders_publish", lambda ids: calls.append(list(ids)))
    return calls


def send_reminders(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def approval_lines(lines: list[str]) -> list[tuple[str, str, str]]:
    return sorted(m.groups() for line in lines if (m := APPROVAL.match(line)))


def test_dry_run_prints_what_is_due_and_writes_nothing(demo, published):
    lines = send_reminders("--dry-run", "--date", "2026-11-25")
    assert approval_lines(lines) == [
        ("international@atameken.example", "kk", "would send"),
        ("international@kyrgyzstan-cci.example", "ru", "would send"),
        ("secretariat@union.example", "en", "would send"),
    ]
    assert sum("approval_due" in line for line in lines) == 3
    assert all("Chair from 2027-01-01" in line for line in lines if "approval_due" in line)
    *found, summary = lines
    assert summary == (
        f"2026-11-25: {len(found)} reminders to send (dry run, nothing sent), 0 already sent."
    )
    assert not Reminder.objects.exists()
    assert published == []


def test_without_dry_run_the_rows_are_created_and_queued(
    demo, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lines = send_reminders("--date", "2026-11-25")
    assert [state for *_, state in approval_lines(lines)] == ["queued"] * 3
    rows = Reminder.objects.filter(kind=ReminderKind.APPROVAL_DUE)
    assert sorted(rows.values_list("email", "language", "offset_days", "subject")) == [
        ("international@atameken.example", "kk", 60, "period:2027-01-01"),
        ("international@kyrgyzstan-cci.example", "ru", 60, "period:2027-01-01"),
        ("secretariat@union.example", "en", 60, "period:2027-01-01"),
    ]
    total = Reminder.objects.count()
    assert lines[-1] == f"2026-11-25: {total} reminders queued for sending, 0 already sent."
    assert sorted(published[0]) == sorted(Reminder.objects.values_list("pk", flat=True))
    # Run again: no new rows; sent ones are reported as such.
    services.reminder_send(reminder_id=rows.get(language="kk").pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = send_reminders("--date", "2026-11-25")
    assert Reminder.objects.count() == total
    assert ("international@atameken.example", "kk", "sent") in approval_lines(again)
    assert again[-1].endswith(", 1 already sent.")


@pytest.mark.parametrize("value", ["25/11/2026", "2026-02-30", "tomorrow"])
def test_a_bad_date_is_a_command_error_naming_the_option(db, published, value):
    with pytest.raises(CommandError, match="--date"):
        send_reminders("--dry-run", "--date", value)
    assert not Reminder.objects.exists()


def test_a_second_run_does_not_claim_to_queue_what_is_already_queued(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    """With a working broker the first run queues (and stamps) every reminder; a second run
    the same hour queues none of them (``to_send`` is empty), so it must not print them as
    queued nor count them as queued for sending."""
    broker = FakeBroker()
    monkeypatch.setattr(outbox, "enqueue_each", broker.enqueue_each)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders("--date", "2026-11-25")
    total = Reminder.objects.count()
    assert len(broker.messages) == total
    assert first[-1] == f"2026-11-25: {total} reminders queued for sending, 0 already sent."
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_scan(today=dt.date(2026, 11, 25))
        second = send_reminders("--date", "2026-11-25")
    assert result.to_send == [] and len(broker.messages) == total  # nothing was queued...
    assert result.new == 0  # ...so nothing is new
    assert not any("[queued]" in line for line in second)
    assert sum("[queued earlier]" in line for line in second) == total
    assert second[-1] == (
        f"2026-11-25: 0 reminders queued for sending, 0 already sent, "
        f"{total} queued earlier and on their way."
    )
