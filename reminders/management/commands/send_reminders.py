"""``send_reminders [--dry-run] [--date YYYY-MM-DD]``: the daily scan, run by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reminders.services import reminders_scan


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: {value!r} is not a date (use YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Find the reminders due today (or on --date) and queue them for sending; with "
        "--dry-run, only print what would be sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")
        parser.add_argument("--date", type=str, help="Scan as if today were YYYY-MM-DD.")

    def handle(
        self, *args: Any, dry_run: bool = False, date: str | None = None, **options: Any
    ) -> None:
        today = _date(date) if date else None
        result = reminders_scan(today=today, dry_run=dry_run)
        for line in result.lines:
            due, recipient = line.due, line.recipient
            self.stdout.write(
                f"{due.due_on}  {due.kind:<22} {due.offset_days:>4}d  {due.subject:<22} "
                f"{recipient.email} ({recipient.language})  [{line.state}]  {due.label}"
            )
        already = sum(1 for line in result.lines if line.state == "sent")
        waiting = sum(1 for line in result.lines if line.state == "queued earlier")
        done = "to send (dry run, nothing sent)" if dry_run else "queued for sending"
        summary = f"{result.today}: {result.new} reminders {done}, {already} already sent"
        if waiting:
            summary += f", {waiting} queued earlier and on their way"
        if result.notices:
            summary += f", {result.notices} unsent notices queued again"
        self.stdout.write(self.style.SUCCESS(summary + "."))
