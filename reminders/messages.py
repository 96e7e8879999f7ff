"""The words of each reminder and notice, composed in the recipient's language when it is sent.

The log row carries ids and dates (``context``); names are read again here, in the language
of the recipient, so a chamber's Kazakh name reaches a Kazakh-speaking focal point. A notice
reads its meeting, decision or written procedure as it stands when it is sent: an invitation
lists the agenda and documents of that moment and carries the meeting as an ``.ics`` file; a
procedure's letter, draft and result read in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from chambers.models import Chamber
from core import l10n
from meetings import calendar
from meetings.models import (
    ActionItem,
    AgendaItem,
    Ballot,
    Decision,
    Meeting,
    MeetingDocument,
    Procedure,
    ProcedureMode,
    ProcedureState,
)
from meetings.services import outcome_of

from .models import NOTICE_KINDS, Reminder, ReminderKind


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Item:
    """A line of a list in the e-mail (an agenda item, a document), with an optional link."""

    text: str
    url: str = ""


@dataclass
class Message:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class _Body:
    """What an e-mail says: its subject, paragraphs, then lists (a heading and its items)."""

    subject: str
    paragraphs: list[str]
    lists: list[tuple[str, list[Item]]] = field(default_factory=list)
    link_label: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _date(value: str | None) -> str:
    """A date in the recipient's language (CLDR, core.l10n): "1 января 2027 г."."""
    return l10n.format_date(dt.date.fromisoformat(value)) if value else "—"


def _chamber(chamber_id: int | None) -> str:
    if chamber_id is None:
        return _("not yet known")
    chamber = Chamber.objects.filter(pk=chamber_id).first()
    return chamber.name if chamber else _("not yet known")


def _lines(reminder: Reminder) -> tuple[str, list[str]]:
    """The subject line and paragraphs of one reminder, in the active language."""
    ctx = reminder.context
    kind = reminder.kind
    if kind == ReminderKind.APPROVAL_DUE:
        subject = _("Approval of the chair from %(start)s is due") % {"start": _date(ctx["start"])}
        return subject, [
            _(
                "The current chairmanship ends on %(ends)s and the chair for the term from "
                "%(start)s to %(end)s is not yet approved."
            )
            % {
                "ends": _date(ctx["current_ends"]),
                "start": _date(ctx["start"]),
                "end": _date(ctx["end"]),
            },
            _("Current chair: %(current)s. Next in the agreed order: %(next)s.")
            % {"current": _chamber(ctx.get("current")), "next": _chamber(ctx.get("next"))},
            _("Please put the approval on the agenda of the General Assembly."),
        ]
    if kind == ReminderKind.HANDOVER_UPCOMING:
        subject = _("Handover of the chairmanship on %(start)s") % {"start": _date(ctx["start"])}
        return subject, [
            _("The chairmanship passes from %(outgoing)s to %(incoming)s on %(start)s.")
            % {
                "outgoing": _chamber(ctx.get("outgoing")),
                "incoming": _chamber(ctx.get("incoming")),
                "start": _date(ctx["start"]),
            },
            _("Please agree the handover and record it in the secretariat system."),
        ]
    if kind == ReminderKind.TERM_STARTED:
        term_chamber = _chamber(_term_chamber(ctx["term"]))
        subject = _("%(chamber)s chairs the union from %(start)s") % {
            "chamber": term_chamber,
            "start": _date(ctx["start"]),
        }
        return subject, [
            _("A new term of the chairmanship began on %(start)s: %(chamber)s chairs the union.")
            % {"chamber": term_chamber, "start": _date(ctx["start"])}
        ]
    if kind == ReminderKind.INVITATION_UNANSWERED:
        meeting = _meeting(ctx["meeting"])
        subject = _("Please answer the invitation: %(meeting)s") % {"meeting": meeting}
        return subject, [
            _("%(meeting)s takes place on %(date)s and your chamber has not yet answered.")
            % {"meeting": meeting, "date": _date(ctx["date"])},
            _("Please tell the secretariat whether you will attend and who your delegates are."),
        ]
    if kind == ReminderKind.MINUTES_UNPUBLISHED:
        meeting = _meeting(ctx["meeting"])
        subject = _("Minutes not yet published: %(meeting)s") % {"meeting": meeting}
        return subject, [
            _("%(meeting)s was held on %(date)s; its minutes are not yet published.")
            % {"meeting": meeting, "date": _date(ctx["date"])}
        ]
    item = ActionItem.objects.filter(pk=ctx["action"]).first()
    title = item.title if item else "—"
    subject = _("Action item overdue: %(title)s") % {"title": title}
    return subject, [
        _("The action item “%(title)s” was due on %(due)s and is not yet done.")
        % {"title": title, "due": _date(ctx["due"])},
        _("Please report its progress or agree a new date with the secretariat."),
    ]


def _term_chamber(term_id: int) -> int | None:
    from rotation.models import Term

    return Term.objects.filter(pk=term_id).values_list("chamber_id", flat=True).first()


def _meeting(meeting_id: int) -> str:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return meeting.display_title if meeting else "—"


# Notices ------------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """``text`` on one line: a newline in a title must never reach an e-mail header."""
    return " ".join(str(text).split())


def _portal(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def _when(meeting: Meeting) -> str:
    """ "14 мая 2027 г., 10:00–13:00 (Asia/Almaty)": in the meeting's own time zone, named,
    the dates in the recipient's language."""
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    starts, ends = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    end = f"{ends:%H:%M}"
    if ends.date() != starts.date():
        end = f"{l10n.format_date(ends.date())}, {end}"
    return f"{l10n.format_date(starts.date())}, {starts:%H:%M}–{end} ({meeting.time_zone})"


def _meeting_with_parts(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(pk=meeting_id)
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("position")),
            Prefetch("documents", queryset=MeetingDocument.objects.order_by("uploaded_at", "pk")),
        )
        .first()
    )


def _agenda(meeting: Meeting) -> list[Item]:
    return [Item(f"{item.position}. {item.title}") for item in meeting.agenda.all()]


def _documents(documents: list[MeetingDocument]) -> list[Item]:
    return [
        Item(doc.title, _portal(reverse("meetings:document", args=[doc.meeting_id, doc.pk])))
        for doc in documents
    ]


def _ics(meeting: Meeting) -> Attachment:
    """The meeting as an iCalendar file, as the portal's ``.ics`` link serves it."""
    domain = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    body = calendar.build_calendar(
        [meeting],
        domain=domain,
        url_for=lambda m: _portal(reverse("meetings:meeting", args=[m.pk])),
    )
    return Attachment(f"meeting-{meeting.pk}.ics", body, "text/calendar")


def _facts(meeting: Meeting) -> list[str]:
    place = calendar.location(meeting) or _("to be announced")
    return [
        _("When: %(when)s") % {"when": _when(meeting)},
        _("Where: %(place)s (%(format)s)")
        % {"place": place, "format": meeting.get_format_display()},
    ]


def _paragraphs(text: str) -> list[str]:
    """A text's paragraphs (separated by a blank line), each trimmed."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


# Written procedures -------------------------------------------------------------------------


def _deadline(procedure: Procedure) -> str:
    """ "14 мая 2027 г., 18:00 (Asia/Almaty)": a procedure's deadline in the zone it was set
    in, named, the date in the recipient's language (the portal shows it the same way)."""
    local = procedure.local_closes_at
    return f"{l10n.format_date(local.date())}, {local:%H:%M} ({procedure.time_zone})"


def _union_day(moment: dt.datetime) -> str:
    """The union's day of ``moment`` in the recipient's language."""
    return l10n.format_date(timezone.localdate(moment, timezone.get_default_timezone()))


def _procedure(procedure_id: int) -> Procedure | None:
    return Procedure.objects.filter(pk=procedure_id).select_related("decision__meeting").first()


def _names(procedure: Procedure) -> dict[str, str]:
    decision = procedure.decision
    return {
        "reference": decision.reference,
        "title": decision.title,
        "deadline": _deadline(procedure),
    }


def _procedure_opened(procedure: Procedure) -> _Body:
    """The opening letter: what is asked and by when, the secretariat's letter, the draft."""
    names = _names(procedure)
    if procedure.mode == ProcedureMode.SILENCE:
        subject = _("Silence procedure: %(title)s") % names
        asked = [
            _("%(reference)s, “%(title)s”, is put to your chamber by silence procedure.") % names,
            _(
                "It is adopted unless a member objects by %(deadline)s. To object, give your "
                "chamber's reason in the portal; if it does not object, nothing is needed."
            )
            % names,
        ]
        link_label = _("Open the procedure")
    else:
        subject = _("Written procedure: %(title)s") % names
        asked = [
            _("%(reference)s, “%(title)s”, is put to your chamber by written procedure.") % names,
            _("Please answer for, against or abstain in the portal by %(deadline)s.") % names,
        ]
        link_label = _("Answer in the portal")
    draft = _paragraphs(procedure.decision.text)
    return _Body(
        subject=subject,
        paragraphs=[
            *asked,
            *_paragraphs(procedure.letter),
            *([_("The draft decision:"), *draft] if draft else []),
        ],
        link_label=link_label,
    )


def _procedure_unanswered(reminder: Reminder) -> _Body | None:
    """The reminder of a procedure the recipient's chamber has not answered; ``None`` once it
    no longer takes answers (closed, withdrawn, its deadline passed) or the chamber answered."""
    procedure = _procedure(reminder.context["procedure"])
    if procedure is None or not procedure.takes_answers():
        return None
    chamber_id = reminder.chamber_id
    if chamber_id is not None and (
        Ballot.objects.filter(procedure=procedure, chamber_id=chamber_id).exists()
    ):
        return None
    names = _names(procedure)
    if procedure.mode == ProcedureMode.SILENCE:
        return _Body(
            subject=_("Silence procedure closing soon: %(title)s") % names,
            paragraphs=[
                _(
                    "%(reference)s, “%(title)s”, is under silence procedure until %(deadline)s: "
                    "it is adopted unless a member objects by then."
                )
                % names,
                _("If your chamber objects, give its reason in the portal before the deadline."),
            ],
            link_label=_("Open the procedure"),
        )
    return _Body(
        subject=_("Your chamber has not yet answered: %(title)s") % names,
        paragraphs=[
            _(
                "%(reference)s, “%(title)s”, is under written procedure until %(deadline)s and "
                "your chamber has not yet answered."
            )
            % names,
            _(
                "Please answer for, against or abstain in the portal before the deadline: an "
                "answer after it is not counted."
            ),
        ],
        link_label=_("Answer in the portal"),
    )


def _counts(procedure: Procedure) -> list[str]:
    """The count kept at the close: the votes (or the objections) and who answered."""
    outcome = outcome_of(procedure)
    if procedure.mode == ProcedureMode.SILENCE:
        counted = ngettext("%(count)s objection.", "%(count)s objections.", outcome.objections) % {
            "count": outcome.objections
        }
    else:
        counted = _("For: %(for)s. Against: %(against)s. Abstained: %(abstain)s.") % {
            "for": outcome.votes_for,
            "against": outcome.votes_against,
            "abstain": outcome.abstentions,
        }
    answered = ngettext(
        "%(answered)s of %(voters)s voter answered.",
        "%(answered)s of %(voters)s voters answered.",
        outcome.voters,
    ) % {"answered": outcome.answered, "voters": outcome.voters}
    return [counted, answered]


def _procedure_closed(procedure: Procedure) -> _Body:
    """The result: adopted, or not and why, with the count; or withdrawn."""
    names = _names(procedure)
    silence = procedure.mode == ProcedureMode.SILENCE
    closed_at = procedure.closed_at or procedure.closes_at
    if procedure.state == ProcedureState.WITHDRAWN:
        subject = (
            _("Silence procedure withdrawn: %(title)s")
            if silence
            else _("Written procedure withdrawn: %(title)s")
        )
        return _Body(
            subject=subject % names,
            paragraphs=[
                _(
                    "The procedure on %(reference)s, “%(title)s”, was withdrawn by the "
                    "secretariat on %(date)s: nothing was counted and the decision is not "
                    "adopted."
                )
                % {**names, "date": _union_day(closed_at)}
            ],
            link_label=_("Open the procedure"),
        )
    # Counted at the deadline, however late the close ran; or when staff closed it early.
    dated = {**names, "date": _union_day(min(closed_at, procedure.closes_at))}
    if procedure.adopted:
        if silence:
            subject = _("Adopted by silence procedure: %(title)s")
            result = _(
                "%(reference)s, “%(title)s”, was adopted by silence procedure on %(date)s: no "
                "member objected."
            )
        else:
            subject = _("Adopted by written procedure: %(title)s")
            result = _("%(reference)s, “%(title)s”, was adopted by written procedure on %(date)s.")
        why: list[str] = []
    else:
        if silence:
            subject = _("Not adopted by silence procedure: %(title)s")
        else:
            subject = _("Not adopted by written procedure: %(title)s")
        result = _("%(reference)s, “%(title)s”, was not adopted: the procedure closed on %(date)s.")
        why = list(outcome_of(procedure).reasons)
        if procedure.refusal:
            why.append(
                _("The answers adopted it, but its effects could not be applied: %(reason)s")
                % {"reason": procedure.refusal}
            )
    return _Body(
        subject=subject % names,
        paragraphs=[result % dated, *why, *_counts(procedure)],
        link_label=_("Open the procedure"),
    )


def _procedure_notice(reminder: Reminder) -> _Body | None:
    """The opening letter (``None`` once the procedure no longer takes answers) or the result
    (``None`` while it is open, which a close never undoes)."""
    procedure = _procedure(reminder.context["procedure"])
    if procedure is None:
        return None
    if reminder.kind == ReminderKind.PROCEDURE_OPENED:
        return _procedure_opened(procedure) if procedure.takes_answers() else None
    if procedure.state == ProcedureState.OPEN:
        return None
    return _procedure_closed(procedure)


def _notice(reminder: Reminder) -> _Body | None:
    """The words of a notice; ``None`` when it is no longer to be sent (its meeting is gone,
    cancelled or over, its decision gone or no longer published, its procedure gone or, for
    the opening letter, no longer taking answers)."""
    ctx = reminder.context
    if reminder.kind in (ReminderKind.PROCEDURE_OPENED, ReminderKind.PROCEDURE_CLOSED):
        return _procedure_notice(reminder)
    if reminder.kind == ReminderKind.DECISION_ADOPTED:
        decision = (
            Decision.objects.filter(pk=ctx["decision"], published=True, adopted_at__isnull=False)
            .select_related("meeting")
            .first()
        )
        if decision is None:
            return None
        adopted_on = timezone.localdate(decision.adopted_at)
        return _Body(
            subject=_("Decision adopted: %(title)s") % {"title": decision.title},
            paragraphs=[
                _("%(reference)s, “%(title)s”, was adopted on %(date)s and is published.")
                % {
                    "reference": decision.reference,
                    "title": decision.title,
                    "date": adopted_on.isoformat(),
                },
                *_paragraphs(decision.text),
            ],
            link_label=_("Open the register of decisions"),
        )
    meeting = _meeting_with_parts(ctx["meeting"])
    if meeting is None or not meeting.accepts_answers or meeting.ends_at < timezone.now():
        return None
    title = meeting.display_title
    documents = list(meeting.documents.all())
    agenda = _agenda(meeting) or [Item(_("The agenda is not yet set."))]
    if reminder.kind == ReminderKind.INVITATION:
        return _Body(
            subject=_("Invitation: %(meeting)s, %(date)s")
            % {"meeting": title, "date": meeting.date.isoformat()},
            paragraphs=[
                _("Your chamber is invited to %(meeting)s.") % {"meeting": title},
                *_facts(meeting),
                _(
                    "Please answer the invitation in the portal: whether you attend, and who "
                    "your delegates are. The attached file adds the meeting to your calendar."
                ),
            ],
            lists=[
                (_("Agenda"), agenda),
                (_("Documents"), _documents(documents) or [Item(_("None yet."))]),
            ],
            link_label=_("Answer the invitation"),
            attachments=[_ics(meeting)],
        )
    day = dt.date.fromisoformat(ctx["day"])
    added = [doc for doc in documents if timezone.localdate(doc.uploaded_at) == day]
    lists = [(_("Documents added on %(day)s") % {"day": ctx["day"]}, _documents(added))]
    return _Body(
        subject=_("Meeting updated: %(meeting)s") % {"meeting": title},
        paragraphs=[
            _("The documents or the agenda of %(meeting)s changed on %(day)s.")
            % {"meeting": title, "day": ctx["day"]},
            *_facts(meeting),
        ],
        lists=[*(lists if added else []), (_("The agenda as it stands"), agenda)],
        link_label=_("Open the meeting"),
    )


def compose(reminder: Reminder) -> Message | None:
    """The e-mail for ``reminder``, plain text and HTML (and any attachment), in the
    recipient's language; ``None`` for a notice no longer to be sent, or a reminder of a
    procedure no longer taking answers (or answered meanwhile)."""
    with override(reminder.language or settings.LANGUAGE_CODE):
        body: _Body | None
        if reminder.kind in NOTICE_KINDS:
            body = _notice(reminder)
        elif reminder.kind == ReminderKind.PROCEDURE_UNANSWERED:
            body = _procedure_unanswered(reminder)
        else:
            body = _Body(*_lines(reminder))
        if body is None:
            return None
        subject = one_line(body.subject)
        context = {
            "subject": subject,
            "paragraphs": body.paragraphs,
            "lists": body.lists,
            "link": _portal(reminder.link) if reminder.link else "",
            "link_label": body.link_label,
            "portal": settings.PORTAL_URL,
            "kind": reminder.get_kind_display(),
            "is_notice": reminder.is_notice,
        }
        return Message(
            subject=subject,
            text=render_to_string("reminders/email.txt", context),
            html=render_to_string("reminders/email.html", context),
            attachments=body.attachments,
        )
