"""Events the meetings app emits (see :mod:`core.events`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.events import Event

from .models import Decision, Meeting, MeetingDocument, Procedure


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


@dataclass(frozen=True)
class ChambersInvited(Event):
    """Chambers were invited to a meeting (new invitations only)."""

    name: ClassVar[str] = "meeting.chambers_invited"
    meeting: Meeting
    chamber_ids: tuple[int, ...]


@dataclass(frozen=True)
class DocumentAdded(Event):
    name: ClassVar[str] = "meeting.document_added"
    meeting: Meeting
    document: MeetingDocument


@dataclass(frozen=True)
class AgendaChanged(Event):
    """An agenda item was added, edited, removed, or the agenda reordered."""

    name: ClassVar[str] = "meeting.agenda_changed"
    meeting: Meeting


@dataclass(frozen=True)
class DecisionPublished(Event):
    """A decision's publication changed (``decision.published`` says which way)."""

    name: ClassVar[str] = "decision.published"
    decision: Decision


@dataclass(frozen=True)
class ProcedureOpened(Event):
    """A draft decision was put to written or silence procedure."""

    name: ClassVar[str] = "procedure.opened"
    procedure: Procedure


@dataclass(frozen=True)
class ProcedureClosed(Event):
    """A procedure closed (counted, its effects applied if adopted) or was withdrawn:
    ``procedure.state`` says which."""

    name: ClassVar[str] = "procedure.closed"
    procedure: Procedure
