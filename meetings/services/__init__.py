"""Every write to meetings, invitations, agendas, documents, decisions, votes, priorities and
action items, one module a subject. One transaction each; rules refuse with
:class:`core.errors.DomainError`. The public names are importable from here."""

from .agenda import (
    AGENDA_ITEM_FIELDS,
    agenda_item_add,
    agenda_item_update,
    agenda_reorder,
    meeting_part_remove,
)
from .decisions import (
    DECISION_FIELDS,
    GENERAL_ASSEMBLY_ONLY,
    decision_create,
    decision_publish,
    decision_update,
    lock_open_decision,
    require_general_assembly,
)
from .documents import DOCUMENT_TYPES, document_add, document_check
from .meetings import (
    MEETING_FIELDS,
    attendance_record,
    invitation_respond,
    meeting_create,
    meeting_invite,
    meeting_invite_all,
    meeting_update,
)
from .priorities import (
    action_item_create,
    action_item_update,
    priorities_activate,
    priority_close,
    priority_create,
    priority_update,
)
from .votes import (
    Outcome,
    Tally,
    decision_adopt,
    decision_outcome,
    meeting_voters,
    tally,
    vote_record,
)

__all__ = [
    "AGENDA_ITEM_FIELDS",
    "DECISION_FIELDS",
    "DOCUMENT_TYPES",
    "GENERAL_ASSEMBLY_ONLY",
    "MEETING_FIELDS",
    "Outcome",
    "Tally",
    "action_item_create",
    "action_item_update",
    "agenda_item_add",
    "agenda_item_update",
    "agenda_reorder",
    "attendance_record",
    "decision_adopt",
    "decision_create",
    "decision_outcome",
    "decision_publish",
    "decision_update",
    "document_add",
    "document_check",
    "invitation_respond",
    "lock_open_decision",
    "meeting_create",
    "meeting_invite",
    "meeting_invite_all",
    "meeting_part_remove",
    "meeting_update",
    "meeting_voters",
    "priorities_activate",
    "priority_close",
    "priority_create",
    "priority_update",
    "require_general_assembly",
    "tally",
    "vote_record",
]
