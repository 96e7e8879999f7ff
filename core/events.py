"""Domain events: what a service made true, told to whoever subscribed, so that a lower app
never imports the apps that react to it (``chambers`` knows nothing of webhooks).

An event is a frozen dataclass with a ``name`` (``"membership.changed"``), defined by the app
that emits it. A service emits it inside its transaction, after the change. Subscribers say
when they run:

``IN_TRANSACTION``
    at once, inside the emitting transaction: for rows that must commit or roll back with the
    change (a webhook's delivery rows, an audit entry). An error here undoes the change.
``AFTER_COMMIT``
    once the transaction has committed (never if it rolls back): for asking for work outside
    the database (a reminder scan). Errors are logged, the change stands.

Subscriptions are made in the subscribing app's ``AppConfig.ready``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


class Phase(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True)
class Event:
    """Base of every domain event. Subclasses set ``name`` (the public name: webhooks use it)."""

    name: ClassVar[str] = ""


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]


class EventBus:
    """Subscribers per event class, in the order they subscribed."""

    def __init__(self) -> None:
        self._subscribers: dict[type[Event], list[tuple[Handler, Phase]]] = {}

    def subscribe(self, event_type: type[E], handler: Callable[[E], None], *, phase: Phase) -> None:
        """Call ``handler(event)`` for every ``event_type`` emitted (once per handler: a
        repeated subscription, e.g. a second ``ready()`` in tests, is ignored)."""
        handlers = self._subscribers.setdefault(event_type, [])
        if (handler, phase) not in handlers:
            handlers.append((handler, phase))

    def unsubscribe(self, event_type: type[Event], handler: Handler) -> None:
        self._subscribers[event_type] = [
            (h, p) for h, p in self._subscribers.get(event_type, []) if h is not handler
        ]

    def subscribers(self, event_type: type[Event]) -> list[tuple[Handler, Phase]]:
        return list(self._subscribers.get(event_type, []))

    def emit(self, event: Event) -> None:
        """Tell the subscribers of ``event``'s class: in-transaction ones now, the others after
        commit."""
        for handler, phase in self.subscribers(type(event)):
            if phase is Phase.IN_TRANSACTION:
                handler(event)
            else:
                transaction.on_commit(_logged(handler, event), robust=True)


def _logged(handler: Handler, event: Event) -> Callable[[], None]:
    def run() -> None:
        try:
            handler(event)
        except Exception:  # the change is committed; a reaction that fails must not hide it
            logger.exception("Handler %r of %s failed after commit.", handler, event.name)

    return run


#: The project's one bus.
bus = EventBus()
subscribe = bus.subscribe
emit = bus.emit
