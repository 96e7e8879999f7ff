"""A meeting's agenda: items added at the end, edited, reordered and removed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.access import Access, require_staff
from core.errors import DomainError
from core.events import emit
from core.services import model_update, validated_save
from core.translated import expand

from ..events import AgendaChanged
from ..models import AgendaItem, Invitation, Meeting, MeetingDocument

#: What the secretariat writes on an agenda item (its position is the service's).
AGENDA_ITEM_FIELDS = ("title", "description", "presenter", "priority")
AGENDA_ITEM_TRANSLATED = ("title", "description")
#: What the service accepts: the same, and the texts by language (``title_kk``).
AGENDA_ITEM_WRITABLE = expand(AGENDA_ITEM_FIELDS, AGENDA_ITEM_TRANSLATED)


@transaction.atomic
def agenda_item_add(*, actor: Access, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # one numbering writer at a time
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, **data)
    validated_save(item, actor)
    emit(AgendaChanged(meeting=meeting))
    return item


@transaction.atomic
def agenda_item_update(*, actor: Access, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    require_staff(actor)
    known = {name: value for name, value in data.items() if name in AGENDA_ITEM_WRITABLE}
    if model_update(instance=item, fields=AGENDA_ITEM_WRITABLE, data=known, actor=actor):
        emit(AgendaChanged(meeting=item.meeting))
    return item


@transaction.atomic
def meeting_part_remove(*, actor: Access, part: AgendaItem | Invitation | MeetingDocument) -> None:
    """Remove an agenda item, an invitation or a document (staff). A document's file goes too,
    after commit, so a rolled-back removal keeps it."""
    require_staff(actor)
    if isinstance(part, MeetingDocument):
        storage, name = part.file.storage, part.file.name
        transaction.on_commit(lambda: storage.delete(name), robust=True)
    meeting = part.meeting
    part.delete()
    if isinstance(part, AgendaItem):
        emit(AgendaChanged(meeting=meeting))


@transaction.atomic
def agenda_reorder(*, actor: Access, meeting: Meeting, item_ids: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order (all of its items, each once)."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    items = {item.pk: item for item in meeting.agenda.all()}
    if sorted(item_ids) != sorted(items):
        raise DomainError(_("Give every item of the agenda exactly once."), field="order")
    # Step aside first: positions are unique per meeting and checked row by row.
    offset = len(items) + 1000
    for item in items.values():
        item.position += offset
        item.save(update_fields=["position"])
    for position, pk in enumerate(item_ids, start=1):
        items[pk].position = position
        items[pk].save(update_fields=["position"])
    emit(AgendaChanged(meeting=meeting))
    return [items[pk] for pk in item_ids]
