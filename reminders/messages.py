"""The words of each reminder and notice, composed in the recipient's language when it is sent.

The log row carries ids and dates (``context``); names are read again here, in the language
of the recipient, so a chamber's Kazakh name reaches a Kazakh-speaking focal point. A notice
reads its meeting or decision as it stands when it is sent: an invitation lists the agenda and
documents of that moment and carries the meeting as an ``.ics`` file.
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
from django.utils.translation import override

from chambers.models import Chamber
from core import l10n
from meetings import calendar
from meetings.models import ActionItem, AgendaItem, Decision, Meeting, MeetingDocument

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


def _notice(reminder: Reminder) -> _Body | None:
    """The words of a notice; ``None`` when it is no longer to be sent (its meeting is gone,
    cancelled or over, its decision gone or no longer published)."""
    ctx = reminder.context
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
                *[part.strip() for part in re.split(r"\n\s*\n", decision.text) if part.strip()],
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
    recipient's language; ``None`` for a notice no longer to be sent."""
    with override(reminder.language or settings.LANGUAGE_CODE):
        if reminder.kind in NOTICE_KINDS:
            body = _notice(reminder)
            if body is None:
                return None
        else:
            body = _Body(*_lines(reminder))
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
