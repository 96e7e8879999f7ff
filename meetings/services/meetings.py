"""Meetings, their invitations and attendance."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chambers.models import Chamber, Contact, MembershipStatus
from chambers.selectors import chamber_ids_with_status
from core import audit
from core.access import Access, require_staff
from core.bounds import YEARS
from core.errors import DomainError, ForbiddenError
from core.events import emit
from core.services import model_update, require_known_fields, validated_save
from core.translated import expand

from ..events import ChambersInvited, MeetingCreated, MeetingUpdated
from ..models import RSVP, GovernanceRules, Invitation, Meeting
from .agenda import procedures_agenda_sync
from .minutes import snapshot

#: What the secretariat may set on a meeting (the API's and the admin's forms use this list).
#: The meeting's texts written in every working language (meetings/translation.py).
MEETING_TRANSLATED = ("title", "minutes")
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
#: What the service accepts: the same, and the title and minutes by language (``title_kk``).
MEETING_WRITABLE = expand(MEETING_FIELDS, MEETING_TRANSLATED)
#: What the service derives from them.
_DERIVED_FIELDS = ("minutes_published_on",)


def _meeting_data(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as stored: a time without an offset is the meeting's local time ("10:00 in
    Astana"), and publishing the minutes dates them."""
    require_known_fields(data, MEETING_WRITABLE)
    data = dict(data)
    local: dt.tzinfo
    try:
        local = zoneinfo.ZoneInfo(data.get("time_zone", meeting.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        local = dt.UTC  # full_clean names the bad time zone
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        if isinstance(value, dt.datetime):
            data[name] = _meeting_time(value, local, name)
    published = data.get("minutes_published", meeting.minutes_published)
    if published and meeting.minutes_published_on is None:
        data["minutes_published_on"] = timezone.localdate()
    if not published:
        data["minutes_published_on"] = None
    return data


#: The years a meeting may be in: every time is shown in its zone, and the database and
#: calendar programs have limits (a year 1 or 9999 in another zone is outside them). The one
#: bound of every date and time (:data:`core.bounds.YEARS`).
MEETING_YEARS = YEARS


def _meeting_time(value: dt.datetime, local: dt.tzinfo, field: str) -> dt.datetime:
    """A meeting's time as stored: in UTC (an offset such as -22:47 is valid in ISO 8601 but
    not in PostgreSQL), within :data:`MEETING_YEARS` both in UTC and in the meeting's zone."""
    first, last = MEETING_YEARS
    refusal = DomainError(
        _("Give a time between the years %(first)s and %(last)s.") % {"first": first, "last": last},
        field=field,
    )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, local)
        utc = value.astimezone(dt.UTC)
        shown = utc.astimezone(local)
    except (OverflowError, ValueError) as exc:
        raise refusal from exc
    if not (first <= utc.year <= last and first <= shown.year <= last):
        raise refusal
    return utc


@transaction.atomic
def meeting_create(*, actor: Access, data: dict[str, Any], invite: bool = True) -> Meeting:
    """Record a meeting; by default every member and observer on its date is invited."""
    require_staff(actor)
    meeting = Meeting(**_meeting_data(Meeting(), data))
    validated_save(meeting, actor)
    emit(MeetingCreated(meeting=meeting))
    if invite:
        _invite(meeting, sorted(meeting_invitable(meeting)))
    if meeting.is_general_assembly and meeting.starts_at > timezone.now():
        procedures_agenda_sync(meeting)
    return meeting


def meeting_invitable(meeting: Meeting) -> set[int]:
    """The chambers a meeting invites: every member and observer on its date."""
    return set(
        chamber_ids_with_status(
            statuses=[MembershipStatus.MEMBER, MembershipStatus.OBSERVER], on=meeting.date
        )
    )


def _invite(meeting: Meeting, chamber_ids: list[int]) -> list[int]:
    """Invite the chambers not yet invited; returns the ones invited now (and says so)."""
    already = set(meeting.invitations.values_list("chamber_id", flat=True))
    new = [pk for pk in dict.fromkeys(chamber_ids) if pk not in already]
    # ignore_conflicts: an invitation made meanwhile by another writer stays one row.
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, chamber_id=pk) for pk in new], ignore_conflicts=True
    )
    for invitation in Invitation.objects.filter(meeting=meeting, chamber_id__in=new):
        audit.record(invitation, "created", {"chamber": [None, invitation.chamber_id]})
    if new:
        emit(ChambersInvited(meeting=meeting, chamber_ids=tuple(new)))
    return new


@transaction.atomic
def meeting_update(*, actor: Access, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change a meeting. ``minutes`` is the working draft; switching ``minutes_published`` on
    publishes it to the members as a saved version (``services.minutes``); published minutes
    are not unpublished (a correction is a new version, saved and published in the
    workspace or with ``POST /api/v1/meetings/{id}/minutes/``)."""
    require_staff(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # Only when it is switched on: the admin's form sends the ticked box with every save, and
    # an edit of the draft of published minutes stays a draft until it is saved as a version.
    publish = data.get("minutes_published") is True and not meeting.minutes_published
    if data.get("minutes_published") is False and meeting.minutes_published:
        raise DomainError(
            _("Published minutes stay published: save a corrected version instead."),
            field="minutes_published",
        )
    model_update(
        instance=meeting,
        fields=(*MEETING_WRITABLE, *_DERIVED_FIELDS),
        data=_meeting_data(meeting, data),
        actor=actor,
    )
    if publish:
        snapshot(meeting, actor, publish=True)
    emit(MeetingUpdated(meeting=meeting))
    return meeting


@transaction.atomic
def meeting_invite(*, actor: Access, meeting: Meeting, chamber: Chamber) -> Invitation:
    """Invite one chamber (an invitation that exists is left as it is)."""
    require_staff(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _invite(meeting, [chamber.pk])
    return Invitation.objects.get(meeting=meeting, chamber=chamber)


@transaction.atomic
def meeting_invite_all(*, actor: Access, meeting: Meeting) -> list[int]:
    """Invite every member and observer chamber on the meeting's date not yet invited; returns
    the chambers invited now."""
    require_staff(actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    return _invite(meeting, sorted(meeting_invitable(meeting)))


def _check_delegates(chamber: Chamber, delegates: list[Contact]) -> None:
    for contact in delegates:
        if contact.chamber_id != chamber.pk or not contact.active:
            raise DomainError(
                _("Delegates must be active contacts of the chamber."), field="delegates"
            )


@transaction.atomic
def invitation_respond(
    *,
    actor: Access,
    meeting: Meeting,
    chamber: Chamber,
    response: str,
    delegates: list[Contact] | None = None,
    proxy: Chamber | None = None,
) -> Invitation:
    """A chamber answers an invitation and names its delegates from its own contacts; a full
    member that declines may give its vote at the meeting to a full member attending
    (``proxy``, see :func:`_check_proxy`)."""
    if not actor.can_edit_chamber(chamber):
        raise ForbiddenError(_("Only the chamber's editors may answer for it."))
    if response not in (RSVP.ATTENDING, RSVP.DECLINED):
        raise DomainError(_("Answer attending or declined."), field="status")
    # The meeting's row first (docs/locking.md): its status and date are read as they stand,
    # and the proxies its chambers hold are counted under it.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.accepts_answers:
        raise DomainError(_("This meeting is no longer open for answers."), field="status")
    invitation = (
        Invitation.objects.select_for_update().filter(meeting=meeting, chamber=chamber).first()
    )
    if invitation is None:
        raise DomainError(_("This chamber is not invited to the meeting."), field="chamber")
    delegates = delegates or []
    _check_delegates(chamber, delegates)
    if response == RSVP.DECLINED and delegates:
        raise DomainError(_("A chamber that declines names no delegates."), field="delegates")
    if proxy is not None:
        _check_proxy(meeting, chamber, response, proxy)
    model_update(
        instance=invitation,
        fields=("response", "responded_at", "delegates", "proxy_holder"),
        data={
            "response": response,
            "responded_at": timezone.now(),
            "delegates": delegates,
            "proxy_holder": proxy,
        },
    )
    return invitation


def _check_proxy(meeting: Meeting, giver: Chamber, response: str, holder: Chamber) -> None:
    """The governance rules' proxies: a full member that does not attend gives its vote to a
    full member that does, and one holder holds at most ``proxies_per_holder`` of them."""
    rules = GovernanceRules.current()
    if rules.proxies_per_holder == 0:
        raise DomainError(_("The governance rules allow no proxies."), field="proxy")
    if response == RSVP.ATTENDING:
        raise DomainError(
            _("A chamber that attends votes itself: it gives no proxy."), field="proxy"
        )
    members = set(chamber_ids_with_status(statuses=[MembershipStatus.MEMBER], on=meeting.date))
    if giver.pk not in members:
        raise DomainError(
            _("Only a full member on the meeting's date has a vote to give."), field="proxy"
        )
    if holder.pk == giver.pk:
        raise DomainError(_("Give the proxy to another chamber."), field="proxy")
    if holder.pk not in members:
        raise DomainError(
            _("%(chamber)s is not a full member on the meeting's date: it cannot hold a proxy.")
            % {"chamber": holder.short_name},
            field="proxy",
        )
    if not Invitation.objects.filter(
        meeting=meeting, chamber=holder, response=RSVP.ATTENDING
    ).exists():
        raise DomainError(
            _("%(chamber)s has not said it attends: it cannot hold a proxy.")
            % {"chamber": holder.short_name},
            field="proxy",
        )
    held = (
        Invitation.objects.filter(meeting=meeting, proxy_holder=holder)
        .exclude(chamber=giver)
        .count()
    )
    if held >= rules.proxies_per_holder:
        raise DomainError(
            ngettext(
                "%(chamber)s already holds %(count)s proxy, the most the governance rules allow.",
                "%(chamber)s already holds %(count)s proxies, the most the governance rules allow.",
                held,
            )
            % {"chamber": holder.short_name, "count": held},
            field="proxy",
        )


@transaction.atomic
def attendance_record(
    *,
    actor: Access,
    meeting: Meeting,
    chamber: Chamber,
    present: bool | None,
    delegates: list[Contact] | None = None,
) -> Invitation:
    """Staff record who attended (inviting the chamber if it was not yet); ``None`` says
    attendance is not recorded (a check-in made by mistake). ``delegates``, when given, are
    the chamber's people in the room, among its active contacts."""
    require_staff(actor)
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # not while a decision is adopted
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, chamber=chamber)
    data: dict[str, Any] = {"present": present}
    if delegates is not None:
        _check_delegates(chamber, delegates)
        data["delegates"] = delegates
    model_update(instance=invitation, fields=("present", "delegates"), data=data)
    return invitation


@dataclass(frozen=True)
class CheckIn:
    """One chamber at the door: present or not (None: not recorded), and its delegates."""

    chamber: Chamber
    present: bool | None
    delegates: list[Contact] | None = None


@transaction.atomic
def attendance_check_in(
    *, actor: Access, meeting: Meeting, entries: list[CheckIn]
) -> list[Invitation]:
    """The session's check-in: several chambers recorded at once, all or none."""
    require_staff(actor)
    return [
        attendance_record(
            actor=actor,
            meeting=meeting,
            chamber=entry.chamber,
            present=entry.present,
            delegates=entry.delegates,
        )
        for entry in entries
    ]
