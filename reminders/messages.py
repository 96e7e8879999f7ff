"""The words of each reminder, composed in the recipient's language when it is sent.

The log row carries ids and dates (``context``); names are read again here, in the language
of the recipient, so a chamber's Kazakh name reaches a Kazakh-speaking focal point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from chambers.models import Chamber
from meetings.models import ActionItem, Meeting

from .models import Reminder, ReminderKind


@dataclass
class Message:
    subject: str
    text: str
    html: str


def _date(value: str | None) -> str:
    return formats.date_format(dt.date.fromisoformat(value), "DATE_FORMAT") if value else "—"


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


def compose(reminder: Reminder) -> Message:
    """The e-mail for ``reminder``, plain text and HTML, in the recipient's language."""
    with override(reminder.language or settings.LANGUAGE_CODE):
        subject, paragraphs = _lines(reminder)
        context = {
            "subject": subject,
            "paragraphs": paragraphs,
            "link": f"{settings.PORTAL_URL}{reminder.link}" if reminder.link else "",
            "portal": settings.PORTAL_URL,
            "kind": reminder.get_kind_display(),
        }
        return Message(
            subject=subject,
            text=render_to_string("reminders/email.txt", context),
            html=render_to_string("reminders/email.html", context),
        )
