"""The close of a written procedure, raced on PostgreSQL with real threads: two beats, a
manual close and a late answer all arrive once the deadline has passed, while the first closer
holds its transaction open. Exactly one closes, the effects are applied once, and the late
answer is refused (docs/locking.md: the procedure's row, re-read after the lock). Without the
lock each closer counts an open procedure and applies the effects: these tests fail."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from core.access import SYSTEM
from core.errors import DomainError
from core.events import Phase, bus
from meetings import services
from meetings.events import DecisionAdopted, ProcedureClosed
from meetings.models import Ballot, Priority, Procedure, ProcedureState
from tests.conftest import requires_postgres
from tests.scenes import make_priority

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_one_close_one_application_and_no_late_answer(union):
    priority = make_priority()
    decision = services.decision_create(
        actor=SYSTEM,
        meeting=None,
        data={
            "kind": "priorities",
            "title": "Priorities between sessions",
            "effects": [{"type": "activate_priorities", "priorities": [priority.pk]}],
        },
    )
    procedure = services.procedure_open(
        actor=SYSTEM,
        decision=decision,
        mode="vote",
        closes_at=timezone.now() + dt.timedelta(seconds=1.5),
    )
    for chamber in (union.home, union.other):
        services.ballot_cast(
            actor=SYSTEM,
            decision=decision,
            chamber=chamber,
            answer="for",
            received_on=timezone.localdate(),
        )
    while timezone.now() <= procedure.closes_at:
        time.sleep(0.05)

    closed, adopted = [], []
    inside = threading.Event()

    def hold(event: ProcedureClosed) -> None:
        closed.append(event.procedure.pk)
        inside.set()
        threading.Event().wait(1.0)  # the others reach the lock meanwhile

    outcomes: dict[str, str] = {}

    def run(name: str, call) -> None:
        try:
            result = call()
            outcomes[name] = "did nothing" if result in (None, []) else "closed"
        except DomainError as exc:
            outcomes[name] = f"refused {exc.status_code}"
        except BaseException as exc:
            outcomes[name] = f"error: {exc!r}"
        finally:
            connection.close()

    def keep(event: DecisionAdopted) -> None:
        adopted.append(event.decision.pk)

    bus.subscribe(ProcedureClosed, hold, phase=Phase.IN_TRANSACTION)
    bus.subscribe(DecisionAdopted, keep, phase=Phase.IN_TRANSACTION)
    try:
        first = threading.Thread(target=run, args=("beat 1", services.procedures_close_due))
        first.start()
        assert inside.wait(10), "the first beat never closed"
        others = [
            threading.Thread(target=run, args=("beat 2", services.procedures_close_due)),
            threading.Thread(
                target=run,
                args=(
                    "manual",
                    lambda: services.procedure_close(actor=SYSTEM, decision=decision),
                ),
            ),
            threading.Thread(
                target=run,
                args=(
                    "late answer",
                    lambda: services.ballot_cast(
                        actor=SYSTEM,
                        decision=decision,
                        chamber=union.home,
                        answer="against",
                        received_on=timezone.localdate(),
                    ),
                ),
            ),
        ]
        for thread in others:
            thread.start()
        for thread in (first, *others):
            thread.join(20)
    finally:
        bus.unsubscribe(ProcedureClosed, hold)
        bus.unsubscribe(DecisionAdopted, keep)

    assert outcomes == {
        "beat 1": "closed",
        "beat 2": "did nothing",
        "manual": "refused 409",
        "late answer": "refused 409",
    }, outcomes
    assert closed == [procedure.pk] and adopted == [decision.pk]
    procedure.refresh_from_db()
    priority.refresh_from_db()
    assert procedure.state == ProcedureState.CLOSED and procedure.adopted is True
    assert priority.status == Priority.Status.ACTIVE
    answers = dict(Ballot.objects.filter(procedure=procedure).values_list("chamber_id", "answer"))
    assert answers == {union.home.pk: "for", union.other.pk: "for"}
    assert Procedure.objects.filter(state=ProcedureState.OPEN).count() == 0
