"""Personal calendar addresses: issued once and shown once, stored only as a hash, revocable;
the feed parses, holds the login's chamber's meetings and the approved terms, and follows the
login's access at each fetch."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from calendars import services
from calendars.models import CalendarSubscription
from chambers import services as chamber_services
from chambers.models import FORMER
from core.access import access_for_user
from core.errors import ForbiddenError
from meetings.models import Invitation
from rotation.models import TermState
from tests.calendars import fetch, issue, make_term, parse, uids
from tests.factories import SYSTEM
from tests.scenes import make_meeting

User = get_user_model()


def user(username: str):
    return User.objects.get(username=username)


@pytest.fixture
def events(union):
    """A meeting inviting every member and observer (home too), one without the home chamber, a
    cancelled one with home; the other chamber's approved term, a waived one and a proposed one."""
    invited = make_meeting(title="Board of all")
    not_home = make_meeting(title="Board without home", days_from_now=40)
    Invitation.objects.filter(meeting=not_home, chamber=union.home).delete()
    cancelled = make_meeting(title="Called off", status="cancelled", days_from_now=50)
    approved = make_term(union.other, 2030)  # not home's: home leaves the union in a test
    make_term(union.observer, 2031, TermState.WAIVED)
    make_term(union.observer, 2032, TermState.PROPOSED)
    return {"invited": invited, "not_home": not_home, "cancelled": cancelled, "term": approved}


def same_page(a: str, b: str) -> bool:
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    return token.sub("", a) == token.sub("", b)


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@testserver"


def term_uid(term) -> str:
    return f"term-{term.pk}@testserver"


# The feed ---------------------------------------------------------------------------------------


def test_feed_has_the_chambers_meetings_and_the_approved_terms(union, events):
    response = fetch(issue(user("viewer")))
    assert response["Cache-Control"] == "private"
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert str(calendar["X-WR-CALNAME"]) == "Union calendar"
    by_uid = {str(event["UID"]): event for event in calendar.events}
    assert set(by_uid) == {
        meeting_uid(events["invited"]),
        meeting_uid(events["cancelled"]),
        term_uid(events["term"]),
    }
    assert str(by_uid[meeting_uid(events["invited"])]["SUMMARY"]) == "Board of all"
    assert str(by_uid[meeting_uid(events["cancelled"])]["STATUS"]) == "CANCELLED"
    term = by_uid[term_uid(events["term"])]
    assert str(term["SUMMARY"]) == "Chairmanship: Other CCI (Türkiye)"
    assert str(term["URL"]) == f"http://testserver/rotation/terms/{events['term'].pk}/"
    meeting = by_uid[meeting_uid(events["invited"])]
    assert str(meeting["URL"]) == f"http://testserver/meetings/{events['invited'].pk}/"


def test_other_chambers_feed_has_its_own_invitations(union, events):
    got = uids(fetch(issue(user("other_editor"))))
    assert meeting_uid(events["not_home"]) in got and meeting_uid(events["invited"]) in got


def test_staff_feed_has_every_meeting(union, events):
    got = uids(fetch(issue(user("staff"))))
    assert got == {meeting_uid(events[name]) for name in ("invited", "not_home", "cancelled")} | {
        term_uid(events["term"])
    }


def test_a_former_chambers_login_sees_only_the_public_terms(union, events):
    key = issue(user("viewer"))
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=union.home, status=FORMER, effective=timezone.localdate()
    )
    assert uids(fetch(key)) == {term_uid(events["term"])}


def test_a_login_taken_from_its_chamber_sees_only_the_public_terms(union, events):
    key = issue(user("viewer"))
    chamber_services.member_login_remove(actor=SYSTEM, user=user("viewer"))
    assert uids(fetch(key)) == {term_uid(events["term"])}


def test_a_deactivated_login_gets_404(union, events):
    key = issue(user("viewer"))
    User.objects.filter(username="viewer").update(is_active=False)
    assert fetch(key).status_code == 404


def test_fetch_records_last_use(union):
    key = issue(user("viewer"))
    assert CalendarSubscription.objects.get().last_used_at is None
    assert fetch(key).status_code == 200
    assert CalendarSubscription.objects.get().last_used_at is not None


# Keys ------------------------------------------------------------------------------------------


def test_revoked_key_gets_404(union):
    viewer = user("viewer")
    key = issue(viewer)
    assert fetch(key).status_code == 200
    subscription = CalendarSubscription.objects.get(user=viewer)
    services.subscription_revoke(actor=access_for_user(viewer), subscription=subscription)
    unknown_key = "x" * len(key)
    revoked, unknown = fetch(key), fetch(unknown_key)
    assert revoked.status_code == unknown.status_code == 404
    # The same page, but for the address it repeats and its form's CSRF token.
    assert same_page(revoked.content.decode().replace(key, unknown_key), unknown.content.decode())


def test_a_second_revoke_keeps_the_first_date(union):
    viewer = user("viewer")
    issue(viewer)
    subscription = CalendarSubscription.objects.get()
    first = services.subscription_revoke(actor=access_for_user(viewer), subscription=subscription)
    again = services.subscription_revoke(actor=SYSTEM, subscription=subscription)
    assert again.revoked_at == first.revoked_at is not None


def test_another_login_may_not_revoke(union):
    issue(user("viewer"))
    with pytest.raises(ForbiddenError):
        services.subscription_revoke(
            actor=access_for_user(user("editor")), subscription=CalendarSubscription.objects.get()
        )
    assert CalendarSubscription.objects.get().is_active


def test_reissue_revokes_the_old_key(union):
    viewer = user("viewer")
    old, new = issue(viewer), issue(viewer)
    assert old != new
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert CalendarSubscription.objects.filter(user=viewer).count() == 2
    assert CalendarSubscription.objects.active().filter(user=viewer).count() == 1


def test_only_a_person_may_subscribe(union):
    with pytest.raises(ForbiddenError):
        services.subscription_issue(actor=SYSTEM)  # no user behind it (a token, a command)


def test_the_key_is_stored_only_as_its_hash(union):
    subscription, key = services.subscription_issue(actor=access_for_user(user("viewer")))
    assert subscription.key_hash == CalendarSubscription.hash_key(key) != key
    assert subscription.prefix == key[:8]
    row = CalendarSubscription.objects.filter(pk=subscription.pk).values().get()
    assert not any(key in str(value) for value in row.values())


# The portal page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [("get", "/calendar/"), ("post", "/calendar/issue/"), ("post", "/calendar/revoke/")],
    ids=["page", "issue", "revoke"],
)
def test_anonymous_is_sent_to_the_login_page(union, request_):
    method, path = request_
    response = getattr(union.client("anonymous", api=False), method)(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert not CalendarSubscription.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "editor", "other_editor", "staff"])
def test_issue_show_once_then_revoke_on_the_page(union, role):
    client = union.client(role, api=False)
    page = client.get("/calendar/")
    assert page.status_code == 200
    assert "You have no active calendar address." in page.content.decode()

    issued = client.post("/calendar/issue/")
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    body = issued.content.decode()
    url = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', body).group(1)
    key = url.removeprefix("http://testserver/calendar/").removesuffix(".ics")
    assert f'href="webcal://testserver/calendar/{key}.ics"' in body
    assert parse(client.get(url))  # the address works, with or without a session
    subscription = CalendarSubscription.objects.get(user__username=role)
    assert subscription.key_hash == CalendarSubscription.hash_key(key)

    again = client.get("/calendar/").content.decode()
    assert key not in again  # shown once
    assert f"<code>{key[:8]}</code>" in again

    revoked = client.post("/calendar/revoke/")
    assert revoked.status_code == 302 and revoked["Location"] == "/calendar/"
    assert fetch(key).status_code == 404
    after = client.get("/calendar/").content.decode()
    assert "Your calendar address was revoked" in after
    assert "You have no active calendar address." in after


def test_revoke_without_an_address_says_so(union):
    response = union.client("viewer", api=False).post("/calendar/revoke/", follow=True)
    assert "You have no calendar address to revoke." in response.content.decode()


def test_pages_refuse_other_methods(union):
    client = union.client("viewer", api=False)
    assert client.get("/calendar/issue/").status_code == 405
    assert client.get("/calendar/revoke/").status_code == 405
    assert client.post("/calendar/").status_code == 405


# The admin -------------------------------------------------------------------------------------


def test_admin_lists_and_revokes(union):
    issue(user("viewer"))
    subscription = CalendarSubscription.objects.get()
    client = union.client("staff", api=False)
    listing = client.get("/admin/calendars/calendarsubscription/")
    assert listing.status_code == 200 and subscription.prefix in listing.content.decode()
    assert client.get("/admin/calendars/calendarsubscription/add/").status_code == 403
    response = client.post(
        "/admin/calendars/calendarsubscription/",
        {"action": "revoke", "_selected_action": [subscription.pk]},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active
