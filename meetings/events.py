"""Events the meetings app emits (see :mod:`core.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import Event

from .models import Decision, Meeting


@dataclass(frozen=True)
class MeetingCreated(Event):
    name: ClassVar[str] = "meeting.created"
    meeting: Meeting


@dataclass(frozen=True)
class MeetingUpdated(Event):
    name: ClassVar[str] = "meeting.updated"
    meeting: Meeting


@dataclass(frozen=True)
class DecisionAdopted(Event):
    """A decision is adopted and its effects applied (in the same transaction)."""

    name: ClassVar[str] = "decision.adopted"
    decision: Decision
