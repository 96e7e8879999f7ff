"""The forecast of a long order reads the periods of the part of the order it walks, a block at
a time, and loads only the chambers it names, with the same result as reading every chamber."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chambers import models
from chambers.models import MembershipPeriod
from rotation import services
from tests.factories import (
    ChamberFactory,
    MembershipPeriodFactory,
    RotationFactory,
    RotationPlaceFactory,
    TermFactory,
    bulk,
    bulk_rows,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2031, 6, 1)


@pytest.fixture
def long_order():
    """1,200 chambers in the order; every seventh an observer, and one suspended in 2033."""
    rotation = RotationFactory()
    chambers = bulk(ChamberFactory, 1200)
    bulk_rows(
        MembershipPeriodFactory,
        (
            {"chamber": c, "status": "observer" if i % 7 == 3 else "member"}
            for i, c in enumerate(chambers)
        ),
    )
    MembershipPeriod.objects.filter(chamber=chambers[12]).update(end=dt.date(2032, 12, 31))
    MembershipPeriodFactory(chamber=chambers[12], status="suspended", start=dt.date(2033, 1, 1))
    bulk_rows(
        RotationPlaceFactory,
        ({"rotation": rotation, "position": i + 1, "chamber": c} for i, c in enumerate(chambers)),
    )
    TermFactory(rotation=rotation, chamber=chambers[0], year=2030)
    return chambers


def eager(monkeypatch) -> None:
    """The forecast with every chamber's periods read at once (the reference)."""
    monkeypatch.setattr(
        services,
        "membership_timeline",
        lambda order, since: MembershipPeriod.objects.timeline(chamber_ids=order, since=since),
    )


def chairs(forecast: services.Forecast) -> list[tuple[int | None, list[tuple[int, str]]]]:
    return [(t.chamber_id, [(s.chamber_id, s.reason) for s in t.skipped]) for t in forecast.terms]


def test_a_long_order_reads_a_block_and_gives_the_same_forecast(long_order, monkeypatch):
    with CaptureQueriesContext(connection) as queries:
        in_blocks = services.rotation_forecast(count=100, today=TODAY)
    periods_read = [q for q in queries if '"chambers_membershipperiod"' in q["sql"]]
    assert len(periods_read) == 1  # 100 terms and their skips lie in the first block
    assert len(in_blocks.chambers) < 150  # the chairs and those passed over, not 1,200
    every = [*in_blocks.past, *in_blocks.terms]
    named = {t.chamber_id for t in every} | {s.chamber_id for t in every for s in t.skipped}
    assert set(in_blocks.chambers) == named
    eager(monkeypatch)
    reference = services.rotation_forecast(count=100, today=TODAY)
    assert chairs(in_blocks) == chairs(reference)
    ids = [c.pk for c in long_order]
    suspended = ids[12]
    assert any((suspended, "suspended") in skips for _, skips in chairs(in_blocks))


def test_a_forecast_past_the_first_block_reads_the_next(long_order, monkeypatch):
    monkeypatch.setattr(models, "TIMELINE_BLOCK", 50)
    with CaptureQueriesContext(connection) as queries:
        in_blocks = services.rotation_forecast(count=100, today=TODAY)
    periods_read = [q for q in queries if '"chambers_membershipperiod"' in q["sql"]]
    assert len(periods_read) == 3  # 101 terms and 15 observers passed over: 117 places
    eager(monkeypatch)
    assert chairs(in_blocks) == chairs(services.rotation_forecast(count=100, today=TODAY))
