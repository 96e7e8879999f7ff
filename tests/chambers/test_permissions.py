"""The permission table of the project: every URL x method x role -> the expected HTTP status.

Why: who may do what is decided in several places (DRF permission classes, querysets scoped to
the caller's chamber, the portal's mixins, Django's auth and admin views). This table is the one
place a reader sees all of it, each row runs as its own test, and
:func:`test_every_url_and_method_has_rows` fails when a URL pattern (or an allowed method of a
DRF viewset) is added to the project without rows here.

Roles are those of ``tests/conftest.py``. Portal pages are session pages, so their rows have no
token roles; :func:`test_token_header_does_not_open_pages` checks that a token is no login there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from tests import conftest
from tests.conftest import Union

API_ROLES = ("anonymous", "viewer", "editor", "other_editor", "read_token", "write_token", "staff")
PAGE_ROLES = ("anonymous", "viewer", "editor", "other_editor", "staff")


class Redirect(NamedTuple):
    """A 302 to the path ``to`` (a query in ``to``, such as ``?next=``, must start the query)."""

    to: str

    def matches(self, location: str) -> bool:
        want, got = urlsplit(self.to), urlsplit(location)
        return got.path == want.path and got.query.startswith(want.query)

    def __repr__(self) -> str:
        return f"302->{self.to}"


Expect = int | Redirect

LOGIN = Redirect("/accounts/login/?next=")
ADMIN_LOGIN = Redirect("/admin/login/?next=")
MY_CHAMBER = Redirect("/my-chamber/")
DASHBOARD = Redirect("/")


def _expect(roles: tuple[str, ...], default: Expect, by_role: dict[str, Expect]) -> dict:
    unknown = set(by_role) - set(roles)
    if unknown:
        raise ValueError(f"not roles of this table: {sorted(unknown)}")
    return {role: by_role.get(role, default) for role in roles}


def api(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    """Expected statuses of an API row: ``default`` for every role not named."""
    return _expect(API_ROLES, default, by_role)


def page(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    """Expected statuses of a portal (session) row: ``default`` for every role not named."""
    return _expect(PAGE_ROLES, default, by_role)


@dataclass(frozen=True)
class Row:
    """One URL and method. ``path`` may name ``{home}``, ``{home_pk}`` and ``{contact}``: the
    home chamber's slug and pk and a contact of the home chamber."""

    method: str
    path: str
    expect: Mapping[str, Expect]
    data: dict[str, Any] | None = field(default=None, hash=False)

    @property
    def is_api(self) -> bool:
        return set(self.expect) == set(API_ROLES)

    def url(self, **values: object) -> str:
        return self.path.format(**values)


MEMBERS_ONLY = {"anonymous": 401}  # members-only reads: every logged-in role and token reads
EDITORS = {"editor": 200, "write_token": 200, "staff": 200, "other_editor": 404, "anonymous": 401}
NEW_CHAMBER = {
    "slug": "new-cci",
    "names": {"en": "New Chamber of Commerce"},
    "short_name": "New CCI",
    "country": "AZ",
}
NEW_CONTACT = {"name": "Nora Focal", "roles": ["focal_point"]}
PASSWORD = "pass-word-2026"  # tests.factories.UserFactory's password

# fmt: off
API_ROWS: list[Row] = [
    # The API root, the schema and its docs are public.
    Row("GET", "/api/v1/", api(200)),
    Row("GET", "/api/schema/", api(200)),
    Row("GET", "/api/docs/", api(200)),
    # Chambers: anyone reads, the secretariat adds, the chamber's editor edits.
    Row("GET", "/api/v1/chambers/", api(200)),
    Row("POST", "/api/v1/chambers/", api(403, anonymous=401, staff=201), NEW_CHAMBER),
    Row("GET", "/api/v1/chambers/{home}/", api(200)),
    Row("PATCH", "/api/v1/chambers/{home}/", api(403, **EDITORS), {"city": "Almaty"}),
    # A chamber is only ever patched through the API; the secretariat removes one in the admin.
    Row("PUT", "/api/v1/chambers/{home}/",
        api(405, anonymous=401, viewer=403, read_token=403), NEW_CHAMBER),
    Row("DELETE", "/api/v1/chambers/{home}/", api(405, anonymous=401, viewer=403, read_token=403)),
    Row("GET", "/api/v1/chambers/{home}/memberships/", api(200, **MEMBERS_ONLY)),
    Row("POST", "/api/v1/chambers/{home}/status/", api(403, anonymous=401, staff=200),
        {"status": "suspended", "effective": "2099-01-01", "basis": "GA 2099/1"}),
    Row("GET", "/api/v1/chambers/{home}/contacts/", api(200, **MEMBERS_ONLY)),
    Row("POST", "/api/v1/chambers/{home}/contacts/",
        api(403, **{**EDITORS, "editor": 201, "write_token": 201, "staff": 201}), NEW_CONTACT),
    # Contacts: members read any chamber's; only that chamber's editors change them.
    Row("GET", "/api/v1/contacts/{contact}/", api(200, **MEMBERS_ONLY)),
    Row("PATCH", "/api/v1/contacts/{contact}/", api(403, **EDITORS), {"position": "Adviser"}),
    Row("DELETE", "/api/v1/contacts/{contact}/",
        api(403, **{**EDITORS, "editor": 204, "write_token": 204, "staff": 204})),
    # The router maps PUT, but the viewset refuses it: partial updates only.
    Row("PUT", "/api/v1/contacts/{contact}/",
        api(405, anonymous=401, viewer=403, read_token=403), NEW_CONTACT),
]

PROFILE = {"name_en": "Home Chamber of Commerce", "short_name": "Home CCI", "city": "Astana"}
CONTACT_FORM = {"name": "Nora Focal", "roles": ["focal_point"], "preferred_language": "en",
                "active": "on"}
OWN_CHAMBER_PAGE = {"anonymous": LOGIN, "viewer": 403, "staff": 403}  # editors: see the row

PAGE_ROWS: list[Row] = [
    # Public pages.
    Row("GET", "/", page(200)),
    Row("GET", "/chambers/{home}/", page(200)),
    # My chamber: any member login reads its own chamber; the secretariat has none (403).
    Row("GET", "/my-chamber/", page(200, anonymous=LOGIN, staff=403)),
    # other_editor edits *its own* chamber here: the page never names a chamber.
    Row("POST", "/my-chamber/", page(MY_CHAMBER, **OWN_CHAMBER_PAGE), PROFILE),
    Row("GET", "/my-chamber/contacts/add/", page(200, **OWN_CHAMBER_PAGE)),
    Row("POST", "/my-chamber/contacts/add/", page(MY_CHAMBER, **OWN_CHAMBER_PAGE), CONTACT_FORM),
    # A contact of the home chamber: another chamber's editor finds nothing (404).
    Row("GET", "/my-chamber/contacts/{contact}/", page(200, other_editor=404, **OWN_CHAMBER_PAGE)),
    Row("POST", "/my-chamber/contacts/{contact}/",
        page(MY_CHAMBER, other_editor=404, **OWN_CHAMBER_PAGE), CONTACT_FORM),
    Row("GET", "/my-chamber/contacts/{contact}/delete/",
        page(200, other_editor=404, **OWN_CHAMBER_PAGE)),
    Row("POST", "/my-chamber/contacts/{contact}/delete/",
        page(MY_CHAMBER, other_editor=404, **OWN_CHAMBER_PAGE)),
    # django.contrib.auth.urls. Logging in is open to all (it switches the session's user).
    Row("GET", "/accounts/login/", page(200)),
    Row("POST", "/accounts/login/", page(DASHBOARD),
        {"username": "editor", "password": PASSWORD}),
    Row("GET", "/accounts/logout/", page(405)),  # logging out is a POST since Django 5.0
    Row("POST", "/accounts/logout/", page(DASHBOARD)),
    Row("GET", "/accounts/password_change/", page(200, anonymous=LOGIN)),
    Row("POST", "/accounts/password_change/",
        page(Redirect("/accounts/password_change/done/"), anonymous=LOGIN),
        {"old_password": PASSWORD, "new_password1": "a-new-pass-2026!",
         "new_password2": "a-new-pass-2026!"}),
    Row("GET", "/accounts/password_change/done/", page(200, anonymous=LOGIN)),
    Row("GET", "/accounts/password_reset/", page(200)),
    Row("POST", "/accounts/password_reset/", page(Redirect("/accounts/password_reset/done/")),
        {"email": "editor@example.org"}),
    Row("GET", "/accounts/password_reset/done/", page(200)),
    # A made-up token: the page says the link is invalid, to anyone.
    Row("GET", "/accounts/reset/MQ/bad-token/", page(200)),
    Row("GET", "/accounts/reset/done/", page(200)),
    # The language switch is public; GET only redirects, POST also sets the cookie.
    Row("GET", "/i18n/setlang/", page(DASHBOARD)),
    Row("POST", "/i18n/setlang/", page(Redirect("/chambers/home/")),
        {"language": "ru", "next": "/chambers/home/"}),
    # The admin is the secretariat's; Django's admin sends everyone else to its login page.
    Row("GET", "/admin/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/login/", page(200, staff=Redirect("/admin/"))),
    Row("GET", "/admin/chambers/chamber/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/chamber/add/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/chamber/{home_pk}/change/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/contact/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/apitoken/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/auth/user/", page(ADMIN_LOGIN, staff=200)),
]
# fmt: on

ROWS = API_ROWS + PAGE_ROWS
CASES = [
    pytest.param(row, role, id=f"{row.method} {row.path} {role}")
    for row in ROWS
    for role in row.expect
]


@pytest.fixture(scope="module")
def shared_union(django_db_setup, django_db_blocker) -> Iterator[Union]:
    """conftest's ``union``, built once for the module's few hundred cases.

    It lives in a transaction that is rolled back after the module; each case runs in its own
    savepoint inside it (pytest-django's ``db``), so writes still vanish between cases. Building
    it per case made the module take 25 s on SQLite and 45 s on PostgreSQL.
    """
    build = conftest.union.__wrapped__  # the fixture's own function: one definition of the data
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(None)
        transaction.set_rollback(True)


@pytest.fixture
def union(shared_union: Union, db) -> Union:
    """Overrides conftest's ``union`` in this module: the shared one, the case in a savepoint."""
    return shared_union


def _values(union: Union) -> dict[str, object]:
    return {"home": union.home.slug, "home_pk": union.home.pk, "contact": union.home_contact.pk}


def _send(client: Client | APIClient, method: str, url: str, data: dict | None, *, as_json: bool):
    send = getattr(client, method.lower())
    if data is None:
        return send(url)
    return send(url, data, format="json") if as_json else send(url, data)


def _outcome(response) -> Expect:
    if response.status_code == 302:
        return Redirect(response["Location"])
    return response.status_code


def _matches(expected: Expect, got: Expect) -> bool:
    if isinstance(expected, Redirect):
        return isinstance(got, Redirect) and expected.matches(got.to)
    return got == expected


@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission(union: Union, row: Row, role: str) -> None:
    client = union.client(role, api=row.is_api)
    url = row.url(**_values(union))
    response = _send(client, row.method, url, row.data, as_json=row.is_api)
    got, expected = _outcome(response), row.expect[role]
    body = getattr(response, "content", b"")[:300]
    assert _matches(expected, got), (
        f"{row.method} {url} as {role}: want {expected!r}, got {got!r}: {body!r}"
    )


@pytest.mark.parametrize("path", ["/my-chamber/", "/my-chamber/contacts/add/"])
def test_token_header_does_not_open_pages(union: Union, path: str) -> None:
    """A token is for the API: on a portal page it is no login, so the page asks for one."""
    client = Client(HTTP_AUTHORIZATION=f"Token {union.tokens['write_token']}")
    response = client.get(path)
    assert _matches(LOGIN, _outcome(response)), _outcome(response)


# Completeness ----------------------------------------------------------------------------------

#: The admin's own pages answer to Django's permission system (is_staff plus model permissions),
#: not to this project's rules; the ``/admin/`` rows above stand for them.
EXCLUDED_PREFIXES = ("admin/",)
#: Methods every view answers by itself (HEAD as GET, OPTIONS as metadata): no rows needed.
IMPLICIT_METHODS = {"head", "options"}
SAMPLE_VALUES = {"home": "home", "home_pk": 1, "contact": 1}


def _join(route1: str, route2: str) -> str:
    """The way Django's resolver joins routes into ``ResolverMatch.route``."""
    return route2 if not route1 else route1 + route2.removeprefix("^")


def _project_routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, set[str] | None]]:
    """Each URL pattern's full route, with the allowed methods of a DRF viewset route (else
    None: a plain view whose rows name the methods it is used with)."""
    for pattern in patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _project_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            actions = getattr(pattern.callback, "actions", None)
            if actions is None:
                yield route, None
            else:
                allowed = set(getattr(pattern.callback.cls, "http_method_names", actions))
                yield route, {m for m in actions if m in allowed} - IMPLICIT_METHODS


def test_every_url_and_method_has_rows() -> None:
    table: dict[str, set[str]] = {}
    for row in ROWS:
        table.setdefault(resolve(row.url(**SAMPLE_VALUES)).route, set()).add(row.method.lower())

    missing: list[str] = []
    for route, methods in _project_routes(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if route not in table:
            missing.append(f"{route} (no rows)")
        elif methods and methods - table[route]:
            missing.append(f"{route}: methods {sorted(methods - table[route])}")
    assert not missing, "URLs or methods without rows in the permission table:\n" + "\n".join(
        missing
    )


def test_every_row_names_every_role_of_its_table() -> None:
    for row in ROWS:
        assert set(row.expect) in (set(API_ROLES), set(PAGE_ROLES)), row
