"""The e-mails of written procedures: the opening letter to each voting chamber, the reminder of
a procedure not yet answered (found by the daily scan, 3 days and 1 day before the deadline's
day), and the result to every member and observer chamber.

They go through the reminders' log (exactly once per kind, subject, offset and recipient), its
recipient rules and its sending. Publishing is replaced by :class:`Broker`, which runs a send
task at once, as a worker would after commit; the last test closes a procedure with a real beat
and worker and receives the result at a real SMTP server.

The reminders' union (``world``): the members KZ (focal point reads Kazakh), KG (head, Russian)
and TR (focal point, Turkish) vote; the observer HU (focal point, English) is told the result;
the suspended SUS is never told.
"""

from __future__ import annotations

import datetime as dt
import importlib
import threading
import time
from collections import Counter

import pytest
from celery import beat
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from config.celery_app import app as celery_app
from core import l10n, outbox
from meetings import services as meetings
from meetings.models import Decision, Priority, Procedure, ProcedureState
from meetings.tasks import close_procedures
from reminders import notices, services
from reminders.due import occurrences
from reminders.models import (
    BEFORE_KINDS,
    NOTICE_KINDS,
    Reminder,
    ReminderKind,
    ReminderRule,
    ReminderStatus,
)
from reminders.tasks import send_reminder
from tests.factories import SYSTEM
from tests.reminders.delivery import purge_queue, subject, wait_until
from tests.reminders.smtp import parts
from tests.scenes import World, make_priority

K = ReminderKind
S = ReminderStatus
SEND = send_reminder.name
CLOSE = close_procedures.name
PROCEDURE_MIGRATION = importlib.import_module("reminders.migrations.0009_default_procedure_rules")
PROCEDURE_DEFAULTS = PROCEDURE_MIGRATION.DEFAULTS
PROCEDURE_KINDS = {K.PROCEDURE_OPENED, K.PROCEDURE_UNANSWERED, K.PROCEDURE_CLOSED}

#: The voters' addresses and languages; the observer is told the result only.
VOTERS = {"focal@kz.example": "kk", "head@kg.example": "ru", "focal@tr.example": "tr"}
READERS = {**VOTERS, "focal@hu.example": "en"}


class Broker:
    """Stands in for the outbox's publishing: a send task runs at once, as a worker would; a
    scan task is only counted. ``down`` refuses all."""

    def __init__(self) -> None:
        self.sends: list[int] = []
        self.scans = 0
        self.down = False

    def enqueue_each(self, task, calls) -> int:
        published = 0
        for args in calls:
            if self.down:
                break
            if task.name == SEND:
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
def procedure_rules(notice_rules) -> list[ReminderRule]:
    """The default rules, the notices' and the procedures' (the data migration's, made here:
    a transactional test's flush removes them)."""
    return [
        *notice_rules,
        *(
            ReminderRule.objects.create(kind=kind, offset_days=offset)
            for kind, offsets in PROCEDURE_DEFAULTS.items()
            for offset in offsets
        ),
    ]


@pytest.fixture
def scene(procedure_rules, world, broker, commit) -> World:
    """The world with only the procedures' rules on (its rotation has reminders due today)."""
    ReminderRule.objects.exclude(kind__in=PROCEDURE_KINDS).update(active=False)
    return world


# Helpers -------------------------------------------------------------------------------------


def between_sessions(**data) -> Decision:
    fields = {
        "kind": "general",
        "title": "Statement on trade",
        "title_kk": "Сауда туралы мәлімдеме",
        "text": "The union welcomes the agreement.\n\nIt asks the secretariat to report.",
        **data,
    }
    return meetings.decision_create(actor=SYSTEM, meeting=None, data=fields)


def deadline_in(days: int, hour: int = 18) -> dt.datetime:
    """``hour`` o'clock, ``days`` from today, in the union's time zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def open_procedure(commit, decision, closes_at, *, mode="vote", **data) -> Procedure:
    return commit(
        meetings.procedure_open,
        actor=SYSTEM,
        decision=decision,
        mode=mode,
        closes_at=closes_at,
        data=data,
    )


def answer(commit, decision, chamber, choice, **kwargs) -> None:
    kwargs.setdefault("received_on", timezone.localdate())
    commit(
        meetings.ballot_cast,
        actor=SYSTEM,
        decision=decision,
        chamber=chamber,
        answer=choice,
        **kwargs,
    )


def after_deadline(procedure: Procedure) -> dt.datetime:
    return procedure.closes_at + dt.timedelta(seconds=1)


def rows(kind: str) -> list[Reminder]:
    return list(Reminder.objects.filter(kind=kind).order_by("email"))


def to(address: str, kind: str) -> list:
    """The e-mails of ``kind`` sent to ``address`` (matched through the log's subject line)."""
    titles = set(Reminder.objects.filter(kind=kind, email=address).values_list("title", flat=True))
    return [m for m in mail.outbox if m.to == [address] and m.subject in titles]


def body(message) -> tuple[str, str]:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return message.body, html


def words(language: str, text: str, **values) -> str:
    """``text`` as the recipient reads it (its catalogue's, or English until translated)."""
    with override(language):
        return _(text) % values if values else _(text)


def in_language(language: str, read):
    with override(language):
        return read()


def link(decision: Decision) -> str:
    return f"http://localhost:8000/decisions/{decision.pk}/procedure/"


def test_the_kinds_are_what_the_rules_and_the_scan_expect():
    assert {K.PROCEDURE_OPENED, K.PROCEDURE_CLOSED} <= NOTICE_KINDS
    assert K.PROCEDURE_UNANSWERED in BEFORE_KINDS and K.PROCEDURE_UNANSWERED not in NOTICE_KINDS
    assert PROCEDURE_DEFAULTS == {
        "procedure_opened": [0],
        "procedure_closed": [0],
        "procedure_unanswered": [3, 1],
    }


def test_the_data_migration_makes_the_default_rules_once(db):
    from django.apps import apps

    ReminderRule.objects.all().delete()
    PROCEDURE_MIGRATION.create_defaults(apps, None)
    PROCEDURE_MIGRATION.create_defaults(apps, None)
    made = ReminderRule.objects.filter(kind__in=PROCEDURE_KINDS, active=True)
    assert sorted(made.values_list("kind", "offset_days")) == [
        ("procedure_closed", 0),
        ("procedure_opened", 0),
        ("procedure_unanswered", 1),
        ("procedure_unanswered", 3),
    ]


# The opening letter --------------------------------------------------------------------------


def test_the_opening_letter_reaches_each_voter_once_in_its_language(scene, broker, commit):
    decision = between_sessions()
    closes_at = deadline_in(10)
    procedure = open_procedure(
        commit,
        decision,
        closes_at,
        letter="Dear colleagues, please answer.\n\nWith regards, the secretariat.",
        letter_kk="Құрметті әріптестер, жауап беріңіздер.",
    )

    opened = rows(K.PROCEDURE_OPENED)
    # The voters only: the observer (HU) has no vote, the suspended SUS is not a member.
    assert {r.email: r.language for r in opened} == VOTERS
    assert {r.subject for r in opened} == {f"procedure:{procedure.pk}"}
    assert {(r.status, r.attempts, r.offset_days) for r in opened} == {(S.SENT, 1, 0)}
    assert {r.chamber_id for r in opened} == {scene.kz.pk, scene.kg.pk, scene.tr.pk}
    assert len(mail.outbox) == 3
    assert broker.scans == 1  # after commit a scan runs: a reminder may be due today

    for address, language in VOTERS.items():
        (message,) = to(address, K.PROCEDURE_OPENED)
        text, html = body(message)
        title = in_language(language, lambda: decision.title)
        reference = in_language(language, lambda: decision.reference)
        # The deadline in the union's zone, named; its date by CLDR in the reader's language.
        day = l10n.format_date(closes_at.date(), language=language)
        deadline = f"{day}, 18:00 ({settings.TIME_ZONE})"
        assert message.subject == words(language, "Written procedure: %(title)s", title=title)
        assert (
            words(
                language,
                "%(reference)s, “%(title)s”, is put to your chamber by written procedure.",
                reference=reference,
                title=title,
            )
            in text
        )
        assert (
            words(
                language,
                "Please answer for, against or abstain in the portal by %(deadline)s.",
                deadline=deadline,
            )
            in text
        )
        assert "The union welcomes the agreement." in text
        assert "It asks the secretariat to report." in text
        assert link(decision) in text and f'href="{link(decision)}"' in html
        assert f'<html lang="{language}">' in html
        if language == "kk":
            # The letter and the title in Kazakh, the month by CLDR's Kazakh.
            assert "Құрметті әріптестер, жауап беріңіздер." in text
            assert "Dear colleagues" not in text
            assert "Сауда туралы мәлімдеме" in message.subject
            assert l10n.format_date(closes_at.date(), language="kk") != (
                l10n.format_date(closes_at.date(), language="en")
            )
        else:
            assert "Dear colleagues, please answer." in text
            assert "With regards, the secretariat." in text
    # In Russian, the month is CLDR's Russian (genitive): "… декабря 2026 г.".
    (russian,) = to("head@kg.example", K.PROCEDURE_OPENED)
    assert l10n.format_date(closes_at.date(), language="ru") in russian.body

    # Once: the event does not come again, and the scan leaves the notices alone.
    commit(services.reminders_scan, today=notices.today())
    assert len(rows(K.PROCEDURE_OPENED)) == 3 and len(mail.outbox) == 3


def test_a_silence_procedure_says_it_is_adopted_unless_a_member_objects(
    scene, broker, commit, settings
):
    settings.TIME_ZONE = "Asia/Almaty"
    scene.tr_focal.preferred_language = "en"
    scene.tr_focal.save(update_fields=["preferred_language"])
    decision = between_sessions()
    closes_at = deadline_in(5, hour=18)  # 18:00 in Almaty: 12:00 UTC
    open_procedure(commit, decision, closes_at, mode="silence")

    (message,) = to("focal@tr.example", K.PROCEDURE_OPENED)
    when = f"{l10n.format_date(closes_at.date(), language='en')}, 18:00 (Asia/Almaty)"
    assert message.subject == "Silence procedure: Statement on trade"
    assert (
        f"It is adopted unless a member objects by {when}. To object, give your chamber's "
        "reason in the portal; if it does not object, nothing is needed."
    ) in message.body
    assert "12:00" not in message.body
    assert "is put to your chamber by silence procedure." in message.body
    assert "Open the procedure" in message.body


def test_an_opening_letter_not_sent_before_the_procedure_was_withdrawn_is_set_aside(
    scene, broker, commit
):
    broker.down = True
    decision = between_sessions()
    open_procedure(commit, decision, deadline_in(10))
    waiting = rows(K.PROCEDURE_OPENED)
    assert {r.status for r in waiting} == {S.PENDING}
    commit(meetings.procedure_withdraw, actor=SYSTEM, decision=decision)
    broker.down = False
    for row in waiting:
        assert services.reminder_send(reminder_id=row.pk) == S.SKIPPED
    # The letter is never sent (the withdrawal's result waits for its own send).
    assert mail.outbox == []
    assert {r.status for r in rows(K.PROCEDURE_OPENED)} == {S.SKIPPED}


# The reminder of a procedure not yet answered ------------------------------------------------


def found(day: dt.date) -> set[tuple[int, str]]:
    """What the scan on ``day`` finds of the unanswered procedure: (offset, address)."""
    return {
        (due.offset_days, recipient.email)
        for due in occurrences(today=day)
        if due.kind == K.PROCEDURE_UNANSWERED
        for recipient in due.recipients
    }


def test_the_scan_reminds_the_voters_that_have_not_answered_3_and_1_days_before(
    scene, broker, commit
):
    decision = between_sessions()
    procedure = open_procedure(commit, decision, deadline_in(10))
    answer(commit, decision, scene.kz, "for")
    deadline = timezone.localdate() + dt.timedelta(days=10)
    silent = {"head@kg.example", "focal@tr.example"}  # KZ answered; HU has no vote

    def on(days_before: int) -> set[tuple[int, str]]:
        return found(deadline - dt.timedelta(days=days_before))

    assert on(4) == set()
    assert on(3) == on(2) == {(3, address) for address in silent}
    # The last window runs through the deadline's day (answers are taken until its hour).
    assert on(1) == on(0) == {(1, address) for address in silent}
    assert on(-1) == set()

    mail.outbox.clear()
    commit(services.reminders_scan, today=deadline - dt.timedelta(days=3))
    reminded = rows(K.PROCEDURE_UNANSWERED)
    assert {(r.email, r.offset_days, r.status) for r in reminded} == {
        (address, 3, S.SENT) for address in silent
    }
    assert {r.subject for r in reminded} == {f"procedure:{procedure.pk}"}
    (message,) = [m for m in mail.outbox if m.to == ["head@kg.example"]]
    with override("ru"):
        title, reference = decision.title, decision.reference
        when = f"{l10n.format_date(deadline)}, 18:00 ({settings.TIME_ZONE})"
    assert message.subject == words(
        "ru", "Your chamber has not yet answered: %(title)s", title=title
    )
    assert (
        words(
            "ru",
            "%(reference)s, “%(title)s”, is under written procedure until %(deadline)s and your "
            "chamber has not yet answered.",
            reference=reference,
            title=title,
            deadline=when,
        )
        in message.body
    )
    assert link(decision) in message.body

    # A scan again the same day sends nothing more; the next window sends the 1-day reminder,
    # but not to TR, which answered meanwhile.
    commit(services.reminders_scan, today=deadline - dt.timedelta(days=3))
    assert len(mail.outbox) == 2
    answer(commit, decision, scene.tr, "against")
    commit(services.reminders_scan, today=deadline - dt.timedelta(days=1))
    assert [m.to[0] for m in mail.outbox[2:]] == ["head@kg.example"]

    # Closed: the scan finds nothing more.
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    assert found(deadline) == set()


def test_a_reminder_recorded_before_the_close_is_not_sent_after_it(scene, broker, commit):
    decision = between_sessions()
    procedure = open_procedure(commit, decision, deadline_in(10))
    deadline = timezone.localdate() + dt.timedelta(days=10)
    broker.down = True  # recorded, not yet sent, when the procedure closes
    commit(services.reminders_scan, today=deadline - dt.timedelta(days=1))
    waiting = rows(K.PROCEDURE_UNANSWERED)
    assert {(r.email, r.status) for r in waiting} == {(a, S.PENDING) for a in VOTERS}
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    broker.down = False
    mail.outbox.clear()
    assert services.reminder_send(reminder_id=waiting[0].pk) == S.SKIPPED
    # The next scan sets the others aside: no longer due.
    result = commit(services.reminders_scan, today=deadline)
    assert result.skipped == 2
    assert {r.status for r in rows(K.PROCEDURE_UNANSWERED)} == {S.SKIPPED}
    # What the scan sent: the result, recorded while the broker was down; no reminder.
    assert {r.status for r in rows(K.PROCEDURE_CLOSED)} == {S.SENT}
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))
    assert {m.subject for m in mail.outbox} == {r.title for r in rows(K.PROCEDURE_CLOSED)}


def test_a_reminder_is_not_sent_to_a_chamber_that_answered_after_it_was_recorded(
    scene, broker, commit
):
    decision = between_sessions()
    open_procedure(commit, decision, deadline_in(10))
    broker.down = True
    commit(services.reminders_scan, today=timezone.localdate() + dt.timedelta(days=7))
    pending = {r.email: r for r in rows(K.PROCEDURE_UNANSWERED)}
    assert set(pending) == set(VOTERS)
    answer(commit, decision, scene.kg, "abstain")
    broker.down = False
    mail.outbox.clear()
    assert services.reminder_send(reminder_id=pending["head@kg.example"].pk) == S.SKIPPED
    assert services.reminder_send(reminder_id=pending["focal@kz.example"].pk) == S.SENT
    assert [m.to for m in mail.outbox] == [["focal@kz.example"]]


def test_an_offset_whose_day_came_before_the_opening_is_left_out(scene, broker, commit):
    """Opened 2 days before its deadline: the 3-day reminder was never missed (the letter
    went out that day); the 1-day one comes on its day."""
    decision = between_sessions()
    open_procedure(commit, decision, deadline_in(2))
    today = timezone.localdate()
    assert found(today) == set()
    assert {offset for offset, _ in found(today + dt.timedelta(days=1))} == {1}


def test_the_scan_of_procedures_costs_the_same_queries_for_one_or_many(scene, broker, commit):
    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            occurrences(today=timezone.localdate() + dt.timedelta(days=7))
        return len(captured)

    open_procedure(commit, between_sessions(), deadline_in(10))
    one = cost()
    for title in ("Second", "Third", "Fourth"):
        decision = between_sessions(title=title)
        open_procedure(commit, decision, deadline_in(10))
        answer(commit, decision, scene.kz, "for")
    assert cost() == one
    dues = [
        (due.subject, recipient.email)
        for due in occurrences(today=timezone.localdate() + dt.timedelta(days=7))
        for recipient in due.recipients
    ]
    assert len(set(dues)) == len(dues) == 3 + 3 * 2  # KZ answered the last three


# The result ----------------------------------------------------------------------------------


def test_the_result_reaches_every_member_and_observer_once_though_the_close_runs_twice(
    scene, broker, commit
):
    decision = between_sessions()
    procedure = open_procedure(commit, decision, deadline_in(3))
    answer(commit, decision, scene.kz, "for")
    answer(commit, decision, scene.kg, "for")
    answer(commit, decision, scene.tr, "against")
    mail.outbox.clear()

    later = after_deadline(procedure)
    assert len(commit(meetings.procedures_close_due, now=later)) == 1
    assert commit(meetings.procedures_close_due, now=later) == []

    result = rows(K.PROCEDURE_CLOSED)
    assert {r.email: r.language for r in result} == READERS
    assert {(r.subject, r.status, r.attempts) for r in result} == {
        (f"procedure:{procedure.pk}", S.SENT, 1)
    }
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))
    # Not published: no "decision adopted" notice beside it.
    assert not Reminder.objects.filter(kind=K.DECISION_ADOPTED).exists()

    (english,) = to("focal@hu.example", K.PROCEDURE_CLOSED)
    day = l10n.format_date(timezone.localdate(procedure.closes_at), language="en")
    assert english.subject == "Adopted by written procedure: Statement on trade"
    reference = f"Decision {decision.year}/{decision.number} between sessions"
    assert (
        f"{reference}, “Statement on trade”, was adopted by written procedure on {day}."
    ) in english.body
    assert "For: 2. Against: 1. Abstained: 0." in english.body
    assert "3 of 3 voters answered." in english.body
    assert link(decision) in english.body
    (kazakh,) = to("focal@kz.example", K.PROCEDURE_CLOSED)
    assert "Сауда туралы мәлімдеме" in kazakh.subject
    assert '<html lang="kk">' in body(kazakh)[1]


def test_a_procedure_not_adopted_says_why_in_each_language(scene, broker, commit):
    decision = between_sessions()
    procedure = open_procedure(commit, decision, deadline_in(3))
    answer(commit, decision, scene.kz, "against")
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    procedure.refresh_from_db()
    assert procedure.adopted is False

    (english,) = to("focal@hu.example", K.PROCEDURE_CLOSED)
    assert english.subject == "Not adopted by written procedure: Statement on trade"
    assert "was not adopted: the procedure closed on" in english.body
    assert "No quorum: 1 of 3 voters answered, 2 needed." in english.body
    assert "For: 0. Against: 1. Abstained: 0." in english.body
    assert "1 of 3 voters answered." in english.body
    for address, language in READERS.items():
        (message,) = to(address, K.PROCEDURE_CLOSED)
        reasons = in_language(language, lambda: meetings.outcome_of(procedure).reasons)
        assert len(reasons) == 2  # no quorum, and no majority
        assert all(reason in message.body for reason in reasons)


def test_a_silence_procedure_broken_by_an_objection_and_one_kept(scene, broker, commit):
    broken, kept = between_sessions(), between_sessions(title="Budget line")
    first = open_procedure(commit, broken, deadline_in(3), mode="silence")
    open_procedure(commit, kept, deadline_in(3), mode="silence")
    answer(commit, broken, scene.tr, "objection", reason="Not consulted")
    commit(meetings.procedures_close_due, now=after_deadline(first))

    by_subject = {m.subject: m for m in mail.outbox if m.to == ["focal@hu.example"]}
    refused = by_subject["Not adopted by silence procedure: Statement on trade"]
    assert "Silence broken: 1 objection." in refused.body
    assert "1 objection." in refused.body and "1 of 3 voters answered." in refused.body
    adopted = by_subject["Adopted by silence procedure: Budget line"]
    assert "was adopted by silence procedure on" in adopted.body
    assert "no member objected." in adopted.body
    assert "0 objections." in adopted.body


def test_effects_refused_are_told_with_their_reason(scene, broker, commit):
    first, second = make_priority(), make_priority(title="Second")
    decision = between_sessions(
        kind="priorities",
        effects=[{"type": "activate_priorities", "priorities": [first.pk, second.pk]}],
    )
    procedure = open_procedure(commit, decision, deadline_in(3))
    for chamber in (scene.kz, scene.kg, scene.tr):
        answer(commit, decision, chamber, "for")
    Priority.objects.filter(pk=second.pk).update(status=Priority.Status.DROPPED)
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    procedure.refresh_from_db()
    assert procedure.adopted is False and procedure.refusal

    (english,) = to("focal@hu.example", K.PROCEDURE_CLOSED)
    assert english.subject == "Not adopted by written procedure: Statement on trade"
    assert (
        f"The answers adopted it, but its effects could not be applied: {procedure.refusal}"
    ) in english.body
    assert "For: 3. Against: 0. Abstained: 0." in english.body


def test_a_withdrawal_is_told_as_withdrawn_by_the_secretariat(scene, broker, commit):
    decision = between_sessions()
    open_procedure(commit, decision, deadline_in(3))
    mail.outbox.clear()
    procedure = commit(meetings.procedure_withdraw, actor=SYSTEM, decision=decision)
    assert procedure.state == ProcedureState.WITHDRAWN
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(READERS, 1))
    (english,) = to("focal@hu.example", K.PROCEDURE_CLOSED)
    assert english.subject == "Written procedure withdrawn: Statement on trade"
    assert "was withdrawn by the secretariat on" in english.body
    assert "nothing was counted" in english.body
    # Put again later: a new procedure, a new letter and, in its time, a new result.
    again = open_procedure(commit, decision, deadline_in(3))
    assert Reminder.objects.filter(kind=K.PROCEDURE_OPENED, subject=f"procedure:{again.pk}")
    assert len(rows(K.PROCEDURE_CLOSED)) == 4


def test_a_published_decision_adopted_by_procedure_also_sends_the_adoption_notice(
    scene, broker, commit
):
    ReminderRule.objects.filter(kind=K.DECISION_ADOPTED).update(active=True)
    decision = between_sessions(published=True)
    procedure = open_procedure(commit, decision, deadline_in(3))
    for chamber in (scene.kz, scene.kg):
        answer(commit, decision, chamber, "for")
    mail.outbox.clear()
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    adopted = to("focal@hu.example", K.DECISION_ADOPTED)
    (message,) = adopted
    reference = f"Decision {decision.year}/{decision.number} between sessions"
    assert message.subject == "Decision adopted: Statement on trade"
    assert f"{reference}, “Statement on trade”, was adopted on" in message.body
    assert len(to("focal@hu.example", K.PROCEDURE_CLOSED)) == 1


@pytest.mark.parametrize("kind", [K.PROCEDURE_OPENED, K.PROCEDURE_CLOSED])
def test_each_procedure_notice_is_turned_off_by_its_rule(kind, scene, broker, commit):
    ReminderRule.objects.filter(kind=kind).update(active=False)
    decision = between_sessions()
    procedure = open_procedure(commit, decision, deadline_in(3))
    commit(meetings.procedures_close_due, now=after_deadline(procedure))
    made = set(Reminder.objects.values_list("kind", flat=True))
    assert made == {K.PROCEDURE_OPENED, K.PROCEDURE_CLOSED} - {kind}


# A real beat and worker close it; the result arrives once at a real mail server ---------------


class EveryHalfSecond(beat.Scheduler):
    """The beat's schedule of the close, every half second instead of every minute (the
    settings' ``close-procedures``), kept in memory."""

    def setup_schedule(self) -> None:
        self.merge_inplace({"close-procedures": {"task": CLOSE, "schedule": 0.5}})


@pytest.mark.django_db(transaction=True)
def test_a_real_beat_and_worker_close_at_the_deadline_and_the_result_arrives_once(
    procedure_rules, world, smtp, worker
):
    # The result only: an opening letter the worker took after this short deadline would be
    # set aside as no longer due (the letters have their own tests above).
    ReminderRule.objects.exclude(kind=K.PROCEDURE_CLOSED).update(active=False)
    sink = smtp.start()
    purge_queue()
    decision = between_sessions()
    procedure = meetings.procedure_open(
        actor=SYSTEM,
        decision=decision,
        mode="silence",
        closes_at=timezone.now() + dt.timedelta(seconds=3),
    )
    service = beat.Service(
        celery_app, max_interval=0.2, scheduler_cls=EveryHalfSecond, remote_control=False
    )
    ticking = threading.Thread(target=service.start, name="beat", daemon=True)
    # Each reader's subject line, the decision's title in its language (Kazakh for KZ).
    result = {
        address: words(
            language,
            "Adopted by silence procedure: %(title)s",
            title=in_language(language, lambda: decision.title),
        )
        for address, language in READERS.items()
    }

    def of(expected: dict[str, str]) -> list:
        return [m for m in sink.messages if expected.get(m["To"]) == subject(m)]

    with worker() as runs:
        ticking.start()
        try:
            wait_until(lambda: len(of(result)) >= 4, "the result at the mail server")
            # The beat goes on firing the close: it finds the procedure closed.
            closes = len(runs.results(CLOSE))
            wait_until(lambda: len(runs.results(CLOSE)) >= closes + 3, "three more closes")
            time.sleep(0.5)  # anything a late close could have sent
        finally:
            service.stop(wait=True)  # before the worker: no close is left for the next test
            ticking.join(timeout=5)
    purge_queue()  # one the beat published as it stopped, if the worker had not taken it

    closed_by = [retval for _, retval in runs.results(CLOSE) if retval]
    assert closed_by == [[procedure.pk]]  # one run closed it; every other found nothing
    procedure.refresh_from_db()
    assert procedure.state == ProcedureState.CLOSED and procedure.adopted is True
    told = rows(K.PROCEDURE_CLOSED)
    assert {r.email for r in told} == set(READERS)
    assert {(r.status, r.attempts) for r in told} == {(S.SENT, 1)}
    assert Counter(m["To"] for m in of(result)) == Counter(dict.fromkeys(READERS, 1))
    assert len(sink.messages) == 4  # nothing else, nothing twice
    results = of(result)
    (english,) = [m for m in results if m["To"] == "focal@hu.example"]
    text, html = parts(english)
    assert "no member objected." in text and "0 objections." in text
    assert link(decision) in html
