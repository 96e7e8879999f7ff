"""The forecast kept per process by the rotation's revision (``services.rotation_forecast``):
read again it costs two queries, and every write it depends on (each rotation service and a
change of membership) gives the next read the new forecast, while a write that rolled back or
a read inside a transaction never leaves a forecast that differs from the data.

Transactional tests: the forecast is kept only outside a transaction, so these commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chambers import services as chamber_services
from rotation import services
from rotation.models import Rotation
from tests.factories import SYSTEM, make_chamber

D = dt.date
TODAY = D(2026, 6, 1)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def union():
    services._kept.clear()
    chambers = {
        slug: make_chamber(slug=slug, short_name=slug.upper(), country=slug.upper())
        for slug in ("az", "kz", "kg", "tr")
    }
    services.order_set(actor=SYSTEM, kind="alphabetical", chambers=list(chambers.values()))
    services.term_approve(
        actor=SYSTEM, chamber=chambers["kz"], start=D(2025, 1, 1), end=D(2025, 12, 31)
    )  # past (for the real today too), so that the settings may change
    return chambers


def chairs(count: int = 5) -> list[str | None]:
    return [slug for slug, _start in terms(count)]


def terms(count: int = 5) -> list[tuple[str | None, dt.date]]:
    result = services.rotation_forecast(count=count, today=TODAY)
    return [
        (result.chambers[t.chamber_id].slug if t.chamber_id else None, t.start)
        for t in result.terms
    ]


def computed(count: int = 5) -> list[tuple[str | None, dt.date]]:
    """The forecast as the data give it now: inside a transaction nothing kept is used."""
    with transaction.atomic():
        return terms(count)


def test_read_again_the_forecast_costs_two_queries(union):
    with CaptureQueriesContext(connection) as first:
        assert chairs() == ["kg", "tr", "az", "kz", "kg"]
    with CaptureQueriesContext(connection) as again:
        assert chairs() == ["kg", "tr", "az", "kz", "kg"]
    assert len(first) > 4
    assert len(again) == 2  # the rotation's row and the chambers named
    with CaptureQueriesContext(connection) as other:
        chairs(count=3)  # another count, another day: computed
    assert len(other) == len(first)


WRITES = {
    "term approved": lambda c: services.term_approve(
        actor=SYSTEM, chamber=c["az"], start=D(2027, 1, 1), end=D(2027, 12, 31)
    ),
    "turn waived": lambda c: services.term_waive(
        actor=SYSTEM, chamber=c["tr"], start=D(2027, 1, 1)
    ),
    "turns swapped": lambda c: services.turns_swap(
        actor=SYSTEM,
        chamber_a=c["tr"],
        chamber_b=c["az"],
        start_a=D(2027, 1, 1),
        start_b=D(2028, 1, 1),
    ),
    "order set": lambda c: services.order_set(
        actor=SYSTEM, kind="agreed", chambers=[c["kz"], c["tr"], c["kg"], c["az"]]
    ),
    "settings changed": lambda c: services.rotation_settings_update(
        actor=SYSTEM, rotation=Rotation.current(), data={"term_months": 24, "anchor_year": 2026}
    ),
    "membership changed": lambda c: chamber_services.membership_change_status(
        actor=SYSTEM, chamber=c["kg"], status="suspended", effective=D(2026, 12, 1)
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_the_forecast_depends_on_gives_the_new_forecast(union, write):
    before = terms()
    terms()  # kept
    revision = Rotation.current().revision
    write(union)
    assert Rotation.current().revision != revision
    assert terms() == computed()
    assert terms() != before


def test_a_write_rolled_back_leaves_the_forecast_of_the_data(union):
    before = terms()
    with pytest.raises(RuntimeError), transaction.atomic():
        WRITES["term approved"](union)
        assert chairs()[1] == "az"  # its own write, not the kept forecast
        raise RuntimeError
    assert terms() == computed() == before
    WRITES["membership changed"](union)  # a later write: a new revision, never the lost one
    assert terms() == computed()
    assert chairs() == ["kg", "tr", "az", "kz", "tr"]  # kg suspended from 2026-12-01
