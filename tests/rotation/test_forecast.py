"""The forecast engine as a pure function, with property-based tests over random unions."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from rotation import forecast as engine


def yearly(start: dt.date) -> dt.date:
    return start.replace(year=start.year + 1)


def run(order, statuses=None, waived=frozenset(), fixed=(), last=None, count=None, first=2027):
    statuses = statuses or {}

    def status_on(chamber_id: int, day: dt.date) -> str:
        return statuses.get((chamber_id, day.year), statuses.get(chamber_id, "member"))

    return engine.forecast(
        order=order,
        first_start=dt.date(first, 1, 1),
        count=count or 2 * len(order),
        next_start=yearly,
        fixed=list(fixed),
        status_on=status_on,
        waived=set(waived),
        last_turn_of=last,
    )


def test_the_demo_order_skips_the_observer():
    # Azerbaijan 1, Hungary 2 (observer), Kazakhstan 3, Kyrgyzstan 4, Türkiye 5, ...
    terms = run([1, 2, 3, 4, 5, 6, 7], statuses={2: "observer"}, last=3, count=6)
    assert [t.chamber_id for t in terms] == [4, 5, 6, 7, 1, 3]
    assert [(s.chamber_id, s.reason) for s in terms[5].skipped] == [(2, "observer")]
    assert [t.start.year for t in terms] == [2027, 2028, 2029, 2030, 2031, 2032]


def test_waiver_moves_the_turn_and_the_chamber_keeps_its_place():
    terms = run([1, 2, 3], waived={(1, dt.date(2027, 1, 1))}, count=4)
    assert [t.chamber_id for t in terms] == [2, 3, 1, 2]
    assert terms[0].skipped[0].reason == "waived"


def test_fixed_terms_are_kept_and_a_swap_keeps_the_order():
    swap = [
        engine.FixedTerm(dt.date(2027, 1, 1), dt.date(2027, 12, 31), 3, turn_of=1, approved=False),
        engine.FixedTerm(dt.date(2029, 1, 1), dt.date(2029, 12, 31), 1, turn_of=3, approved=False),
    ]
    terms = run([1, 2, 3, 4], fixed=swap, count=5)
    assert [t.chamber_id for t in terms] == [3, 2, 1, 4, 1]
    assert terms[0].proposed and not terms[0].approved


def test_no_eligible_chamber_leaves_the_term_vacant_with_every_reason():
    terms = run([1, 2], statuses={1: "suspended", 2: "former"}, count=1)
    assert terms[0].chamber_id is None
    assert {(s.chamber_id, s.reason) for s in terms[0].skipped} == {(1, "suspended"), (2, "former")}


unions = st.integers(min_value=1, max_value=8).flatmap(
    lambda n: st.tuples(
        st.just(list(range(1, n + 1))),
        st.dictionaries(
            st.integers(1, n), st.sampled_from(["member", "observer", "suspended", "former"])
        ),
        st.one_of(st.none(), st.integers(1, n)),
    )
)


@settings(max_examples=150, deadline=None)
@given(unions)
def test_properties_of_the_forecast(union):
    order, statuses, last = union
    eligible = [c for c in order if statuses.get(c, "member") == "member"]
    terms = run(order, statuses=statuses, last=last, count=3 * len(order))
    # Never an observer, suspended or former chamber.
    assert all(
        t.chamber_id is None or statuses.get(t.chamber_id, "member") == "member" for t in terms
    )
    # Terms never overlap and tile the timeline.
    for before, after in itertools.pairwise(terms):
        assert after.start == before.end + dt.timedelta(days=1)
    # Every eligible member chairs exactly once per cycle (of len(eligible) terms).
    if eligible:
        for cycle in range(3):
            window = terms[cycle * len(eligible) : (cycle + 1) * len(eligible)]
            if len(window) == len(eligible):
                assert sorted(t.chamber_id for t in window) == sorted(eligible)
        # Every skip is explained, and only ineligible chambers are skipped.
        for term in terms:
            for skip in term.skipped:
                assert skip.reason == statuses.get(skip.chamber_id)
    else:
        assert all(t.chamber_id is None for t in terms)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=8).flatmap(
        lambda n: st.tuples(st.just(list(range(1, n + 1))), st.integers(0, 2 * n - 1))
    )
)
def test_a_waiver_moves_the_turn_to_the_next_and_keeps_the_place(case):
    order, index = case
    plain = run(order, count=3 * len(order))  # without the waiver
    waiver = plain[index]
    terms = run(order, waived={(waiver.chamber_id, waiver.start)}, count=3 * len(order))
    assert terms[index].chamber_id == order[(order.index(waiver.chamber_id) + 1) % len(order)]
    assert terms[index].skipped[0].reason == "waived"
    # It keeps its place in the order: every other chamber chairs once, then its turn comes.
    between = terms[index : index + len(order) - 1]
    assert sorted(t.chamber_id for t in between) == sorted(set(order) - {waiver.chamber_id})
    assert terms[index + len(order) - 1].chamber_id == waiver.chamber_id


def test_a_term_approved_out_of_turn_keeps_once_per_cycle():
    """kz (3) chairs 2026, then the General Assembly approves kg (4)... for 2028, out of turn:
    2027 passes kg over (it holds a later term), and the order does not jump."""
    fixed = [
        engine.FixedTerm(dt.date(2028, 1, 1), dt.date(2028, 12, 31), 4, turn_of=4, approved=True)
    ]
    terms = run([1, 3, 4, 5], fixed=fixed, last=3, count=8)
    assert [t.chamber_id for t in terms] == [5, 4, 1, 3, 4, 5, 1, 3]
    assert [(s.chamber_id, s.reason) for s in terms[0].skipped] == [(4, "later")]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=7).flatmap(
        lambda n: st.tuples(
            st.just(list(range(1, n + 1))),
            st.integers(1, n),  # the chamber suspended for a while
            st.integers(2027, 2032),  # suspended from this year
            st.integers(1, 3),  # for this many years
        )
    )
)
def test_a_suspension_moves_the_turn_and_the_chamber_keeps_its_place(case):
    """Statuses that change over time: a chamber suspended for some years is passed over (with
    the reason) while suspended, never chairs then, and after reinstatement chairs again."""
    order, chamber, since, years = case
    statuses = {(chamber, year): "suspended" for year in range(since, since + years)}
    terms = run(order, statuses=statuses, count=(since + years - 2027) + 2 * len(order))
    for term in terms:
        suspended = (chamber, term.start.year) in statuses
        if suspended:
            assert term.chamber_id != chamber
        assert all(
            skip.reason == "suspended" and (skip.chamber_id, term.start.year) in statuses
            for skip in term.skipped
        )
    # Once reinstated, it chairs within one cycle.
    after = [t for t in terms if t.start.year >= since + years]
    assert chamber in [t.chamber_id for t in after[: len(order)]]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([1, 3, 6, 12, 18, 24, 36]),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(1990, 2090),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
)
def test_rotation_periods_tile_time_for_any_settings(months, start_month, start_day, anchor, day):
    """The rotation's own cut of time (not a test helper): every day lies in exactly one term,
    which starts on the set month and day, and the next term starts the day after it ends."""
    from rotation.models import Rotation

    rotation = Rotation(
        term_months=months, start_month=start_month, start_day=start_day, anchor_year=anchor
    )
    start = rotation.slot_start(day)
    assert start <= day <= rotation.slot_end(start)
    assert start.day == start_day
    # Terms start every `months` months counted from the anchor year's start month.
    assert ((start.year * 12 + start.month) - (anchor * 12 + start_month)) % months == 0
    assert rotation.next_start(start) == rotation.slot_end(start) + dt.timedelta(days=1)
    assert rotation.slot_start(rotation.next_start(start)) == rotation.next_start(start)


def test_two_year_terms_can_start_in_odd_years():
    from rotation.models import Rotation

    rotation = Rotation(term_months=24, start_month=1, start_day=1, anchor_year=2025)
    assert rotation.slot_start(dt.date(2026, 7, 1)) == dt.date(2025, 1, 1)
    assert rotation.slot_end(dt.date(2025, 1, 1)) == dt.date(2026, 12, 31)
