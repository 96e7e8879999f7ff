"""Imports of chambers and contacts: validation of every row before any write, all or nothing,
through the API (the admin's pages are in test_admin.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chambers import services as chamber_services
from chambers.models import Chamber, Contact
from core.access import Access
from core.errors import ConflictError, DomainError
from exchange import formats, services
from tests.conftest import ROLES, Union
from tests.factories import SYSTEM

from .conftest import csv_file, read_csv, xlsx_file

CHAMBER_HEADER = ["slug", "short_name", "name_en", "name_ru", "name_kk", "country", "city"]
NEW_CHAMBERS = [
    ["atameken", "NCE Atameken", "Atameken", "Атамекен", "«Атамекен» палатасы", "KZ", "Астана"],
    ["kg-cci", "KG CCI", "Chamber of the Kyrgyz Republic", "Палата КР", "", "KG", "Бишкек"],
    ["uz-cci", "UZ CCI", "Chamber of Uzbekistan", "", "", "UZ", "Tashkent"],
]
NEW_SLUGS = {"atameken", "kg-cci", "uz-cci"}
CONTACT_HEADER = ["chamber", "name", "position", "roles", "email", "preferred_language", "active"]


def _post(union: Union, dataset: str, upload, *, role: str = "staff", dry_run: bool = False):
    data = {"file": upload, "dry_run": "true" if dry_run else "false"}
    return union.client(role).post(f"/api/v1/imports/{dataset}/", data, format="multipart")


def _snapshot() -> tuple:
    return (
        sorted(Chamber.objects.values_list("slug", "short_name", "city", "name_ru")),
        sorted(Contact.objects.values_list("chamber__slug", "name", "email", "position")),
    )


# Chambers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_one_bad_row_writes_nothing_and_names_row_and_field(union: Union, make_file):
    rows = [CHAMBER_HEADER, *NEW_CHAMBERS]
    rows[2] = [*rows[2][:5], "XX", rows[2][6]]  # row 3 of the file: an unknown country
    before = _snapshot()
    response = _post(union, "chambers", make_file(rows))
    assert response.status_code == 400, response.content
    assert response.json() == {
        "errors": [
            {"row": 3, "field": "country", "message": response.json()["errors"][0]["message"]}
        ]
    }
    assert "ISO" in response.json()["errors"][0]["message"]
    assert _snapshot() == before


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_valid_import_creates_and_updates_every_row(union: Union, make_file):
    rows = [
        CHAMBER_HEADER,
        *NEW_CHAMBERS,
        ["home", "Home CCI", union.home.name_en, "Домашняя", "", "KZ", "Almaty"],
    ]
    response = _post(union, "chambers", make_file(rows))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["written"], body["created"], body["updated"], body["errors"]) == (4, 3, 1, [])
    assert set(Chamber.objects.values_list("slug", flat=True)) >= NEW_SLUGS
    atameken = Chamber.objects.get(slug="atameken")
    assert (atameken.name_kk, atameken.city, atameken.country.code) == (
        "«Атамекен» палатасы",
        "Астана",
        "KZ",
    )
    union.home.refresh_from_db()
    assert (union.home.city, union.home.name_ru) == ("Almaty", "Домашняя")
    # Written through the services: the change history names who imported.
    assert atameken.history.get().history_user.username == "staff"


def test_every_error_of_every_row_is_reported(union: Union):
    rows = [
        [*CHAMBER_HEADER, "website", "founded"],
        ["", "X", "X", "", "", "KZ", "", "", ""],  # row 2: no slug
        ["new-one", "", "", "", "", "", "", "not a url", "31/02/2020"],  # row 3: four problems
        ["home", "Home CCI", "Home", "", "", "KZ", "", "", ""],  # row 4: fine (an update)
        ["home", "Home CCI", "Home", "", "", "KZ", "", "", ""],  # row 5: home again
    ]
    response = _post(union, "chambers", csv_file(rows))
    assert response.status_code == 400
    got = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert got == {
        (2, "slug"),
        (3, "short_name"),
        (3, "name_en"),
        (3, "country"),
        (3, "website"),
        (3, "founded"),
        (5, "slug"),
    }


def test_dry_run_writes_nothing_and_previews(union: Union):
    before = _snapshot()
    response = _post(union, "chambers", csv_file([CHAMBER_HEADER, *NEW_CHAMBERS]), dry_run=True)
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["written"], body["created"]) == (True, 0, 3)
    assert body["rows"][0] == {"row": 2, "action": "create", "key": "atameken"}
    assert _snapshot() == before


def test_a_failure_in_the_middle_of_the_write_rolls_back_every_row(union: Union, monkeypatch):
    real = chamber_services.chamber_create
    calls = []

    def failing_second_time(**kwargs):
        calls.append(kwargs["slug"])
        if len(calls) == 2:  # as if another change got there first
            raise DomainError("Another change got there first.", field="slug")
        return real(**kwargs)

    monkeypatch.setattr(chamber_services, "chamber_create", failing_second_time)
    before = _snapshot()
    report = services.import_chambers(
        actor=SYSTEM,
        rows=formats.read(formats.write_csv(CHAMBER_HEADER, NEW_CHAMBERS), allowed=CHAMBER_HEADER),
        dry_run=False,
    )
    assert calls == ["atameken", "kg-cci"]
    assert [e.as_dict() for e in report.errors] == [
        {"row": 3, "field": "slug", "message": "Another change got there first."}
    ]
    assert report.written == 0
    assert _snapshot() == before


def test_a_lost_race_while_writing_is_409_and_writes_nothing(union: Union, monkeypatch):
    def conflict(**kwargs):
        raise ConflictError("Another change got there first; reload and try again.")

    monkeypatch.setattr(chamber_services, "chamber_create", conflict)
    response = _post(union, "chambers", csv_file([CHAMBER_HEADER, *NEW_CHAMBERS]))
    assert response.status_code == 409
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, None)]
    assert not Chamber.objects.filter(slug__in=NEW_SLUGS).exists()


def test_an_export_imports_back_unchanged(union: Union):
    export = union.client("staff").get("/api/v1/exports/chambers.csv").getvalue()
    response = _post(union, "chambers", SimpleUploadedFile("chambers.csv", export))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["written"], body["unchanged"]) == (0, 3)  # status and member_since are ignored
    assert read_csv(export)[0]["slug"] == "home"


def test_an_old_export_imported_again_never_undoes_a_membership_change(union: Union):
    export = union.client("staff").get("/api/v1/exports/chambers.csv").getvalue()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=union.other, status="suspended", effective=yesterday
    )
    response = _post(union, "chambers", SimpleUploadedFile("chambers.csv", export))
    assert response.status_code == 200, response.content
    assert response.json()["written"] == 0
    assert union.other.status_on(dt.date.today()) == "suspended"


def test_new_status_changes_membership_through_the_service_and_once(union: Union):
    rows = [
        ["slug", "new_status", "effective", "basis"],
        ["watcher", "member", "2026-03-01", "Decision 4 of the III General Assembly"],
        [*NEW_CHAMBERS[2][:1], "observer", "", ""],
    ]
    new = [["slug", "short_name", "name_en", "country", "new_status"], ["uz-cci", "UZ", "UZ CCI",
           "UZ", "observer"]]  # fmt: skip
    assert _post(union, "chambers", csv_file(new)).status_code == 200
    dry = _post(union, "chambers", csv_file(rows[:2]), dry_run=True)
    assert dry.status_code == 200 and dry.json()["updated"] == 1
    assert union.observer.status_on(dt.date(2026, 3, 1)) == "observer"  # a dry run writes nothing
    response = _post(union, "chambers", csv_file(rows))
    assert response.status_code == 200, response.content
    assert (response.json()["updated"], response.json()["unchanged"]) == (1, 1)
    period = union.observer.periods.get(start=dt.date(2026, 3, 1))
    assert (period.status, period.basis) == ("member", "Decision 4 of the III General Assembly")
    assert Chamber.objects.get(slug="uz-cci").status_on(dt.date.today()) == "observer"
    again = _post(union, "chambers", csv_file(rows))
    assert again.json()["written"] == 0  # applied already: nothing changes


def test_a_malformed_new_status_or_effective_is_a_400_naming_the_column(union: Union):
    rows = [["slug", "new_status", "effective"], ["home", "retired", "someday"]]
    response = _post(union, "chambers", csv_file(rows))
    assert response.status_code == 400
    assert {(e["row"], e["field"]) for e in response.json()["errors"]} == {
        (2, "new_status"),
        (2, "effective"),
    }
    assert union.home.status_on(dt.date.today()) == "member"


def test_a_refused_new_status_is_reported_on_its_row_in_a_dry_run(union: Union):
    rows = [["slug", "new_status", "effective"], ["home", "suspended", "1990-01-01"]]
    response = _post(union, "chambers", csv_file(rows), dry_run=True)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (2, "effective")
    assert "already starts on or after" in error["message"]


# Contacts ---------------------------------------------------------------------------------


def test_contacts_match_on_chamber_and_email_else_are_created(union: Union):
    chamber_services.contact_update(
        actor=SYSTEM, contact=union.home_contact, data={"email": "head@home.example"}
    )
    rows = [
        CONTACT_HEADER,
        ["home", "Home Head", "Chairman", "head", "HEAD@home.example", "ru", "true"],
        [
            "other",
            "Айгүл Сәрсенова",
            "Focal point",
            "focal_point;delegate",
            "aigul@other.example",
            "kk",
            "",
        ],
        ["home", "No Email", "", "delegate", "", "", "false"],
    ]
    response = _post(union, "contacts", xlsx_file(rows))
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["updated"]) == (2, 1)
    union.home_contact.refresh_from_db()
    assert (union.home_contact.position, union.home_contact.preferred_language) == (
        "Chairman",
        "ru",
    )
    aigul = Contact.objects.get(email="aigul@other.example")
    assert (aigul.chamber, aigul.roles, aigul.preferred_language, aigul.active) == (
        union.other,
        ["focal_point", "delegate"],
        "kk",
        True,
    )
    assert Contact.objects.get(name="No Email").active is False


def test_contact_rows_are_checked_against_chambers_roles_and_languages(union: Union):
    before = _snapshot()
    rows = [
        CONTACT_HEADER,
        ["home", "Fine Person", "", "delegate", "fine@home.example", "en", "true"],
        ["nowhere", "Lost", "", "delegate", "", "en", "true"],  # row 3
        ["home", "Bad Role", "", "president", "", "en", "true"],  # row 4
        ["home", "Bad Language", "", "delegate", "", "de", "true"],  # row 5
        ["home", "", "", "delegate", "", "en", "maybe"],  # row 6: no name, bad flag
        ["home", "Fine Again", "", "delegate", "FINE@home.example", "en", "true"],  # row 7
    ]
    response = _post(union, "contacts", csv_file(rows))
    assert response.status_code == 400
    got = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert got == {
        (3, "chamber"),
        (4, "roles"),
        (5, "preferred_language"),
        (6, "active"),
        (6, "name"),
        (7, "email"),
    }
    assert _snapshot() == before


@pytest.mark.parametrize("size", [3, 300])
def test_a_dry_run_of_contacts_costs_the_same_queries_for_3_or_300_rows(union: Union, size: int):
    """The plan reads the chambers and their contacts once; the model's validation does not
    look each row's chamber up again (it did: a query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lines = [CONTACT_HEADER, *(["home", f"P {i}", "", "", f"p{i}@home.example", "en", "true"]
                               for i in range(size))]  # fmt: skip
    rows = formats.read(csv_file(lines).read(), allowed=services.CONTACT_COLUMNS)
    with CaptureQueriesContext(connection) as queries:
        report = services.import_contacts(actor=SYSTEM, rows=rows, dry_run=True)
    assert not report.errors and len(report.rows) == size
    assert len(queries) == 2  # the chambers named, their contacts with an e-mail


def _contact_rows(size: int, *, start: int = 0):
    lines = [CONTACT_HEADER, *(["home", f"P {i}", "", "", f"p{i}@home.example", "en", "true"]
                               for i in range(start, start + size))]  # fmt: skip
    return formats.read(csv_file(lines).read(), allowed=services.CONTACT_COLUMNS)


def _write_queries(rows) -> tuple[list[str], services.ImportReport]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = services.import_contacts(actor=SYSTEM, rows=rows, dry_run=False)
    assert not report.errors, report.errors
    return [q["sql"] for q in queries.captured_queries], report


def _others(queries: list[str]) -> list[str]:
    """The queries but the inserts (which SQLite splits at its limit of parameters)."""
    return [q.split(" WHERE ")[0] for q in queries if not q.startswith("INSERT")]


def test_an_import_writes_a_constant_number_of_queries_per_batch(union: Union, monkeypatch):
    """New contacts go in one insert (and one of their history) per batch, changed ones in
    one update: the queries grow with the batches, not the rows (it was 8 queries a row)."""
    few, _report = _write_queries(_contact_rows(3))
    many, report = _write_queries(_contact_rows(300, start=3))
    assert report.written == 300 and len(_others(few)) == len(_others(many))
    inserts = [q for q in many if q.startswith("INSERT")]
    assert len(inserts) < 300 / 10  # many rows a statement (SQLite splits at 999 parameters)
    # Smaller batches: each costs the same few queries more (its savepoints), whatever its rows.
    counts = []
    for batch, start in ((150, 303), (100, 603)):
        monkeypatch.setattr(chamber_services, "BULK_BATCH", batch)
        batched, _report = _write_queries(_contact_rows(300, start=start))
        counts.append(len(_others(batched)))
    one, two, three = len(_others(many)), *counts
    assert two - one == three - two <= 6
    # The same file again with a change on every row: one lock, and updates by batch.
    changed = [CONTACT_HEADER, *(["home", f"Q {i}", "", "", f"p{i}@home.example", "en", "true"]
                                 for i in range(300))]  # fmt: skip
    rows = formats.read(csv_file(changed).read(), allowed=services.CONTACT_COLUMNS)
    updates, report = _write_queries(rows)
    assert report.written == 300 and len(updates) < 300 / 5  # (batches of 100 here)
    assert Contact.objects.filter(name__startswith="Q ", chamber=union.home).count() == 300


def test_chambers_keep_the_smaller_limit_of_a_file(union: Union, monkeypatch):
    """Chambers are written one by one: a file of more than CHAMBER_MAX_ROWS is refused on
    ``file`` before anything is planned (contacts may have formats.MAX_ROWS)."""
    monkeypatch.setattr(services, "CHAMBER_MAX_ROWS", 2)
    rows = formats.read(csv_file([CHAMBER_HEADER, *NEW_CHAMBERS]).read(), allowed=CHAMBER_HEADER)
    assert len(rows) > 2
    report = services.import_chambers(actor=SYSTEM, rows=rows, dry_run=True)
    assert [(e.row, e.field) for e in report.errors] == [(None, "file")]
    assert "more than 2 rows" in report.errors[0].message


def test_bulk_written_contacts_keep_their_history_with_the_actor(union: Union):
    staff = Access(user=None, label="crm import", is_staff=True, reads_all=True, can_write=True)
    services.import_contacts(actor=staff, rows=_contact_rows(2), dry_run=False)
    contact = Contact.objects.get(email="p1@home.example")
    (created,) = contact.history.all()
    assert created.history_type == "+" and created.history_change_reason == "crm import"
    services.import_contacts(
        actor=staff,
        rows=formats.read(
            csv_file(
                [CONTACT_HEADER, ["home", "P renamed", "", "", "p1@home.example", "en", "true"]]
            ).read(),
            allowed=services.CONTACT_COLUMNS,
        ),
        dry_run=False,
    )
    assert [h.history_type for h in contact.history.all()] == ["~", "+"]
    assert contact.history.first().name == "P renamed"


def test_a_batch_the_bulk_write_refuses_is_written_row_by_row_to_name_the_row(
    union: Union, monkeypatch
):
    """A refusal in a batch (a database constraint, a contact removed meanwhile) is found
    again row by row, so the answer names its row; nothing of the file is written."""

    def refused(**kwargs):
        raise ConflictError("Another change got there first; reload and try again.")

    monkeypatch.setattr(chamber_services, "contacts_create_many", refused)
    written = services.import_contacts(actor=SYSTEM, rows=_contact_rows(3), dry_run=False)
    assert written.written == 3 and not written.errors  # row by row, every row is fine
    assert Contact.objects.filter(email__startswith="p", chamber=union.home).count() == 3

    real_create = chamber_services.contact_create

    def refuse_the_second(*, actor, chamber, data):
        if data.get("name") == "P 4":
            raise ConflictError("This contact was removed meanwhile.")
        return real_create(actor=actor, chamber=chamber, data=data)

    monkeypatch.setattr(chamber_services, "contact_create", refuse_the_second)
    report = services.import_contacts(actor=SYSTEM, rows=_contact_rows(3, start=3), dry_run=False)
    assert report.conflict and [(e.row, e.message) for e in report.errors] == [
        (3, "This contact was removed meanwhile.")
    ]
    assert not Contact.objects.filter(email="p3@home.example").exists()  # all or none


def test_bulk_update_refuses_a_contact_removed_meanwhile(union: Union):
    contact = union.home_contact
    Contact.objects.filter(pk=contact.pk).delete()
    with pytest.raises(ConflictError):
        chamber_services.contacts_update_many(actor=SYSTEM, items=[(contact, {"name": "Back"})])
    assert not Contact.objects.filter(pk=contact.pk).exists()


# The API: permissions and the file field ---------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("dataset", ["chambers", "contacts"])
def test_only_the_secretariat_imports(union: Union, role: str, dataset: str):
    rows = [CHAMBER_HEADER, *NEW_CHAMBERS] if dataset == "chambers" else [CONTACT_HEADER]
    response = _post(union, dataset, csv_file(rows), role=role, dry_run=True)
    expected = {"anonymous": 401, "staff": 200}.get(role, 403)
    assert response.status_code == expected, response.content


def test_a_secretariat_write_token_imports(union: Union):
    _token, key = chamber_services.token_issue(actor=SYSTEM, name="crm", scope="write")
    client = union.client("anonymous")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    upload = csv_file([CHAMBER_HEADER, *NEW_CHAMBERS])
    response = client.post("/api/v1/imports/chambers/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert Chamber.objects.filter(slug__in=NEW_SLUGS).count() == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chambers.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00"),
        ("chambers.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("chambers.csv", b""),
        ("chambers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_a_wrong_file_type_is_400_on_the_file_field(union: Union, name: str, content: bytes):
    response = _post(union, "chambers", SimpleUploadedFile(name, content))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (None, "file")


def test_a_missing_file_is_400_on_the_file_field(union: Union):
    response = union.client("staff").post("/api/v1/imports/chambers/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_an_unknown_column_is_reported_on_row_one(union: Union):
    response = _post(
        union, "contacts", csv_file([["chamber", "name", "twitter"], ["home", "X", "@x"]])
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] | {"message": ""} == {
        "row": 1,
        "field": "twitter",
        "message": "",
    }
