"""A meeting's agenda: items added at the end, edited, reordered and removed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import l10n
from core.access import Access, require_staff
from core.errors import DomainError
from core.events import emit
from core.services import model_update, validated_save
from core.translated import codes, column, expand

from ..events import AgendaChanged, ProcedureClosed
from ..models import (
    GENERAL_ASSEMBLY_KINDS,
    AgendaItem,
    Invitation,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Procedure,
    ProcedureState,
)

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


#: The ``source`` of the agenda item listing the decisions taken by written procedure.
PROCEDURES_SOURCE = "procedures"


def previous_session(meeting: Meeting) -> Meeting | None:
    """The General Assembly session before ``meeting`` (held, or at least not cancelled)."""
    return (
        Meeting.objects.filter(kind__in=GENERAL_ASSEMBLY_KINDS, starts_at__lt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def procedures_since_last_session(meeting: Meeting) -> list[Procedure]:
    """The procedures closed between the previous General Assembly session and ``meeting``
    (adopted or not: the Assembly takes note of both), in the order they closed."""
    since = previous_session(meeting)
    closed = Procedure.objects.filter(
        state=ProcedureState.CLOSED, closed_at__lt=meeting.starts_at
    ).select_related("decision", "decision__meeting")
    if since is not None:
        closed = closed.filter(closed_at__gte=since.starts_at)
    return list(closed.order_by("closed_at", "pk"))


def _procedures_item_texts(procedures: list[Procedure]) -> dict[str, str]:
    """The item's title and description in every working language (its columns)."""
    texts: dict[str, str] = {}
    for code in codes():
        with translation.override(code):
            texts[column("title", code)] = _(
                "Decisions taken by written procedure since the last session"
            )
            lines = []
            for procedure in procedures:
                decision = procedure.decision
                verdict = _("adopted") if procedure.adopted else _("not adopted")
                closed_on = l10n.format_date(timezone.localdate(procedure.closed_at))
                title = getattr(decision, column("title", code)) or decision.title
                lines.append(
                    f"- {decision.reference}: {title} ({procedure.get_mode_display()}, "
                    f"{verdict}, {closed_on})"
                )
            texts[column("description", code)] = "\n".join(lines)
    return texts


@transaction.atomic
def procedures_agenda_sync(meeting: Meeting) -> AgendaItem | None:
    """Keep the item "Decisions taken by written procedure since the last session" on a
    planned General Assembly's agenda: added at the end when there are such decisions, its
    list brought up to date when another closes. Run when the session is created and after
    each close (for the next session); takes the meeting's row (docs/locking.md)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_general_assembly or meeting.status != MeetingStatus.PLANNED:
        return None
    procedures = procedures_since_last_session(meeting)
    item = meeting.agenda.filter(source=PROCEDURES_SOURCE).first()
    if not procedures and item is None:
        return None
    texts = _procedures_item_texts(procedures)
    if item is None:
        last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem(meeting=meeting, position=last + 1, source=PROCEDURES_SOURCE, **texts)
        item.save()
    elif all(getattr(item, name) == value for name, value in texts.items()):
        return item
    else:
        for name, value in texts.items():
            setattr(item, name, value)
        item.save(update_fields=list(texts))
    emit(AgendaChanged(meeting=meeting))
    return item


def next_session() -> Meeting | None:
    """The next planned General Assembly session still ahead."""
    return (
        Meeting.objects.filter(
            kind__in=GENERAL_ASSEMBLY_KINDS,
            status=MeetingStatus.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )


def procedure_closed_agenda(event: ProcedureClosed) -> None:
    """After a procedure closes (committed): the next session's agenda lists it."""
    if event.procedure.state != ProcedureState.CLOSED:
        return
    if (meeting := next_session()) is not None:
        procedures_agenda_sync(meeting)
