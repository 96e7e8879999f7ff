"""What is due on a given day (``reminders.due``): each kind at each default offset, who gets it,
the windows (a missed reminder is still sent later, a later offset replaces an earlier one,
reminders after an event stop after ``REMINDERS_LATE_DAYS``), and rules as data.

Every date is passed explicitly (``today=``): nothing here depends on the real date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chambers.models import Chamber
from meetings import services as meetings
from meetings.models import RSVP, ActionItem, Invitation
from reminders.due import Due, occurrences, windows
from reminders.models import ReminderKind, ReminderRule
from tests.factories import SYSTEM, make_chamber, make_contact
from tests.scenes import World, answer, make_action_item, make_priority
from tests.scenes import meeting_on as make_meeting

D = dt.date
UTC = ZoneInfo("UTC")
K = ReminderKind


# A small union: tests.scenes.World (the ``world`` fixture of tests/reminders/conftest.py) ------


def make_action(world: World, due: dt.date | None, *, status: str = "open") -> ActionItem:
    priority = make_priority(title="Trade", period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))
    item = make_action_item(priority, world.tr, title="Survey of barriers", due=due)
    if status != "open":
        ActionItem.objects.filter(pk=item.pk).update(status=status)
    return item


def found(day: dt.date, kind: str | None = None, **kwargs) -> list[Due]:
    return [d for d in occurrences(today=day, **kwargs) if kind is None or d.kind == kind]


def offsets(day: dt.date, kind: str) -> list[int]:
    return [d.offset_days for d in found(day, kind)]


def emails(due: Due) -> set[str]:
    return {r.email for r in due.recipients}


# Windows ----------------------------------------------------------------------------------


def test_windows_before_an_event_run_until_the_next_offset_and_close_on_the_event():
    event = D(2026, 12, 31)
    assert windows(K.HANDOVER_UPCOMING, event, [7, 30, 30]) == [
        (30, D(2026, 12, 1), D(2026, 12, 24)),
        (7, D(2026, 12, 24), event),
    ]
    # With a last day, the last window includes it.
    assert windows(K.APPROVAL_DUE, event, [120, 60, 30], last_day=event) == [
        (120, D(2026, 9, 2), D(2026, 11, 1)),
        (60, D(2026, 11, 1), D(2026, 12, 1)),
        (30, D(2026, 12, 1), D(2027, 1, 1)),
    ]
    assert windows(K.INVITATION_UNANSWERED, event, []) == []


def test_an_offset_of_zero_before_an_event_is_sent_on_the_event_day():
    """ "On the day" of a handover or a meeting: the window is the event's day itself."""
    event = dt.date(2027, 1, 1)
    assert windows(ReminderKind.HANDOVER_UPCOMING, event, [7, 0]) == [
        (7, dt.date(2026, 12, 25), event),
        (0, event, dt.date(2027, 1, 2)),
    ]


def test_windows_after_an_event_close_after_the_late_days(settings):
    event = D(2026, 5, 10)
    assert windows(K.ACTION_OVERDUE, event, [14, 1]) == [
        (1, D(2026, 5, 11), D(2026, 5, 24)),
        (14, D(2026, 5, 24), D(2026, 6, 23)),  # REMINDERS_LATE_DAYS = 30
    ]
    settings.REMINDERS_LATE_DAYS = 5
    assert windows(K.ACTION_OVERDUE, event, [1, 14]) == [
        (1, D(2026, 5, 11), D(2026, 5, 24)),  # until the next offset, whatever the late days
        (14, D(2026, 5, 24), D(2026, 5, 29)),
    ]
    # ``late_until`` closes them earlier; an empty window is no window.
    assert windows(K.TERM_STARTED, event, [0, 3], late_until=D(2026, 5, 12)) == [
        (0, D(2026, 5, 10), D(2026, 5, 12))
    ]


# Approval due -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (D(2026, 9, 1), None),
        (D(2026, 9, 2), 120),
        (D(2026, 10, 31), 120),  # missed on 2 September: still sent late in its window
        (D(2026, 11, 1), 60),  # ...until the 60-day reminder replaces it
        (D(2026, 11, 30), 60),
        (D(2026, 12, 1), 30),
        (D(2026, 12, 31), 30),  # the current term's last day is still in time
        (D(2027, 1, 1), None),
    ],
)
def test_approval_due_before_the_current_term_ends(world, day, offset):
    due = found(day, K.APPROVAL_DUE)
    if offset is None:
        assert due == []
        return
    assert [(d.subject, d.offset_days) for d in due] == [("period:2027-01-01", offset)]
    (d,) = due
    assert d.due_on == D(2026, 12, 31) - dt.timedelta(days=offset)
    assert d.due_on <= day < d.until
    assert d.link == "/rotation/"
    assert d.context == {
        "start": "2027-01-01",
        "end": "2027-12-31",
        "current_ends": "2026-12-31",
        "current": world.kz.pk,
        "next": world.kg.pk,
    }
    assert "Kyrgyz Chamber" in d.label and "2027-01-01" in d.label


def test_approval_due_goes_to_staff_the_current_chair_and_the_next_in_the_forecast(world):
    (due,) = found(D(2026, 11, 25), K.APPROVAL_DUE)
    secretary, deputy = world.staff
    assert [(r.key, r.email, r.language, r.user_id) for r in due.recipients[:2]] == [
        (f"user:{secretary.pk}", "sec@union.example", "en", secretary.pk),
        (f"user:{deputy.pk}", "deputy@union.example", "tr", deputy.pk),
    ]
    # KZ (current chair) through its focal point, not its head; KG (next) through its head,
    # as it has no focal point. Nobody else: not TR, not the observer, no non-staff user.
    assert [(r.key, r.email, r.language, r.chamber_id) for r in due.recipients[2:]] == [
        (f"contact:{world.kz_focal.pk}", "focal@kz.example", "kk", world.kz.pk),
        (f"contact:{world.kg_head.pk}", "head@kg.example", "ru", world.kg.pk),
    ]
    assert due.recipients[2].contact_id == world.kz_focal.pk


def test_approval_due_stops_once_the_next_term_is_approved(world):
    assert offsets(D(2026, 11, 25), K.APPROVAL_DUE) == [60]
    world.approve(world.kg, 2027)
    assert found(D(2026, 11, 25), K.APPROVAL_DUE) == []
    assert found(D(2026, 12, 31), K.APPROVAL_DUE) == []


def test_approval_due_for_the_forecast_next_chamber_when_no_chair_is_approved(world):
    """In 2027 nobody is approved: the 2028 reminder names no current chair and goes to the
    secretariat and the chamber forecast for 2028 (TR, after KG's forecast turn)."""
    (due,) = found(D(2027, 9, 2), K.APPROVAL_DUE)
    assert (due.subject, due.offset_days) == ("period:2028-01-01", 120)
    assert due.context["current"] is None and due.context["next"] == world.tr.pk
    assert emails(due) == {"sec@union.example", "deputy@union.example", "focal@tr.example"}


# Handover upcoming ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (D(2026, 12, 1), None),
        (D(2026, 12, 2), 30),
        (D(2026, 12, 24), 30),
        (D(2026, 12, 25), 7),
        (D(2026, 12, 31), 7),
        (D(2027, 1, 1), None),
    ],
)
def test_handover_upcoming_before_an_approved_next_term(world, day, offset):
    term = world.approve(world.kg, 2027)
    due = found(day, K.HANDOVER_UPCOMING)
    assert found(day, K.APPROVAL_DUE) == []
    if offset is None:
        assert due == []
        return
    assert [(d.subject, d.offset_days) for d in due] == [(f"term:{term.pk}", offset)]
    (d,) = due
    assert d.due_on == D(2027, 1, 1) - dt.timedelta(days=offset)
    assert d.link == f"/rotation/terms/{term.pk}/"
    assert (d.context["outgoing"], d.context["incoming"]) == (world.kz.pk, world.kg.pk)
    assert emails(d) == {
        "sec@union.example",
        "deputy@union.example",
        "focal@kz.example",  # outgoing
        "head@kg.example",  # incoming
    }


def test_no_handover_reminder_without_an_approved_next_term(world):
    assert found(D(2026, 12, 25), K.HANDOVER_UPCOMING) == []


# Term started -----------------------------------------------------------------------------


def test_term_started_goes_to_every_member_and_observer(world):
    term = world.approve(world.kg, 2027)
    make_chamber(slug="late", short_name="LATE", country="TM", since=D(2027, 6, 1))
    make_contact(
        Chamber.objects.get(slug="late"), name="L", roles=["focal_point"], email="l@late.example"
    )
    assert found(D(2026, 12, 31), K.TERM_STARTED) == []
    (due,) = found(D(2027, 1, 1), K.TERM_STARTED)
    assert (due.subject, due.offset_days, due.due_on) == (f"term:{term.pk}", 0, D(2027, 1, 1))
    assert due.link == f"/rotation/terms/{term.pk}/"
    # Members and the observer through their focal points (KG through its head); not the
    # suspended chamber, nor one that joins later, nor the staff.
    assert emails(due) == {
        "focal@kz.example",
        "head@kg.example",
        "focal@tr.example",
        "focal@hu.example",
    }
    assert {r.language for r in due.recipients} == {"kk", "ru", "tr", "en"}
    # A missed one is still sent during the late days, then no longer.
    assert offsets(D(2027, 1, 30), K.TERM_STARTED) == [0]
    assert found(D(2027, 1, 31), K.TERM_STARTED) == []


def test_term_started_only_for_approved_terms(world):
    assert found(D(2027, 1, 1), K.TERM_STARTED) == []  # 2027 is only forecast
    assert offsets(D(2026, 1, 1), K.TERM_STARTED) == [0]  # 2026 (KZ) is approved


# Invitations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (D(2026, 3, 5), None),
        (D(2026, 3, 6), 14),
        (D(2026, 3, 16), 14),
        (D(2026, 3, 17), 3),
        (D(2026, 3, 19), 3),
        (D(2026, 3, 20), None),  # the meeting's day: too late to remind
    ],
)
def test_invitation_unanswered_before_a_planned_meeting(world, day, offset):
    meeting = make_meeting(D(2026, 3, 20))
    answer(meeting, world.kz, RSVP.ATTENDING)
    answer(meeting, world.kg, RSVP.DECLINED)
    due = found(day, K.INVITATION_UNANSWERED)
    if offset is None:
        assert due == []
        return
    assert [(d.subject, d.offset_days) for d in due] == [(f"meeting:{meeting.pk}", offset)]
    (d,) = due
    assert d.link == f"/meetings/{meeting.pk}/"
    assert d.context == {"meeting": meeting.pk, "date": "2026-03-20"}
    # Only the chambers that have not answered (the suspended one was never invited).
    assert emails(d) == {"focal@hu.example", "focal@tr.example"}


def test_no_invitation_reminder_when_all_answered_or_not_planned(world):
    answered = make_meeting(D(2026, 3, 20))
    for chamber in (world.hu, world.kz, world.kg, world.tr):
        answer(answered, chamber, RSVP.ATTENDING)
    cancelled = make_meeting(D(2026, 3, 21), status="cancelled")
    assert Invitation.objects.filter(meeting=cancelled, response=RSVP.PENDING).count() == 4
    assert found(D(2026, 3, 18), K.INVITATION_UNANSWERED) == []
    Invitation.objects.filter(meeting=answered, chamber=world.tr).update(response=RSVP.PENDING)
    assert [emails(d) for d in found(D(2026, 3, 18), K.INVITATION_UNANSWERED)] == [
        {"focal@tr.example"}
    ]


def test_invitation_windows_use_the_meetings_own_day(world):
    """01:00 in Almaty on 20 March is still 19 March in UTC: the meeting's day is the 20th."""
    meeting = make_meeting(D(2026, 3, 20), hour=1, tz="Asia/Almaty")
    assert meeting.starts_at.astimezone(UTC).date() == D(2026, 3, 19)
    assert offsets(D(2026, 3, 19), K.INVITATION_UNANSWERED) == [3]
    assert found(D(2026, 3, 20), K.INVITATION_UNANSWERED) == []
    assert offsets(D(2026, 3, 6), K.INVITATION_UNANSWERED) == [14]
    assert found(D(2026, 3, 5), K.INVITATION_UNANSWERED) == []


# Minutes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (D(2026, 4, 2), None),
        (D(2026, 4, 3), 14),
        (D(2026, 5, 2), 14),  # missed: still sent within REMINDERS_LATE_DAYS
        (D(2026, 5, 3), None),
    ],
)
def test_minutes_unpublished_after_a_held_meeting(world, day, offset):
    meeting = make_meeting(D(2026, 3, 20), status="held")
    due = found(day, K.MINUTES_UNPUBLISHED)
    assert found(day, K.INVITATION_UNANSWERED) == []
    if offset is None:
        assert due == []
        return
    assert [(d.subject, d.offset_days, d.due_on) for d in due] == [
        (f"meeting:{meeting.pk}", 14, D(2026, 4, 3))
    ]
    assert emails(due[0]) == {"sec@union.example", "deputy@union.example"}
    assert due[0].link == f"/meetings/{meeting.pk}/"


def test_no_minutes_reminder_once_published_or_not_held(world):
    held = make_meeting(D(2026, 3, 20), status="held")
    make_meeting(D(2026, 3, 21), status="cancelled")
    make_meeting(D(2026, 3, 22))  # still planned
    assert offsets(D(2026, 4, 10), K.MINUTES_UNPUBLISHED) == [14]
    meetings.meeting_update(
        actor=SYSTEM, meeting=held, data={"minutes": "Done.", "minutes_published": True}
    )
    assert found(D(2026, 4, 10), K.MINUTES_UNPUBLISHED) == []


# Action items -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (D(2026, 5, 10), None),
        (D(2026, 5, 11), 1),
        (D(2026, 5, 23), 1),
        (D(2026, 5, 24), 14),
        (D(2026, 6, 22), 14),
        (D(2026, 6, 23), None),  # REMINDERS_LATE_DAYS after the 14-day reminder
    ],
)
@pytest.mark.parametrize("status", ["open", "in_progress"])
def test_action_item_overdue_after_its_due_date(world, day, offset, status):
    item = make_action(world, D(2026, 5, 10), status=status)
    due = found(day, K.ACTION_OVERDUE)
    if offset is None:
        assert due == []
        return
    assert [(d.subject, d.offset_days) for d in due] == [(f"action:{item.pk}", offset)]
    (d,) = due
    assert d.link == f"/priorities/#action-item-{item.pk}"  # the row's id on the page
    assert d.context == {"action": item.pk, "due": "2026-05-10"}
    # The responsible chamber's focal point with an address, active: only TR Focal.
    assert [(r.key, r.language) for r in d.recipients] == [(f"contact:{world.tr_focal.pk}", "tr")]


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_no_overdue_reminder_for_finished_items_or_without_a_due_date(world, status):
    make_action(world, D(2026, 5, 10), status=status)
    make_action(world, None)
    assert found(D(2026, 5, 11), K.ACTION_OVERDUE) == []
    assert found(D(2026, 5, 30), K.ACTION_OVERDUE) == []


def test_late_days_setting_closes_after_event_windows(world, settings):
    make_action(world, D(2026, 5, 10))
    settings.REMINDERS_LATE_DAYS = 5
    assert offsets(D(2026, 5, 28), K.ACTION_OVERDUE) == [14]
    assert found(D(2026, 5, 29), K.ACTION_OVERDUE) == []
    assert offsets(D(2026, 5, 20), K.ACTION_OVERDUE) == [1]  # open until the next offset


# Rules are data ---------------------------------------------------------------------------


def test_inactive_rules_send_nothing(world):
    ReminderRule.objects.filter(kind=K.APPROVAL_DUE).update(active=False)
    assert found(D(2026, 9, 2), K.APPROVAL_DUE) == []
    assert found(D(2026, 11, 25), K.APPROVAL_DUE) == []
    ReminderRule.objects.update(active=False)
    make_action(world, D(2026, 5, 10))
    make_meeting(D(2026, 3, 20))
    assert occurrences(today=D(2026, 3, 18)) == []
    assert occurrences(today=D(2026, 5, 12)) == []


def test_one_inactive_offset_widens_the_window_before_it(world):
    ReminderRule.objects.filter(kind=K.APPROVAL_DUE, offset_days=60).update(active=False)
    assert offsets(D(2026, 11, 25), K.APPROVAL_DUE) == [120]
    assert offsets(D(2026, 12, 1), K.APPROVAL_DUE) == [30]


def test_a_changed_offset_is_honoured(world):
    ReminderRule.objects.filter(kind=K.APPROVAL_DUE, offset_days=60).update(offset_days=45)
    ReminderRule.objects.create(kind=K.ACTION_OVERDUE, offset_days=7)
    assert offsets(D(2026, 11, 10), K.APPROVAL_DUE) == [120]
    (due,) = found(D(2026, 11, 16), K.APPROVAL_DUE)
    assert (due.offset_days, due.due_on, due.until) == (45, D(2026, 11, 16), D(2026, 12, 1))
    make_action(world, D(2026, 5, 10))
    assert offsets(D(2026, 5, 16), K.ACTION_OVERDUE) == [1]
    assert offsets(D(2026, 5, 17), K.ACTION_OVERDUE) == [7]
    assert offsets(D(2026, 5, 24), K.ACTION_OVERDUE) == [14]


def test_no_rules_nothing_due(world):
    ReminderRule.objects.all().delete()
    make_action(world, D(2026, 5, 10))
    assert occurrences(today=D(2026, 11, 25)) == []
    assert occurrences(today=D(2026, 5, 12)) == []


def test_horizon_lists_what_falls_due_in_the_coming_days(world):
    assert found(D(2026, 8, 1), K.APPROVAL_DUE) == []
    upcoming = found(D(2026, 8, 1), K.APPROVAL_DUE, horizon_days=32)
    assert [(d.offset_days, d.due_on) for d in upcoming] == [(120, D(2026, 9, 2))]
    assert found(D(2026, 8, 1), K.APPROVAL_DUE, horizon_days=31) == []


def test_occurrences_are_sorted_by_due_day(world):
    make_action(world, D(2026, 11, 1))
    make_meeting(D(2026, 11, 10), status="held")
    kinds = [(d.due_on, d.kind) for d in occurrences(today=D(2026, 11, 25))]
    assert kinds == sorted(kinds)
    assert {k for _, k in kinds} == {K.APPROVAL_DUE, K.ACTION_OVERDUE, K.MINUTES_UNPUBLISHED}


# The demo ---------------------------------------------------------------------------------


DEMO_RECIPIENTS = {
    ("secretariat@union.example", "en"),
    ("international@atameken.example", "kk"),
    ("international@kyrgyzstan-cci.example", "ru"),
}


@pytest.mark.parametrize(("day", "offset"), [(D(2026, 11, 25), 60), (D(2026, 12, 1), 30)])
def test_demo_approval_of_the_2027_chair_is_due_in_autumn_2026(demo, day, offset):
    (due,) = found(day, K.APPROVAL_DUE)
    assert (due.subject, due.offset_days) == ("period:2027-01-01", offset)
    assert {(r.email, r.language) for r in due.recipients} == DEMO_RECIPIENTS
    atameken, kyrgyzstan = (Chamber.objects.get(slug=s).pk for s in ("atameken", "kyrgyzstan-cci"))
    assert (due.context["current"], due.context["next"]) == (atameken, kyrgyzstan)


# One failing part never stops the others (issue 15) ------------------------------------------


def _break(monkeypatch, part: str, error: Exception | None = None) -> None:
    def broken(*args, **kwargs):
        if error is None:  # a database error: the savepoint must keep the scan's transaction
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table_of_reminders")
        raise error

    monkeypatch.setattr(f"reminders.due.{part}", broken)


@pytest.mark.parametrize("error", [ValueError("year 10000 is out of range"), None])
def test_a_failing_part_is_logged_and_the_others_are_still_found(world, monkeypatch, caplog, error):
    """The rotation's part raises (as a 12,000-chamber order did): the overdue action item and
    the unanswered invitation are still found, and the failure is logged with its traceback."""
    import logging

    item = make_action(world, D(2026, 11, 20))
    meeting = make_meeting(D(2026, 12, 2))
    _break(monkeypatch, "_rotation_reminders", error)
    with caplog.at_level(logging.ERROR, logger="reminders.due"):
        dues = occurrences(today=DAY_OF_APPROVAL)
    assert dues.failed == ["rotation"]
    assert {(d.kind, d.subject) for d in dues} == {
        (K.ACTION_OVERDUE, f"action:{item.pk}"),
        (K.INVITATION_UNANSWERED, f"meeting:{meeting.pk}"),
    }
    (record,) = [r for r in caplog.records if r.name == "reminders.due"]
    assert "the rotation part of the scan for 2026-11-25 failed" in record.getMessage()
    assert record.exc_info is not None


def test_a_scan_with_a_failing_part_records_and_sends_the_others(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from reminders import services
    from reminders.models import Reminder

    published: list[int] = []
    monkeypatch.setattr(services, "reminders_publish", lambda ids: published.extend(ids))
    item = make_action(world, D(2026, 11, 20))
    healthy = occurrences(today=DAY_OF_APPROVAL)
    assert K.APPROVAL_DUE in {d.kind for d in healthy} and healthy.failed == []
    _break(monkeypatch, "_rotation_reminders", ValueError("year 10000 is out of range"))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_scan(today=DAY_OF_APPROVAL)
    rows = Reminder.objects.filter(kind=K.ACTION_OVERDUE, subject=f"action:{item.pk}")
    assert rows.count() == 1 and published == list(result.to_send)
    assert rows.get().pk in published
    assert "the rotation part of the scan" in caplog.text


DAY_OF_APPROVAL = D(2026, 11, 25)  # the 60-day approval reminder for 2027 is due


def test_a_failing_part_does_not_set_its_unsent_reminders_aside(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """A scan whose rotation part fails cannot say the approval reminder is no longer due: the
    row a healthy scan recorded stays pending, and the next healthy scan sends it."""
    from reminders import services
    from reminders.models import Reminder, ReminderStatus

    monkeypatch.setattr(services, "reminders_publish", lambda ids: len(ids))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_scan(today=DAY_OF_APPROVAL)
    pending = Reminder.objects.filter(kind=K.APPROVAL_DUE, status=ReminderStatus.PENDING)
    assert pending.exists()
    _break(monkeypatch, "_rotation_reminders", ValueError("year 10000 is out of range"))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reminders_scan(today=DAY_OF_APPROVAL)
    assert result.skipped == 0
    assert not Reminder.objects.filter(kind=K.APPROVAL_DUE, status=ReminderStatus.SKIPPED).exists()
