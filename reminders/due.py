"""What is due: computed from the state of the database on a given day, never from a queue.

Because the answer depends only on the data and the day, a scan that runs late (workers,
broker or mail server were down) finds the same reminders it would have found on time, and a
scan that runs twice finds them twice, which the log's unique constraint turns into once.

Each rule's offset opens a window: from its due day until the next offset of the same kind is
due (or the event itself, for reminders before an event; or ``REMINDERS_LATE_DAYS`` later, for
reminders after one). A scan sends what is in its window today, so a missed 120-day reminder is
still sent on day 100, but on day 50 the 60-day one replaces it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chambers.models import Chamber, Contact, MembershipStatus, UserProfile
from chambers.selectors import membership_timeline
from meetings.models import (
    RSVP,
    ActionItem,
    Ballot,
    Invitation,
    Meeting,
    MeetingStatus,
    Procedure,
    ProcedureState,
)
from rotation.models import Rotation, Term, TermState
from rotation.services import rotation_forecast

from .models import BEFORE_KINDS, ReminderKind, ReminderRule, describe_offset

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    key: str  # "user:<id>" or "contact:<id>": the log's recipient
    email: str
    language: str
    name: str
    user_id: int | None = None
    contact_id: int | None = None
    chamber_id: int | None = None


@dataclass
class Due:
    """One reminder occurrence: a kind, a subject and an offset, for its recipients."""

    kind: str
    subject: str
    offset_days: int
    due_on: dt.date
    until: dt.date  # first day it is no longer sent
    link: str
    context: dict
    label: str  # what it is about, in the active language (for pages and the command)
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(ReminderKind(self.kind).label)

    @property
    def offset_label(self) -> str:
        return describe_offset(self.kind, self.offset_days)


def windows(
    kind: str,
    event: dt.date,
    offsets: list[int],
    late_until: dt.date | None = None,
    last_day: dt.date | None = None,
) -> list[tuple[int, dt.date, dt.date]]:
    """``(offset, due_on, until)`` for each offset of one kind around one event.

    Before an event, the last window closes on the event's day (or after ``last_day``); after
    one, it closes ``REMINDERS_LATE_DAYS`` after its due day (or at ``late_until``)."""
    result = []
    if kind in BEFORE_KINDS:
        ordered = sorted(set(offsets), reverse=True)
        dues = [event - dt.timedelta(days=n) for n in ordered]
        # An offset of 0 ("on the day") keeps its window open through the event's day.
        if last_day is None:
            last_day = event if ordered and ordered[-1] == 0 else event - dt.timedelta(days=1)
        closes = last_day + dt.timedelta(days=1)
        for i, (offset, due) in enumerate(zip(ordered, dues, strict=True)):
            until = dues[i + 1] if i + 1 < len(dues) else closes
            if due < until:
                result.append((offset, due, until))
    else:
        ordered = sorted(set(offsets))
        dues = [event + dt.timedelta(days=n) for n in ordered]
        late = dt.timedelta(days=settings.REMINDERS_LATE_DAYS)
        for i, (offset, due) in enumerate(zip(ordered, dues, strict=True)):
            until = dues[i + 1] if i + 1 < len(dues) else due + late
            if late_until is not None:
                until = min(until, late_until)
            if due < until:
                result.append((offset, due, until))
    return result


class _Recipients:
    """Who receives reminders, loaded in a constant number of queries per scan (the notices of
    :mod:`reminders.notices` use it too: the same people, in the same languages)."""

    def __init__(self) -> None:
        self._staff: list[Recipient] | None = None
        self._chambers: dict[int, list[Recipient]] | None = None

    def staff(self) -> list[Recipient]:
        """The secretariat: active staff users with an e-mail address."""
        if self._staff is None:
            users = (
                get_user_model()
                .objects.filter(is_staff=True, is_active=True)
                .exclude(email="")
                .order_by("pk")
            )
            languages = dict(
                UserProfile.objects.filter(user__in=users).values_list(
                    "user_id", "preferred_language"
                )
            )
            self._staff = [
                Recipient(
                    key=f"user:{u.pk}",
                    email=u.email,
                    language=languages.get(u.pk, settings.LANGUAGE_CODE),
                    name=u.get_full_name() or u.get_username(),
                    user_id=u.pk,
                )
                for u in users
            ]
        return self._staff

    def chamber(self, chamber_id: int | None) -> list[Recipient]:
        """A chamber's focal points; a chamber without one with an address is reached through
        its head."""
        if chamber_id is None:
            return []
        if self._chambers is None:
            # Plain tuples, not Contact objects: at 12,000 chambers these are some 24,000
            # contacts, whose objects (with every translation of their position) took a second.
            by_chamber: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            contacts = (
                Contact.objects.filter(active=True)
                .filter(Q(is_focal_point=True) | Q(is_head=True))
                .exclude(email="")
                .order_by("pk")
                .values_list(
                    "chamber_id", "pk", "email", "preferred_language", "name", "is_focal_point"
                )
            )
            for of_chamber, *contact in contacts:
                by_chamber[of_chamber].append(tuple(contact))
            self._chambers = {}
            for cid, found in by_chamber.items():
                chosen = [c for c in found if c[4]] or found
                self._chambers[cid] = [
                    Recipient(
                        key=f"contact:{pk}",
                        email=email,
                        language=language,
                        name=name,
                        contact_id=pk,
                        chamber_id=cid,
                    )
                    for pk, email, language, name, _focal in chosen
                ]
        return self._chambers.get(chamber_id, [])

    def chambers(self, chamber_ids: Iterable[int | None]) -> list[Recipient]:
        seen: dict[str, Recipient] = {}
        for cid in chamber_ids:
            for r in self.chamber(cid):
                seen.setdefault(r.key, r)
        return list(seen.values())


#: The active rules' offsets by reminder kind.
_Rules = dict[str, list[int]]
#: ``keep(kind, event, offsets, *, late_until=None, last_day=None, **fields of Due)`` in
#: :func:`occurrences`.
_Keep = Callable[..., None]


def _rules() -> _Rules:
    offsets: dict[str, list[int]] = defaultdict(list)
    for kind, offset in ReminderRule.objects.filter(active=True).values_list("kind", "offset_days"):
        offsets[kind].append(offset)
    return offsets


class Occurrences(list[Due]):
    """The reminders found, and ``failed``: the parts of the scan (``rotation``, ``terms``,
    ``meetings``, ``action_items``, ``procedures``) that raised; their error is logged and the
    other parts' reminders are found all the same."""

    def __init__(self, found: Iterable[Due] = (), *, failed: Iterable[str] = ()) -> None:
        super().__init__(found)
        self.failed = list(failed)

    @property
    def failed_kinds(self) -> set[str]:
        """The reminder kinds the failed parts find: a scan cannot tell which of them are
        still due, so it sets none of them aside."""
        return {kind for part in self.failed for kind in PART_KINDS[part]}


#: The kinds of reminder each part of the scan finds.
PART_KINDS: dict[str, frozenset[str]] = {
    "rotation": frozenset({ReminderKind.APPROVAL_DUE, ReminderKind.HANDOVER_UPCOMING}),
    "terms": frozenset({ReminderKind.TERM_STARTED}),
    "meetings": frozenset({ReminderKind.INVITATION_UNANSWERED, ReminderKind.MINUTES_UNPUBLISHED}),
    "action_items": frozenset({ReminderKind.ACTION_OVERDUE}),
    "procedures": frozenset({ReminderKind.PROCEDURE_UNANSWERED}),
}


def occurrences(*, today: dt.date, horizon_days: int = 0) -> Occurrences:
    """Every reminder whose window is open on some day from ``today`` to ``today +
    horizon_days``. With no horizon: exactly what a scan on ``today`` sends.

    Each part runs on its own (in a savepoint, so a database error rolls back only that part;
    a part none of whose kinds has an active rule is not run): one that raises is logged with
    its traceback and named in ``failed``, contributes nothing, and never stops the others."""
    rules = _rules()
    last = today + dt.timedelta(days=horizon_days)
    recipients = _Recipients()
    chambers: dict[int, str] = {}
    found: list[Due] = []

    def keep(
        kind: str,
        event: dt.date,
        offsets: list[int],
        *,
        late_until: dt.date | None = None,
        last_day: dt.date | None = None,
        **fields: Any,
    ) -> None:
        """One occurrence per offset of ``kind`` around ``event`` whose window is open on
        the days scanned; ``fields`` are the rest of :class:`Due`."""
        for offset, due_on, until in windows(
            kind, event, offsets, late_until=late_until, last_day=last_day
        ):
            if due_on <= last and until > today:
                found.append(
                    Due(kind=kind, offset_days=offset, due_on=due_on, until=until, **fields)
                )

    def name(chamber_id: int | None) -> str:
        if chamber_id is None:
            return "—"
        if chamber_id not in chambers:
            # Names only, in the active language (modeltranslation translates ``values``).
            chambers.update(Chamber.objects.values_list("pk", "name"))
        return chambers.get(chamber_id) or "—"

    parts: list[tuple[str, Callable[[], None]]] = [
        ("rotation", lambda: _rotation_reminders(rules, today, last, recipients, name, keep)),
        ("terms", lambda: _term_started(rules, today, last, recipients, keep)),
        ("meetings", lambda: _meeting_reminders(rules, today, last, recipients, keep)),
        ("action_items", lambda: _action_items(rules, today, last, recipients, name, keep)),
        ("procedures", lambda: _procedures(rules, today, last, recipients, keep)),
    ]
    failed: list[str] = []
    for part, collect in parts:
        if not any(rules.get(kind) for kind in PART_KINDS[part]):
            continue  # none of its kinds has an active rule: it finds nothing (no savepoint)
        mark = len(found)
        try:
            with transaction.atomic():
                collect()
        except Exception:
            del found[mark:]  # a part gives all its reminders or none
            failed.append(part)
            logger.exception(
                "Reminders: the %s part of the scan for %s failed; the other parts ran.",
                part,
                today.isoformat(),
            )
    found.sort(key=lambda d: (d.due_on, d.kind, d.subject, d.offset_days))
    return Occurrences(found, failed=failed)


def _rotation_reminders(
    rules: _Rules,
    today: dt.date,
    last: dt.date,
    recipients: _Recipients,
    name: Callable[[int | None], str],
    keep: _Keep,
) -> None:
    """Approval due before a term whose chair is not approved; handover before an approved
    one. Both look at the terms starting before the furthest offset could reach."""
    approval = rules.get(ReminderKind.APPROVAL_DUE, [])
    handover = rules.get(ReminderKind.HANDOVER_UPCOMING, [])
    if not approval and not handover:
        return
    rotation = Rotation.current()
    reach = last + dt.timedelta(days=max([*approval, *handover]) + 1)
    count, cursor = 1, rotation.slot_start(today)
    while cursor <= reach and count < 400:
        cursor = rotation.next_start(cursor)
        count += 1
    forecast = rotation_forecast(count=count, today=today).terms
    for previous, term in itertools.pairwise(forecast):
        outgoing = previous.chamber_id if previous.approved else None
        if not term.approved:
            ends = term.start - dt.timedelta(days=1)
            # Counted from the current term's last day, which is still in time to approve.
            keep(
                ReminderKind.APPROVAL_DUE,
                ends,
                approval,
                last_day=ends,
                subject=f"period:{term.start.isoformat()}",
                link=reverse("rotation:rotation"),
                context={
                    "start": term.start.isoformat(),
                    "end": term.end.isoformat(),
                    "current_ends": ends.isoformat(),
                    "current": outgoing,
                    "next": term.chamber_id,
                },
                label=_("Chair from %(start)s (forecast: %(chamber)s)")
                % {"start": term.start.isoformat(), "chamber": name(term.chamber_id)},
                recipients=[
                    *recipients.staff(),
                    *recipients.chambers([outgoing, term.chamber_id]),
                ],
            )
        elif term.term_id is not None:
            keep(
                ReminderKind.HANDOVER_UPCOMING,
                term.start,
                handover,
                subject=f"term:{term.term_id}",
                link=reverse("rotation:term", args=[term.term_id]),
                context={
                    "term": term.term_id,
                    "start": term.start.isoformat(),
                    "outgoing": outgoing,
                    "incoming": term.chamber_id,
                },
                label=_("Handover from %(outgoing)s to %(incoming)s on %(start)s")
                % {
                    "outgoing": name(outgoing),
                    "incoming": name(term.chamber_id),
                    "start": term.start.isoformat(),
                },
                recipients=[
                    *recipients.staff(),
                    *recipients.chambers([outgoing, term.chamber_id]),
                ],
            )


def _term_started(
    rules: _Rules, today: dt.date, last: dt.date, recipients: _Recipients, keep: _Keep
) -> None:
    """On a term's first day, to every member and observer of the union on that day."""
    offsets = rules.get(ReminderKind.TERM_STARTED, [])
    if not offsets:
        return
    late = dt.timedelta(days=settings.REMINDERS_LATE_DAYS + max(offsets))
    terms = list(
        Term.objects.filter(
            state=TermState.APPROVED,
            start__gte=today - late,
            start__lte=last,
        ).select_related("chamber")
    )
    if not terms:
        return
    timeline = membership_timeline(since=min(t.start for t in terms))
    for term in terms:
        members = timeline.chambers_with(
            [MembershipStatus.MEMBER, MembershipStatus.OBSERVER], term.start
        )
        keep(
            ReminderKind.TERM_STARTED,
            term.start,
            offsets,
            late_until=term.end + dt.timedelta(days=1),
            subject=f"term:{term.pk}",
            link=reverse("rotation:term", args=[term.pk]),
            context={"term": term.pk, "start": term.start.isoformat()},
            label=_("%(chamber)s chairs the union from %(start)s")
            % {"chamber": term.chamber.name, "start": term.start.isoformat()},
            recipients=recipients.chambers(members),
        )


def _meeting_reminders(
    rules: _Rules, today: dt.date, last: dt.date, recipients: _Recipients, keep: _Keep
) -> None:
    """Unanswered invitations before a planned meeting; unpublished minutes after a held one."""
    before = rules.get(ReminderKind.INVITATION_UNANSWERED, [])
    after = rules.get(ReminderKind.MINUTES_UNPUBLISHED, [])
    # A day of margin on each side: a meeting's day is taken in its own time zone.
    window = Q()
    if before:
        window |= Q(
            status=MeetingStatus.PLANNED,
            starts_at__date__gte=today - dt.timedelta(days=1),
            starts_at__date__lte=last + dt.timedelta(days=max(before) + 1),
        )
    if after:
        window |= Q(
            status=MeetingStatus.HELD,
            minutes_published=False,
            starts_at__date__gte=today
            - dt.timedelta(days=max(after) + settings.REMINDERS_LATE_DAYS + 1),
            starts_at__date__lte=last,
        )
    if not window:
        return
    meetings = list(Meeting.objects.filter(window))
    unanswered: dict[int, list[int]] = defaultdict(list)
    planned = [m.pk for m in meetings if m.status == MeetingStatus.PLANNED]
    if planned:
        for meeting_id, chamber_id in Invitation.objects.filter(
            meeting_id__in=planned, response=RSVP.PENDING
        ).values_list("meeting_id", "chamber_id"):
            unanswered[meeting_id].append(chamber_id)
    for meeting in meetings:
        label = meeting.display_title
        link = reverse("meetings:meeting", args=[meeting.pk])
        context = {"meeting": meeting.pk, "date": meeting.date.isoformat()}
        if meeting.status == MeetingStatus.PLANNED:
            people = recipients.chambers(unanswered.get(meeting.pk, []))
            if not people:
                continue
            keep(
                ReminderKind.INVITATION_UNANSWERED,
                meeting.date,
                before,
                subject=f"meeting:{meeting.pk}",
                link=link,
                context=context,
                label=label,
                recipients=people,
            )
        else:
            keep(
                ReminderKind.MINUTES_UNPUBLISHED,
                meeting.date,
                after,
                subject=f"meeting:{meeting.pk}",
                link=link,
                context=context,
                label=label,
                recipients=recipients.staff(),
            )


def _action_items(
    rules: _Rules,
    today: dt.date,
    last: dt.date,
    recipients: _Recipients,
    name: Callable[[int | None], str],
    keep: _Keep,
) -> None:
    """After an open action item's due date, to the responsible chamber's focal point."""
    offsets = rules.get(ReminderKind.ACTION_OVERDUE, [])
    if not offsets:
        return
    earliest = today - dt.timedelta(days=max(offsets) + settings.REMINDERS_LATE_DAYS)
    # Values, not objects (the title in the active language, the chamber's name by ``name``),
    # and the page's address reversed once: at 11,000 overdue items the objects with every
    # translation of the item and of its chamber took over a second.
    items = ActionItem.objects.filter(
        status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
        due__gte=earliest,
        due__lte=last,
    ).values_list("pk", "title", "due", "responsible_id")
    page = reverse("meetings:priorities")
    for pk, title, item_due, responsible_id in items:
        due = cast(dt.date, item_due)  # the query leaves out items without a due date
        keep(
            ReminderKind.ACTION_OVERDUE,
            due,
            offsets,
            subject=f"action:{pk}",
            link=f"{page}#action-item-{pk}",
            context={"action": pk, "due": due.isoformat()},
            label=_("%(title)s (%(chamber)s, due %(due)s)")
            % {"title": title, "chamber": name(responsible_id), "due": due.isoformat()},
            recipients=recipients.chamber(responsible_id),
        )


def deadline_day(procedure: Procedure) -> dt.date:
    """The day of a procedure's deadline, the union's (``settings.TIME_ZONE``), whatever time
    zone is active: what the unanswered procedure's offsets count back from."""
    return timezone.localdate(procedure.closes_at, timezone.get_default_timezone())


def _procedures(
    rules: _Rules, today: dt.date, last: dt.date, recipients: _Recipients, keep: _Keep
) -> None:
    """Before an open written procedure's deadline day, to the voters that have not answered.

    The last window runs through the deadline's day (the procedure takes answers until the
    deadline's hour); after the deadline the procedure is closed, or about to be, and the
    e-mail is no longer composed (:mod:`reminders.messages`). An offset whose day came before
    the procedure opened was never missed: it is left out (the opening letter said it all)."""
    offsets = rules.get(ReminderKind.PROCEDURE_UNANSWERED, [])
    if not offsets:
        return
    # A day of margin on each side: the deadline's day is taken in the union's time zone.
    procedures = list(
        Procedure.objects.filter(
            state=ProcedureState.OPEN,
            closes_at__date__gte=today - dt.timedelta(days=1),
            closes_at__date__lte=last + dt.timedelta(days=max(offsets) + 1),
        )
        .select_related("decision")
        .order_by("closes_at", "pk")
    )
    if not procedures:
        return
    ids = [p.pk for p in procedures]
    voters: dict[int, list[int]] = defaultdict(list)
    for procedure_id, chamber_id in (
        Procedure.voters.through.objects.filter(procedure_id__in=ids)
        .order_by("procedure_id", "chamber_id")
        .values_list("procedure_id", "chamber_id")
    ):
        voters[procedure_id].append(chamber_id)
    answered = set(
        Ballot.objects.filter(procedure_id__in=ids).values_list("procedure_id", "chamber_id")
    )
    for procedure in procedures:
        day = deadline_day(procedure)
        unanswered = [c for c in voters.get(procedure.pk, []) if (procedure.pk, c) not in answered]
        people = recipients.chambers(unanswered)
        if not people:
            continue
        decision = procedure.decision
        keep(
            ReminderKind.PROCEDURE_UNANSWERED,
            day,
            [n for n in offsets if day - dt.timedelta(days=n) >= procedure.opened_on],
            last_day=day,
            subject=f"procedure:{procedure.pk}",
            link=reverse("meetings:procedure", args=[decision.pk]),
            context={
                "procedure": procedure.pk,
                "decision": decision.pk,
                "deadline": day.isoformat(),
            },
            label=decision.title,
            recipients=people,
        )
