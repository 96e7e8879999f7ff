"""API v1 wiring: filters, writes through services, bad input, tokens. Who may call what is in
test_permissions.py."""

from __future__ import annotations

import pytest

from chambers import services
from chambers.models import ApiToken, Chamber, Contact, MembershipPeriod
from tests.factories import SYSTEM, by_language


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_chamber_fields_promised_to_integrations(union):
    body = union.client("anonymous").get("/api/v1/chambers/home/").json()
    for field in (
        "slug",
        "name",
        "short_name",
        "country",
        "city",
        "website",
        "status",
        "member_since",
    ):
        assert field in body
    assert body["country"] == "KZ"
    assert body["status"] == "member"
    assert body["member_since"] == "2019-01-01"


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("", ["home", "other", "watcher"]),
        ("?country=KZ", ["home"]),
        ("?country=kz", ["home"]),
        ("?status=observer", ["watcher"]),
        ("?status=member", ["home", "other"]),
        ("?status=former", []),
        ("?q=other", ["other"]),
        ("?q=WATCH", ["watcher"]),
    ],
)
def test_list_filters(union, query, slugs):
    response = union.client("anonymous").get(f"/api/v1/chambers/{query}")
    assert sorted(c["slug"] for c in results(response)) == slugs


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?country=XX", "country"),
        ("?status=chair", "status"),
        ("?limit=x", "limit"),
        ("?limit=0", "limit"),
        ("?offset=-1", "offset"),
    ],
)
def test_bad_filter_is_400_naming_the_field(union, query, field):
    response = union.client("anonymous").get(f"/api/v1/chambers/{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_pagination_has_a_maximum(union, settings):
    settings.API_MAX_PAGE_SIZE = 2
    body = union.client("anonymous").get("/api/v1/chambers/?limit=100000").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "limit=2" in body["next"]


def test_staff_creates_chamber_with_first_period(union):
    response = union.client("staff").post(
        "/api/v1/chambers/",
        {
            "slug": "new-cci",
            "names": {"en": "New Chamber", "ru": "Новая палата"},
            "short_name": "NCCI",
            "country": "de",
            "status": "observer",
            "since": "2026-03-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "DE"
    assert body["names"]["ru"] == "Новая палата"
    chamber = Chamber.objects.get(slug="new-cci")
    assert chamber.periods.get().status == "observer"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"names": {"en": "X"}, "short_name": "X", "country": "DE"}, "slug"),
        ({"slug": "x", "names": {"en": "X"}, "short_name": "X", "country": "ZZ"}, "country"),
        ({"slug": "home", "names": {"en": "X"}, "short_name": "X", "country": "DE"}, "slug"),
        # No name in any language: the name is required (in one language at least).
        ({"slug": "y", "names": {}, "short_name": "X", "country": "DE"}, "name"),
        ({"slug": "y", "names": {"xx": "X"}, "short_name": "X", "country": "DE"}, "names"),
        ({"slug": "y", "names": {"kk": "A\nB"}, "short_name": "X", "country": "DE"}, "names"),
        (
            {"slug": "z", "names": {"en": "X"}, "short_name": "X", "country": "DE", "website": "x"},
            "website",
        ),
    ],
)
def test_bad_create_is_400_naming_field_and_changes_nothing(union, payload, field):
    before = Chamber.objects.count()
    response = union.client("staff").post("/api/v1/chambers/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Chamber.objects.count() == before


def test_editor_patches_own_profile(union):
    response = union.client("editor").patch(
        "/api/v1/chambers/home/",
        {"website": "https://home.example.kz", "names": {"kk": "Үй палатасы"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["website"] == "https://home.example.kz"
    union.home.refresh_from_db()
    assert union.home.name_kk == "Үй палатасы"
    assert union.home.name_en == "Chamber of Commerce Home CCI"


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"website": "not-a-url"}, "website", 400),
        ({"email": "nope"}, "email", 400),
        ({"names": {"en": ""}}, "name", 400),  # its only language cleared
        ({"slug": "x"}, "slug", 403),  # the secretariat's field, not the editor's
    ],
)
def test_bad_patch_names_the_field_and_changes_nothing(union, payload, field, code):
    response = union.client("editor").patch("/api/v1/chambers/home/", payload, format="json")
    assert response.status_code == code
    assert field in response.json()
    union.home.refresh_from_db()
    assert union.home.website == "https://home.example.org"
    assert union.home.slug == "home"
    assert union.home.name_en == "Chamber of Commerce Home CCI"


def test_status_change_and_history(union):
    client = union.client("staff")
    response = client.post(
        "/api/v1/chambers/home/status/",
        {"status": "suspended", "effective": "2025-06-01", "basis": "GA decision 7"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    history = client.get("/api/v1/chambers/home/memberships/").json()
    assert history["count"] == 2
    assert history["results"] == [
        {
            "status": "member",
            "start": "2019-01-01",
            "end": "2025-05-31",
            "basis": "",
            "bases": by_language(),
            "decision": None,
        },
        {
            "status": "suspended",
            "start": "2025-06-01",
            "end": None,
            "basis": "GA decision 7",
            "bases": by_language(en="GA decision 7"),
            "decision": None,
        },
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "member", "effective": "2025-01-01"}, "status"),
        ({"status": "suspended", "effective": "2018-01-01"}, "effective"),
        ({"status": "suspended", "effective": "01/02/2025"}, "effective"),
        ({"status": "nope", "effective": "2025-01-01"}, "status"),
        ({"effective": "2025-01-01"}, "status"),
    ],
)
def test_bad_status_change_is_400_naming_field(union, payload, field):
    before = MembershipPeriod.objects.count()
    response = union.client("staff").post("/api/v1/chambers/home/status/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert MembershipPeriod.objects.count() == before


def test_contacts_crud_by_editor(union):
    client = union.client("editor")
    response = client.post(
        "/api/v1/chambers/home/contacts/",
        {
            "name": "Aigerim",
            "position": "Focal point",
            "roles": ["focal_point", "delegate"],
            "email": "a@home.example",
            "preferred_language": "kk",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    assert response.json()["roles"] == ["focal_point", "delegate"]
    response = client.patch(f"/api/v1/contacts/{contact_id}/", {"phone": "+7 700"}, format="json")
    assert response.status_code == 200
    assert Contact.objects.get(pk=contact_id).phone == "+7 700"
    bad = client.patch(f"/api/v1/contacts/{contact_id}/", {"roles": ["king"]}, format="json")
    assert bad.status_code == 400 and "roles" in bad.json()
    bad = client.patch(f"/api/v1/contacts/{contact_id}/", {"email": "x"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()
    assert client.delete(f"/api/v1/contacts/{contact_id}/").status_code == 204
    assert not Contact.objects.filter(pk=contact_id).exists()


def test_contacts_never_public(union):
    assert union.client("anonymous").get("/api/v1/chambers/home/contacts/").status_code == 401
    body = union.client("anonymous").get("/api/v1/chambers/home/").content.decode()
    assert "Home Head" not in body


def test_token_auth_rules(union):
    client = union.client("read_token")
    assert client.get("/api/v1/chambers/home/contacts/").status_code == 200
    assert client.patch("/api/v1/chambers/home/", {"city": "X"}, format="json").status_code == 403
    token = ApiToken.objects.get(name="r")
    services.token_revoke(actor=SYSTEM, token=token)
    assert client.get("/api/v1/chambers/home/contacts/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get("/api/v1/chambers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_secretariat_tokens(union):
    _read, read_key = services.token_issue(actor=SYSTEM, name="sr", scope="read")
    _write, write_key = services.token_issue(actor=SYSTEM, name="sw", scope="write")
    from rest_framework.test import APIClient

    reader, writer = APIClient(), APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {read_key}")
    writer.credentials(HTTP_AUTHORIZATION=f"Token {write_key}")
    assert reader.get("/api/v1/chambers/other/contacts/").status_code == 200
    payload = {"status": "suspended", "effective": "2026-02-01"}
    assert reader.post("/api/v1/chambers/other/status/", payload, format="json").status_code == 403
    response = writer.post("/api/v1/chambers/other/status/", payload, format="json")
    assert response.status_code == 200
    latest = union.other.periods.order_by("-start").first()
    assert latest.history.first().history_change_reason == "token:sw"


def test_patch_with_token_records_token_in_history(union):
    client = union.client("write_token")
    assert (
        client.patch("/api/v1/chambers/home/", {"city": "Almaty"}, format="json").status_code == 200
    )
    entry = union.home.history.first()
    assert entry.city == "Almaty"
    assert entry.history_user is None
    assert entry.history_change_reason == "token:w"


def test_names_kept_apart_whatever_the_callers_language(union):
    """modeltranslation writes ``name`` to the active language's field: the services must set
    only the translation fields, or a Russian caller's English name would land in name_ru."""
    response = union.client("staff").post(
        "/api/v1/chambers/",
        {
            "slug": "rus",
            "names": {"en": "English name", "ru": "Русское имя"},
            "short_name": "R",
            "country": "DE",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Русское имя"
    chamber = Chamber.objects.get(slug="rus")
    assert (chamber.name_en, chamber.name_ru) == ("English name", "Русское имя")
    response = union.client("staff").patch(
        "/api/v1/chambers/rus/",
        {"names": {"en": "New English"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    chamber.refresh_from_db()
    assert (chamber.name_en, chamber.name_ru) == ("New English", "Русское имя")


def test_a_former_members_logins_and_tokens_lose_members_only_access(union):
    """Membership is what opens members-only data: when the chamber leaves, its viewer, editor
    and tokens see what the public sees."""

    from django.utils import timezone

    services.membership_change_status(
        actor=SYSTEM, chamber=union.home, status="former", effective=timezone.localdate()
    )
    for role in ("viewer", "editor", "read_token", "write_token"):
        client = union.client(role)
        assert client.get("/api/v1/chambers/other/contacts/").status_code == 403, role
        assert client.get("/api/v1/chambers/").status_code == 200
    patch = union.client("editor").patch("/api/v1/chambers/home/", {"city": "X"}, format="json")
    assert patch.status_code == 403
