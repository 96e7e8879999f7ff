"""The register's order read from one stored column (``Decision.dated_at``), kept by the saves
of decisions and meetings, and always the order of the day each decision is dated by: its
meeting's start, else its adoption, undated ones first."""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings import services
from meetings.models import Decision, Meeting
from tests.factories import SYSTEM
from tests.scenes import Union, make_decision, make_meeting, make_written


def derived() -> dict[int, dt.datetime | None]:
    """Each decision's instant as the meetings and adoptions say it (not the stored column)."""
    starts = Meeting.objects.filter(pk=OuterRef("meeting_id")).values("starts_at")[:1]
    return dict(
        Decision.objects.annotate(d=Coalesce(Subquery(starts), "adopted_at")).values_list("pk", "d")
    )


def expected_order() -> list[int]:
    dated = derived()
    rows = Decision.objects.values_list("pk", "year", "number")

    def key(row: tuple[int, int | None, int]) -> tuple[float, ...]:
        pk, year, number = row
        when = dated[pk]
        return (
            0 if when is None else 1,
            -when.timestamp() if when else 0,
            -year if year is not None else -math.inf,
            number,
            -pk,
        )

    return [row[0] for row in sorted(rows, key=key)]


def register(client) -> list[int]:
    """The order the API lists the decisions in (the register's and the admin's: one
    ``Meta.ordering``)."""
    body = client.get("/api/v1/decisions/?limit=200").json()
    return [row["id"] for row in body["results"]]


step = st.one_of(
    st.tuples(st.just("at"), st.integers(0, 2)),  # a decision of meeting k
    st.tuples(st.just("between"), st.just(0)),  # a draft between sessions
    st.tuples(st.just("move"), st.integers(0, 2), st.integers(-40, 40)),  # meeting k, days
    st.tuples(st.just("adopt"), st.just(0)),  # the oldest open draft adopted by silence
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=1, max_size=7))
def test_any_decisions_and_moves_keep_the_register_in_the_order_of_their_days(union: Union, steps):
    client = union.client("staff")
    with transaction.atomic():
        meetings = [make_meeting(days_from_now=10 * (k + 1), invite=False) for k in range(3)]
        for step in steps:
            if step[0] == "at":
                make_decision(meetings[step[1]], method="consensus")
            elif step[0] == "between":
                make_written(mode="silence", title=f"Between {len(derived())}")
            elif step[0] == "move":
                meeting = Meeting.objects.get(pk=meetings[step[1]].pk)
                delta = dt.timedelta(days=step[2])
                services.meeting_update(
                    actor=SYSTEM,
                    meeting=meeting,
                    data={
                        "starts_at": meeting.starts_at + delta,
                        "ends_at": meeting.ends_at + delta,
                    },
                )
            else:
                drafts = Decision.objects.filter(meeting=None, adopted_at=None)
                draft = drafts.order_by("pk").first()
                if draft is not None:
                    closes = draft.procedures.get().closes_at
                    services.procedure_close(
                        actor=None, decision=draft, now=closes + dt.timedelta(seconds=1)
                    )
            stored = dict(Decision.objects.values_list("pk", "dated_at"))
            assert stored == derived()
            assert register(client) == expected_order()
        transaction.set_rollback(True)


def test_a_decision_adopted_between_sessions_is_dated_by_its_adoption(union: Union):
    draft = make_written(mode="silence")
    assert Decision.objects.get(pk=draft.pk).dated_at is None  # undated: listed first
    closes = draft.procedures.get().closes_at
    services.procedure_close(actor=None, decision=draft, now=closes + dt.timedelta(seconds=1))
    draft.refresh_from_db()
    assert draft.adopted_at is not None and draft.dated_at == draft.adopted_at
    assert draft.adopted_at <= timezone.now() + dt.timedelta(days=31)
