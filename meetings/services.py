"""Every write to meetings, invitations, agendas, documents, decisions, votes, priorities and
action items. One transaction each; rules refuse with :class:`config.errors.DomainError`."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chambers.access import Access, require_staff
from chambers.models import Chamber, Contact, MembershipPeriod, MembershipStatus
from chambers.services import _as_domain_error
from config.errors import ConflictError, DomainError, ForbiddenError

from . import effects as effect_registry
from .models import (
    RSVP,
    ActionItem,
    AgendaItem,
    Decision,
    DecisionMethod,
    GovernanceRules,
    Invitation,
    Majority,
    Meeting,
    MeetingDocument,
    Priority,
    ProgressNote,
    Vote,
    VoteChoice,
)

#: What the secretariat may set on a meeting (the API's and the admin's forms use this list).
MEETING_FIELDS = (
    "kind",
    "session_number",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "venue_city",
    "venue_country",
    "host",
    "status",
    "minutes",
    "minutes_published",
)


def _save(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise _as_domain_error(exc) from exc
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ConflictError(_("Another change got there first; reload and try again.")) from exc


# Meetings -----------------------------------------------------------------------------------


def _set_meeting_fields(meeting: Meeting, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in MEETING_FIELDS:
            raise DomainError(_("Unknown field."), field=name)
        setattr(meeting, name, value)
    # A time given without an offset is the meeting's local time ("10:00 in Astana").
    try:
        local = zoneinfo.ZoneInfo(meeting.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = dt.UTC  # full_clean names the bad time zone
    for name in ("starts_at", "ends_at"):
        value = getattr(meeting, name)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            setattr(meeting, name, timezone.make_aware(value, local))
    if meeting.minutes_published and meeting.minutes_published_on is None:
        meeting.minutes_published_on = timezone.localdate()
    if not meeting.minutes_published:
        meeting.minutes_published_on = None


def chambers_with_status_on(date, statuses) -> list[Chamber]:
    return list(
        Chamber.objects.filter(
            pk__in=MembershipPeriod.objects.covering(date)
            .filter(status__in=statuses)
            .values("chamber")
        )
    )


@transaction.atomic
def meeting_create(*, actor: Access, data: dict[str, Any], invite: bool = True) -> Meeting:
    """Record a meeting; by default every member and observer on its date is invited."""
    require_staff(actor)
    meeting = Meeting()
    _set_meeting_fields(meeting, data)
    _save(meeting)
    if invite:
        invited = chambers_with_status_on(
            meeting.date, [MembershipStatus.MEMBER, MembershipStatus.OBSERVER]
        )
        Invitation.objects.bulk_create(Invitation(meeting=meeting, chamber=c) for c in invited)
    _reminders_may_be_due()
    from webhooks import events  # lazily: webhooks is loaded after this app

    events.meeting_saved(meeting, created=True)
    return meeting


@transaction.atomic
def meeting_update(*, actor: Access, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    require_staff(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _set_meeting_fields(meeting, data)
    _save(meeting)
    _reminders_may_be_due()
    from webhooks import events  # lazily: webhooks is loaded after this app

    events.meeting_saved(meeting, created=False)
    return meeting


def _reminders_may_be_due() -> None:
    """A meeting saved or a decision adopted can make a reminder due today: ask for a scan
    after commit (bounded if the broker is down; the daily scan catches up)."""
    from reminders.services import request_scan

    request_scan()


@transaction.atomic
def meeting_invite(*, actor: Access, meeting: Meeting, chamber: Chamber) -> Invitation:
    require_staff(actor)
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, chamber=chamber)
    return invitation


@transaction.atomic
def invitation_respond(
    *,
    actor: Access,
    meeting: Meeting,
    chamber: Chamber,
    response: str,
    delegates: list[Contact] | None = None,
) -> Invitation:
    """A chamber answers an invitation and names its delegates from its own contacts."""
    if not actor.can_edit_chamber(chamber):
        raise ForbiddenError(_("Only the chamber's editors may answer for it."))
    if response not in (RSVP.ATTENDING, RSVP.DECLINED):
        raise DomainError(_("Answer attending or declined."), field="status")
    if not meeting.accepts_answers:
        raise DomainError(_("This meeting is no longer open for answers."), field="status")
    invitation = (
        Invitation.objects.select_for_update().filter(meeting=meeting, chamber=chamber).first()
    )
    if invitation is None:
        raise DomainError(_("This chamber is not invited to the meeting."), field="chamber")
    delegates = delegates or []
    for contact in delegates:
        if contact.chamber_id != chamber.pk or not contact.active:
            raise DomainError(
                _("Delegates must be active contacts of the chamber."), field="delegates"
            )
    if response == RSVP.DECLINED and delegates:
        raise DomainError(_("A chamber that declines names no delegates."), field="delegates")
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    invitation.delegates.set(delegates)
    return invitation


@transaction.atomic
def attendance_record(
    *, actor: Access, meeting: Meeting, chamber: Chamber, present: bool
) -> Invitation:
    """Staff record who attended (inviting the chamber if it was not yet)."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # not while a decision is adopted
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, chamber=chamber)
    invitation.present = present
    invitation.save(update_fields=["present"])
    return invitation


# Agenda and documents -----------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor: Access, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # one numbering writer at a time
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, position=last + 1, **data)
    _save(item)
    return item


@transaction.atomic
def agenda_item_update(*, actor: Access, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    require_staff(actor)
    for name in ("title", "description", "presenter", "priority"):
        if name in data:
            setattr(item, name, data[name])
    _save(item)
    return item


@transaction.atomic
def meeting_part_remove(*, actor: Access, part: AgendaItem | Invitation | MeetingDocument) -> None:
    """Remove an agenda item, an invitation or a document (staff). A document's file goes too,
    after commit, so a rolled-back removal keeps it."""
    require_staff(actor)
    if isinstance(part, MeetingDocument):
        storage, name = part.file.storage, part.file.name
        transaction.on_commit(lambda: storage.delete(name))
    part.delete()


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
    return [items[pk] for pk in item_ids]


#: Allowed document types, recognised by their content (not by the name the uploader gave).
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/png",
    "image/jpeg",
}


@transaction.atomic
def document_add(
    *, actor: Access, meeting: Meeting, title: str, upload: UploadedFile
) -> MeetingDocument:
    """Store a meeting document under a generated name, after checking size and content."""
    require_staff(actor)
    kind = document_check(upload)
    document = MeetingDocument(
        meeting=meeting,
        title=title,
        original_name=upload.name[:255],
        content_type=kind.mime,
        size=upload.size,
        uploaded_by=actor.user if getattr(actor.user, "pk", None) else None,
    )
    document.file.save(f"upload.{kind.extension}", upload, save=False)
    try:
        _save(document)
    except Exception:
        document.file.storage.delete(document.file.name)  # no orphan file without its row
        raise
    return document


def document_check(upload: UploadedFile):
    """The upload rule (size, and a type recognised from the content); returns the type."""
    if upload.size > settings.MEETING_DOCUMENT_MAX_BYTES:
        raise DomainError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.MEETING_DOCUMENT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise DomainError(
            _("This type of file is not accepted: upload PDF, Office, OpenDocument or images."),
            field="file",
        )
    return kind


# Decisions ----------------------------------------------------------------------------------

#: Decision kinds that change the union itself: DOMAIN.md reserves them to the General Assembly.
GENERAL_ASSEMBLY_ONLY = {"membership", "priorities", "rotation"}


@transaction.atomic
def decision_create(*, actor: Access, meeting: Meeting, data: dict[str, Any]) -> Decision:
    """Record a draft decision, numbered next in its meeting, with validated effects."""
    require_staff(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)  # numbering is per meeting
    if data.get("kind") in GENERAL_ASSEMBLY_ONLY and not meeting.is_general_assembly:
        raise DomainError(
            _("Only the General Assembly takes membership, priorities and rotation decisions."),
            field="kind",
        )
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision(meeting=meeting, number=last + 1)
    for name in ("kind", "title", "text", "method", "published"):
        if name in data:
            setattr(decision, name, data[name])
    _save(decision, exclude=["effects"])
    decision.effects = effect_registry.validate_effects(decision.kind, data.get("effects", []))
    decision.save(update_fields=["effects"])
    return decision


def _lock_open_decision(decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.is_adopted:
        raise ConflictError(_("This decision is adopted and can no longer change."))
    return decision


@transaction.atomic
def decision_update(*, actor: Access, decision: Decision, data: dict[str, Any]) -> Decision:
    """Edit a draft. Adopted decisions are immutable: a change is a new decision."""
    require_staff(actor)
    decision = _lock_open_decision(decision)
    for name in ("kind", "title", "text", "method", "published"):
        if name in data:
            setattr(decision, name, data[name])
    if decision.kind in GENERAL_ASSEMBLY_ONLY and not decision.meeting.is_general_assembly:
        raise DomainError(
            _("Only the General Assembly takes membership, priorities and rotation decisions."),
            field="kind",
        )
    if "effects" in data or "kind" in data:
        decision.effects = effect_registry.validate_effects(
            decision.kind, data.get("effects", decision.effects)
        )
    _save(decision)
    return decision


@transaction.atomic
def decision_publish(*, actor: Access, decision: Decision, published: bool) -> Decision:
    """Publishing is the one change an adopted decision accepts: it does not alter its content."""
    require_staff(actor)
    Decision.objects.filter(pk=decision.pk).update(published=published)
    decision.refresh_from_db()
    return decision


def meeting_voters(meeting: Meeting) -> set[int]:
    """The chambers with a vote at a meeting: the full members on its date (observers and
    suspended members attend without one). One query; the API, portal and services use it."""
    return set(
        MembershipPeriod.objects.covering(meeting.date)
        .filter(status=MembershipStatus.MEMBER)
        .values_list("chamber_id", flat=True)
    )


@transaction.atomic
def vote_record(*, actor: Access, decision: Decision, chamber: Chamber, vote: str) -> Vote:
    """Record one chamber's vote; a second vote of the same chamber is refused (409), also
    when two arrive at once (the database's unique constraint)."""
    require_staff(actor)
    decision = _lock_open_decision(decision)
    if decision.method != DecisionMethod.VOTE:
        raise DomainError(_("This decision is taken by consensus, not by vote."), field="vote")
    if vote not in VoteChoice.values:
        raise DomainError(_("Vote for, against or abstain."), field="vote")
    if chamber.pk not in meeting_voters(decision.meeting):
        raise DomainError(
            _("%(chamber)s has no vote at this meeting (not a full member on its date).")
            % {"chamber": chamber.short_name},
            field="chamber",
        )
    if not Invitation.objects.filter(
        meeting=decision.meeting, chamber=chamber, present=True
    ).exists():
        raise DomainError(
            _("%(chamber)s is not recorded as present.") % {"chamber": chamber.short_name},
            field="chamber",
        )
    if Vote.objects.filter(decision=decision, chamber=chamber).exists():
        raise ConflictError(_("This chamber's vote is already recorded."), field="chamber")
    record = Vote(decision=decision, chamber=chamber, vote=vote)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ConflictError(_("This chamber's vote is already recorded."), field="chamber") from exc
    return record


@dataclass
class Outcome:
    """How a decision stands: quorum, the count, and why it cannot be adopted (if so)."""

    full_members: int
    present_with_vote: int
    quorum_needed: int
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    majority: str = Majority.SIMPLE
    reasons: list[str] = field(default_factory=list)

    @property
    def has_quorum(self) -> bool:
        return self.full_members > 0 and self.present_with_vote >= self.quorum_needed

    @property
    def adopted(self) -> bool:
        return not self.reasons


def decision_outcome(decision: Decision) -> Outcome:
    """Compute, from attendance, membership on the meeting date and votes, whether the decision
    may be adopted, and if not, why. Majorities count the votes for and against; abstentions
    count towards the quorum only. A tie fails."""
    meeting = decision.meeting
    rules = GovernanceRules.current()
    members = meeting_voters(meeting)
    present = set(
        Invitation.objects.filter(meeting=meeting, present=True).values_list(
            "chamber_id", flat=True
        )
    )
    voters = members & present
    outcome = Outcome(
        full_members=len(members),
        present_with_vote=len(voters),
        quorum_needed=rules.quorum_of(len(members)) if members else 1,
        majority=rules.majority_for(decision.kind),
    )
    if not outcome.has_quorum:
        outcome.reasons.append(
            _("No quorum: %(present)s of %(members)s full members present, %(needed)s needed.")
            % {
                "present": outcome.present_with_vote,
                "members": outcome.full_members,
                "needed": outcome.quorum_needed,
            }
        )
    votes = list(decision.votes.select_related("chamber"))
    for vote in votes:
        if vote.chamber_id not in voters:
            outcome.reasons.append(
                _("%(chamber)s voted without a vote at this meeting.")
                % {"chamber": vote.chamber.short_name}
            )
    counted = [v for v in votes if v.chamber_id in voters]
    outcome.votes_for = sum(v.vote == VoteChoice.FOR for v in counted)
    outcome.votes_against = sum(v.vote == VoteChoice.AGAINST for v in counted)
    outcome.abstentions = sum(v.vote == VoteChoice.ABSTAIN for v in counted)
    if decision.method == DecisionMethod.CONSENSUS:
        if outcome.votes_against:
            outcome.reasons.append(_("No consensus: a chamber objected."))
        return outcome
    cast = outcome.votes_for + outcome.votes_against
    if outcome.majority == Majority.TWO_THIRDS:
        passed = cast > 0 and 3 * outcome.votes_for >= 2 * cast
    else:
        passed = outcome.votes_for > outcome.votes_against
    if not passed:
        outcome.reasons.append(
            _("Not enough votes: %(for)s for, %(against)s against (%(rule)s needed).")
            % {
                "for": outcome.votes_for,
                "against": outcome.votes_against,
                "rule": Majority(outcome.majority).label,
            }
        )
    return outcome


@transaction.atomic
def decision_adopt(
    *, actor: Access, decision: Decision, adopted_at: dt.datetime | None = None
) -> Decision:
    """Adopt a decision and apply its effects in the same transaction: a failing effect, or a
    failed quorum or majority, leaves no trace. A second adoption is refused (409)."""
    require_staff(actor)
    # Lock the meeting first: attendance recorded meanwhile must not change the count.
    Meeting.objects.select_for_update().get(pk=decision.meeting_id)
    decision = _lock_open_decision(decision)
    outcome = decision_outcome(decision)
    if not outcome.adopted:
        raise DomainError(" ".join(outcome.reasons))
    decision.adopted_at = adopted_at or timezone.now()
    decision.save(update_fields=["adopted_at"])
    effect_registry.apply_effects(decision, actor)
    _reminders_may_be_due()
    from webhooks import events  # lazily: webhooks is loaded after this app

    events.decision_adopted(decision)
    return decision


# Priorities and action items ----------------------------------------------------------------


@transaction.atomic
def priority_create(*, actor: Access, data: dict[str, Any]) -> Priority:
    require_staff(actor)
    priority = Priority(**data)
    _save(priority)
    return priority


@transaction.atomic
def priority_update(*, actor: Access, priority: Priority, data: dict[str, Any]) -> Priority:
    """Edit a priority's wording and period; its status follows decisions, not edits."""
    require_staff(actor)
    for name in ("title", "description", "period_start", "period_end"):
        if name in data:
            setattr(priority, name, data[name])
    _save(priority)
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
    priority.status = status
    priority.save(update_fields=["status"])
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
        priority.status = Priority.Status.ACTIVE
        priority.decision = decision
        priority.save(update_fields=["status", "decision"])


@transaction.atomic
def action_item_create(*, actor: Access, priority: Priority, data: dict[str, Any]) -> ActionItem:
    require_staff(actor)
    item = ActionItem(priority=priority, **data)
    _save(item)
    return item


@transaction.atomic
def action_item_update(
    *, actor: Access, item: ActionItem, data: dict[str, Any], note: str = ""
) -> ActionItem:
    """The responsible chamber's editors (or staff) report status, progress and a dated note."""
    if not actor.can_edit_chamber(item.responsible_id):
        raise ForbiddenError(_("Only the responsible chamber's editors may update this item."))
    allowed = {"status", "progress", "due", "title"} if actor.is_staff else {"status", "progress"}
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    for name, value in data.items():
        if name not in allowed:
            raise ForbiddenError(_("You may not change this field."), field=name)
        setattr(item, name, value)
    if item.status == ActionItem.Status.DONE and "progress" not in data:
        item.progress = 100
    _save(item)
    if note:
        _save(
            ProgressNote(
                action_item=item,
                date=timezone.localdate(),
                text=note,
                progress=item.progress,
                author=actor.user if getattr(actor.user, "pk", None) else None,
                author_label=actor.label,
            )
        )
    return item
