"""Guards: checks that another app's rule imposes on a change it does not make.

The chambers app changes membership; the rotation app knows that a chamber holding a term must
stay a full member. Rather than ``chambers`` importing ``rotation``, the rotation registers a
guard here and the one membership service runs every guard before it writes (the API, the
admin's inline, imports and decision effects all go through that service).

A guard has two parts: ``lock()`` takes the row locks that its check reads, before the
membership service locks the chamber (the order is in ``docs/locking.md``), and
``check(change)`` raises a :class:`~core.errors.DomainError` to refuse the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MembershipChange:
    """A chamber will have ``status`` from ``start`` to ``end`` (inclusive; None: open-ended).
    ``former`` is a status here: the chamber is no longer in the union over that range."""

    chamber_id: int
    chamber_name: str
    status: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Guard:
    name: str
    check: Callable[[MembershipChange], None]
    lock: Callable[[], None] = lambda: None


class GuardRegistry:
    """The guards of one kind of change, run in the order they were registered."""

    def __init__(self) -> None:
        self._guards: dict[str, Guard] = {}

    def register(self, guard: Guard) -> Guard:
        self._guards[guard.name] = guard  # by name: a second ready() replaces, not doubles
        return guard

    def unregister(self, name: str) -> None:
        self._guards.pop(name, None)

    @property
    def guards(self) -> list[Guard]:
        return list(self._guards.values())

    def lock(self) -> None:
        """Take every guard's locks (call before locking the row the change is about)."""
        for guard in self.guards:
            guard.lock()

    def check(self, change: MembershipChange) -> None:
        """Run every guard; the first that refuses raises its :class:`DomainError`."""
        for guard in self.guards:
            guard.check(change)


#: Checks every change of a chamber's membership must pass.
membership_guards = GuardRegistry()
