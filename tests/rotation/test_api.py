"""Rotation API v1 against the demo union (FACTS.md)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture
def demo(db, monkeypatch):
    """The demo, seen from mid-2026 (Kazakhstan chairing) whatever the real date."""
    import datetime as dt

    from django.utils import timezone

    call_command("load_demo", "--logins")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 6, 1))


def member() -> APIClient:
    from django.contrib.auth import get_user_model

    client = APIClient()
    client.force_login(get_user_model().objects.get(username="tobb"))
    return client


def test_terms_are_public_with_the_promised_fields(demo):
    body = APIClient().get("/api/v1/rotation/terms/").json()["results"]
    assert [(t["chamber"], t["country"], t["start"], t["state"]) for t in body] == [
        ("azerbaijan-cci", "AZ", "2025-01-01", "approved"),
        ("atameken", "KZ", "2026-01-01", "approved"),
    ]
    kz = body[1]
    assert kz["president"]["name"] == "Raimbek Batalov"
    assert kz["decision"] is not None and kz["handover_date"] == "2026-01-08"
    assert {t["phase"] for t in body} <= {"past", "current", "upcoming"}
    for field in ("chamber", "country", "start", "end", "state", "phase", "president", "decision"):
        assert field in kz


def test_troika_is_public(demo):
    body = APIClient().get("/api/v1/rotation/current/").json()
    assert set(body) == {"previous", "current", "next"}
    assert body["current"]["chamber"] == "atameken"
    assert body["previous"]["chamber"] == "azerbaijan-cci"
    assert body["next"]["chamber"] == "kyrgyzstan-cci"


def test_forecast_explains_skips(demo):
    body = member().get("/api/v1/rotation/forecast/?years=7").json()
    assert [t["chamber"] for t in body] == [
        "atameken", "kyrgyzstan-cci", "tobb", "turkmenistan-cci", "uzbekistan-cci",
        "azerbaijan-cci", "atameken",
    ]  # fmt: skip
    assert body[0]["approved"] and not body[1]["approved"]
    assert body[6]["skipped"] == [{"chamber": "mkik", "reason": "observer"}]


@pytest.mark.parametrize("years", ["0", "101", "x", "-3"])
def test_forecast_years_out_of_range_is_400(demo, years):
    response = member().get(f"/api/v1/rotation/forecast/?years={years}")
    assert response.status_code == 400
    assert "years" in response.json()


def test_order_and_forecast_are_for_members(demo):
    assert APIClient().get("/api/v1/rotation/forecast/").status_code == 401
    assert APIClient().get("/api/v1/rotation/order/").status_code == 401
    order = member().get("/api/v1/rotation/order/").json()
    assert order["kind"] == "alphabetical"
    assert [p["country"] for p in order["chambers"]] == ["AZ", "HU", "KZ", "KG", "TR", "TM", "UZ"]


def test_admin_shows_the_rotation_and_records_a_handover(demo):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rotation.models import Term

    client = Client()
    client.force_login(get_user_model().objects.get(username="secretariat"))
    assert client.get("/admin/rotation/rotation/1/change/").status_code == 200
    assert client.get("/admin/rotation/term/").status_code == 200
    term = Term.objects.get(start="2025-01-01")
    response = client.post(
        f"/admin/rotation/term/{term.pk}/change/",
        {"handover_date": "2025-01-10", "handover_meeting": ""},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert str(term.handover_date) == "2025-01-10"
    assert term.state == "approved" and term.chamber.slug == "azerbaijan-cci"  # read-only fields


def test_rotation_settings_that_break_approved_terms_are_a_form_error(demo):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rotation.models import Rotation

    client = Client()
    client.force_login(get_user_model().objects.get(username="secretariat"))
    management = {"TOTAL_FORMS": "7", "INITIAL_FORMS": "7", "MIN_NUM_FORMS": "0"}
    data = {
        "term_months": "6",
        "start_month": "1",
        "start_day": "1",
        "anchor_year": "2000",
        "places-MAX_NUM_FORMS": "1000",
        **{f"places-{key}": value for key, value in management.items()},
    }
    for i, place in enumerate(Rotation.current().places.all()):
        data[f"places-{i}-id"] = place.pk
        data[f"places-{i}-rotation"] = 1
    response = client.post("/admin/rotation/rotation/1/change/", data)
    assert response.status_code == 200
    assert "would no longer fit" in response.content.decode()
    assert Rotation.current().term_months == 12
