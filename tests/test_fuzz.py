"""API v1 fuzzed against its own OpenAPI schema (schemathesis), as four callers: the public, a
member chamber's editor (its write token), a member's read token and the secretariat.

Every generated request must get no server error, a documented status code, a body and headers
that conform to the schema, and nothing outside the caller's rights (:func:`within_rights`).
Each positive example is sent a second and third time with the path naming real objects (the
caller's own chamber's and another chamber's), so detail routes reach data, not only 404s.

The data is built once for the module (the General Assembly scene of :mod:`tests.scenes`, as
the permission table uses) in a transaction rolled back at the end; every operation x role runs in
its own savepoint (pytest-django's ``db``), so what the secretariat's writes change vanishes
before the next test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.permissions import SAFE_METHODS

from chambers import services as chamber_services
from config.wsgi import application
from tests.factories import SYSTEM
from tests.scenes import Assembly, build_assembly, build_union, kept_for_module

#: The public may get a 2xx from these operations only.
PUBLIC = {
    ("GET", "/api/v1/chambers/"),
    ("GET", "/api/v1/chambers/{slug}/"),
    ("GET", "/api/v1/decisions/"),
    ("GET", "/api/v1/decisions/{id}/"),
    ("GET", "/api/v1/procedures/"),
    ("GET", "/api/v1/procedures/{id}/"),
    ("GET", "/api/v1/rotation/terms/"),
    ("GET", "/api/v1/rotation/terms/{id}/"),
    ("GET", "/api/v1/rotation/current/"),
    ("GET", "/api/v1/exports/chambers.{file_format}"),
    ("GET", "/api/v1/exports/decisions.{file_format}"),
    ("GET", "/api/v1/decisions/{id}/extract.pdf"),  # as the decision: public once published
    # What the union publishes of its trade figures (unpublished series are members-only).
    ("GET", "/api/v1/indicators/"),
    ("GET", "/api/v1/indicators/{id}/"),
    ("GET", "/api/v1/exports/indicators.{file_format}"),
}

#: A chamber's editor may write through these only, and only its own chamber's objects: the
#: field of the response body that names the chamber written.
EDITOR_WRITES = {
    ("PATCH", "/api/v1/chambers/{slug}/"): "slug",
    ("POST", "/api/v1/chambers/{slug}/contacts/"): "chamber",
    ("PATCH", "/api/v1/contacts/{id}/"): "chamber",
    ("DELETE", "/api/v1/contacts/{id}/"): None,  # 204: checked on the path's id
    ("POST", "/api/v1/meetings/{id}/rsvp/"): "chamber",
    ("POST", "/api/v1/decisions/{id}/ballot/"): "chamber",
    ("PATCH", "/api/v1/action-items/{id}/"): "responsible",
}

ROLES = ("anonymous", "editor", "read_token", "staff")

CONFIG = schemathesis.Config.from_dict(
    {
        # The callers' credentials are the test's, not generated ones.
        "generation": {
            "max-examples": 6,
            "deterministic": True,
            "with-security-parameters": False,
        },
        # The coverage phase sends every boundary case the schema defines: minutes, not seconds.
        # The schema's examples and six fuzzed requests per operation and role are the budget;
        # FUZZ_COVERAGE=1 runs the deep sweep (about 6 minutes) after changing the API.
        "phases": {"coverage": {"enabled": os.environ.get("FUZZ_COVERAGE") == "1"}},
        "checks": {
            # A schema cannot say every business rule (an end before the start, a quorum not
            # met): valid-looking input refused with 400, or a stale If-Match with 412, is
            # right.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "304", "400", "401", "403", "404", "409", "412"]
            },
            # DRF reads a number sent for a text field as its text (`"basis": 0` is "0"), by
            # design; schema-violating input still must not get a 5xx or an undocumented answer.
            "negative_data_rejection": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@dataclass
class Fuzzed:
    scene: Assembly
    headers: dict[str, dict[str, str]]

    def real_paths(self, path: str) -> list[dict[str, object]]:
        """Path parameters naming real objects: the caller's own chamber's, then another's."""
        s, u = self.scene, self.scene.union
        if path.startswith("/api/v1/chambers/{slug}/"):
            return [{"slug": u.home.slug}, {"slug": u.other.slug}]
        ids = {
            "/api/v1/contacts/{id}/": [u.home_contact.pk, u.other_contact.pk],
            "/api/v1/meetings/{id}/": [s.meeting.pk],
            "/api/v1/decisions/{id}/": [s.draft.pk, s.decision.pk],
            "/api/v1/priorities/{id}/": [s.priority.pk],
            "/api/v1/action-items/{id}/": [s.item.pk],
            "/api/v1/rotation/terms/{id}/": [s.term.pk],
        }
        for prefix, values in ids.items():
            if path.startswith(prefix):
                return [{"id": value} for value in values]
        return []


@pytest.fixture(scope="module")
def fuzz_data(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Fuzzed]:
    def build() -> Fuzzed:
        scene = build_assembly(build_union())
        staff_key = chamber_services.token_issue(
            actor=SYSTEM, name="fuzz staff", scope="write", chamber=None
        )[1]
        keys = {
            "editor": scene.union.tokens["write_token"],
            "read_token": scene.union.tokens["read_token"],
            "staff": staff_key,
        }
        headers = {role: {"Authorization": f"Token {key}"} for role, key in keys.items()}
        return Fuzzed(scene, {"anonymous": {}, **headers})

    with kept_for_module(django_db_blocker, tmp_path_factory.mktemp("media"), build) as data:
        yield data


@pytest.fixture
def fuzzed(fuzz_data: Fuzzed, db) -> Iterator[Fuzzed]:
    """The shared data, the test in a savepoint; the WSGI calls must not close the connection.

    Django's handler fires ``request_finished``, whose ``close_old_connections`` closes a
    connection that is inside a transaction (the test's). Django's test client disconnects it
    for the same reason; schemathesis calls the WSGI application directly.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield fuzz_data
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def within_rights(role: str, data: Fuzzed) -> Callable:
    """A check: a 2xx answer is one this role may get."""

    def check(ctx, response, case) -> None:
        if not 200 <= response.status_code < 300:
            return
        method, path = response.request.method, case.operation.path
        if method == "OPTIONS":  # the fuzzer's probe for undocumented methods; no data
            return
        where = f"{role}: {method} {case.formatted_path} -> {response.status_code}"
        if role == "anonymous":
            assert (method, path) in PUBLIC, f"members-only data reached by {where}"
        if method in SAFE_METHODS or role == "staff":
            return
        assert role == "editor", f"a write by {where}"
        assert (method, path) in EDITOR_WRITES, f"a secretariat write by {where}"
        field = EDITOR_WRITES[(method, path)]
        union = data.scene.union
        if field is None:
            assert case.path_parameters["id"] != union.other_contact.pk, where
        else:
            assert response.json()[field] == union.home.slug, f"another chamber's {where}"

    return check


def _fuzz(case, data: Fuzzed, role: str) -> None:
    headers, checks = data.headers[role], [within_rights(role, data)]
    case.call_and_validate(headers=headers, additional_checks=checks)
    # The same request at real objects. Not the generated one any more, so the verdicts on
    # generated data (should it have been accepted or refused?) do not apply; the rest do.
    verdicts = [
        schemathesis.checks.positive_data_acceptance,
        schemathesis.checks.negative_data_rejection,
    ]
    for real in data.real_paths(case.operation.path):
        case.path_parameters = {**case.path_parameters, **real}
        case.call_and_validate(headers=headers, additional_checks=checks, excluded_checks=verdicts)


FUZZ = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_fuzz_anonymous(case, fuzzed):
    _fuzz(case, fuzzed, "anonymous")


@schema.parametrize()
@FUZZ
def test_fuzz_editor(case, fuzzed):
    _fuzz(case, fuzzed, "editor")


@schema.parametrize()
@FUZZ
def test_fuzz_read_token(case, fuzzed):
    _fuzz(case, fuzzed, "read_token")


@schema.parametrize()
@FUZZ
def test_fuzz_staff(case, fuzzed):
    _fuzz(case, fuzzed, "staff")


# Another chamber's data, explicitly: what the fuzzer finds by chance, every time.


@pytest.mark.parametrize("role", ["anonymous", "editor", "read_token"])
def test_other_chambers_data_out_of_reach(fuzzed: Fuzzed, role: str) -> None:
    union, scene = fuzzed.scene.union, fuzzed.scene
    client = union.client({"editor": "write_token"}.get(role, role))
    other = union.other_contact
    # Writes to another chamber's objects: 404 (not even its existence) for its editor, 403 for
    # a read-only caller, 401 for the public.
    write_status = {"anonymous": 401, "editor": 404, "read_token": 403}[role]
    assert client.patch(f"/api/v1/contacts/{other.pk}/", {"name": "X"}).status_code == (
        write_status
    )
    assert client.delete(f"/api/v1/contacts/{other.pk}/").status_code == write_status
    assert client.patch(f"/api/v1/chambers/{union.other.slug}/", {"city": "X"}).status_code == (
        write_status
    )
    contact = {"name": "Intruder"}
    response = client.post(f"/api/v1/chambers/{union.other.slug}/contacts/", contact)
    assert response.status_code == write_status
    scene.item.responsible = union.other
    scene.item.save(update_fields=["responsible"])
    assert client.patch(f"/api/v1/action-items/{scene.item.pk}/", {"progress": 5}).status_code == (
        write_status
    )
    # Members-only reads: none for the public.
    if role == "anonymous":
        for url in (
            f"/api/v1/contacts/{other.pk}/",
            f"/api/v1/chambers/{union.other.slug}/contacts/",
            f"/api/v1/chambers/{union.other.slug}/memberships/",
            f"/api/v1/meetings/{scene.meeting.pk}/",
            f"/api/v1/decisions/{scene.draft.pk}/",
        ):
            assert client.get(url).status_code in (401, 404), url
    other.refresh_from_db()
    assert other.name == "Other Head"
