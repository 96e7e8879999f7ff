"""Priorities of cooperation and their action items, with the responsible chambers' reports."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Access, require_staff
from core.errors import DomainError, ForbiddenError
from core.services import model_update, require_known_fields, validated_save
from core.translated import expand

from ..models import ActionItem, Decision, Priority, ProgressNote

#: A priority's wording and period; its status follows decisions, not edits.
PRIORITY_FIELDS = expand(
    ("title", "description", "period_start", "period_end"), ("title", "description")
)
#: What staff and the responsible chamber's editors may change on an action item.
ACTION_ITEM_STAFF_FIELDS = expand(("status", "progress", "due", "title"), ("title",))
ACTION_ITEM_EDITOR_FIELDS = ("status", "progress")


@transaction.atomic
def priority_create(*, actor: Access, data: dict[str, Any]) -> Priority:
    require_staff(actor)
    priority = Priority(**data)
    validated_save(priority, actor)
    return priority


@transaction.atomic
def priority_update(*, actor: Access, priority: Priority, data: dict[str, Any]) -> Priority:
    """Edit a priority's wording and period; its status follows decisions, not edits."""
    require_staff(actor)
    known = {name: value for name, value in data.items() if name in PRIORITY_FIELDS}
    model_update(instance=priority, fields=PRIORITY_FIELDS, data=known, actor=actor)
    return priority


@transaction.atomic
def priority_close(*, actor: Access, priority: Priority, status: str) -> Priority:
    """An active priority is completed or dropped (staff record what the union concluded)."""
    require_staff(actor)
    if status not in (Priority.Status.COMPLETED, Priority.Status.DROPPED):
        raise DomainError(_("A priority is closed as completed or dropped."), field="status")
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    if priority.status != Priority.Status.ACTIVE:
        raise DomainError(_("Only an active priority can be closed."), field="status")
    model_update(instance=priority, fields=("status",), data={"status": status}, actor=actor)
    return priority


@transaction.atomic
def priorities_activate(*, actor: Access, decision: Decision, priority_ids: list[int]) -> None:
    """A priorities decision makes its (proposed) priorities active and records itself."""
    priorities = list(Priority.objects.select_for_update().filter(pk__in=priority_ids))
    if len(priorities) != len(set(priority_ids)):
        raise DomainError(_("A priority of this decision does not exist."), field="effects")
    for priority in priorities:
        if priority.status != Priority.Status.PROPOSED:
            raise DomainError(
                _("%(title)s is not a proposed priority.") % {"title": priority.title},
                field="effects",
            )
        model_update(
            instance=priority,
            fields=("status", "decision"),
            data={"status": Priority.Status.ACTIVE, "decision": decision},
            actor=actor,
        )


@transaction.atomic
def action_item_create(*, actor: Access, priority: Priority, data: dict[str, Any]) -> ActionItem:
    require_staff(actor)
    item = ActionItem(priority=priority, **data)
    validated_save(item, actor)
    return item


@transaction.atomic
def action_item_update(
    *, actor: Access, item: ActionItem, data: dict[str, Any], note: str = ""
) -> ActionItem:
    """The responsible chamber's editors (or staff) report status, progress and a dated note."""
    if not actor.can_edit_chamber(item.responsible_id):
        raise ForbiddenError(_("Only the responsible chamber's editors may update this item."))
    allowed = ACTION_ITEM_STAFF_FIELDS if actor.is_staff else ACTION_ITEM_EDITOR_FIELDS
    require_known_fields(data, allowed, error=ForbiddenError)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    changes = dict(data)
    if changes.get("status", item.status) == ActionItem.Status.DONE and "progress" not in data:
        changes["progress"] = 100
    model_update(instance=item, fields=ACTION_ITEM_STAFF_FIELDS, data=changes, actor=actor)
    if note:
        validated_save(
            ProgressNote(
                action_item=item,
                date=timezone.localdate(),
                text=note,
                progress=item.progress,
                author=actor.person,
                author_label=actor.label,
            ),
            actor,
        )
    return item
