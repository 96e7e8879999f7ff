"""Today's status stored on the chamber (``Chamber.current_status``): kept by the services that
change periods, renewed for each new day, trusted only on the day ``StatusesAsOf`` names, and
always equal to what the periods say."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chambers import selectors, services, tasks
from chambers.models import FORMER, Chamber, MembershipStatus, StatusesAsOf, derived_status
from core.errors import DomainError
from tests.factories import SYSTEM, ChamberFactory, MembershipPeriodFactory, make_chamber
from tests.scenes import Union

START = dt.date(2026, 1, 1)
STATUSES = [*MembershipStatus.values, FORMER]


@contextmanager
def today_is(day: dt.date):
    """Every "today" of the code (``timezone.localdate()``) is ``day``."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


def derived(day: dt.date) -> dict[int, str]:
    """Every chamber's status on ``day`` as the periods say it."""
    return dict(
        Chamber.objects.annotate(derived=derived_status("pk", day)).values_list("pk", "derived")
    )


def read(day: dt.date) -> dict[int, str]:
    """Every chamber's status on ``day`` as the pages read it."""
    return dict(Chamber.objects.with_status(day).values_list("pk", "status"))


def directory_counts(day: dt.date) -> dict[str, int]:
    return selectors.ChamberDirectory(on=day).counts


def test_the_stored_status_is_what_today_reads_once_marked(union: Union):
    """The mechanism: before the first renewal the periods decide; after it, the column. A
    column set wrong on purpose shows which one was read."""
    with today_is(START):
        home = union.home
        Chamber.objects.filter(pk=home.pk).update(current_status=MembershipStatus.SUSPENDED)
        assert read(START)[home.pk] == MembershipStatus.MEMBER  # no day marked: the periods
        services.current_statuses_refresh()
        assert StatusesAsOf.objects.get().day == START
        assert read(START) == derived(START)
        Chamber.objects.filter(pk=home.pk).update(current_status=MembershipStatus.SUSPENDED)
        assert read(START)[home.pk] == MembershipStatus.SUSPENDED  # the column
        # Another day than the one marked: the periods again.
        assert read(START + dt.timedelta(days=1))[home.pk] == MembershipStatus.MEMBER


def test_the_services_keep_it_and_the_night_renews_it(union: Union):
    with today_is(START):
        services.current_statuses_refresh()
        later = make_chamber(slug="later", since=START + dt.timedelta(days=1))
        now = make_chamber(slug="now", since=START, status=MembershipStatus.OBSERVER)
        assert read(START)[now.pk] == MembershipStatus.OBSERVER  # kept by the service
        assert read(START)[later.pk] == FORMER
        services.membership_change_status(
            actor=SYSTEM, chamber=union.home, status=MembershipStatus.SUSPENDED, effective=START
        )
        assert read(START) == derived(START)
    tomorrow = START + dt.timedelta(days=1)
    with today_is(tomorrow):
        # Midnight has passed, the renewal not yet run: the periods decide, rightly.
        assert read(tomorrow)[later.pk] == MembershipStatus.MEMBER
        assert tasks.refresh_statuses() >= 1  # later becomes a member
        assert StatusesAsOf.objects.get().day == tomorrow
        assert tasks.refresh_statuses() == 0  # the day's statuses are stored: nothing to do
        assert Chamber.objects.get(pk=later.pk).current_status == MembershipStatus.MEMBER
        assert read(tomorrow) == derived(tomorrow)


def test_a_save_of_a_chamber_read_earlier_does_not_write_its_old_status_back(union: Union):
    with today_is(START):
        stale = Chamber.objects.get(pk=union.home.pk)
        services.current_statuses_refresh()
        services.membership_change_status(
            actor=SYSTEM, chamber=union.home, status=FORMER, effective=START
        )
        stale.city = "Astana"
        stale.save()
        fresh = Chamber.objects.get(pk=union.home.pk)
        assert (fresh.city, fresh.current_status) == ("Astana", FORMER)
        # Nor through the service that edits a profile (it saves the chamber it locked).
        services.chamber_update(actor=SYSTEM, chamber=stale, data={"city": "Almaty"})
        assert Chamber.objects.get(pk=union.home.pk).current_status == FORMER


def test_the_command_renews_what_was_written_straight_into_the_tables(db):
    with today_is(START):
        MembershipPeriodFactory.create_batch(3, start=START)  # no service: nothing kept
        services.current_statuses_refresh()
        chamber = ChamberFactory()
        MembershipPeriodFactory(chamber=chamber, start=START, status=MembershipStatus.OBSERVER)
        out = io.StringIO()
        call_command("refresh_statuses", stdout=out)
        assert out.getvalue() == "1 chamber(s) changed status.\n"
        assert read(START) == derived(START)
        assert set(read(START).values()) == {MembershipStatus.MEMBER, MembershipStatus.OBSERVER}


def test_the_directory_costs_the_same_queries_either_way(union: Union):
    """One count by status and country whether the statuses are stored or derived, the same
    figures, and the same pages."""
    for i, status in enumerate(MembershipStatus.values * 3):
        make_chamber(slug=f"c{i}", country=["KZ", "TR", "HU"][i % 3], status=status, since=START)
    with today_is(START):
        with CaptureQueriesContext(connection) as unstored:
            directory = selectors.ChamberDirectory()
            pages = {s: [c.pk for c in directory.page(s)] for s in STATUSES}
        services.current_statuses_refresh()
        with CaptureQueriesContext(connection) as stored:
            directory2 = selectors.ChamberDirectory()
            pages2 = {s: [c.pk for c in directory2.page(s)] for s in STATUSES}
    assert len(stored) == len(unstored)
    assert directory2.counts == directory.counts
    assert pages2 == pages
    assert "current_status" in stored.captured_queries[0]["sql"]


# Any sequence of changes, on any days: what the pages read is what the periods say ----------

change = st.tuples(
    st.integers(0, 3),  # which chamber
    st.sampled_from(STATUSES),
    st.integers(0, 6),  # days after "today" the change takes effect
    st.integers(0, 3),  # days that pass after it
    st.booleans(),  # through the periods' editor (a whole new list) or a change of status
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(change, min_size=1, max_size=8))
def test_any_changes_on_any_days_read_as_the_periods_say(union: Union, changes):
    with transaction.atomic():
        day = START
        with today_is(day):
            chambers = [
                make_chamber(slug=f"p{i}", since=START - dt.timedelta(days=30)) for i in range(4)
            ]
            services.current_statuses_refresh()
        for index, status, ahead, passing, replace in changes:
            chamber = chambers[index]
            effective = day + dt.timedelta(days=ahead)
            with today_is(day):
                try:
                    if replace and status != FORMER:
                        services.membership_periods_replace(
                            actor=SYSTEM,
                            chamber=chamber,
                            periods=[services.PeriodData(status=status, start=effective, end=None)],
                        )
                    else:
                        services.membership_change_status(
                            actor=SYSTEM, chamber=chamber, status=status, effective=effective
                        )
                except DomainError:
                    pass  # a change the rules refuse changes nothing
                assert read(day) == derived(day)
            for _ in range(passing):
                day += dt.timedelta(days=1)
                with today_is(day):
                    assert read(day) == derived(day)  # before the night's renewal
                    if day.day % 2:  # the renewal runs on some nights only
                        tasks.refresh_statuses()
                        assert read(day) == derived(day)
        with today_is(day):
            expected = {s: 0 for s in STATUSES}
            for status in derived(day).values():
                expected[status] += 1
            assert directory_counts(day) == expected
        transaction.set_rollback(True)


@pytest.mark.parametrize("stored", [False, True])
def test_the_api_and_the_dashboard_agree_with_the_periods(union: Union, client, stored):
    with today_is(START):
        make_chamber(slug="obs", status=MembershipStatus.OBSERVER, since=START)
        if stored:
            services.current_statuses_refresh()
        body = client.get("/api/v1/chambers/?limit=100").json()
        statuses = {row["slug"]: row["status"] for row in body["results"]}
        expected = derived(START)
        assert statuses == {c.slug: expected[c.pk] for c in Chamber.objects.all()}
        assert client.get("/").status_code == 200
