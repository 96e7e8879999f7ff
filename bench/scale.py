"""``make bench-scale``: the largest federation on one machine, each endpoint beside its floor.

Builds (once; ``--rebuild`` to start again) a PostgreSQL database ``union_bench`` (or
``BENCH_DATABASE_URL``) holding 12,000 chambers, 100,000 contacts, 10,000 meetings with 500,000
invitations, 10,000 decisions with 60,000 votes and 50 years of terms; serves it with gunicorn
(2 workers, ``bench.settings``: the site plus the floor views of ``bench/urls.py``); runs each
endpoint and its floor in the same run with a bounded load generator (2 connections, a few
seconds or 200 requests each); and prints req/s, p95 and the ratio to the floor, then the daily
scan, the forecast, an import of contacts and the workers' memory. ``--only A,B`` measures
the endpoints whose name contains A or B.

The figures are this machine's: compare ratios, not milliseconds, between machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import os
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/union_bench")
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

CHAMBERS = 12_000
MEMBERS, OBSERVERS, SUSPENDED = 11_019, 300, 181  # the rest are former members
CONTACTS = 100_000
MEETINGS = 10_000
INVITED = 50  # per meeting: 500,000 invitations
VOTES = 6  # per decision: 60,000 votes
YEARS = 50  # of terms, up to this year
PORT = 8765
CONCURRENCY = 2
MAX_REQUESTS, MAX_SECONDS = 200, 4.0
PASSWORD = "bench-pass-2026"  # noqa: S105 (a throw-away database's login)


def _database_reset() -> None:
    import psycopg

    parts = urlsplit(BENCH_DB)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _database_exists() -> bool:
    import psycopg

    try:
        with psycopg.connect(BENCH_DB) as conn:
            row = conn.execute("SELECT count(*) FROM chambers_chamber").fetchone()
            return bool(row and row[0] >= CHAMBERS)
    except psycopg.Error:
        return False


def step(label: str, since: float) -> float:
    now = time.perf_counter()
    print(f"  {label:44} {now - since:6.1f} s", flush=True)
    return now


def build() -> None:
    """The data set, written with ``bulk_create`` (the services' rules are not what is
    measured here, and 500,000 invitations through them would take an hour)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from chambers.models import Chamber, Contact, MemberLogin, MembershipPeriod
    from meetings.models import Decision, Invitation, Meeting, Vote
    from rotation.models import Rotation, RotationPlace, Term

    print("building the data set")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    started = step("migrate", started)
    countries = [code for code, _ in __import__("django_countries").countries]
    batch = 5000
    chambers = Chamber.objects.bulk_create(
        (
            Chamber(
                slug=f"c-{i:05d}",
                short_name=f"CC{i}",
                short_name_en=f"CC{i}",
                name=f"Chamber of Commerce {i}",
                name_en=f"Chamber of Commerce {i}",
                country=countries[i % len(countries)],
                city=f"City {i % 700}",
                city_en=f"City {i % 700}",
            )
            for i in range(CHAMBERS)
        ),
        batch_size=batch,
    )
    periods = []
    for i, chamber in enumerate(chambers):
        since = dt.date(1950 + i % 30, 1 + i % 12, 1)
        if i < MEMBERS:
            periods.append(MembershipPeriod(chamber=chamber, status="member", start=since))
        elif i < MEMBERS + OBSERVERS:
            periods.append(MembershipPeriod(chamber=chamber, status="observer", start=since))
        elif i < MEMBERS + OBSERVERS + SUSPENDED:
            periods.append(
                MembershipPeriod(
                    chamber=chamber, status="member", start=since, end=dt.date(2024, 12, 31)
                )
            )
            periods.append(
                MembershipPeriod(chamber=chamber, status="suspended", start=dt.date(2025, 1, 1))
            )
        else:
            periods.append(
                MembershipPeriod(
                    chamber=chamber, status="member", start=since, end=dt.date(2020, 12, 31)
                )
            )
    MembershipPeriod.objects.bulk_create(periods, batch_size=batch)
    started = step(f"{CHAMBERS:,} chambers and their periods", started)
    Contact.objects.bulk_create(
        (
            Contact(
                chamber=chambers[i % CHAMBERS],
                name=f"Person {i}",
                position=f"Officer {i // CHAMBERS}",
                position_en=f"Officer {i // CHAMBERS}",
                email=f"p{i}@{chambers[i % CHAMBERS].slug}.example",
                is_head=i < CHAMBERS,
                is_focal_point=CHAMBERS <= i < 2 * CHAMBERS,
                preferred_language=("en", "ru", "kk", "tr")[i % 4],
            )
            for i in range(CONTACTS)
        ),
        batch_size=batch,
    )
    started = step(f"{Contact.objects.count():,} contacts", started)
    first_year = timezone.localdate().year - YEARS + 1
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                kind=("ga_ordinary", "board", "working_group")[i % 3],
                title=f"Meeting {i}",
                title_en=f"Meeting {i}",
                starts_at=dt.datetime(first_year, 1, 1, 9, tzinfo=dt.UTC)
                + dt.timedelta(hours=i * 24 * 365 * (YEARS + 1) // MEETINGS),
                ends_at=dt.datetime(first_year, 1, 1, 17, tzinfo=dt.UTC)
                + dt.timedelta(hours=i * 24 * 365 * (YEARS + 1) // MEETINGS),
                venue_city=f"City {i % 700}",
                status="held" if i < MEETINGS - 100 else "planned",
            )
            for i in range(MEETINGS)
        ),
        batch_size=batch,
    )
    started = step(f"{MEETINGS:,} meetings", started)
    member_chambers = chambers[:MEMBERS]
    answers = ("pending", "accepted", "declined")
    for start in range(0, MEETINGS, 1000):
        Invitation.objects.bulk_create(
            (
                Invitation(
                    meeting=meeting,
                    chamber=member_chambers[(i * INVITED + k) % MEMBERS],
                    response=answers[(i + k) % 3],
                    present=meeting.status == "held" and k % 4 != 0,
                )
                for i, meeting in enumerate(meetings[start : start + 1000], start=start)
                for k in range(INVITED)
            ),
            batch_size=batch,
        )
    started = step(f"{Invitation.objects.count():,} invitations", started)
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                meeting=meeting,
                number=1,
                kind="general",
                title=f"Resolution of meeting {i}",
                title_en=f"Resolution of meeting {i}",
                text="The assembly resolves.",
                text_en="The assembly resolves.",
                method="vote",
                dated_at=meeting.starts_at,  # what Decision.save keeps (bulk_create skips it)
                adopted_at=meeting.ends_at if meeting.status == "held" else None,
                published=meeting.status == "held",
            )
            for i, meeting in enumerate(meetings)
        ),
        batch_size=batch,
    )
    Vote.objects.bulk_create(
        (
            Vote(
                decision=decision,
                chamber=member_chambers[(i * INVITED + k) % MEMBERS],
                vote=("for", "for", "against", "abstain")[k % 4],
            )
            for i, decision in enumerate(decisions)
            if decision.adopted_at
            for k in range(VOTES)
        ),
        batch_size=batch,
    )
    started = step(f"{len(decisions):,} decisions, {Vote.objects.count():,} votes", started)
    rotation = Rotation.current()
    RotationPlace.objects.bulk_create(
        RotationPlace(rotation=rotation, position=i + 1, chamber=chamber)
        for i, chamber in enumerate(member_chambers)
    )
    Term.objects.bulk_create(
        Term(
            rotation=rotation,
            chamber=member_chambers[k],
            start=dt.date(first_year + k, 1, 1),
            end=dt.date(first_year + k, 12, 31),
            state="approved",
        )
        for k in range(YEARS)
    )
    started = step(f"the order of {MEMBERS:,} and {YEARS} terms", started)
    user_model = get_user_model()
    staff = user_model.objects.create_user("bench-staff", password=PASSWORD, is_staff=True)
    staff.is_superuser = True
    staff.save()
    member = user_model.objects.create_user("bench-member", password=PASSWORD)
    MemberLogin.objects.create(user=member, chamber=chambers[0], role="viewer")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("users, VACUUM ANALYZE", started)


# Serving and measuring ---------------------------------------------------------------------


def credentials() -> dict[str, str]:
    """A staff session cookie, a secretariat read token and a staff calendar key."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from calendars import services as calendar_services
    from chambers import services as chamber_services
    from core.access import access_for_user

    staff = get_user_model().objects.get(username="bench-staff")
    client = Client()
    client.force_login(staff)
    access = access_for_user(staff)
    _, token = chamber_services.token_issue(actor=access, name="bench", scope="read")
    _, key = calendar_services.subscription_issue(actor=access)
    return {"session": client.cookies["sessionid"].value, "token": token, "calendar": key}


def get(path: str, headers: dict[str, str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    conn.request("GET", path, headers={"Host": "localhost", **headers})
    response = conn.getresponse()
    size = len(response.read())
    conn.close()
    return time.perf_counter() - start, response.status, size


def load(path: str, headers: dict[str, str]) -> dict[str, float]:
    """Requests on ``CONCURRENCY`` connections until ``MAX_REQUESTS`` or ``MAX_SECONDS``."""
    _, status, _ = get(path, headers)  # warm up (and check)
    if status not in (200, 202):  # 202: an XLSX export above EXPORT_INLINE_ROWS, built later
        raise SystemExit(f"{path}: HTTP {status}")
    deadline = time.perf_counter() + MAX_SECONDS
    timings: list[float] = []

    def client() -> None:
        while len(timings) < MAX_REQUESTS and time.perf_counter() < deadline:
            timings.append(get(path, headers)[0])

    wall = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        for future in [pool.submit(client) for _ in range(CONCURRENCY)]:
            future.result()
    wall = time.perf_counter() - wall
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return {"rps": len(timings) / wall, "p95": p95 * 1000, "n": len(timings)}


def endpoints(
    creds: dict[str, str], chamber_slug: str, meeting: int
) -> list[tuple[str, str, str, str]]:
    """(name, path, floor, who): who is ``api`` (token), ``staff`` (session) or ``public``."""
    return [
        ("API chambers ?limit=50", "/api/v1/chambers/?limit=50", "chambers", "api"),
        (
            "API contacts of a chamber",
            f"/api/v1/chambers/{chamber_slug}/contacts/",
            f"contacts?chamber={chamber_slug}",
            "api",
        ),
        ("API meetings ?limit=50", "/api/v1/meetings/?limit=50", "meetings", "api"),
        ("API decisions ?limit=50", "/api/v1/decisions/?limit=50", "decisions", "api"),
        ("API forecast 100 years", "/api/v1/rotation/forecast/?years=100", "terms", "api"),
        ("API rotation current", "/api/v1/rotation/current/", "terms", "api"),
        ("dashboard /", "/", "chambers", "public"),
        ("/chambers/", "/chambers/", "chambers", "public"),
        ("/meetings/", "/meetings/", "meetings", "staff"),
        ("/decisions/", "/decisions/", "decisions", "staff"),
        ("/rotation/", "/rotation/", "terms", "staff"),
        # The secretariat's workspace of a meeting: 50 invitations, the effect forms with
        # every chamber to choose from (one datalist; a select per place was 20 GB).
        ("a meeting's workspace", f"/meetings/{meeting}/", "meetings", "staff"),
        ("chambers.csv", "/api/v1/exports/chambers.csv", "chambers-all", "api"),
        # 100,000 rows: answered 202 at once, the file built by a worker (measured below).
        ("contacts.xlsx (202)", "/api/v1/exports/contacts.xlsx", "contacts-all", "api"),
        ("/meetings.ics", "/meetings.ics", "meetings-window", "staff"),  # members only
        ("staff calendar feed", f"/calendar/{creds['calendar']}.ics", "meetings-window", "-"),
        ("admin chambers", "/admin/chambers/chamber/", "chambers", "staff"),
        ("admin contacts", "/admin/chambers/contact/", "contacts-all", "staff"),
    ]


def serve() -> subprocess.Popen[bytes]:
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_ACCESS_LOG": "/dev/null"}
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn)
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--workers", "2",
         "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            get("/healthz", {})
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def worker_memory(master: int) -> list[float]:
    """The resident memory (MB) of the master's worker processes."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            found.append(int(fields["VmRSS"].split()[0]) / 1024)
    return found


def measure_http(only: str | None) -> None:
    from chambers.models import Chamber

    creds = credentials()
    from meetings.models import Meeting

    slug = Chamber.objects.order_by("slug").values_list("slug", flat=True)[0]
    meeting = Meeting.objects.order_by("-starts_at").values_list("pk", flat=True)[0]
    who = {
        "api": {"Authorization": f"Token {creds['token']}"},
        "staff": {"Cookie": f"sessionid={creds['session']}"},
        "public": {},
        "-": {},
    }
    server = serve()
    try:
        print(f"\n{'endpoint':28} {'req/s':>8} {'p95 ms':>8} {'floor req/s':>12} "
              f"{'floor p95':>10} {'ratio':>6}")  # fmt: skip
        for name, path, floor, role in endpoints(creds, slug, meeting):
            if only and not any(part in name for part in only.split(",")):
                continue
            base = load(
                f"/bench-floor/{floor.replace('?', '/?', 1) if '?' in floor else floor + '/'}", {}
            )
            real = load(path, who[role])
            ratio = base["rps"] / real["rps"]
            print(f"{name:28} {real['rps']:>8.1f} {real['p95']:>8.1f} {base['rps']:>12.1f} "
                  f"{base['p95']:>10.1f} {ratio:>6.1f}", flush=True)  # fmt: skip
        memory = worker_memory(server.pid)
        print(f"\ngunicorn workers' memory: {', '.join(f'{m:.0f} MB' for m in memory)}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def timed(function: Any, rounds: int = 3) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(timings), queries


def measure_in_process() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from chambers.models import Chamber, Contact
    from core.access import Access
    from exchange import formats
    from exchange import services as exchange_services
    from meetings.models import ActionItem, Priority
    from reminders import services as reminder_services
    from reminders.models import Reminder
    from rotation import selectors as rotation_selectors

    print(f"\n{'in the process':44} {'median ms':>10} {'queries':>8}")
    ms, queries = timed(lambda: rotation_selectors.forecast_rows(years=100))
    print(f"{'forecast, 100 years':44} {ms:>10.1f} {queries:>8}")
    ms, queries = timed(lambda: rotation_selectors.troika())
    print(f"{'rotation current (troika)':44} {ms:>10.1f} {queries:>8}")

    # The night's renewal of the stored statuses: a day on which none changes, then one on
    # which every chamber's must be written again.
    from chambers import services as chamber_services

    ms, queries = timed(lambda: chamber_services.current_statuses_refresh())
    print(f"{'statuses renewed, none changed':44} {ms:>10.1f} {queries:>8}")

    def renew_all() -> None:
        Chamber.objects.update(current_status="unknown")
        chamber_services.current_statuses_refresh()

    ms, queries = timed(renew_all, rounds=1)
    print(f"{f'statuses renewed, all {CHAMBERS:,} written':44} {ms:>10.1f} {queries:>8}")

    # The daily scan: an overdue action item for every member chamber (its focal point).
    today = dt.date.today()
    if not ActionItem.objects.exists():
        priority = Priority.objects.create(
            title="Bench", period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
        )  # fmt: skip
        ActionItem.objects.bulk_create(
            ActionItem(priority=priority, title=f"Item {c.pk}", title_en=f"Item {c.pk}",
                       responsible=c, due=today - dt.timedelta(days=1))
            for c in Chamber.objects.with_status_in(["member"])
        )  # fmt: skip

    def scan() -> None:
        Reminder.objects.all().delete()
        result = reminder_services.reminders_scan(today=today)
        scan.count = len(result.lines)  # type: ignore[attr-defined]

    ms, queries = timed(scan, rounds=2)
    print(f"{f'daily scan, {scan.count:,} reminders (published)':44} {ms:>10.1f} {queries:>8}")  # type: ignore[attr-defined]
    Reminder.objects.all().delete()

    # An import of new contacts, as many as a file may hold (formats.MAX_ROWS): the dry run,
    # then the import itself (rolled back).
    rows = formats.MAX_ROWS
    slugs = list(Chamber.objects.order_by("pk").values_list("slug", flat=True)[:2000])
    header = ["chamber", "name", "email"]
    lines = [[slugs[i % len(slugs)], f"Imported {i}", f"imp{i}@bench.example"] for i in range(rows)]
    data = io.StringIO()
    import csv

    csv.writer(data).writerows([header, *lines])
    staff = Access(user=None, label="bench", is_staff=True, reads_all=True, can_write=True)

    def read() -> list[Any]:
        return formats.read(
            data.getvalue().encode(),
            allowed=exchange_services.CONTACT_COLUMNS,
            required=exchange_services.CONTACT_REQUIRED_COLUMNS,
        )

    def dry_run() -> None:
        exchange_services.import_contacts(actor=staff, rows=read(), dry_run=True)

    def real_import() -> None:
        with transaction.atomic():
            report = exchange_services.import_contacts(actor=staff, rows=read(), dry_run=False)
            assert report.written == rows, report.errors[:3]
            transaction.set_rollback(True)

    before = Contact.objects.count()
    for label, function in ((f"import {rows:,} contacts, dry run", dry_run),
                            (f"import {rows:,} contacts", real_import)):  # fmt: skip
        ms, queries = timed(function, rounds=1)
        print(f"{label:44} {ms:>10.1f} {queries:>8}", flush=True)
    assert Contact.objects.count() == before

    # The XLSX of every contact, as a worker builds it after the request's 202.
    from exchange import export_files, tables
    from exchange.models import ExportFile

    user = get_user_model().objects.get(username="bench-staff")

    def export_file() -> None:
        export = export_files.export_file_request(
            dataset=tables.CONTACTS, file_format="xlsx", user=user
        )
        assert export_files.export_file_build(export_id=export.pk) == "ready"
        export.refresh_from_db()
        export_file.size = export.size  # type: ignore[attr-defined]

    ms, queries = timed(export_file, rounds=1)
    size = export_file.size / 1e6  # type: ignore[attr-defined]
    print(f"{f'contacts.xlsx by a worker ({size:.1f} MB)':44} {ms:>10.1f} {queries:>8}")
    for export in ExportFile.objects.all():  # the bench's, and those its 202s asked for
        export.path.unlink(missing_ok=True)
    ExportFile.objects.all().delete()


def main() -> None:
    from django.core.management import call_command

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument(
        "--only", help="measure only the endpoints whose name contains this (or one of a,b,c)"
    )
    parser.add_argument("--no-http", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    if args.rebuild or not _database_exists():
        _database_reset()
        import django

        django.setup()
        build()
    else:
        import django

        django.setup()
        # A data set kept from an earlier run: brought to this code's migrations first.
        call_command("migrate", "--noinput", verbosity=0)
    # Today's stored statuses, as beat renews them each night (the periods went in directly).
    call_command("refresh_statuses", verbosity=0)
    print(f"database: {BENCH_DB}")
    if not args.no_http:
        measure_http(args.only)
    if not args.only:
        measure_in_process()


if __name__ == "__main__":
    main()
