"""Draft decisions: recorded, numbered per meeting, edited until adopted, published.

Adoption is in :mod:`.votes`, beside the count it rests on."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Access, require_staff
from core.errors import ConflictError, DomainError
from core.events import emit
from core.services import model_update, validated_save
from core.translated import expand

from .. import effects as effect_registry
from ..events import DecisionPublished
from ..models import Decision, DecisionKind, GovernanceRules, Meeting, ProcedureState

#: What the secretariat writes on a draft decision (its number and adoption are the services').
DECISION_FIELDS = ("kind", "title", "text", "method", "published")
DECISION_TRANSLATED = ("title", "text")
#: What the services accept: the same, and the title and text by language (``title_kk``).
DECISION_WRITABLE = expand(DECISION_FIELDS, DECISION_TRANSLATED)
#: Decision kinds that change the union itself: DOMAIN.md reserves them to the General Assembly.
GENERAL_ASSEMBLY_ONLY = frozenset({"membership", "priorities", "rotation"})


def require_general_assembly(kind: str | None, meeting: Meeting | None) -> None:
    """Refuse a membership, priorities or rotation decision outside a General Assembly (the
    services and the admin's form ask this one rule). A decision between sessions (no
    meeting) may be of any kind the governance rules allow by written procedure."""
    if meeting is None:
        if kind:
            require_procedure_allowed(kind)
        return
    if kind in GENERAL_ASSEMBLY_ONLY and not meeting.is_general_assembly:
        raise DomainError(
            _("Only the General Assembly takes membership, priorities and rotation decisions."),
            field="kind",
        )


def require_procedure_allowed(kind: str, rules: GovernanceRules | None = None) -> None:
    """Refuse a kind the governance rules reserve to a session (a draft between sessions, a
    procedure opened on any draft)."""
    if not (rules or GovernanceRules.current()).procedure_allowed(kind):
        raise DomainError(
            _("%(kind)s decisions are reserved to a session: not by written procedure.")
            % {"kind": DecisionKind(kind).label},
            field="kind",
        )


@transaction.atomic
def decision_create(*, actor: Access, meeting: Meeting | None, data: dict[str, Any]) -> Decision:
    """Record a draft decision, numbered next in its meeting, with validated effects. Without
    a meeting it is a draft between sessions (for a written procedure), numbered next in the
    year; the governance rules' row is its numbering lock (docs/locking.md)."""
    require_staff(actor)
    year = None
    numbered: QuerySet[Decision]
    if meeting is None:
        GovernanceRules.current()
        GovernanceRules.objects.select_for_update().get(pk=1)
        year = timezone.localdate().year
        numbered = Decision.objects.filter(meeting__isnull=True, year=year)
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # numbered per meeting
        numbered = meeting.decisions.all()
    require_general_assembly(data.get("kind"), meeting)
    last = numbered.aggregate(last=Max("number"))["last"] or 0
    fields = {name: data[name] for name in DECISION_WRITABLE if name in data}
    decision = Decision(meeting=meeting, year=year, number=last + 1, **fields)
    validated_save(decision, actor, exclude=["effects"])  # the fields first, then the effects
    decision.effects = effect_registry.validate_effects(decision.kind, data.get("effects", []))
    decision.save(update_fields=["effects"])
    return decision


def lock_unadopted(decision: Decision) -> Decision:
    """The decision's row, locked (its meeting read along); 409 if it is adopted (adopted
    decisions never change)."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=decision.pk)
    )
    if decision.is_adopted:
        raise ConflictError(_("This decision is adopted and can no longer change."))
    return decision


def lock_open_decision(decision: Decision) -> Decision:
    """:func:`lock_unadopted`, and 409 too while it is under written procedure (the members
    answer the text as it was put to them)."""
    decision = lock_unadopted(decision)
    if decision.procedures.filter(state=ProcedureState.OPEN).exists():
        raise ConflictError(
            _("This decision is under written procedure: withdraw it first to change it.")
        )
    return decision


@transaction.atomic
def decision_update(*, actor: Access, decision: Decision, data: dict[str, Any]) -> Decision:
    """Edit a draft. Adopted decisions are immutable: a change is a new decision."""
    require_staff(actor)
    if decision.meeting_id is not None:  # the meeting first (docs/locking.md): its start
        Meeting.objects.select_for_update().get(pk=decision.meeting_id)  # dates the decision
    decision = lock_open_decision(decision)
    changes = {name: data[name] for name in DECISION_WRITABLE if name in data}
    require_general_assembly(changes.get("kind", decision.kind), decision.meeting)
    if "effects" in data or "kind" in data:
        changes["effects"] = effect_registry.validate_effects(
            changes.get("kind", decision.kind), data.get("effects", decision.effects)
        )
    model_update(
        instance=decision, fields=(*DECISION_WRITABLE, "effects"), data=changes, actor=actor
    )
    return decision


@transaction.atomic
def decision_publish(*, actor: Access, decision: Decision, published: bool) -> Decision:
    """Publishing is the one change an adopted decision accepts: it does not alter its content."""
    require_staff(actor)
    changed = (
        Decision.objects.filter(pk=decision.pk)
        .exclude(published=published)
        .update(published=published)
    )
    decision.refresh_from_db()
    if changed:
        audit.record(decision, "changed", {"published": [not published, published]}, actor=actor)
        emit(DecisionPublished(decision=decision))
    return decision
