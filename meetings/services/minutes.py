"""The minutes of a meeting: the working draft (generated from the record, then edited), its
saved versions, their publication to the members, and their approval by a later decision.

Lock order (``docs/locking.md``): the meeting's row, then the version's. Every write here
takes the meeting's row first, so two saves of one meeting's minutes are numbered one after
the other, and an approval and a save never interleave."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import Access, require_staff
from core.errors import ConflictError, DomainError
from core.events import emit
from core.services import model_update
from core.translated import codes, column, values

from ..events import MeetingUpdated
from ..models import (
    Decision,
    Invitation,
    Meeting,
    MinutesVersion,
    VoteChoice,
)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _latest(meeting: Meeting) -> MinutesVersion | None:
    return meeting.minutes_versions.order_by("-number").first()


def _publish(meeting: Meeting, version: MinutesVersion, *, when: dt.datetime) -> None:
    """Members see the version from now on; the meeting says its minutes are published."""
    version.published_at = when
    version.save(update_fields=["published_at"])
    if not meeting.minutes_published:
        meeting.minutes_published = True
        meeting.minutes_published_on = timezone.localdate(when)
        meeting.save(update_fields=["minutes_published", "minutes_published_on", "updated_at"])
    emit(MeetingUpdated(meeting=meeting))


def snapshot(
    meeting: Meeting, actor: Access, *, note: str = "", publish: bool = False
) -> tuple[MinutesVersion, bool]:
    """The draft saved as the next version (with the meeting already locked), or the latest
    version when the draft has not changed since; published if ``publish``. Returns the
    version and whether anything was saved or published."""
    draft = values(meeting, "minutes")
    if not any(text.strip() for text in draft.values()):
        raise DomainError(
            _("The minutes are empty: write or generate the draft first."), field="minutes"
        )
    latest = _latest(meeting)
    now = timezone.now()
    if latest is not None and values(latest, "text") == draft:
        if publish and not latest.is_published:
            _publish(meeting, latest, when=now)
            return latest, True
        return latest, False
    version = MinutesVersion(
        meeting=meeting,
        number=(latest.number if latest else 0) + 1,
        note=note,
        saved_by=actor.user if actor.user is not None and actor.user.pk else None,
        saved_at=now,
        **{column("text", code): text for code, text in draft.items()},
    )
    try:
        version.full_clean(exclude=["meeting", "saved_by", "approved_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(messages), field=field) from exc
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # the meeting's lock serialises saves; this is the backstop
        raise ConflictError(_("Another version was saved at the same time.")) from exc
    if publish:
        _publish(meeting, version, when=now)
    return version, True


@transaction.atomic
def minutes_version_save(
    *, actor: Access, meeting: Meeting, note: str = "", publish: bool = False
) -> MinutesVersion:
    """Save the meeting's draft minutes as a new version (published to the members with
    ``publish``). Refused when the draft is empty, or unchanged since the latest version and
    there is nothing to publish."""
    require_staff(actor)
    meeting = _lock_meeting(meeting)
    version, changed = snapshot(meeting, actor, note=note, publish=publish)
    if not changed:
        raise DomainError(
            _("The draft is the same as version %(number)s: change it first.")
            % {"number": version.number},
            field="minutes",
        )
    return version


@transaction.atomic
def minutes_version_publish(*, actor: Access, version: MinutesVersion) -> MinutesVersion:
    """Publish a saved version to the members (for approval at the next session)."""
    require_staff(actor)
    meeting = _lock_meeting(version.meeting)
    version = MinutesVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ConflictError(
            _("Version %(number)s is published already.") % {"number": version.number}
        )
    _publish(meeting, version, when=timezone.now())
    return version


@transaction.atomic
def minutes_draft_generate(*, actor: Access, meeting: Meeting, replace: bool = False) -> Meeting:
    """Write the meeting's draft minutes, in every working language, from its record: the
    agenda, the attendance (present, delegates, proxies, observers), each decision's method,
    votes per chamber, outcome and effects, and the decisions taken between sessions since the
    previous meeting of its kind. A draft with text is replaced only with ``replace``."""
    require_staff(actor)
    meeting = _lock_meeting(meeting)
    if not replace and any(text.strip() for text in values(meeting, "minutes").values()):
        raise DomainError(
            _("The draft has text already: ask to replace it to generate it again."),
            field="replace",
        )
    record = _Record(meeting)
    texts = {}
    for code in codes():
        with translation.override(code):
            texts[column("minutes", code)] = record.markdown()
    model_update(instance=meeting, fields=tuple(texts), data=texts, actor=actor)
    return meeting


def minutes_approve(*, actor: Access, decision: Decision, version: MinutesVersion) -> None:
    """The ``approve_minutes`` effect, inside the adoption's transaction: a published version
    becomes the approved record, frozen. Approval comes from a later session or between
    sessions, never the meeting itself; the members must have seen the version (it is
    published first); a version is approved once, and an older version once a newer one is
    approved is refused (its correction is the record).

    Locks the versions of the minutes' meeting only, never that meeting's row: an adoption
    holds its own meeting, the decision and perhaps the rotation already, and the minutes'
    versions come last in ``docs/locking.md``'s order."""
    require_staff(actor)
    versions = {
        row.pk: row
        for row in MinutesVersion.objects.select_for_update(of=("self",))
        .filter(meeting_id=version.meeting_id)
        .select_related("meeting", "approved_by__meeting")
        .order_by("pk")
    }
    version = versions[version.pk]
    meeting = version.meeting
    if decision.meeting_id == meeting.pk or (
        decision.meeting is not None and decision.meeting.starts_at <= meeting.starts_at
    ):
        raise DomainError(
            _("The minutes of %(meeting)s are approved at a later session.")
            % {"meeting": meeting.display_title},
            field="effects",
        )
    if version.approved_by is not None:
        raise ConflictError(
            _("Version %(number)s of these minutes is approved already (%(decision)s).")
            % {"number": version.number, "decision": version.approved_by.reference}
        )
    if not version.is_published:
        raise DomainError(
            _("Version %(number)s of these minutes is not published: publish it first.")
            % {"number": version.number},
            field="effects",
        )
    if any(v.number > version.number and v.is_approved for v in versions.values()):
        raise DomainError(
            _("A later version of these minutes is approved already."), field="effects"
        )
    updated = MinutesVersion.objects.filter(pk=version.pk, approved_by__isnull=True).update(
        approved_by=decision, approved_at=decision.adopted_at or timezone.now()
    )
    if updated != 1:  # under the lock this cannot happen; the row says so if it did
        raise ConflictError(_("These minutes were approved at the same time."))
    emit(MeetingUpdated(meeting=meeting))


def approvable_versions() -> Any:
    """The versions a decision may approve: published, not approved yet (the effect's
    choices)."""
    return MinutesVersion.objects.filter(
        approved_by__isnull=True, published_at__isnull=False
    ).select_related("meeting")


# The draft, from the record ----------------------------------------------------------------


class _Record:
    """What the minutes are drafted from, read once for all languages."""

    def __init__(self, meeting: Meeting) -> None:
        from .votes import meeting_quorum

        self.meeting = meeting
        self.quorum = meeting_quorum(meeting)
        self.invitations = list(
            Invitation.objects.filter(meeting=meeting)
            .select_related("chamber", "proxy_holder")
            .prefetch_related("delegates")
        )
        self.agenda = list(meeting.agenda.order_by("position"))
        self.decisions = list(
            meeting.decisions.order_by("number").prefetch_related("votes__chamber")
        )
        previous = (
            Meeting.objects.filter(kind=meeting.kind, starts_at__lt=meeting.starts_at)
            .order_by("-starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        between = Decision.objects.filter(
            meeting__isnull=True, adopted_at__isnull=False, adopted_at__lt=meeting.starts_at
        )
        if previous is not None:
            between = between.filter(adopted_at__gte=previous)
        self.between = list(between.order_by("adopted_at", "number"))

    def markdown(self) -> str:
        from .. import effects as effect_registry

        meeting = self.meeting
        lines = [f"# {meeting.display_title}", ""]
        place = ", ".join(
            part for part in (meeting.venue_city, str(meeting.venue_country.name or "")) if part
        )
        when = meeting.local_starts_at.strftime("%Y-%m-%d %H:%M")
        lines += [
            f"{when} ({meeting.time_zone}){', ' + place if place else ''}; "
            f"{meeting.get_format_display()}.",
            "",
        ]
        lines += self._attendance()
        lines += [f"## {_('Agenda')}", ""]
        if self.agenda:
            lines += [f"{item.position}. {item.title}" for item in self.agenda]
        else:
            lines.append(_("No agenda was recorded."))
        lines.append("")
        lines += [f"## {_('Decisions')}", ""]
        described = effect_registry.describe_all([d.effects for d in self.decisions])
        if not self.decisions:
            lines += [_("No decision was recorded."), ""]
        for decision, effects in zip(self.decisions, described, strict=True):
            lines += self._decision(decision, effects)
        if self.between:
            lines += [f"## {_('Decisions taken between sessions')}", ""]
            for decision in self.between:
                adopted = timezone.localdate(decision.adopted_at).isoformat()
                lines.append(
                    "- "
                    + _("%(reference)s: %(title)s (adopted on %(date)s).")
                    % {"reference": decision.reference, "title": decision.title, "date": adopted}
                )
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def _attendance(self) -> list[str]:
        quorum = self.quorum
        members = [i for i in self.invitations if i.chamber_id in quorum.members]
        present = sorted((i for i in members if i.present), key=lambda i: i.chamber.short_name)
        observers = sorted(
            (i for i in self.invitations if i.present and i.chamber_id not in quorum.members),
            key=lambda i: i.chamber.short_name,
        )
        absent = sorted((i for i in members if not i.present), key=lambda i: i.chamber.short_name)
        lines = [f"## {_('Attendance')}", ""]
        if not present and not observers:
            lines += [_("No attendance was recorded."), ""]
            return lines
        lines += [f"**{_('Present')}**", ""]
        for invitation in present:
            names = ", ".join(sorted(c.name for c in invitation.delegates.all()))
            lines.append(f"- {invitation.chamber.short_name}" + (f": {names}" if names else ""))
        lines.append("")
        if observers:
            lines += [f"**{_('Observers')}**", ""]
            for invitation in observers:
                names = ", ".join(sorted(c.name for c in invitation.delegates.all()))
                lines.append(f"- {invitation.chamber.short_name}" + (f": {names}" if names else ""))
            lines.append("")
        proxies = [i for i in absent if i.chamber_id in quorum.proxies]
        if proxies:
            lines += [f"**{_('Represented by proxy')}**", ""]
            for invitation in proxies:
                holder = invitation.proxy_holder
                lines.append(
                    "- "
                    + _("%(chamber)s, by %(holder)s")
                    % {
                        "chamber": invitation.chamber.short_name,
                        "holder": holder.short_name if holder else "—",
                    }
                )
            lines.append("")
        missing = [i for i in absent if i.chamber_id not in quorum.proxies]
        if missing:
            lines += [
                f"**{_('Absent')}**: " + ", ".join(i.chamber.short_name for i in missing),
                "",
            ]
        lines += [
            _("Quorum: %(counted)s of %(members)s full members, %(needed)s needed.")
            % {
                "counted": quorum.counted,
                "members": len(quorum.members),
                "needed": quorum.needed,
            },
            "",
        ]
        return lines

    def _decision(self, decision: Decision, effects: list[str]) -> list[str]:
        lines = [
            f"### {_('Decision %(number)s') % {'number': decision.number}}: {decision.title}",
            "",
        ]
        if decision.text:
            lines += [decision.text, ""]
        lines.append(f"{_('Method')}: {decision.get_method_display()}.")
        votes = sorted(decision.votes.all(), key=lambda v: v.chamber.short_name)
        if votes:
            counted = {
                choice: sum(1 for v in votes if v.vote == choice) for choice in VoteChoice.values
            }
            lines.append(
                _("Votes: %(for)s for, %(against)s against, %(abstain)s abstaining.")
                % {
                    "for": counted[VoteChoice.FOR],
                    "against": counted[VoteChoice.AGAINST],
                    "abstain": counted[VoteChoice.ABSTAIN],
                }
            )
            lines.append("")
            lines += [f"- {v.chamber.short_name}: {v.get_vote_display()}" for v in votes]
        lines.append("")
        if decision.is_adopted:
            assert decision.adopted_at is not None
            lines.append(
                _("Adopted on %(date)s.")
                % {"date": timezone.localdate(decision.adopted_at).isoformat()}
            )
            if effects:
                lines += ["", f"{_('Effects applied')}:", ""]
                lines += [f"- {effect}" for effect in effects]
        else:
            lines.append(_("Not adopted."))
        lines.append("")
        return lines
