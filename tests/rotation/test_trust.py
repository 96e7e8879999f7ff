"""Issue 15: the forecast follows from the data alone, whatever today is; the troika's previous
chair is the term just before the current one; a swap of an approved term says so; a very long
order never passes the last date (the bounds of the rotation, 1900 to 2200)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from core.errors import DomainError
from rotation import forecast as engine
from rotation import selectors, services
from rotation.models import Rotation, Term, TermState
from tests.factories import SYSTEM, make_chamber
from tests.scenes import approve_term, bulk_chambers, set_order

D = dt.date


def chairs_from(result: services.Forecast) -> dict[dt.date, int | None]:
    return {t.start: t.chamber_id for t in [*result.past, *result.terms]}


# A half-year term that ended without a recorded approval (the case) -----------------


@pytest.fixture
def half_years(db):
    """Six-month terms; the order A, B, C, D; A's term of the first half of 2025 is approved,
    nothing after it."""
    chambers = [make_chamber(slug=s, short_name=s.upper(), country=c) for s, c in
                (("a", "AZ"), ("b", "KZ"), ("c", "KG"), ("d", "TR"))]  # fmt: skip
    set_order(chambers)
    services.rotation_settings_update(
        actor=SYSTEM, rotation=Rotation.current(), data={"term_months": 6}
    )
    services.term_approve(
        actor=SYSTEM, chamber=chambers[0], start=D(2025, 1, 1), end=D(2025, 6, 30)
    )
    return {c.slug: c.pk for c in chambers}


def test_an_unrecorded_past_term_keeps_its_chamber_and_nothing_shifts(half_years):
    ids = half_years
    in_time = services.rotation_forecast(count=4, today=D(2025, 8, 1))  # B's term, current
    late = services.rotation_forecast(count=3, today=D(2026, 3, 1))  # a term later
    assert [t.chamber_id for t in in_time.terms] == [ids["b"], ids["c"], ids["d"], ids["a"]]
    # Seen a term later, B's term passed without an approval: C chairs now, as forecast.
    assert [t.chamber_id for t in late.terms] == [ids["c"], ids["d"], ids["a"]]
    assert [(t.start, t.chamber_id, t.unrecorded) for t in late.unrecorded] == [
        (D(2025, 7, 1), ids["b"], True)
    ]
    assert not late.terms[0].unrecorded


def test_the_api_and_the_page_show_the_unrecorded_term(half_years, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 3, 1))
    staff = get_user_model().objects.create_user("sec", is_staff=True)
    api = APIClient()
    api.force_login(staff)
    body = api.get("/api/v1/rotation/forecast/?years=1").json()
    assert [(t["start"], t["chamber"], t["state"], t["unrecorded"]) for t in body] == [
        ("2025-07-01", "b", "not_recorded", True),
        ("2026-01-01", "c", "forecast", False),
        ("2026-07-01", "d", "forecast", False),
    ]
    troika = APIClient().get("/api/v1/rotation/current/").json()
    assert troika["previous"]["chamber"] == "b" and troika["previous"]["state"] == "not_recorded"
    assert troika["current"]["chamber"] == "c" and troika["current"]["state"] == "forecast"
    client = Client()
    client.force_login(staff)
    page = client.get("/rotation/").content.decode()
    assert 'class="timeline-term timeline-unrecorded" id="timeline-2025-07-01"' in page
    assert 'class="timeline-term timeline-past" id="timeline-2025-01-01"' in page
    assert "Not recorded" in page


# Property: the forecast is the same whatever today is -----------------------------------------


@pytest.fixture
def five(db):
    """Five members (1 to 5 in the order) and an observer (place 3 of 6)."""
    chambers = [make_chamber(slug=f"c{i}", short_name=f"C{i}", country=c)
                for i, c in enumerate(["AZ", "KZ", "KG", "TR", "UZ"], 1)]  # fmt: skip
    watcher = make_chamber(slug="obs", short_name="OBS", country="HU", status="observer")
    set_order([*chambers[:2], watcher, *chambers[2:]])
    return chambers


recorded_years = st.dictionaries(
    st.integers(2015, 2035),
    st.tuples(st.integers(0, 4), st.sampled_from(["approved", "approved", "waived"])),
    min_size=1,
    max_size=8,
)


def _record(chambers, records) -> None:
    rotation = Rotation.current()
    Term.objects.bulk_create(
        Term(rotation=rotation, chamber=chambers[i], in_place_of=chambers[i], state=state,
             start=D(year, 1, 1), end=D(year, 12, 31))
        for year, (i, state) in records.items()
    )  # fmt: skip


def _first_approved(records) -> int | None:
    return min((y for y, (_i, state) in records.items() if state == "approved"), default=None)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=recorded_years, days=st.lists(st.integers(0, 25 * 366), min_size=2, max_size=2))
def test_the_forecast_is_the_same_whatever_today_is(five, records, days):
    """Any two days from the first approved term on: every period both forecasts cover has the
    same chamber, approved or not."""
    first = _first_approved(records)
    if first is None:
        return
    with transaction.atomic():
        _record(five, records)
        a, b = (D(first, 1, 1) + dt.timedelta(days=n) for n in days)
        seen_a = chairs_from(services.rotation_forecast(count=12, today=a))
        seen_b = chairs_from(services.rotation_forecast(count=12, today=b))
        common = seen_a.keys() & seen_b.keys()
        assert common
        assert {s: seen_a[s] for s in common} == {s: seen_b[s] for s in common}
        transaction.set_rollback(True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=recorded_years, day=st.integers(0, 25 * 366))
def test_the_previous_chair_is_the_term_just_before(five, records, day):
    """The troika's previous term ends the day before the current one starts; it is the chamber
    the forecast gave that period when it was current; it is approved exactly when an approved
    term is recorded for it, else it says it was not recorded."""
    first = _first_approved(records)
    if first is None:
        return
    with transaction.atomic():
        _record(five, records)
        today = D(first + 1, 1, 1) + dt.timedelta(days=day)  # after the first approved term
        troika = selectors.troika(today=today)
        previous, current = troika["previous"], troika["current"]
        assert previous is not None and current is not None
        assert previous["end"] == current["start"] - dt.timedelta(days=1)
        then = services.rotation_forecast(count=1, today=previous["start"]).terms[0]
        chamber = previous["chamber_obj"]  # None: no member could chair (before 2019)
        assert (chamber.pk if chamber else None) == then.chamber_id
        held = Term.objects.filter(start=previous["start"], state=TermState.APPROVED).first()
        assert previous["approved"] == (held is not None)
        assert previous["state"] == ("approved" if held else "not_recorded")
        transaction.set_rollback(True)


def test_the_previous_chair_of_the_demo_is_the_approved_term_before(db, monkeypatch):
    """The demo seen from 2028: 2027 passed without an approval, so the previous chair is the
    chamber forecast for 2027, not Kazakhstan's approved 2026 term two years back."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("load_demo")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2028, 6, 1))
    troika = APIClient().get("/api/v1/rotation/current/").json()
    assert (troika["previous"]["start"], troika["previous"]["chamber"]) == (
        "2027-01-01",
        "kyrgyzstan-cci",
    )
    assert troika["previous"]["state"] == "not_recorded"
    assert troika["current"]["chamber"] == "tobb"  # 2028, as forecast in 2026


# A swap of an approved term -------------------------------------------------------------------


def test_swapping_an_approved_term_says_it_is_approved(five):
    approve_term(five[0], 2027)
    with pytest.raises(DomainError, match="already approved") as err:
        services.turns_swap(
            actor=SYSTEM,
            chamber_a=five[0],
            chamber_b=five[1],
            start_a=D(2027, 1, 1),
            start_b=D(2028, 1, 1),
        )
    assert err.value.field == "start_a"


# A very long order ----------------------------------------------------------------------------


def test_the_engine_never_passes_the_last_date_with_a_long_order():
    order = list(range(1, 12_001))
    terms = engine.forecast(
        order=order,
        first_start=D(2026, 1, 1),
        count=20,
        next_start=lambda start: start.replace(year=start.year + 1),
        fixed=[engine.FixedTerm(D(2026, 1, 1), D(2026, 12, 31), 5, turn_of=5, approved=True)],
        status_on=lambda chamber_id, day: "member",
        waived=set(),
        last_turn_of=None,
    )
    assert [t.chamber_id for t in terms[:3]] == [5, 6, 7]
    # Near the bound the forecast stops at the last start instead of raising.
    near = engine.forecast(
        order=order,
        first_start=D(2195, 1, 1),
        count=20,
        next_start=lambda start: start.replace(year=start.year + 1),
        fixed=[engine.FixedTerm(D(2198, 1, 1), D(2198, 12, 31), 9, turn_of=9, approved=True)],
        status_on=lambda chamber_id, day: "member",
        waived=set(),
        last_turn_of=None,
    )
    assert near[-1].start == D(2200, 1, 1) and len(near) == 6


def test_twelve_thousand_chambers_answer_and_the_scan_runs(db):
    from reminders.due import occurrences
    from reminders.models import ReminderRule

    chambers, _contacts = bulk_chambers(12_000)
    set_order(chambers)
    approve_term(chambers[0], 2026)
    ReminderRule.objects.all().delete()
    ReminderRule.objects.create(kind="approval_due", offset_days=30)
    staff = get_user_model().objects.create_user("sec", is_staff=True)
    api = APIClient()
    api.force_login(staff)
    for path in ("/api/v1/rotation/current/", "/api/v1/rotation/forecast/?years=3"):
        assert api.get(path).status_code == 200, path
    client = Client()
    client.force_login(staff)
    assert client.get("/rotation/").status_code == 200
    found = occurrences(today=D(2026, 12, 15))
    assert found.failed == []
    assert [d.kind for d in found] == ["approval_due"]
