"""The reminders' portal pages and the language a person reads.

``/reminders/`` ("my reminders") shows a login what was sent to it and to its chamber's
contacts; ``/reminders/due/`` shows the secretariat what falls due in the next 30 days, each
recipient with the state of its log row. The language chosen with the portal's switch is
remembered in the user's profile and used for the reminders a scan records for them.

Rows come from ``reminders_scan`` (these tests run in a transaction that is rolled back, so its
``on_commit`` publish never runs: nothing reaches a broker) or are made directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from chambers import services as chamber_services
from chambers.models import FORMER, Contact, UserProfile
from meetings.models import ActionItem
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import SYSTEM, make_login

#: The demo on this day: the chair of 2027 is not approved (the 60-day reminder is open, the
#: 30-day one falls due on 2026-12-01) and an action item of Uzbekistan's is overdue.
TODAY = dt.date(2026, 11, 25)

_numbers = itertools.count(1)


@pytest.fixture
def frozen_today(monkeypatch) -> dt.date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def remind(*, user=None, contact: Contact | None = None, **fields) -> Reminder:
    """A log row sent to ``user`` or to ``contact`` (and so to its chamber)."""
    number = next(_numbers)
    if user is not None:
        fields.setdefault("recipient", f"user:{user.pk}")
        fields.setdefault("email", user.email)
    else:
        fields.setdefault("recipient", f"contact:{contact.pk}")
        fields.setdefault("email", contact.email or f"contact{contact.pk}@example.org")
        fields.setdefault("chamber_id", contact.chamber_id)
    fields.setdefault("kind", ReminderKind.ACTION_OVERDUE)
    fields.setdefault("subject", f"action:{number}")
    fields.setdefault("offset_days", 1)
    fields.setdefault("language", "en")
    fields.setdefault("due_on", TODAY)
    fields.setdefault("title", f"Reminder number {number}")
    return Reminder.objects.create(user=user, contact=contact, **fields)


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def shown(response) -> set[int]:
    return {reminder.pk for reminder in response.context["page"].object_list}


# --- /reminders/ -------------------------------------------------------------------------------


def test_member_sees_its_own_and_its_chambers_reminders_only(union):
    viewer = get_user_model().objects.get(username="viewer")
    staff = get_user_model().objects.get(username="staff")
    to_me = remind(user=viewer, title="Sent to the viewer itself")
    to_home = remind(contact=union.home_contact, title="Sent to the home head")
    to_home_sent = remind(
        contact=union.home_contact,
        title="Delivered to the home head",
        status=ReminderStatus.SENT,
        sent_at=timezone.now(),
    )
    to_home_failed = remind(
        contact=union.home_contact, title="Failed for home", status=ReminderStatus.FAILED
    )
    remind(contact=union.home_contact, title="Set aside for home", status=ReminderStatus.SKIPPED)
    remind(contact=union.other_contact, title="Sent to the other head")
    remind(user=staff, title="Sent to the secretariat")

    for role in ("viewer", "editor"):
        response = union.client(role, api=False).get("/reminders/")
        assert response.status_code == 200
        if role == "viewer":
            assert shown(response) == {to_me.pk, to_home.pk, to_home_sent.pk, to_home_failed.pk}
        else:  # the editor is another login of the same chamber: not the viewer's own rows
            assert shown(response) == {to_home.pk, to_home_sent.pk, to_home_failed.pk}
        body = response.content.decode()
        assert "Sent to the home head" in body and "Home Head" in body
        assert "Sent to the other head" not in body
        assert "Set aside for home" not in body
        assert "Sent to the secretariat" not in body
        assert "reminder-status-sent" in body and "reminder-status-failed" in body

    other = union.client("other_editor", api=False).get("/reminders/")
    assert {r.title for r in other.context["page"].object_list} == {"Sent to the other head"}


def test_staff_sees_the_reminders_sent_to_them(union):
    staff = get_user_model().objects.get(username="staff")
    mine = remind(user=staff, title="Sent to the secretariat")
    remind(contact=union.home_contact, title="Sent to the home head")
    remind(user=staff, title="Set aside", status=ReminderStatus.SKIPPED)
    response = union.client("staff", api=False).get("/reminders/")
    assert response.status_code == 200
    assert shown(response) == {mine.pk}
    body = response.content.decode()
    assert "Sent to the secretariat" in body and "Sent to the home head" not in body
    assert 'href="/reminders/due/"' in body  # the secretariat's overview is linked


def test_a_member_of_a_former_chamber_keeps_only_what_was_sent_to_it(union):
    viewer = get_user_model().objects.get(username="viewer")
    mine = remind(user=viewer)
    remind(contact=union.home_contact)
    # The home chamber leaves the union: its logins see what the public sees, and their own.
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=union.home, status=FORMER, effective=timezone.localdate()
    )
    response = union.client("viewer", api=False).get("/reminders/")
    assert response.status_code == 200
    assert shown(response) == {mine.pk}
    assert "Reminders sent to you." in response.content.decode()


def test_anonymous_is_sent_to_the_login_page(union):
    remind(contact=union.home_contact, title="Sent to the home head")
    for path in ("/reminders/", "/reminders/due/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"


def test_the_pages_only_answer_get(union):
    client = union.client("staff", api=False)
    assert client.post("/reminders/").status_code == 405
    assert client.post("/reminders/due/").status_code == 405


def test_my_reminders_are_paginated_by_50_newest_first(union):
    rows = [
        remind(contact=union.home_contact, due_on=TODAY - dt.timedelta(days=i), title=f"Row {i}")
        for i in range(51)
    ]
    client = union.client("viewer", api=False)
    first = client.get("/reminders/")
    assert [r.pk for r in first.context["page"].object_list] == [r.pk for r in rows[:50]]
    body = first.content.decode()
    assert "Page 1 of 2" in body and 'href="?page=2"' in body and "Row 49" in body
    assert "Row 50<" not in body

    second = client.get("/reminders/?page=2")
    assert [r.pk for r in second.context["page"].object_list] == [rows[50].pk]
    assert "Page 2 of 2" in second.content.decode()
    assert 'href="?page=1"' in second.content.decode()
    # Out of range or malformed: the last or the first page, never an error.
    assert shown(client.get("/reminders/?page=99")) == {rows[50].pk}
    assert len(shown(client.get("/reminders/?page=x"))) == 50


def test_a_scan_of_the_demo_shows_on_each_logins_page(demo):
    services.reminders_scan(today=TODAY)
    atameken = login("atameken").get("/reminders/")  # Atameken is the current chair
    rows = list(atameken.context["page"].object_list)
    assert [(r.kind, r.offset_days, r.email, r.language) for r in rows] == [
        (ReminderKind.APPROVAL_DUE, 60, "international@atameken.example", "kk")
    ]
    body = atameken.content.decode()
    assert "Approval of the next chair due" in body and 'href="/rotation/"' in body
    assert "60 days before" in body

    tobb = login("tobb").get("/reminders/")  # nothing due for TOBB on this day
    assert not tobb.context["page"].object_list
    assert "No reminders yet." in tobb.content.decode()

    secretariat = login("secretariat").get("/reminders/")
    assert [r.recipient for r in secretariat.context["page"].object_list] == [
        f"user:{get_user_model().objects.get(username='secretariat').pk}"
    ]


# --- /reminders/due/ ---------------------------------------------------------------------------


def test_due_page_is_for_the_secretariat(union):
    for role in ("viewer", "editor"):
        assert union.client(role, api=False).get("/reminders/due/").status_code == 403
    assert union.client("staff", api=False).get("/reminders/due/").status_code == 200


def due_rows(body: str) -> dict[tuple[str, str], dict[str, str]]:
    """The due page's table: (kind and offset label, due day) -> {e-mail: state}."""
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL):
        due_on = re.search(r"<td>(\d{4}-\d{2}-\d{2})", row).group(1)
        label = re.search(r'</a><br><span class="muted">([^<]+)</span>', row).group(1)
        states = {}
        for item in re.findall(r"<li>(.*?)</li>", row, re.DOTALL):
            email = re.search(r"&lt;([^&]+)&gt;", item).group(1)
            state = re.search(r"reminder-status-(\w+)", item)
            states[email] = state.group(1) if state else ""
        rows[(label, due_on)] = states
    return rows


APPROVAL_60 = ("Approval of the next chair due, 60 days before", "2026-11-01")
APPROVAL_30 = ("Approval of the next chair due, 30 days before", "2026-12-01")
ACTION_14 = ("Action item overdue, 14 days after", "2026-11-14")
SECRETARIAT = "secretariat@union.example"
ATAMEKEN = "international@atameken.example"
KYRGYZSTAN = "international@kyrgyzstan-cci.example"
UZBEKISTAN = "international@uzbekistan-cci.example"


def test_due_page_lists_what_falls_due_in_the_next_30_days(demo, frozen_today):
    corridors = ActionItem.objects.get(title__startswith="Map of international transport")
    response = login("secretariat").get("/reminders/due/")
    assert response.status_code == 200
    assert [
        (due.kind, due.subject, due.offset_days, due.due_on)
        for due, _recipients in response.context["rows"]
    ] == [
        (ReminderKind.APPROVAL_DUE, "period:2027-01-01", 60, dt.date(2026, 11, 1)),
        (ReminderKind.ACTION_OVERDUE, f"action:{corridors.pk}", 14, dt.date(2026, 11, 14)),
        (ReminderKind.APPROVAL_DUE, "period:2027-01-01", 30, dt.date(2026, 12, 1)),
    ]
    body = response.content.decode()
    assert "What falls due from 2026-11-25 over the next 30 days" in body
    assert "Chair from 2027-01-01 (forecast: Chamber of Commerce and Industry of the Kyrgyz" in body
    assert "Map of international transport corridors and their bottlenecks" in body
    assert body.count(">late</span>") == 2  # the two whose first day has passed
    # Before any scan, no recipient has a log row.
    assert due_rows(body) == {
        APPROVAL_60: {SECRETARIAT: "", ATAMEKEN: "", KYRGYZSTAN: ""},
        ACTION_14: {UZBEKISTAN: ""},
        APPROVAL_30: {SECRETARIAT: "", ATAMEKEN: "", KYRGYZSTAN: ""},
    }
    assert 'action="/admin/reminders/reminder/scan/"' in body


def test_due_page_shows_each_recipients_state_after_a_scan_and_a_send(demo, frozen_today):
    result = services.reminders_scan(today=TODAY)
    assert len(result.to_send) == 4
    rows = {r.email: r for r in Reminder.objects.filter(kind=ReminderKind.APPROVAL_DUE)}
    assert services.reminder_send(reminder_id=rows[SECRETARIAT].pk) == ReminderStatus.SENT
    assert mail.outbox[0].to == [SECRETARIAT]
    services.reminder_record_failure(
        reminder_id=rows[KYRGYZSTAN].pk, error="SMTPServerDisconnected: gone", final=True
    )
    body = login("secretariat").get("/reminders/due/").content.decode()
    assert due_rows(body) == {
        APPROVAL_60: {SECRETARIAT: "sent", ATAMEKEN: "pending", KYRGYZSTAN: "failed"},
        ACTION_14: {UZBEKISTAN: "pending"},
        # Falls due on 2026-12-01: no scan has recorded it yet.
        APPROVAL_30: {SECRETARIAT: "", ATAMEKEN: "", KYRGYZSTAN: ""},
    }


# --- The language a person reads --------------------------------------------------------------


def test_language_switch_remembers_a_logged_in_users_choice(union):
    viewer = get_user_model().objects.get(username="viewer")
    client = union.client("viewer", api=False)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/reminders/"})
    assert response.status_code == 302 and response["Location"] == "/reminders/"
    assert UserProfile.objects.get(user=viewer).preferred_language == "ru"
    client.post("/i18n/setlang/", {"language": "tr", "next": "/"})
    assert UserProfile.objects.get(user=viewer).preferred_language == "tr"
    # A language the site does not offer changes nothing.
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert UserProfile.objects.get(user=viewer).preferred_language == "tr"
    assert UserProfile.objects.count() == 1


def test_language_switch_of_anonymous_makes_no_profile(union):
    response = Client().post("/i18n/setlang/", {"language": "kk", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "kk"  # the switch itself still works
    assert not UserProfile.objects.exists()


def test_a_scan_records_a_staff_users_reminder_in_the_language_they_chose(demo):
    client = login("secretariat")
    client.post("/i18n/setlang/", {"language": "kk", "next": "/"})
    services.reminders_scan(today=TODAY)
    secretariat = get_user_model().objects.get(username="secretariat")
    mine = Reminder.objects.get(user=secretariat)
    assert (mine.kind, mine.offset_days, mine.language) == (ReminderKind.APPROVAL_DUE, 60, "kk")
    # The contacts keep their own languages.
    assert dict(
        Reminder.objects.filter(contact__isnull=False).values_list("email", "language")
    ) == {
        ATAMEKEN: "kk",
        KYRGYZSTAN: "ru",
        UZBEKISTAN: "ru",
    }


def test_a_staff_user_without_a_profile_gets_the_sites_language(demo, settings):
    staff = make_login(None, None, username="second-staff", staff=True)
    assert not UserProfile.objects.filter(user=staff).exists()
    services.reminders_scan(today=TODAY)
    mine = Reminder.objects.get(user=staff)
    assert (mine.email, mine.language) == ("second-staff@example.org", settings.LANGUAGE_CODE)
