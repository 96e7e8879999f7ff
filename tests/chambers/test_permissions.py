"""The permission table of the project: every URL x method x role -> the expected HTTP status.

Why: who may do what is decided in several places (DRF permission classes, querysets scoped to
the caller's chamber, the portal's mixins, Django's auth and admin views). This table is the one
place a reader sees all of it, each row runs as its own test, and
:func:`test_every_url_and_method_has_rows` fails when a URL pattern (or an allowed method of a
DRF viewset) is added to the project without rows here.

Roles are those of ``tests/conftest.py``. Portal pages are session pages, so their rows have no
token roles; :func:`test_token_header_does_not_open_pages` checks that a token is no login there.
The data the rows act on is built once per module (:func:`shared_scene`): the General Assembly
scene of :mod:`tests.scenes` (conftest's union plus a meeting with its decisions, a priority and
an action item, and the rotation's order with an approved term, all made through the services).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from indicators.models import Series
from meetings import records
from meetings.models import Decision
from tests.scenes import (
    Assembly,
    Union,
    build_assembly,
    build_union,
    kept_for_module,
    make_series,
    make_written,
)

API_ROLES = ("anonymous", "viewer", "editor", "other_editor", "read_token", "write_token", "staff")
PAGE_ROLES = ("anonymous", "viewer", "editor", "other_editor", "staff")


class Redirect(NamedTuple):
    """A 302 to the path ``to`` (a query in ``to``, such as ``?next=``, must start the query).
    ``to`` may name the same values as a row's path, e.g. ``/meetings/{meeting}/``."""

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
    """One URL and method. ``path`` (and the strings of ``data``) may name the values of
    :func:`values_of`: ``{home}``, ``{home_pk}``, ``{contact}``, ``{meeting}``, ``{document}``,
    ``{draft}``, ``{decision}``, ``{priority}``, ``{item}`` and ``{term}``. ``case`` tells apart
    two rows of one URL and method (other bodies)."""

    method: str
    path: str
    expect: Mapping[str, Expect]
    data: dict[str, Any] | None = field(default=None, hash=False)
    case: str = ""

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
NEW_MEETING = {
    "kind": "working_group",
    "title": "Working group on digital trade",
    "starts_at": "2030-09-01T10:00:00+05:00",
    "ends_at": "2030-09-01T16:00:00+05:00",
    "time_zone": "Asia/Almaty",
    "format": "online",
}
NEW_DECISION = {
    "meeting": "{meeting}",
    "kind": "general",
    "title": "Joint trade fair",
    "method": "consensus",
}
# Who may not answer an invitation; editors, write tokens and staff may (see the rows).
RSVP_REFUSED = {"anonymous": 401, "viewer": 403, "read_token": 403}

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
    # Personal data: the secretariat exports and erases (a chamber's token or editor does not).
    Row("GET", "/api/v1/contacts/{contact}/personal-data/", api(403, anonymous=401, staff=200)),
    Row("POST", "/api/v1/contacts/{contact}/erase/", api(403, anonymous=401, staff=200)),
    # Meetings are members-only; the secretariat records and changes them. Every write below
    # succeeds for the roles allowed it, inside the case's savepoint (rolled back after it).
    Row("GET", "/api/v1/meetings/", api(200, **MEMBERS_ONLY)),
    Row("POST", "/api/v1/meetings/", api(403, anonymous=401, staff=201), NEW_MEETING),
    Row("GET", "/api/v1/meetings/{meeting}/", api(200, **MEMBERS_ONLY)),
    Row("PATCH", "/api/v1/meetings/{meeting}/", api(403, anonymous=401, staff=200),
        {"venue_city": "Almaty"}),
    # An editor (or write token) answers for its own chamber; naming another chamber is
    # refused (403), never silently answered for its own. Without `chamber`, the caller's own
    # chamber answers: the meeting invited every member and observer on its date (home,
    # other, watcher; the scene asserts it), so other_editor answers for `other`: 200.
    Row("POST", "/api/v1/meetings/{meeting}/rsvp/", api(200, **RSVP_REFUSED, other_editor=403),
        {"status": "attending", "chamber": "{home}"}, case="naming the home chamber"),
    # The secretariat has no chamber of its own: without `chamber` it is told to name one.
    Row("POST", "/api/v1/meetings/{meeting}/rsvp/", api(200, **RSVP_REFUSED, staff=400),
        {"status": "declined"}, case="naming no chamber"),
    Row("POST", "/api/v1/meetings/{meeting}/attendance/", api(403, anonymous=401, staff=200),
        {"chamber": "{home}", "present": False}),
    # The minutes' versions: members read the published ones (the draft is not listed to
    # them, see tests/meetings/test_minutes_surfaces.py); the secretariat saves, generates and
    # publishes.
    Row("GET", "/api/v1/meetings/{meeting}/minutes/", api(200, **MEMBERS_ONLY)),
    Row("POST", "/api/v1/meetings/{meeting}/minutes/", api(403, anonymous=401, staff=201),
        {"note": "Third", "publish": True}),
    Row("POST", "/api/v1/meetings/{meeting}/minutes/generate/",
        api(403, anonymous=401, staff=200), {"replace": True}),
    Row("POST", "/api/v1/meetings/{meeting}/minutes/2/publish/",
        api(403, anonymous=401, staff=200)),
    # Documents of record: the agenda pack and the minutes with the meeting's permissions
    # (members), an extract with the decision's (public once adopted and published; a draft
    # has none: 409, and is not found by the public).
    Row("GET", "/api/v1/meetings/{meeting}/agenda-pack.pdf", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/meetings/{meeting}/minutes.pdf", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/decisions/{decision}/extract.pdf", api(200)),
    Row("GET", "/api/v1/decisions/{draft}/extract.pdf", api(409, anonymous=404), case="a draft"),
    # Decisions: the register is public (adopted and published decisions only, see
    # test_public_api_sees_only_adopted_published_decisions); drafts are for members.
    Row("GET", "/api/v1/decisions/", api(200)),
    Row("POST", "/api/v1/decisions/", api(403, anonymous=401, staff=201), NEW_DECISION),
    Row("GET", "/api/v1/decisions/{decision}/", api(200)),
    Row("GET", "/api/v1/decisions/{draft}/", api(200, anonymous=404)),
    # The draft is taken by vote; home (present, full member) voted for it, other may still vote.
    Row("POST", "/api/v1/decisions/{draft}/votes/", api(403, anonymous=401, staff=201),
        {"chamber": "other", "vote": "against"}),
    # Quorum (home and other present) and home's vote make the draft adoptable.
    Row("POST", "/api/v1/decisions/{draft}/adopt/", api(403, anonymous=401, staff=200)),
    # Written procedures: the secretariat opens, withdraws and closes (early only once every
    # voter answered: none has here, so 400). A voting chamber's editor (or write token)
    # answers for its own chamber, never for another (403); the secretariat records paper
    # answers, naming the chamber and the day received (without them: 400).
    Row("POST", "/api/v1/decisions/{draft}/procedure/", api(403, anonymous=401, staff=201),
        {"mode": "vote", "closes_at": "2030-01-15T18:00:00+05:00"}),
    Row("POST", "/api/v1/decisions/{written}/procedure/withdraw/",
        api(403, anonymous=401, staff=200)),
    Row("POST", "/api/v1/decisions/{written}/procedure/close/",
        api(403, anonymous=401, staff=400)),
    Row("POST", "/api/v1/decisions/{written}/ballot/",
        api(403, anonymous=401, editor=201, other_editor=201, write_token=201, staff=400),
        {"vote": "for"}),
    Row("POST", "/api/v1/decisions/{written}/ballot/",
        api(403, anonymous=401, other_editor=201, staff=400),
        {"vote": "against", "chamber": "other"}, case="for another chamber"),
    Row("POST", "/api/v1/decisions/{written}/ballot/",
        api(403, anonymous=401, other_editor=400, staff=201),
        {"vote": "against", "chamber": "other", "received_on": "{today}"}, case="on paper"),
    # Procedures are read like the decisions they belong to: an open one is for members.
    Row("GET", "/api/v1/procedures/", api(200)),
    Row("GET", "/api/v1/procedures/{procedure}/", api(200, anonymous=404)),
    # Priorities and action items are members-only; an action item's responsible chamber
    # (home) and the secretariat report on it; another chamber's editor does not find it.
    Row("GET", "/api/v1/priorities/", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/priorities/{priority}/", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/action-items/", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/action-items/{item}/", api(200, **MEMBERS_ONLY)),
    Row("PATCH", "/api/v1/action-items/{item}/", api(403, **EDITORS),
        {"status": "in_progress", "progress": 40, "note": "Terms of reference drafted."}),
    # The rotation is published: anyone reads its terms, the troika, the forecast and the
    # order. The viewsets are read-only (approvals come from decisions), so GET is the only
    # method they route. ?years out of range (400) is in tests/rotation/test_api.py: this
    # table resolves a row's path without a query string.
    Row("GET", "/api/v1/rotation/terms/", api(200)),
    Row("GET", "/api/v1/rotation/terms/{term}/", api(200)),
    Row("GET", "/api/v1/rotation/current/", api(200)),
    Row("GET", "/api/v1/rotation/forecast/", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/rotation/order/", api(200, **MEMBERS_ONLY)),
    # Exports: the readers of the list each one exports. Chambers and the decisions register
    # are public (drafts left out for the public); contacts and action items are members-only.
    Row("GET", "/api/v1/exports/chambers.csv", api(200)),
    Row("GET", "/api/v1/exports/contacts.xlsx", api(200, **MEMBERS_ONLY)),
    Row("GET", "/api/v1/exports/decisions.csv", api(200)),
    Row("GET", "/api/v1/exports/action-items.xlsx", api(200, **MEMBERS_ONLY)),
    # An XLSX export built in the background is its requester's: a public one (asked for
    # without a login) anyone's; the secretariat's contacts file nobody else's (404, as if it
    # did not exist, also to a secretariat token).
    Row("GET", "/api/v1/exports/files/{public_export}/", api(200)),
    Row("GET", "/api/v1/exports/files/{public_export}/download/", api(200)),
    Row("GET", "/api/v1/exports/files/{staff_export}/", api(404, staff=200)),
    Row("GET", "/api/v1/exports/files/{staff_export}/download/", api(404, staff=200)),
    # Imports are the secretariat's (staff, or a write token without a chamber; a chamber's
    # write token is its editor). The table sends no file, so the secretariat gets 400 naming
    # `file`; uploads, reports and writes are tested in tests/exchange/test_imports.py.
    Row("POST", "/api/v1/imports/chambers/", api(403, anonymous=401, staff=400)),
    Row("POST", "/api/v1/imports/contacts/", api(403, anonymous=401, staff=400)),
    Row("POST", "/api/v1/imports/indicators/", api(403, anonymous=401, staff=400)),
    # Trade indicators: what the union publishes is public; members see unpublished series.
    Row("GET", "/api/v1/indicators/", api(200)),
    Row("GET", "/api/v1/indicators/{series}/", api(200)),
    Row("GET", "/api/v1/indicators/{hidden_series}/", api(200, anonymous=404), case="unpublished"),
    Row("GET", "/api/v1/exports/indicators.csv", api(200)),
]

PROFILE = {"name_en": "Home Chamber of Commerce", "short_name_en": "Home CCI", "city_en": "Astana"}
CONTACT_FORM = {"name": "Nora Focal", "roles": ["focal_point"], "preferred_language": "en",
                "active": "on"}
WORKSPACE = Redirect("/meetings/{meeting}/")  # the session workspace after one of its forms
OWN_CHAMBER_PAGE = {"anonymous": LOGIN, "viewer": 403, "staff": 403}  # editors: see the row

PAGE_ROWS: list[Row] = [
    # Public pages.
    Row("GET", "/", page(200)),
    Row("GET", "/chambers/{home}/", page(200)),
    # The list of every chamber is public like the dashboard.
    Row("GET", "/chambers/", page(200)),
    # What needs the secretariat now: staff only; members (and a login of no chamber) get 403.
    Row("GET", "/secretariat/", page(403, anonymous=LOGIN, staff=200)),
    # The audit trail: staff only, like the worklist (its CSV is the same URL, ?format=csv).
    Row("GET", "/secretariat/audit/", page(403, anonymous=LOGIN, staff=200)),
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
    # Meetings, their calendar files, documents and priorities are for members (the secretariat
    # is one); the anonymous visitor is sent to log in. The decisions register is public.
    Row("GET", "/meetings/", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings.ics", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings/{meeting}/", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings/{meeting}.ics", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings/{meeting}/documents/{document}/", page(200, anonymous=LOGIN)),
    # An editor answers for its own chamber; other's is invited too (see the API row). A viewer
    # may not answer, and the secretariat answers in the admin or the API, not here.
    Row("POST", "/meetings/{meeting}/rsvp/",
        page(Redirect("/meetings/{meeting}/"), anonymous=LOGIN, viewer=403, staff=403),
        {"response": "attending"}),
    # The session workspace's forms (the meeting page, for the secretariat): staff only; each
    # comes back to the meeting page.
    Row("POST", "/meetings/{meeting}/invite-all/", page(403, anonymous=LOGIN, staff=WORKSPACE)),
    Row("POST", "/meetings/{meeting}/check-in/", page(403, anonymous=LOGIN, staff=WORKSPACE),
        {"present-{home_pk}": "yes"}),
    Row("POST", "/meetings/{meeting}/status/", page(403, anonymous=LOGIN, staff=WORKSPACE),
        {"status": "held"}),
    Row("POST", "/meetings/{meeting}/decisions/", page(403, anonymous=LOGIN, staff=WORKSPACE),
        {"kind": "general", "title": "Statement", "method": "consensus", "effects-count": "0"}),
    Row("POST", "/meetings/{meeting}/decisions/{draft}/votes/",
        page(403, anonymous=LOGIN, staff=WORKSPACE)),
    Row("POST", "/meetings/{meeting}/decisions/{draft}/adopt/",
        page(403, anonymous=LOGIN, staff=WORKSPACE)),
    # The minutes: members read the published versions (a draft is 404 to them); the
    # secretariat generates the draft, saves and publishes versions from the workspace.
    Row("GET", "/meetings/{meeting}/minutes/1/", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings/{meeting}/minutes/2/", page(404, anonymous=LOGIN, staff=200)),
    Row("POST", "/meetings/{meeting}/minutes/generate/",
        page(403, anonymous=LOGIN, staff=WORKSPACE), {"replace": "1"}),
    Row("POST", "/meetings/{meeting}/minutes/versions/",
        page(403, anonymous=LOGIN, staff=WORKSPACE), {"note": "Third"}),
    Row("POST", "/meetings/{meeting}/minutes/2/publish/",
        page(403, anonymous=LOGIN, staff=WORKSPACE)),
    Row("GET", "/meetings/{meeting}/agenda-pack.pdf", page(200, anonymous=LOGIN)),
    Row("GET", "/meetings/{meeting}/minutes.pdf", page(200, anonymous=LOGIN)),
    Row("GET", "/decisions/{decision}/extract.pdf", page(200)),
    Row("GET", "/decisions/{draft}/extract.pdf", page(409, anonymous=404), case="a draft"),
    # Anyone checks an extract's code; an unknown or changed one is 404 (the page says so).
    Row("GET", "/verify/{code}/", page(200)),
    Row("GET", "/verify/{decision}-AAAAAAAAAAAAAAAA/", page(404), case="a changed code"),
    Row("GET", "/decisions/", page(200)),
    # The health check is public (a load balancer asks it): no data, no secrets.
    Row("GET", "/healthz", page(200)),
    # A decision between sessions: its procedure's page is for members; a voting chamber's
    # editor answers there (the secretariat's form is the paper one: without its fields, 400);
    # the secretariat opens, closes (not before every voter answered: 400) and withdraws.
    Row("GET", "/decisions/{written}/procedure/", page(200, anonymous=LOGIN)),
    Row("POST", "/decisions/{written}/procedure/",
        page(Redirect("/decisions/{written}/procedure/"), anonymous=LOGIN, viewer=403,
             staff=400),
        {"answer": "for"}),
    Row("POST", "/decisions/{draft}/procedure/open/",
        page(403, anonymous=LOGIN, staff=Redirect("/decisions/{draft}/procedure/")),
        {"mode": "vote", "closes_at": "2030-01-15T18:00", "time_zone": "Asia/Almaty"}),
    Row("POST", "/decisions/{written}/procedure/close/", page(403, anonymous=LOGIN, staff=400)),
    Row("POST", "/decisions/{written}/procedure/withdraw/",
        page(403, anonymous=LOGIN, staff=Redirect("/decisions/{written}/procedure/"))),
    Row("GET", "/decisions/new/", page(403, anonymous=LOGIN, staff=200)),
    # Membership decisions are reserved to a session: the form says so (400).
    Row("POST", "/decisions/new/", page(403, anonymous=LOGIN, staff=400),
        {"kind": "membership", "title": "Admission", "method": "vote", "effects-count": "0"}),
    Row("GET", "/priorities/", page(200, anonymous=LOGIN)),
    Row("GET", "/indicators/", page(200)),
    Row("GET", "/indicators/{series}/", page(200)),
    Row("GET", "/indicators/{hidden_series}/", page(200, anonymous=404), case="unpublished"),
    # The rotation's timeline, its calendar feed and a term's page are public.
    Row("GET", "/rotation/", page(200)),
    Row("GET", "/rotation.ics", page(200)),
    Row("GET", "/rotation/terms/{term}/", page(200)),
    # The home chamber's item: its viewer may not update it; another chamber does not find it.
    Row("GET", "/action-items/{item}/", page(200, anonymous=LOGIN, viewer=403, other_editor=404)),
    Row("POST", "/action-items/{item}/",
        page(Redirect("/priorities/"), anonymous=LOGIN, viewer=403, other_editor=404),
        {"status": "in_progress", "progress": "40", "note": "Terms of reference drafted."}),
    # Reminders: every login reads its own (and its chamber's); what falls due is the
    # secretariat's, and so is "send due reminders now" in the admin.
    Row("GET", "/reminders/", page(200, anonymous=LOGIN)),
    Row("GET", "/reminders/due/", page(403, anonymous=LOGIN, staff=200)),
    # The portal's page of an export built in the background: its requester's (a public one,
    # anyone's), like the API's answer.
    Row("GET", "/exports/{public_export}/", page(200)),
    Row("GET", "/exports/{staff_export}/", page(404, staff=200)),
    # Calendar subscriptions: every login manages its own address (a new one is shown once, in
    # the answer to the POST). The feed needs no login, its secret key is the credential: an
    # unknown key is 404 to everyone, as is a revoked one (tests/calendars).
    Row("GET", "/calendar/", page(200, anonymous=LOGIN)),
    Row("POST", "/calendar/issue/", page(200, anonymous=LOGIN)),
    Row("POST", "/calendar/revoke/", page(Redirect("/calendar/"), anonymous=LOGIN)),
    Row("GET", "/calendar/not-a-key.ics", page(404)),
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
    # The second factor (chambers/mfa.py): every login manages its own. The scene's logins have
    # none (and the suite runs with MFA_REQUIRED_FOR_STAFF off: tests/chambers/test_mfa.py turns
    # it on), so there is nothing to verify: the verify step sends them on.
    Row("GET", "/accounts/mfa/", page(200, anonymous=LOGIN)),
    Row("GET", "/accounts/mfa/setup/", page(200, anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/setup/", page(200, anonymous=LOGIN), {"code": "000000"}),
    Row("GET", "/accounts/mfa/verify/", page(DASHBOARD, anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/verify/", page(DASHBOARD, anonymous=LOGIN), {"code": "000000"}),
    Row("GET", "/accounts/mfa/recovery-codes/", page(405)),
    # New recovery codes need an authenticator app first: the overview says so.
    Row("POST", "/accounts/mfa/recovery-codes/", page(Redirect("/accounts/mfa/"), anonymous=LOGIN)),
    Row("GET", "/accounts/mfa/remove/", page(405)),
    Row("POST", "/accounts/mfa/remove/", page(Redirect("/accounts/mfa/"), anonymous=LOGIN)),
    # Passkeys (chambers/passkeys.py): JSON steps of the login's own browser. Without a challenge
    # begun, or a passkey to offer, the answer is a 400 naming why; another's passkey is 404.
    Row("GET", "/accounts/mfa/passkeys/register/begin/", page(405)),
    Row("POST", "/accounts/mfa/passkeys/register/begin/", page(200, anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/passkeys/register/finish/", page(400, anonymous=LOGIN)),
    Row("GET", "/accounts/mfa/passkeys/added/", page(Redirect("/accounts/mfa/"), anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/passkeys/auth/begin/", page(400, anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/passkeys/auth/finish/", page(400, anonymous=LOGIN)),
    Row("POST", "/accounts/mfa/passkeys/999999/remove/", page(404, anonymous=LOGIN)),
    # The language switch is public; GET only redirects, POST also sets the cookie.
    Row("GET", "/i18n/setlang/", page(DASHBOARD)),
    Row("POST", "/i18n/setlang/", page(Redirect("/chambers/home/")),
        {"language": "ru", "next": "/chambers/home/"}),
    # Browsers ask for /favicon.ico by themselves: sent to the static icon, for everyone.
    Row("GET", "/favicon.ico", page(Redirect("/static/favicon.svg"))),
    # The admin is the secretariat's; Django's admin sends everyone else to its login page.
    Row("GET", "/admin/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/login/", page(200, staff=Redirect("/admin/"))),
    Row("GET", "/admin/chambers/chamber/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/chamber/add/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/chamber/{home_pk}/change/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/contact/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/apitoken/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/auth/user/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/reminders/reminder/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/webhooks/subscriber/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/webhooks/subscriber/add/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/webhooks/delivery/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/calendars/calendarsubscription/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/chamber/import/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/chambers/contact/import/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/reminders/reminderrule/", page(ADMIN_LOGIN, staff=200)),
    Row("GET", "/admin/reminders/reminder/scan/", page(ADMIN_LOGIN, staff=405)),
    Row("POST", "/admin/reminders/reminder/scan/",
        page(ADMIN_LOGIN, staff=Redirect("/admin/reminders/reminder/"))),
]
# fmt: on

ROWS = API_ROWS + PAGE_ROWS
CASES = [
    pytest.param(
        row, role, id=f"{row.method} {row.path} {role}" + (f" ({row.case})" if row.case else "")
    )
    for row in ROWS
    for role in row.expect
]


def values_of(scene: Assembly) -> dict[str, object]:
    """What a row's path and data may name (``{written}``: the decision between sessions
    under written procedure that :func:`shared_scene` adds, with no answer yet)."""
    union = scene.union
    written = Decision.objects.get(meeting__isnull=True, title="Statement between sessions")
    return {
        "home": union.home.slug,
        "home_pk": union.home.pk,
        "contact": union.home_contact.pk,
        "meeting": scene.meeting.pk,
        "document": scene.document.pk,
        "draft": scene.draft.pk,
        "decision": scene.decision.pk,
        "priority": scene.priority.pk,
        "item": scene.item.pk,
        "term": scene.term.pk,
        "written": written.pk,
        "procedure": written.procedures.get().pk,
        "today": timezone.localdate().isoformat(),
        "public_export": scene.public_export.pk,
        "staff_export": scene.staff_export.pk,
        "code": records.verification_code(scene.decision),
        "series": Series.objects.get(published=True).pk,
        "hidden_series": Series.objects.get(published=False).pk,
    }


@pytest.fixture(scope="module")
def shared_scene(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Assembly]:
    """The General Assembly of :mod:`tests.scenes`, built once for the module's few hundred
    cases (building it per case made the module take 25 s on SQLite and 45 s on PostgreSQL);
    each case runs in its own savepoint, so writes still vanish between cases."""

    def build() -> Assembly:
        scene = build_assembly(build_union())
        make_written()
        make_series()
        return scene

    with kept_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), build) as scene:
        yield scene


@pytest.fixture
def scene(shared_scene: Assembly, db) -> Assembly:
    """The shared data, the case in a savepoint."""
    return shared_scene


@pytest.fixture
def union(scene: Assembly) -> Union:
    """Overrides conftest's ``union`` in this module: the shared one, the case in a savepoint."""
    return scene.union


def _fill(data: Any, values: dict[str, object]) -> Any:
    """A row's body (or expected redirect) with the scene's values put into its strings."""
    if isinstance(data, Redirect):
        return Redirect(data.to.format(**values))
    if isinstance(data, str):
        return data.format(**values)
    if isinstance(data, dict):
        return {key: _fill(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_fill(value, values) for value in data]
    return data


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
def test_permission(scene: Assembly, row: Row, role: str) -> None:
    values = values_of(scene)
    client = scene.union.client(role, api=row.is_api)
    url = row.url(**values)
    response = _send(client, row.method, url, _fill(row.data, values), as_json=row.is_api)
    got, expected = _outcome(response), _fill(row.expect[role], values)
    if response.streaming:  # a document: reading it to the end closes its file
        body = b"".join(response.streaming_content)[:300]
    else:
        body = response.content[:300]
    assert _matches(expected, got), (
        f"{row.method} {url} as {role}: want {expected!r}, got {got!r}: {body!r}"
    )


@pytest.mark.parametrize("role", ["anonymous", "viewer", "read_token", "staff"])
def test_public_api_sees_only_adopted_published_decisions(scene: Assembly, role: str) -> None:
    """The decisions register is public, but only adopted and published decisions are: the
    public's queryset leaves the draft out, members' does not."""
    response = scene.union.client(role).get("/api/v1/decisions/")
    assert response.status_code == 200
    got = {decision["id"] for decision in response.json()["results"]}
    public = {scene.decision.pk}
    written = values_of(scene)["written"]
    members = public | {scene.draft.pk, scene.unpublished.pk, written}
    assert got == (public if role == "anonymous" else members)


@pytest.mark.parametrize(("role", "answers_for"), [("editor", "home"), ("other_editor", "other")])
def test_an_editor_answers_for_its_own_chamber_only(
    scene: Assembly, role: str, answers_for: str
) -> None:
    """Without `chamber` the caller's own chamber answers; naming another one is refused."""
    url = f"/api/v1/meetings/{scene.meeting.pk}/rsvp/"
    client = scene.union.client(role)
    if answers_for != "home":
        refused = client.post(url, {"status": "attending", "chamber": "home"}, format="json")
        assert refused.status_code == 403
        assert not scene.meeting.invitations.exclude(response="pending").exists()
    response = client.post(url, {"status": "attending"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["chamber"] == answers_for
    answered = scene.meeting.invitations.exclude(response="pending")
    assert list(answered.values_list("chamber__slug", flat=True)) == [answers_for]


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
#: The scene's values that are ids (primary keys).
IDS = (
    "home_pk", "contact", "meeting", "document", "draft", "decision", "priority", "item", "term",
    "written", "procedure", "public_export", "staff_export", "series", "hidden_series",
)  # fmt: skip
SAMPLE_VALUES = {"home": "home", "code": "1-AAAAAAAAAAAAAAAA", **dict.fromkeys(IDS, 1)}


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
