"""Benchmark of the chamber lists (API and dashboard) at growing sizes.

Run with ``make bench`` (SQLite in a temporary file) or with DATABASE_URL set for PostgreSQL.
It builds its own throw-away database, so it never touches var/db.sqlite3. Prints the median
time per request and the number of queries for each size: the query count must stay flat.
"""

from __future__ import annotations

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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from chambers.models import Chamber, MembershipPeriod  # noqa: E402

SIZES = (10, 100, 1000)
ROUNDS = 20
URLS = ("/api/v1/chambers/?limit=200", "/")


def grow_to(size: int) -> None:
    existing = Chamber.objects.count()
    new = [
        Chamber(
            slug=f"b-{i}",
            short_name=f"B{i}",
            name=f"Bench {i}",
            name_en=f"Bench {i}",
            country="DE",
            city="Berlin",
        )
        for i in range(existing, size)
    ]
    Chamber.objects.bulk_create(new)
    MembershipPeriod.objects.bulk_create(
        MembershipPeriod(chamber=c, status="member", start="2019-01-01")
        for c in Chamber.objects.filter(periods__isnull=True)
    )


def main() -> None:
    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        print(f"database: {connection.vendor} ({test_db})")
        print(f"{'url':34} {'rows':>6} {'median ms':>10} {'queries':>8}")
        for size in SIZES:
            grow_to(size)
            for url in URLS:
                client.get(url)  # warm up
                timings = []
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                print(f"{url:34} {size:>6} {statistics.median(timings):>10.1f} {len(queries):>8}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
