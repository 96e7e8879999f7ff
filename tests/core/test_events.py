"""Domain events: in-transaction subscribers commit or roll back with the change; after-commit
subscribers run only once it has committed; every webhook event is a domain event that the
webhooks app subscribes to."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

import pytest
from django.db import transaction

from chambers.events import MembershipChanged
from core.events import Event, EventBus, Phase, bus
from indicators.events import IndicatorRevised
from meetings.events import (
    DecisionAdopted,
    MeetingCreated,
    MeetingUpdated,
    ProcedureClosed,
    ProcedureOpened,
)
from rotation.events import TermApproved
from webhooks import events as webhook_events
from webhooks.models import EventType


@dataclass(frozen=True)
class Happened(Event):
    name: ClassVar[str] = "test.happened"
    value: int


def test_in_transaction_subscribers_run_at_once_and_after_commit_ones_on_commit(
    db, django_capture_on_commit_callbacks
):
    local = EventBus()
    seen: list[tuple[str, int]] = []
    local.subscribe(Happened, lambda e: seen.append(("now", e.value)), phase=Phase.IN_TRANSACTION)
    local.subscribe(Happened, lambda e: seen.append(("later", e.value)), phase=Phase.AFTER_COMMIT)
    with django_capture_on_commit_callbacks(execute=True):
        local.emit(Happened(value=1))
        assert seen == [("now", 1)]
    assert seen == [("now", 1), ("later", 1)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_tells_nobody_after_commit():
    local = EventBus()
    seen: list[int] = []
    local.subscribe(Happened, lambda e: seen.append(e.value), phase=Phase.AFTER_COMMIT)
    with pytest.raises(RuntimeError), transaction.atomic():
        local.emit(Happened(value=2))
        raise RuntimeError("the service refused")
    assert seen == []


def test_a_failing_in_transaction_subscriber_refuses_the_change():
    local = EventBus()

    def refuse(event: Happened) -> None:
        raise ValueError("no")

    local.subscribe(Happened, refuse, phase=Phase.IN_TRANSACTION)
    with pytest.raises(ValueError):
        local.emit(Happened(value=3))


def test_a_failing_after_commit_subscriber_is_logged_and_the_others_still_run(
    db, django_capture_on_commit_callbacks, caplog
):
    local = EventBus()
    seen: list[int] = []

    def broken(event: Happened) -> None:
        raise ValueError("receiver down")

    local.subscribe(Happened, broken, phase=Phase.AFTER_COMMIT)
    local.subscribe(Happened, lambda e: seen.append(e.value), phase=Phase.AFTER_COMMIT)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        local.emit(Happened(value=4))
    assert seen == [4]
    assert "test.happened" in caplog.text


def test_subscribing_twice_calls_once():
    local = EventBus()
    seen: list[int] = []

    def handler(event: Happened) -> None:
        seen.append(event.value)

    local.subscribe(Happened, handler, phase=Phase.IN_TRANSACTION)
    local.subscribe(Happened, handler, phase=Phase.IN_TRANSACTION)
    local.emit(Happened(value=5))
    assert seen == [5]


DOMAIN_EVENTS = [
    MembershipChanged,
    MeetingCreated,
    MeetingUpdated,
    DecisionAdopted,
    TermApproved,
    ProcedureOpened,
    ProcedureClosed,
    IndicatorRevised,
]


def test_every_webhook_event_is_a_domain_event_the_webhooks_app_records_in_the_transaction():
    assert {event.name for event in DOMAIN_EVENTS} == set(EventType.values)
    recorders = {
        webhook_events.meeting_saved,
        webhook_events.decision_adopted,
        webhook_events.term_approved,
        webhook_events.membership_changed,
        webhook_events.procedure_event,
        webhook_events.indicator_revised,
    }
    for event in DOMAIN_EVENTS:
        subscribed = [h for h, phase in bus.subscribers(event) if phase is Phase.IN_TRANSACTION]
        assert set(subscribed) & recorders, f"no webhook recorder for {event.name}"
