"""The secretariat's reminder admin: the rules (offsets edited in the list), the read-only log
with its filters and "send again", "Send due reminders now", and the language preference on
the user admin.

Publishing is replaced by a recorder: the tests see which log rows would be sent to the broker
(``django_capture_on_commit_callbacks`` runs the after-commit publish), and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from chambers.models import UserProfile
from reminders import services
from reminders.models import Reminder, ReminderKind, ReminderRule, ReminderStatus

TODAY = dt.date(2026, 11, 25)  # the demo: approval of the 2027 chair due, an action overdue
RULES = "/admin/reminders/reminderrule/"
LOG = "/admin/reminders/reminder/"
SCAN = "/admin/reminders/reminder/scan/"
DUPLICATE = "This kind of reminder already has this offset."

_numbers = itertools.count(1)


@pytest.fixture
def frozen_today(monkeypatch) -> dt.date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def published(monkeypatch) -> list[int]:
    """The ids the after-commit publish would send to the broker."""
    sent: list[int] = []

    def record(ids: list[int]) -> int:
        sent.extend(ids)
        return len(ids)

    monkeypatch.setattr(services, "reminders_publish", record)
    return sent


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def remind(chamber=None, **fields) -> Reminder:
    number = next(_numbers)
    fields.setdefault("kind", ReminderKind.ACTION_OVERDUE)
    fields.setdefault("subject", f"action:{number}")
    fields.setdefault("offset_days", 1)
    fields.setdefault("recipient", f"contact:{number}")
    fields.setdefault("email", f"r{number}@example.org")
    fields.setdefault("language", "en")
    fields.setdefault("due_on", TODAY)
    return Reminder.objects.create(chamber=chamber, **fields)


def rule(kind: str, offset: int) -> ReminderRule:
    return ReminderRule.objects.get(kind=kind, offset_days=offset)


def changelist_edit(rule: ReminderRule, **changes) -> dict:
    """The rules changelist's POST for one edited row (list_editable: offset and active)."""
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(rule.pk),
        "form-0-offset_days": str(changes.get("offset_days", rule.offset_days)),
        "_save": "Save",
    }
    if changes.get("active", rule.active):
        data["form-0-active"] = "on"
    return data


def scan_finds(kind: str) -> set[int]:
    result = services.reminders_scan(today=TODAY, dry_run=True)
    return {line.due.offset_days for line in result.lines if line.due.kind == kind}


# --- Rules ---------------------------------------------------------------------------------------


def test_rules_changelist_edits_offsets_and_the_scan_follows(demo):
    client = login("secretariat")
    page = client.get(RULES)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="form-0-offset_days"' in body and 'name="form-0-active"' in body
    assert "60 days before" in body and "14 days after" in body
    assert scan_finds(ReminderKind.APPROVAL_DUE) == {60}  # 2026-11-01 to 2026-12-01

    sixty = rule(ReminderKind.APPROVAL_DUE, 60)
    response = client.post(RULES, changelist_edit(sixty, offset_days=40))
    assert response.status_code == 302, response.content[:500]
    sixty.refresh_from_db()
    assert sixty.offset_days == 40
    # Forty days before 2026-12-31 is 2026-11-21: that reminder is the one due now.
    assert scan_finds(ReminderKind.APPROVAL_DUE) == {40}

    # Switched off in the list: nothing of that kind is found.
    for offset in (120, 40, 30):
        approval = rule(ReminderKind.APPROVAL_DUE, offset)
        client.post(RULES, changelist_edit(approval, active=False))
    assert not ReminderRule.objects.filter(kind=ReminderKind.APPROVAL_DUE, active=True).exists()
    assert scan_finds(ReminderKind.APPROVAL_DUE) == set()
    assert scan_finds(ReminderKind.ACTION_OVERDUE) == {14}


def test_rule_form_refuses_a_duplicate_offset_with_a_form_error(union, default_rules):
    client = union.client("staff", api=False)
    count = ReminderRule.objects.count()
    response = client.post(
        f"{RULES}add/", {"kind": ReminderKind.APPROVAL_DUE, "offset_days": "60", "active": "on"}
    )
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert ReminderRule.objects.count() == count

    thirty = rule(ReminderKind.APPROVAL_DUE, 30)
    response = client.post(
        f"{RULES}{thirty.pk}/change/",
        {"kind": ReminderKind.APPROVAL_DUE, "offset_days": "60", "active": "on"},
    )
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    thirty.refresh_from_db()
    assert thirty.offset_days == 30

    # The same offset of another kind is fine; out of range is refused by the form.
    response = client.post(
        f"{RULES}add/", {"kind": ReminderKind.ACTION_OVERDUE, "offset_days": "60", "active": "on"}
    )
    assert response.status_code == 302
    response = client.post(
        f"{RULES}add/", {"kind": ReminderKind.ACTION_OVERDUE, "offset_days": "3651"}
    )
    assert response.status_code == 200
    assert "less than or equal to 3650" in response.content.decode()
    assert ReminderRule.objects.count() == count + 1


def test_rules_changelist_refuses_a_duplicate_offset_with_a_form_error(union, default_rules):
    """The list's form has no ``kind`` field, so Django's form skips the (kind, offset)
    constraint; the refusal must still be a form error, not a server error."""
    client = union.client("staff", api=False)
    client.raise_request_exception = False
    thirty = rule(ReminderKind.APPROVAL_DUE, 30)
    response = client.post(RULES, changelist_edit(thirty, offset_days=60))
    assert response.status_code == 200, f"a duplicate offset answered {response.status_code}"
    assert DUPLICATE in response.content.decode()
    thirty.refresh_from_db()
    assert thirty.offset_days == 30


def test_rules_are_for_the_secretariat(union, default_rules):
    viewer = union.client("viewer", api=False)
    assert viewer.get(RULES).status_code == 302  # to the admin's login
    sixty = rule(ReminderKind.APPROVAL_DUE, 60)
    viewer.post(RULES, changelist_edit(sixty, offset_days=40))
    sixty.refresh_from_db()
    assert sixty.offset_days == 60


# --- The log -------------------------------------------------------------------------------------


def test_log_changelist_filters_by_status_and_kind(union):
    failed_action = remind(union.home, status=ReminderStatus.FAILED)
    sent_action = remind(union.home, status=ReminderStatus.SENT)
    failed_approval = remind(
        union.other,
        kind=ReminderKind.APPROVAL_DUE,
        subject="period:2027-01-01",
        offset_days=60,
        status=ReminderStatus.FAILED,
    )
    pending_minutes = remind(kind=ReminderKind.MINUTES_UNPUBLISHED, subject="meeting:1")
    client = union.client("staff", api=False)

    def listed(query: str) -> set[int]:
        response = client.get(f"{LOG}{query}")
        assert response.status_code == 200
        return {r.pk for r in response.context["cl"].result_list}

    everything = {failed_action.pk, sent_action.pk, failed_approval.pk, pending_minutes.pk}
    assert listed("") == everything
    assert listed("?status__exact=failed") == {failed_action.pk, failed_approval.pk}
    assert listed("?kind__exact=action_overdue") == {failed_action.pk, sent_action.pk}
    assert listed("?status__exact=failed&kind__exact=action_overdue") == {failed_action.pk}
    assert listed("?status__exact=pending") == {pending_minutes.pk}
    assert listed(f"?chamber__id__exact={union.other.pk}") == {failed_approval.pk}
    body = client.get(LOG).content.decode()
    assert "Send due reminders now" in body and 'href="/reminders/due/"' in body


def test_log_is_read_only(union):
    row = remind(union.home, status=ReminderStatus.FAILED, last_error="SMTPException: no")
    client = union.client("staff", api=False)
    changelist = client.get(LOG)
    assert f"{LOG}add/" not in changelist.content.decode()
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "send_again" in actions and "delete_selected" not in actions

    assert client.get(f"{LOG}add/").status_code == 403
    page = client.get(f"{LOG}{row.pk}/change/")
    assert page.status_code == 200  # viewable
    body = page.content.decode()
    assert "SMTPException: no" in body
    assert 'name="status"' not in body and 'name="_save"' not in body
    response = client.post(f"{LOG}{row.pk}/change/", {"status": ReminderStatus.SENT})
    assert response.status_code == 403
    assert client.get(f"{LOG}{row.pk}/delete/").status_code == 403
    assert client.post(f"{LOG}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.status == ReminderStatus.FAILED

    assert union.client("viewer", api=False).get(LOG).status_code == 302  # to the admin's login


def test_send_again_requeues_failed_rows_and_leaves_sent_ones_alone(
    union, published, django_capture_on_commit_callbacks
):
    sent_at = timezone.now() - dt.timedelta(days=1)
    failed = remind(union.home, status=ReminderStatus.FAILED, attempts=6, last_error="x")
    sent = remind(union.home, status=ReminderStatus.SENT, attempts=1, sent_at=sent_at)
    client = union.client("staff", api=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LOG, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}
        )
    assert response.status_code == 302
    assert messages_of(response) == ["1 reminder queued."]
    assert published == [failed.pk]
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.queued_at) == (ReminderStatus.PENDING, None)
    assert (sent.status, sent.sent_at, sent.attempts) == (ReminderStatus.SENT, sent_at, 1)


# --- "Send due reminders now" -------------------------------------------------------------------


def test_send_due_reminders_now_records_and_queues_whats_due(
    demo, frozen_today, published, django_capture_on_commit_callbacks
):
    client = login("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SCAN)
    assert response.status_code == 302 and response["Location"] == LOG
    rows = Reminder.objects.order_by("pk")
    assert sorted((r.kind, r.offset_days, r.email) for r in rows) == [
        (ReminderKind.ACTION_OVERDUE, 14, "international@uzbekistan-cci.example"),
        (ReminderKind.APPROVAL_DUE, 60, "international@atameken.example"),
        (ReminderKind.APPROVAL_DUE, 60, "international@kyrgyzstan-cci.example"),
        (ReminderKind.APPROVAL_DUE, 60, "secretariat@union.example"),
    ]
    assert sorted(published) == [r.pk for r in rows]
    assert messages_of(response) == [
        "4 reminders due today were queued for sending. 0 were already sent. Reminders that "
        "cannot be queued now are sent by the next scan."
    ]

    # Again, after one was sent, from the due page's form: no new rows, the sent one stays.
    services.reminder_send(reminder_id=rows[0].pk)
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SCAN, {"next": "/reminders/due/"}, follow=True)
    assert response.redirect_chain == [("/reminders/due/", 302)]
    assert "3 reminders due today were queued for sending. 1 was already sent." in (
        response.content.decode()
    )
    assert Reminder.objects.count() == 4
    assert sorted(published) == [r.pk for r in rows[1:]]


def test_send_due_reminders_now_redirects_only_to_this_site(
    union, default_rules, published, frozen_today
):
    client = union.client("staff", api=False)
    response = client.post(SCAN, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == LOG


def test_send_due_reminders_now_is_for_the_secretariat(demo, frozen_today, published):
    for client in (login("atameken"), Client()):
        response = client.post(SCAN)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert not Reminder.objects.exists()
    # A GET (a link, a prefetch) never scans.
    assert login("secretariat").get(SCAN).status_code == 405
    assert not Reminder.objects.exists()


# --- The user admin's language preference --------------------------------------------------------


def user_change_data(user, *, profile: UserProfile | None, language: str) -> dict:
    """The user admin's change form as a browser posts it, with the preferences inline."""
    joined = timezone.localtime(user.date_joined)
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        **{flag: "on" for flag in ("is_staff", "is_superuser") if getattr(user, flag)},
        "date_joined_0": joined.date().isoformat(),
        "date_joined_1": joined.time().strftime("%H:%M:%S"),
        "member_login-TOTAL_FORMS": "0",
        "member_login-INITIAL_FORMS": "0",
        "member_login-MIN_NUM_FORMS": "0",
        "member_login-MAX_NUM_FORMS": "1",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1" if profile else "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(profile.pk) if profile else "",
        "profile-0-user": str(user.pk),
        "profile-0-preferred_language": language,
        "_save": "Save",
    }


def test_user_admin_edits_the_preferred_language_and_the_scan_uses_it(demo):
    client = login("secretariat")
    secretariat = get_user_model().objects.get(username="secretariat")
    newcomer = get_user_model().objects.create_user(
        "newcomer", "newcomer@union.example", is_staff=True
    )
    url = f"/admin/auth/user/{newcomer.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="profile-TOTAL_FORMS"' in page.content.decode()  # "Add another" adds the form

    # A user without preferences gets them from the inline...
    response = client.post(url, user_change_data(newcomer, profile=None, language="tr"))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert UserProfile.objects.get(user=newcomer).preferred_language == "tr"
    # ... and one with preferences (the demo's secretariat reads English) changes them.
    profile = UserProfile.objects.get(user=secretariat)
    assert profile.preferred_language == "en"
    response = client.post(
        f"/admin/auth/user/{secretariat.pk}/change/",
        user_change_data(secretariat, profile=profile, language="ru"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert UserProfile.objects.get(user=secretariat).preferred_language == "ru"
    assert UserProfile.objects.filter(user__in=[secretariat, newcomer]).count() == 2

    # The scan records each staff user's reminder in the language set here.
    services.reminders_scan(today=TODAY)
    assert dict(Reminder.objects.filter(user__isnull=False).values_list("email", "language")) == {
        "secretariat@union.example": "ru",
        "newcomer@union.example": "tr",
    }
