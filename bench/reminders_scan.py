"""Benchmark of the daily reminder scan at growing sizes.

Run with ``make bench`` (SQLite in a temporary file) or with DATABASE_URL set for PostgreSQL.
Each size has that many member chambers (each with a focal point), open action items overdue by
a day, planned meetings in 3 days with every invitation unanswered, and a rotation whose next
chair is not approved. Prints the median time of a dry-run scan, of the first real scan (which
writes the log) and of a repeated scan (which finds everything sent or queued), and the number
of queries: the dry run's must stay flat.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from chambers.models import Chamber, Contact, MembershipPeriod  # noqa: E402
from core.access import Access  # noqa: E402
from meetings.models import ActionItem, Invitation, Meeting, Priority  # noqa: E402
from reminders import services  # noqa: E402
from rotation import services as rotation_services  # noqa: E402

SIZES = (10, 100, 1000)
ROUNDS = 5
TODAY = dt.date(2026, 11, 25)
SYSTEM = Access(user=None, label="bench", is_staff=True, reads_all=True, can_write=True)


def grow_to(size: int) -> None:
    existing = Chamber.objects.count()
    new = Chamber.objects.bulk_create(
        Chamber(slug=f"b-{i}", short_name=f"B{i}", name=f"Bench {i}", name_en=f"Bench {i}",
                country="DE", city="Berlin")
        for i in range(existing, size)
    )  # fmt: skip
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(chamber=c, status="member", start="2019-01-01") for c in new
    )
    Contact.objects.bulk_create(
        Contact(chamber=c, name=f"Focal {c.slug}", is_focal_point=True,
                email=f"focal@{c.slug}.example", preferred_language="ru")
        for c in new
    )  # fmt: skip
    priority = Priority.objects.first() or Priority.objects.create(
        title="Bench priority", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
    )
    ActionItem.objects.bulk_create(
        ActionItem(priority=priority, title=f"Item {c.slug}", responsible=c,
                   due=TODAY - dt.timedelta(days=1))
        for c in new
    )  # fmt: skip
    starts = dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC)
    meetings = Meeting.objects.bulk_create(
        Meeting(kind="board", title=f"Board {i}", starts_at=starts, ends_at=starts)
        for i in range(existing, size)
    )
    everyone = list(Chamber.objects.all())
    Invitation.objects.bulk_create(
        Invitation(meeting=m, chamber=c) for m in meetings for c in everyone[:10]
    )
    if existing == 0:
        rotation_services.order_set(actor=SYSTEM, kind="alphabetical", chambers=new)
        rotation_services.term_approve(
            actor=SYSTEM, chamber=new[0], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        )


def timed(function) -> tuple[float, int]:
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        function()
    return statistics.median(timings), len(queries)


def main() -> None:
    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    services.reminders_publish = lambda ids: len(ids)  # measure the scan, not the broker
    try:
        print(f"database: {connection.vendor} ({test_db})")
        print(f"{'scan':14} {'chambers':>8} {'reminders':>9} {'median ms':>10} {'queries':>8}")
        for size in SIZES:
            grow_to(size)
            services.Reminder.objects.all().delete()
            dry, dry_queries = timed(lambda: services.reminders_scan(today=TODAY, dry_run=True))
            count = len(services.reminders_scan(today=TODAY, dry_run=True).lines)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as first_queries:
                services.reminders_scan(today=TODAY)
            first = (time.perf_counter() - start) * 1000
            again, again_queries = timed(lambda: services.reminders_scan(today=TODAY))
            for name, ms, queries in (
                ("dry run", dry, dry_queries),
                ("first scan", first, len(first_queries)),
                ("repeated scan", again, again_queries),
            ):
                print(f"{name:14} {size:>8} {count:>9} {ms:>10.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
