"""Bounds everywhere (issue 15): a NUL byte anywhere in a request, control characters in a
single-line field, dates outside the years of :data:`core.bounds.YEARS`, JSON too deep or too
large. Each is refused (400, or 404 for a path) naming the field, and nothing is saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from chambers.models import Chamber, Contact, MembershipPeriod
from core import bounds
from meetings.models import Decision, Meeting
from tests.scenes import make_meeting


def _post_json(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


# NUL bytes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/chambers/a%00b/", "/api/v1/contacts/1%00/", "/chambers/a%00b/", "/%00"],
)
def test_a_nul_byte_in_the_path_is_404(union, url):
    response = union.client("anonymous").get(url)
    assert response.status_code == 404


def test_a_nul_byte_in_an_api_path_is_a_json_404(union):
    response = union.client("staff").get("/api/v1/chambers/a%00b/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "query", ["?q=a%00b", "?country=K%00", "?limit=1%00", "?a%00=1", "?status=member&q=%00"]
)
def test_a_nul_byte_in_the_query_is_400_naming_the_parameter(union, query):
    response = union.client("anonymous").get(f"/api/v1/chambers/{query}")
    assert response.status_code == 400
    body = response.json()
    assert set(body) <= {"q", "country", "limit", "a\x00", "status", "detail"}


def test_a_nul_byte_in_a_portal_query_is_400(union):
    assert union.client("viewer", api=False).get("/chambers/?q=a%00").status_code == 400


def test_a_nul_byte_in_a_json_body_is_400_naming_the_field(union):
    client = union.client("staff")
    response = _post_json(
        client, "/api/v1/chambers/home/", {"names": {"en": "X\x00"}}, method="patch"
    )
    assert response.status_code == 400
    assert "names" in response.json()
    assert Chamber.objects.get(slug="home").name_en != "X\x00"


def test_a_nul_byte_in_an_effects_chamber_is_400(union):
    meeting = make_meeting(kind="ga_ordinary")
    body = {
        "meeting": meeting.pk,
        "kind": "membership",
        "title": "Suspend",
        "effects": [
            {
                "type": "change_status",
                "chamber": "a\x00b",
                "status": "suspended",
                "effective": "2030-01-01",
            }
        ],
    }
    response = _post_json(union.client("staff"), "/api/v1/decisions/", body)
    assert response.status_code == 400, response.content
    assert "effects" in response.json()
    assert not Decision.objects.filter(title="Suspend").exists()


def test_a_nul_byte_in_a_form_body_is_400(union):
    client = union.client("staff")
    response = client.patch(
        "/api/v1/chambers/home/", "city=A%00B", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "city" in response.json()
    assert Chamber.objects.get(slug="home").city != "A\x00B"


def test_a_nul_byte_in_a_portal_form_is_400(union):
    client = union.client("editor", api=False)
    response = client.post("/my-chamber/", {"short_name_en": "A\x00B"})
    assert response.status_code == 400
    assert Chamber.objects.get(slug="home").short_name != "A\x00B"


# JSON limits --------------------------------------------------------------------------------


def test_deeply_nested_json_is_400(union):
    deep = "[" * 100_000 + "]" * 100_000
    response = union.client("staff").generic(
        "PATCH", "/api/v1/chambers/home/", deep, content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_json_nested_past_the_limit_is_400_and_within_it_is_read(union, settings):
    settings.API_JSON_MAX_DEPTH = 5
    client = union.client("staff")
    nested = {"city": "Astana", "x": [[[[[["deep"]]]]]]}
    response = _post_json(client, "/api/v1/chambers/home/", nested, method="patch")
    assert response.status_code == 400
    assert "detail" in response.json()
    ok = _post_json(client, "/api/v1/chambers/home/", {"city": "Almaty"}, method="patch")
    assert ok.status_code == 200, ok.content


def test_json_larger_than_the_limit_is_400(union, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = json.dumps({"city": "x" * 2000})
    response = union.client("staff").generic(
        "PATCH", "/api/v1/chambers/home/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_depth_counts_brackets_outside_strings_only():
    assert bounds.json_depth(b'{"a": "[[[[[[[[[[", "b": [1, {"c": "\\"]]]"}]}') == 3


# Control characters -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["A\nB", "A\rB", "A\tB", "A\x1bB", "A\x7fB", "A\u2028B", "\x85"])
def test_single_line_validator_refuses_control_characters(value):
    with pytest.raises(ValidationError):
        bounds.validate_single_line(value)


@pytest.mark.parametrize("value", ["", "Türkiye Odalar ve Borsalar Birliği", "Палата «Атамекен»"])
def test_single_line_validator_accepts_text(value):
    bounds.validate_single_line(value)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/chambers/home/", {"city": "Astana\nAlmaty"}, "city"),
        ("/api/v1/chambers/home/", {"short_name": "Home\x1b[31m"}, "short_name"),
        ("/api/v1/chambers/home/", {"names": {"en": "Home\r\nBcc: x@y"}}, "names"),
    ],
)
def test_control_characters_in_a_single_line_field_are_400_naming_it(union, url, body, field):
    before = Chamber.objects.get(slug="home")
    response = _post_json(union.client("staff"), url, body, method="patch")
    assert response.status_code == 400, response.content
    assert field in response.json()
    after = Chamber.objects.get(slug="home")
    assert (after.city, after.short_name, after.name_en) == (
        before.city,
        before.short_name,
        before.name_en,
    )


def test_a_contact_name_with_a_newline_is_400(union):
    response = _post_json(
        union.client("editor"), "/api/v1/chambers/home/contacts/", {"name": "A\nB"}
    )
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Contact.objects.filter(name="A\nB").exists()


def test_a_meeting_title_with_a_newline_is_400(union):
    meeting = make_meeting(kind="ga_ordinary")
    response = _post_json(
        union.client("staff"), f"/api/v1/meetings/{meeting.pk}/", {"title": "A\nB"}, "patch"
    )
    assert response.status_code == 400
    assert "title" in response.json()


# Dates --------------------------------------------------------------------------------------


def test_the_years_are_one_shared_bound():
    from meetings.services.meetings import MEETING_YEARS

    assert bounds.YEARS == (1900, 2200)
    assert MEETING_YEARS == bounds.YEARS


@pytest.mark.parametrize(
    "value",
    [
        dt.date(1899, 12, 31),
        dt.date(2201, 1, 1),
        dt.date(1, 1, 1),
        dt.date(9999, 12, 31),
        dt.datetime(2201, 1, 1, tzinfo=dt.UTC),
    ],
)
def test_year_validator_refuses_outside(value):
    with pytest.raises(ValidationError):
        bounds.validate_year(value)


@pytest.mark.parametrize("value", [dt.date(1900, 1, 1), dt.date(2200, 12, 31), dt.date(2026, 5, 1)])
def test_year_validator_accepts_inside(value):
    bounds.validate_year(value)


@pytest.mark.parametrize(
    ("url", "method", "body", "field"),
    [
        ("/api/v1/chambers/home/", "patch", {"founded": "0001-01-01"}, "founded"),
        ("/api/v1/chambers/home/", "patch", {"founded": "2201-01-01"}, "founded"),
        (
            "/api/v1/chambers/home/status/",
            "post",
            {"status": "suspended", "effective": "0001-01-01"},
            "effective",
        ),
        (
            "/api/v1/chambers/home/status/",
            "post",
            {"status": "suspended", "effective": "9999-12-31"},
            "effective",
        ),
    ],
)
def test_dates_outside_the_years_are_400_naming_the_field(union, url, method, body, field):
    periods = list(MembershipPeriod.objects.values_list("pk", "start", "end", "status"))
    response = _post_json(union.client("staff"), url, body, method=method)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert list(MembershipPeriod.objects.values_list("pk", "start", "end", "status")) == periods


def test_meeting_times_outside_the_years_are_400(union):
    meeting = make_meeting(kind="ga_ordinary")
    client = union.client("staff")
    for value in ("2201-01-01T10:00:00Z", "1899-12-31T10:00:00Z", "9999-12-31T23:00:00-12:00"):
        response = _post_json(
            client, f"/api/v1/meetings/{meeting.pk}/", {"ends_at": value}, "patch"
        )
        assert response.status_code == 400, (value, response.content)
        assert "ends_at" in response.json()
    assert Meeting.objects.get(pk=meeting.pk).ends_at == meeting.ends_at


def test_an_effect_date_outside_the_years_is_400(union):
    meeting = make_meeting(kind="ga_ordinary")
    body = {
        "meeting": meeting.pk,
        "kind": "membership",
        "title": "Suspend",
        "effects": [
            {
                "type": "change_status",
                "chamber": "home",
                "status": "suspended",
                "effective": "0001-01-01",
            }
        ],
    }
    response = _post_json(union.client("staff"), "/api/v1/decisions/", body)
    assert response.status_code == 400, response.content
    assert "effects" in response.json()
