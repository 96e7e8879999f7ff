"""Membership periods of one chamber never overlap: the database itself refuses it on
PostgreSQL (an exclusion constraint), the service refuses it on any database."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from chambers import services
from chambers.models import MembershipPeriod
from core.errors import ConflictError, DomainError
from tests.conftest import requires_postgres
from tests.factories import SYSTEM, make_chamber

D = dt.date


@requires_postgres
def test_direct_overlapping_insert_refused_by_postgresql(db):
    chamber = make_chamber(slug="kz", since=D(2019, 1, 1))
    refused = pytest.raises(IntegrityError, match="chambers_membership_period_no_overlap")
    with refused, transaction.atomic():
        MembershipPeriod.objects.create(chamber=chamber, status="observer", start=D(2024, 1, 1))
    # Adjacent periods (end the day before the next start) are fine.
    MembershipPeriod.objects.filter(chamber=chamber).update(end=D(2023, 12, 31))
    MembershipPeriod.objects.create(chamber=chamber, status="observer", start=D(2024, 1, 1))
    other = make_chamber(slug="tr", since=D(2019, 1, 1))
    assert other.periods.count() == 1  # the same dates for another chamber are no overlap


@requires_postgres
def test_raw_sql_overlap_refused_by_postgresql(db):
    chamber = make_chamber(slug="kz", since=D(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO chambers_membershipperiod (chamber_id, status, start, "end", basis) '
            "VALUES (%s, 'member', '2020-01-01', '2020-12-31', '')",
            [chamber.pk],
        )


def test_overlap_refused_by_service_on_any_database(db):
    chamber = make_chamber(slug="kz", since=D(2019, 1, 1))
    with pytest.raises(DomainError):
        services.membership_periods_replace(
            actor=SYSTEM,
            chamber=chamber,
            periods=[
                services.PeriodData(status="member", start=D(2019, 1, 1), end=None),
                services.PeriodData(status="observer", start=D(2024, 1, 1), end=None),
            ],
        )
    assert chamber.periods.count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_status_changes_one_wins():
    """Two staff members change the same chamber's status at once: the chamber row lock
    serialises them, so the second sees the first's period and is refused, never a 500."""
    chamber = make_chamber(slug="kz", since=D(2019, 1, 1))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def change(status: str) -> None:
        barrier.wait()
        try:
            services.membership_change_status(
                actor=SYSTEM, chamber=chamber, status=status, effective=D(2025, 1, 1)
            )
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")  # the constraint caught it: the lock did not serialise
        except DomainError as exc:
            assert exc.field == "effective"  # the loser saw the winner's period
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(s,)) for s in ("suspended", "observer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert chamber.periods.count() == 2
