"""The secretariat's admin: list columns, saves through the services, history, tokens."""

from __future__ import annotations

import datetime as dt

from chambers.models import ApiToken, Chamber, MembershipPeriod
from tests.factories import in_languages


def test_changelist_shows_status_and_member_since_with_filters(union):
    client = union.client("staff", api=False)
    response = client.get("/admin/chambers/chamber/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Observer" in body
    assert "2019-01-01" in body or "Jan. 1, 2019" in body
    filtered = client.get("/admin/chambers/chamber/?status=observer").content.decode()
    assert "Watcher CCI" in filtered and "Other CCI" not in filtered
    searched = client.get("/admin/chambers/chamber/?q=other").content.decode()
    assert "Other CCI" in searched and "Watcher CCI" not in searched


def _chamber_form(chamber: Chamber, periods: list[tuple], **changes) -> dict:
    data = {
        **in_languages(chamber, "name"),
        **in_languages(chamber, "short_name"),
        **in_languages(chamber, "city"),
        "slug": chamber.slug,
        "country": chamber.country.code,
        "website": chamber.website,
        "email": "",
        "phone": "",
        "founded": "",
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": str(sum(1 for p in periods if p[0])),
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        **changes,
    }
    for i, (pk, status, start, end) in enumerate(periods):
        data.update(
            {
                f"periods-{i}-id": pk or "",
                f"periods-{i}-chamber": chamber.pk,
                f"periods-{i}-status": status,
                f"periods-{i}-start": start,
                f"periods-{i}-end": end,
                **{f"periods-{i}-{k}": "" for k in in_languages(None, "basis")},
            }
        )
    return data


def test_admin_edit_goes_through_services_and_records_history(union):
    client = union.client("staff", api=False)
    period = union.home.periods.get()
    data = _chamber_form(
        union.home,
        [(period.pk, "member", "2019-01-01", "2024-12-31"), (None, "suspended", "2025-01-01", "")],
        city_en="Astana",
    )
    response = client.post(f"/admin/chambers/chamber/{union.home.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    union.home.refresh_from_db()
    assert union.home.city == "Astana"
    assert union.home.status_on(dt.date(2025, 2, 1)) == "suspended"
    assert union.home.history.first().history_user.username == "staff"
    history = client.get(f"/admin/chambers/chamber/{union.home.pk}/history/")
    assert history.status_code == 200 and "Astana" in history.content.decode()


def test_admin_refuses_overlapping_periods_with_a_form_error(union):
    client = union.client("staff", api=False)
    period = union.home.periods.get()
    data = _chamber_form(
        union.home,
        [(period.pk, "member", "2019-01-01", ""), (None, "observer", "2024-01-01", "")],
        city="Changed",
    )
    response = client.post(f"/admin/chambers/chamber/{union.home.pk}/change/", data)
    assert response.status_code == 200
    assert "overlaps" in response.content.decode()
    union.home.refresh_from_db()
    assert union.home.city == "Capital"
    assert MembershipPeriod.objects.filter(chamber=union.home).count() == 1


def test_admin_adds_chamber(union):
    client = union.client("staff", api=False)
    new = Chamber(
        name_en="Fresh Chamber", short_name="FC", slug="fresh", country="DE", city="Berlin"
    )
    data = _chamber_form(new, [(None, "member", "2026-01-01", "")])
    data = {k: v for k, v in data.items() if not k.endswith("-chamber")}
    response = client.post("/admin/chambers/chamber/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = Chamber.objects.get(slug="fresh")
    assert fresh.status_on(dt.date(2026, 2, 1)) == "member"


def test_admin_issues_token_showing_key_once(union):
    client = union.client("staff", api=False)
    response = client.post(
        "/admin/chambers/apitoken/add/",
        {"name": "website", "scope": "read", "chamber": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="website")
    messages = [str(m) for m in response.context["messages"]]
    assert any("website" in m for m in messages)
    key = messages[0].rsplit(" ", 1)[-1]
    assert ApiToken.hash_key(key) == token.key_hash
    response = client.post(
        "/admin/chambers/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_admin_contact_inline_saves_through_service(union):
    client = union.client("staff", api=False)
    period = union.home.periods.get()
    contact = union.home_contact
    data = _chamber_form(union.home, [(period.pk, "member", "2019-01-01", "")])
    data.update(
        {
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": contact.pk,
            "contacts-0-chamber": union.home.pk,
            "contacts-0-name": contact.name,
            "contacts-0-position_en": "President",
            "contacts-0-is_head": "on",
            "contacts-0-preferred_language": "ru",
            "contacts-0-active": "on",
            "contacts-1-chamber": union.home.pk,
            "contacts-1-name": "New Focal",
            "contacts-1-is_focal_point": "on",
            "contacts-1-preferred_language": "kk",
            "contacts-1-active": "on",
        }
    )
    response = client.post(f"/admin/chambers/chamber/{union.home.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert (contact.position, contact.preferred_language) == ("President", "ru")
    new = union.home.contacts.get(name="New Focal")
    assert new.roles == ["focal_point"]
    assert new.history.first().history_user.username == "staff"


def test_history_of_periods_and_contacts_visible_in_admin(union):
    client = union.client("staff", api=False)
    contact = union.home_contact
    period = union.home.periods.get()
    for url in (
        f"/admin/chambers/contact/{contact.pk}/history/",
        f"/admin/chambers/membershipperiod/{period.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "tests" in response.content.decode()  # the change reason: who made it


def test_any_staff_user_is_the_secretariat_in_the_admin(union):
    """A staff user who is not a superuser and holds no model permissions still runs the
    union's data, as in the API."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    officer = get_user_model().objects.create_user("officer", password="x-pass-2026", is_staff=True)
    client = Client()
    client.force_login(officer)
    assert client.get("/admin/chambers/chamber/").status_code == 200
    assert client.get(f"/admin/chambers/chamber/{union.home.pk}/change/").status_code == 200
    assert client.get("/admin/chambers/apitoken/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403  # accounts: Django's permissions
