"""Notices by e-mail (issue 11): an invitation to each chamber invited, one notice a day of a
meeting's documents or agenda changed, and a decision's adoption once it is published.

They go through the reminders' log (one row per kind, subject, offset and recipient: exactly
once), the reminders' recipient rules (a chamber's focal points, else its head, in their
language) and the reminders' sending. Publishing is replaced by :class:`Broker`, which runs a
send task at once, as a worker would after commit; the last test delivers through a real worker
to a real SMTP server.

The reminders' union (``world``): KZ's focal point reads Kazakh, KG's head Russian, TR's focal
point Turkish, the observer HU's focal point English; the suspended SUS is never told.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import l10n, outbox
from core.access import access_for_user
from meetings import services as meetings
from meetings.models import Decision, Invitation, Meeting
from reminders import notices, services
from reminders.models import NOTICE_KINDS, Reminder, ReminderKind, ReminderRule, ReminderStatus
from reminders.tasks import scan_reminders, send_reminder
from tests.factories import SYSTEM, UserFactory, make_login
from tests.reminders.delivery import purge_queue, subject
from tests.scenes import World, attend_all, make_decision, pdf_upload

K = ReminderKind
S = ReminderStatus
SEND = send_reminder.name
ALMATY = ZoneInfo("Asia/Almaty")

#: The notices of a meeting's events (the written procedures' are in test_procedure_notices.py).
MEETING_NOTICES = NOTICE_KINDS - {K.PROCEDURE_OPENED, K.PROCEDURE_CLOSED}

#: Who the world's union tells, and in which language (SUS is suspended: never invited).
READERS = {
    "focal@kz.example": "kk",
    "head@kg.example": "ru",
    "focal@tr.example": "tr",
    "focal@hu.example": "en",
}


class Broker:
    """Stands in for the outbox's publishing (``core.outbox.enqueue_each``): a send task is
    run at once, as a worker would; a scan task is only counted. ``down`` refuses all."""

    def __init__(self) -> None:
        self.sends: list[int] = []
        self.scans = 0
        self.down = False

    def enqueue_each(self, task, calls) -> int:
        published = 0
        for args in calls:
            if self.down:
                break
            if task.name == send_reminder.name:
                self.sends.append(args[0])
                services.reminder_send(reminder_id=args[0])
            else:
                self.scans += 1
            published += 1
        return published


@pytest.fixture
def broker(monkeypatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr(outbox, "enqueue_each", fake.enqueue_each)
    return fake


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``commit(call, ...)``: run a service, then what it asked to run after its commit."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def scene(notice_rules, world, broker, commit) -> World:
    """The world with the notices on and the scan's own reminders off (the world's rotation
    has some due today): what a scan sends here is notices."""
    ReminderRule.objects.exclude(kind__in=NOTICE_KINDS).update(active=False)
    return world


def starts_in(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def new_meeting(commit, *, days: int = 60, **data) -> Meeting:
    """A board meeting ``days`` ahead, 10:00-13:00 in Almaty, inviting every member and
    observer (as ``meeting_create`` does)."""
    starts = starts_in(days)
    fields = {
        "kind": "board",
        "title": "Board on trade corridors",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "time_zone": "Asia/Almaty",
        "venue_city": "Astana",
        "venue_country": "KZ",
        **data,
    }
    return commit(meetings.meeting_create, actor=SYSTEM, data=fields)


def translated(language: str, text: str, **values) -> str:
    """``text`` in ``language``; for a language other than English, the catalogue must have it
    (else the test would not show the e-mail is in the recipient's language)."""
    with override(language):
        words = _(text) % values
    if language != "en":
        assert words != text % values, f"{text!r} is not translated into {language}"
    return words


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def rows(kind: str) -> list[Reminder]:
    return list(Reminder.objects.filter(kind=kind).order_by("email"))


def body(message) -> tuple[str, str]:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return message.body, html


# The invitation ------------------------------------------------------------------------------


def test_an_invitation_reaches_each_invited_chamber_once_in_its_language_with_the_meeting(
    scene, broker, commit
):
    meeting = new_meeting(commit)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Corridors"})

    invitations = rows(K.INVITATION)
    assert {r.email: r.language for r in invitations} == READERS
    assert {r.subject for r in invitations} == {f"meeting:{meeting.pk}"}
    assert all(r.status == S.SENT and r.attempts == 1 for r in invitations)
    assert {r.chamber_id for r in invitations} == {
        scene.kz.pk,
        scene.kg.pk,
        scene.tr.pk,
        scene.hu.pk,
    }
    assert [m.to[0] for m in mail.outbox if m.to[0] == "focal@sus.example"] == []

    local_day = meeting.starts_at.astimezone(ALMATY).date()
    for address, language in READERS.items():
        # The day in the reader's language (CLDR), the meeting's own hours and zone.
        when = f"{l10n.format_date(local_day, language=language)}, 10:00–13:00 (Asia/Almaty)"
        (message, *_changed) = to(address)
        expected = translated(
            language,
            "Invitation: %(meeting)s, %(date)s",
            meeting="Board on trade corridors",
            date=meeting.date.isoformat(),
        )
        assert message.subject == expected
        text, html = body(message)
        # The meeting's own time zone, named; never the server's (UTC: 04:00).
        assert translated(language, "When: %(when)s", when=when) in text
        assert "04:00" not in text
        assert translated(language, "Your chamber is invited to %(meeting)s.",
                          meeting="Board on trade corridors") in text  # fmt: skip
        assert f"http://localhost:8000/meetings/{meeting.pk}/#rsvp" in text
        assert f'href="http://localhost:8000/meetings/{meeting.pk}/#rsvp"' in html
        assert f'<html lang="{language}">' in html
        # The .ics of the meeting, as the portal's link serves it.
        ((name, content, mimetype),) = message.attachments
        assert name == f"meeting-{meeting.pk}.ics"
        assert mimetype == "text/calendar"
        content = content.decode() if isinstance(content, bytes) else content
        assert "BEGIN:VCALENDAR" in content and "BEGIN:VEVENT" in content
        assert f"UID:meeting-{meeting.pk}@localhost" in content
        assert "SUMMARY:Board on trade corridors" in content


def test_the_invitation_lists_the_agenda_and_documents_as_they_stand_when_it_is_sent(
    scene, broker, commit
):
    broker.down = True  # recorded now, sent by the next scan
    meeting = new_meeting(commit)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Corridors"})
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Budget"})
    document = commit(
        meetings.document_add,
        actor=SYSTEM,
        meeting=meeting,
        title="Draft programme",
        upload=pdf_upload(),
    )
    broker.down = False
    commit(services.reminders_scan, today=notices.today())

    (message,) = [m for m in to("focal@hu.example") if m.subject.startswith("Invitation")]
    text, html = body(message)
    assert "1. Corridors" in text and "2. Budget" in text
    link = f"http://localhost:8000/meetings/{meeting.pk}/documents/{document.pk}/"
    assert f"- Draft programme <{link}>" in text
    assert f'<a href="{link}">Draft programme</a>' in html
    assert "Where: Astana, Kazakhstan (In person)" in text


def test_inviting_again_scanning_again_or_a_repeated_task_sends_nothing_twice(
    scene, broker, commit
):
    meeting = new_meeting(commit)
    assert len(mail.outbox) == 4
    # Everyone is invited already: no new invitation, no event.
    assert commit(meetings.meeting_invite_all, actor=SYSTEM, meeting=meeting) == []
    commit(meetings.meeting_invite, actor=SYSTEM, meeting=meeting, chamber=scene.kz)
    # An invitation removed and made again is the same invitation: its notice went out.
    invitation = Invitation.objects.get(meeting=meeting, chamber=scene.kg)
    commit(meetings.meeting_part_remove, actor=SYSTEM, part=invitation)
    commit(meetings.meeting_invite, actor=SYSTEM, meeting=meeting, chamber=scene.kg)
    # The daily scan and a staff retry leave sent notices alone; a task delivered twice finds
    # its row sent.
    result = commit(services.reminders_scan, today=notices.today())
    assert result.notices == 0 and not set(result.to_send) & {r.pk for r in rows(K.INVITATION)}
    staff = access_for_user(UserFactory(username="boss", is_staff=True))
    assert commit(services.reminders_retry, actor=staff, reminders=Reminder.objects.all()) == 0
    for row in rows(K.INVITATION):
        assert services.reminder_send(reminder_id=row.pk) == S.SENT

    assert len(mail.outbox) == 4
    assert len(rows(K.INVITATION)) == 4
    assert all(r.status == S.SENT and r.attempts == 1 for r in rows(K.INVITATION))


def test_a_chamber_invited_later_gets_its_own_invitation(scene, broker, commit):
    starts = starts_in(60)
    meeting = commit(
        meetings.meeting_create,
        actor=SYSTEM,
        data={"kind": "board", "title": "Small board", "starts_at": starts,
              "ends_at": starts + dt.timedelta(hours=1), "time_zone": "Asia/Almaty"},
        invite=False,
    )  # fmt: skip
    assert not Reminder.objects.exists()
    commit(meetings.meeting_invite, actor=SYSTEM, meeting=meeting, chamber=scene.tr)
    assert [(r.email, r.status) for r in rows(K.INVITATION)] == [("focal@tr.example", S.SENT)]
    commit(meetings.meeting_invite_all, actor=SYSTEM, meeting=meeting)
    assert {r.email for r in rows(K.INVITATION)} == set(READERS)
    assert len(to("focal@tr.example")) == 1


@pytest.mark.parametrize("status", ["cancelled", "held"])
def test_no_invitation_to_a_cancelled_or_held_meeting(status, scene, broker, commit):
    new_meeting(commit, status=status)
    assert not Reminder.objects.exists() and mail.outbox == []


def test_no_invitation_to_a_meeting_already_over(scene, broker, commit):
    new_meeting(commit, days=-3)  # recorded afterwards, still "planned"
    assert not Reminder.objects.exists() and mail.outbox == []


def test_an_invitation_not_yet_sent_when_the_meeting_is_cancelled_is_set_aside(
    scene, broker, commit
):
    broker.down = True
    meeting = new_meeting(commit)
    assert {r.status for r in rows(K.INVITATION)} == {S.PENDING}
    commit(meetings.meeting_update, actor=SYSTEM, meeting=meeting, data={"status": "cancelled"})
    broker.down = False
    result = commit(services.reminders_scan, today=notices.today())
    assert result.notices == 4
    assert {r.status for r in rows(K.INVITATION)} == {S.SKIPPED}
    assert mail.outbox == []


def test_a_newline_in_a_title_never_reaches_a_header(scene, broker, commit):
    """Titles are single-line now (core.bounds), but rows written before may hold a line
    break: written here past the validators, as such a row would be."""

    def create_with_an_old_title(**kwargs):
        meeting = meetings.meeting_create(**kwargs)
        Meeting.objects.filter(pk=meeting.pk).update(title="Board on\ntrade\r\ncorridors")
        return meeting

    fields = {
        "kind": "board",
        "title": "Board on trade corridors",
        "starts_at": starts_in(60),
        "ends_at": starts_in(60, 13),
        "time_zone": "Asia/Almaty",
    }
    meeting = commit(create_with_an_old_title, actor=SYSTEM, data=fields)
    assert len(mail.outbox) == 4  # no BadHeaderError
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
    (english,) = to("focal@hu.example")
    assert english.subject == f"Invitation: Board on trade corridors, {meeting.date.isoformat()}"
    attend_all(meeting)
    decision = make_decision(meeting, method="consensus", title="On routes", published=True)
    Decision.objects.filter(pk=decision.pk).update(title="On\nroutes")
    decision.refresh_from_db()
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)
    (adopted,) = [m for m in to("focal@hu.example") if m is not english]
    assert adopted.subject == "Decision adopted: On routes"


# Documents and agenda changed ----------------------------------------------------------------


def test_a_document_added_twice_on_one_day_is_one_notice_per_recipient(
    scene, broker, commit, monkeypatch
):
    meeting = new_meeting(commit)
    mail.outbox.clear()
    for title in ("Draft programme", "Logistics note"):
        commit(
            meetings.document_add,
            actor=SYSTEM,
            meeting=meeting,
            title=title,
            upload=pdf_upload(f"{title}.pdf"),
        )
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Corridors"})

    today = notices.today()
    changed = rows(K.MEETING_CHANGED)
    assert {r.email: r.language for r in changed} == READERS
    assert {r.subject for r in changed} == {f"meeting:{meeting.pk}:{today.isoformat()}"}
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))
    for address, language in READERS.items():
        (message,) = to(address)
        assert message.subject == translated(
            language, "Meeting updated: %(meeting)s", meeting="Board on trade corridors"
        )
        assert message.attachments == []
    text, _html = body(to("focal@hu.example")[0])
    assert "Documents added on" in text and "- Draft programme <http://" in text
    assert "The agenda as it stands:" in text

    # The next day, a change is told again, once.
    monkeypatch.setattr(notices, "today", lambda: today + dt.timedelta(days=1))
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Budget"})
    reversed_ids = list(meeting.agenda.order_by("-position").values_list("pk", flat=True))
    commit(meetings.agenda_reorder, actor=SYSTEM, meeting=meeting, item_ids=reversed_ids)
    assert len(rows(K.MEETING_CHANGED)) == 8
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 2))
    text, _html = body(to("focal@hu.example")[1])
    assert "1. Corridors" in text and "2. Budget" in text  # sent as the agenda stood then


def test_a_change_is_told_only_to_the_chambers_invited(scene, broker, commit):
    starts = starts_in(30)
    meeting = commit(
        meetings.meeting_create,
        actor=SYSTEM,
        data={"kind": "working_group", "title": "Logistics group", "starts_at": starts,
              "ends_at": starts + dt.timedelta(hours=1), "time_zone": "Asia/Almaty"},
        invite=False,
    )  # fmt: skip
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Routes"})
    assert not Reminder.objects.exists()  # nobody invited
    commit(meetings.meeting_invite, actor=SYSTEM, meeting=meeting, chamber=scene.kg)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Ports"})
    assert [(r.kind, r.email) for r in Reminder.objects.order_by("pk")] == [
        (K.INVITATION, "head@kg.example"),
        (K.MEETING_CHANGED, "head@kg.example"),
    ]


# Decisions adopted ---------------------------------------------------------------------------


def adopted_meeting(commit) -> Meeting:
    meeting = new_meeting(commit, days=1)
    attend_all(meeting)
    mail.outbox.clear()
    return meeting


def test_a_published_decision_adopted_is_told_to_every_member_and_observer_once(
    scene, broker, commit
):
    meeting = adopted_meeting(commit)
    decision = make_decision(
        meeting,
        method="consensus",
        title="On the corridors",
        text="The union supports the corridor.\n\nIts members report by June.",
        published=True,
    )
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)

    told = rows(K.DECISION_ADOPTED)
    assert {r.email: r.language for r in told} == READERS  # SUS is suspended
    assert {r.subject for r in told} == {f"decision:{decision.pk}"}
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))
    for address, language in READERS.items():
        (message,) = to(address)
        assert message.subject == translated(
            language, "Decision adopted: %(title)s", title="On the corridors"
        )
        text, _html = body(message)
        assert "The union supports the corridor." in text
        assert "Its members report by June." in text
        assert f"http://localhost:8000/decisions/#decision-{decision.pk}" in text
    text, _html = body(to("focal@hu.example")[0])
    assert "Board on trade corridors, decision 1" in text

    # Published again (after a withdrawal): told already.
    commit(meetings.decision_publish, actor=SYSTEM, decision=decision, published=False)
    commit(meetings.decision_publish, actor=SYSTEM, decision=decision, published=True)
    assert len(mail.outbox) == 4 and len(rows(K.DECISION_ADOPTED)) == 4


def test_an_unpublished_decision_is_told_when_it_is_published(scene, broker, commit):
    meeting = adopted_meeting(commit)
    decision = make_decision(meeting, method="consensus", title="On ports", published=False)
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)
    assert not rows(K.DECISION_ADOPTED) and mail.outbox == []

    commit(meetings.decision_publish, actor=SYSTEM, decision=decision, published=True)
    assert {r.email for r in rows(K.DECISION_ADOPTED)} == set(READERS)
    assert len(mail.outbox) == 4


def test_a_draft_published_is_told_only_once_adopted(scene, broker, commit):
    meeting = adopted_meeting(commit)
    draft = make_decision(meeting, method="consensus", published=False)
    commit(meetings.decision_publish, actor=SYSTEM, decision=draft, published=True)
    assert not rows(K.DECISION_ADOPTED)
    commit(meetings.decision_adopt, actor=SYSTEM, decision=draft)
    assert len(rows(K.DECISION_ADOPTED)) == 4


def test_an_adoption_recorded_long_after_its_date_is_history_and_tells_nobody(
    scene, broker, commit
):
    meeting = adopted_meeting(commit)
    decision = make_decision(meeting, method="consensus", published=True)
    commit(
        meetings.decision_adopt,
        actor=SYSTEM,
        decision=decision,
        adopted_at=timezone.now() - dt.timedelta(days=90),
    )
    assert not rows(K.DECISION_ADOPTED) and mail.outbox == []


# Rules ---------------------------------------------------------------------------------------


def test_a_notice_whose_rule_is_inactive_is_not_made(scene, broker, commit):
    ReminderRule.objects.filter(kind__in=NOTICE_KINDS).update(active=False)
    meeting = new_meeting(commit, days=1)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Routes"})
    commit(meetings.document_add, actor=SYSTEM, meeting=meeting, title="Note", upload=pdf_upload())
    attend_all(meeting)
    decision = make_decision(meeting, method="consensus", published=True)
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)
    assert not Reminder.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("kind", sorted(MEETING_NOTICES))
def test_each_kind_is_turned_off_on_its_own(kind, scene, broker, commit):
    ReminderRule.objects.filter(kind=kind).update(active=False)
    meeting = new_meeting(commit, days=1)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Routes"})
    attend_all(meeting)
    decision = make_decision(meeting, method="consensus", published=True)
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)
    made = set(Reminder.objects.values_list("kind", flat=True))
    assert made == MEETING_NOTICES - {kind}


def test_a_notice_rule_has_offset_zero():
    rule = ReminderRule(kind=K.INVITATION, offset_days=3)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean(validate_constraints=False)
    assert "offset_days" in refused.value.message_dict
    ReminderRule(kind=K.INVITATION, offset_days=0).full_clean(validate_constraints=False)
    assert ReminderRule(kind=K.DECISION_ADOPTED, offset_days=0).describe_offset() == (
        "when it happens"
    )


def test_staff_turn_a_notice_off_in_the_rules_list_but_cannot_give_it_an_offset(
    union, notice_rules
):
    client = union.client("staff", api=False)
    rules = "/admin/reminders/reminderrule/"
    invitation = ReminderRule.objects.get(kind=K.INVITATION)

    def edit(offset: int, active: bool) -> dict:
        data = {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(invitation.pk),
            "form-0-offset_days": str(offset),
            "_save": "Save",
        }
        return {**data, "form-0-active": "on"} if active else data

    page = client.get(rules).content.decode()
    assert "when it happens" in page
    response = client.post(rules, edit(3, True))
    assert response.status_code == 200
    assert "A notice is sent when its event happens" in response.content.decode()
    response = client.post(rules, edit(0, False))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.offset_days, invitation.active) == (0, False)
    # Its own page shows the offset, read-only.
    change = client.get(f"{rules}{invitation.pk}/change/")
    assert 'name="offset_days"' not in change.content.decode()


# The daily scan and failures -----------------------------------------------------------------


def test_the_scan_never_sets_a_notice_aside_and_queues_an_unsent_one_again(scene, broker, commit):
    broker.down = True  # the broker is down when the invitations are recorded
    meeting = new_meeting(commit)
    pending = rows(K.INVITATION)
    assert {(r.status, r.queued_at) for r in pending} == {(S.PENDING, None)}

    # A scan with the broker still down: the notices are not "no longer due".
    result = commit(services.reminders_scan, today=notices.today())
    assert result.skipped == 0 and result.notices == 4
    assert {r.status for r in rows(K.INVITATION)} == {S.PENDING}

    broker.down = False
    result = commit(services.reminders_scan, today=notices.today())
    assert result.notices == 4 and sorted(broker.sends) == sorted(r.pk for r in pending)
    assert {r.status for r in rows(K.INVITATION)} == {S.SENT}
    assert len(mail.outbox) == 4

    # Nothing more: the next scans find them sent.
    for day in (notices.today(), notices.today() + dt.timedelta(days=1)):
        assert commit(services.reminders_scan, today=day).notices == 0
    assert len(mail.outbox) == 4
    assert {r.subject for r in rows(K.INVITATION)} == {f"meeting:{meeting.pk}"}


def test_a_failed_notice_is_retried_by_the_next_scan_and_by_staff(scene, broker, commit):
    broker.down = True
    new_meeting(commit)
    kz, kg, tr, hu = (
        Reminder.objects.get(kind=K.INVITATION, email=e)
        for e in ("focal@kz.example", "head@kg.example", "focal@tr.example", "focal@hu.example")
    )
    # Every retry failed (the task marked it failed); one was queued a moment ago; one was
    # recorded long ago, past its late days.
    for row in (kz, kg):
        services.reminder_record_failure(reminder_id=row.pk, error="refused", final=True)
    Reminder.objects.filter(pk=tr.pk).update(queued_at=timezone.now())
    late = notices.today() - dt.timedelta(days=31)
    Reminder.objects.filter(pk=hu.pk).update(due_on=late)

    broker.down = False
    result = commit(services.reminders_scan, today=notices.today())
    assert sorted(result.to_send) == sorted([kz.pk, kg.pk])
    assert {r.email: r.status for r in rows(K.INVITATION)} == {
        "focal@kz.example": S.SENT,
        "head@kg.example": S.SENT,
        "focal@tr.example": S.PENDING,  # on its way
        "focal@hu.example": S.PENDING,  # left for staff, never set aside
    }
    staff = access_for_user(UserFactory(username="boss", is_staff=True))
    assert commit(services.reminders_retry, actor=staff, reminders=Reminder.objects.all()) == 2
    assert {r.status for r in rows(K.INVITATION)} == {S.SENT}
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))


# My reminders --------------------------------------------------------------------------------


def test_notices_are_listed_under_my_reminders(scene, broker, commit):
    meeting = new_meeting(commit)
    attend_all(meeting)
    commit(meetings.agenda_item_add, actor=SYSTEM, meeting=meeting, data={"title": "Routes"})
    decision = make_decision(meeting, method="consensus", title="On ports", published=True)
    commit(meetings.decision_adopt, actor=SYSTEM, decision=decision)
    make_login(scene.kz, "viewer", username="kz-viewer")
    client = Client()
    client.force_login(get_user_model().objects.get(username="kz-viewer"))

    response = client.get("/reminders/")
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert {r.kind for r in shown} == MEETING_NOTICES
    assert {r.email for r in shown} == {"focal@kz.example"}
    page = response.content.decode()
    for label in ("Meeting invitation", "Meeting documents or agenda changed", "Decision adopted"):
        assert label in page
    sent = next(r for r in shown if r.kind == K.INVITATION)
    assert sent.title in page  # the e-mail's subject, in Kazakh
    assert "reminder-status-sent" in page
    assert "when it happens" not in page  # a notice has no offset to show


def test_the_scan_keeps_its_own_reminders_apart_from_the_notices(scene, broker, commit):
    """The scan's "no longer due" still works for its own kinds beside notices of the same
    meeting (``meeting:<id>`` is the subject of both the invitation and the reminder of it
    unanswered)."""
    ReminderRule.objects.filter(kind=K.INVITATION_UNANSWERED).update(active=True)
    broker.down = True
    meeting = new_meeting(commit, days=10)
    day = notices.today()
    commit(services.reminders_scan, today=day)  # the 14-day "unanswered" reminder is open
    unanswered = Reminder.objects.filter(kind=K.INVITATION_UNANSWERED)
    assert unanswered.count() == 4 and len(rows(K.INVITATION)) == 4
    for chamber in (scene.kz, scene.kg, scene.tr, scene.hu):
        commit(meetings.invitation_respond, actor=SYSTEM, meeting=meeting, chamber=chamber,
               response="attending")  # fmt: skip
    result = commit(services.reminders_scan, today=day)
    assert result.skipped == 4
    assert set(unanswered.values_list("status", flat=True)) == {S.SKIPPED}
    assert {r.status for r in rows(K.INVITATION)} == {S.PENDING}


# Delivered by a real worker to a real mail server ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_invitation_and_the_adoption_arrive_once_each_in_each_recipients_language(
    notice_rules, world, smtp, worker
):
    ReminderRule.objects.exclude(kind__in=NOTICE_KINDS).update(active=False)
    sink = smtp.start()
    purge_queue()
    starts = starts_in(1)
    meeting = meetings.meeting_create(
        actor=SYSTEM,
        data={"kind": "board", "title": "Board on trade corridors", "starts_at": starts,
              "ends_at": starts + dt.timedelta(hours=3), "time_zone": "Asia/Almaty"},
    )  # fmt: skip
    attend_all(meeting)
    decision = make_decision(meeting, method="consensus", title="On the corridors", published=True)
    meetings.decision_adopt(actor=SYSTEM, decision=decision)
    with worker() as runs:
        assert runs.wait_results(SEND, 8) == [S.SENT] * 8

    told = list(Reminder.objects.order_by("pk"))
    assert Counter(r.kind for r in told) == {K.INVITATION: 4, K.DECISION_ADOPTED: 4}
    assert all(r.status == S.SENT and r.attempts == 1 for r in told)
    assert len(sink.messages) == 8
    for row in told:
        language = READERS[row.email]
        if row.kind == K.INVITATION:
            expected = translated(
                language,
                "Invitation: %(meeting)s, %(date)s",
                meeting="Board on trade corridors",
                date=meeting.date.isoformat(),
            )
        else:
            expected = translated(language, "Decision adopted: %(title)s", title="On the corridors")
        assert row.title == expected
        (message,) = [m for m in sink.to(row.email) if subject(m) == expected]
        html = message.get_body(preferencelist=("html",))
        assert f'<html lang="{language}">' in html.get_content()
        calendars = [
            p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
        ]
        assert len(calendars) == (1 if row.kind == K.INVITATION else 0)

    # Nothing twice: a scan finds nothing to queue, a task delivered again finds its row sent.
    scan = scan_reminders.delay(notices.today().isoformat())
    again = [send_reminder.delay(row.pk) for row in told]
    with worker() as runs:
        assert runs.result_of(scan.id) == 0
        assert [runs.result_of(task.id) for task in again] == [S.SENT] * 8
    assert len(sink.messages) == 8
