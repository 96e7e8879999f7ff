"""The admin: export actions on the registers, and the import page (upload, report, confirm)."""

from __future__ import annotations

import pytest

from chambers.models import Chamber, Contact
from tests.conftest import Union

from .conftest import Scene, csv_file, read_csv, read_xlsx, xlsx_file

IMPORT = "/admin/chambers/chamber/import/"
HEADER = ["slug", "short_name", "name_en", "name_kk", "country"]
GOOD = [HEADER, ["atameken", "Atameken", "Atameken", "«Атамекен» палатасы", "KZ"]]
BAD = [*GOOD, ["kg-cci", "KG CCI", "Chamber of Kyrgyzstan", "", "Kyrgyzstan"]]  # row 3


@pytest.mark.parametrize(
    ("changelist", "pk_of"),
    [
        ("/admin/chambers/chamber/", lambda s: s.union.home.pk),
        ("/admin/chambers/contact/", lambda s: s.union.home_contact.pk),
        ("/admin/meetings/decision/", lambda s: s.draft.pk),
        ("/admin/meetings/actionitem/", lambda s: s.item.pk),
    ],
)
@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_export_selected(scene: Scene, changelist: str, pk_of, action: str):
    client = scene.union.client("staff", api=False)
    response = client.post(changelist, {"action": action, "_selected_action": [pk_of(scene)]})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = response.getvalue()
    rows = read_csv(content) if action == "export_csv" else read_xlsx(content)
    assert len(rows) == 1  # only the selected row
    assert str(next(iter(rows[0].values()))) in {"home", str(pk_of(scene))}


def test_import_page_is_the_secretariats(union: Union):
    for role in ("anonymous", "editor"):
        response = union.client(role, api=False).get(IMPORT)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    staff = union.client("staff", api=False)
    assert staff.get(IMPORT).status_code == 200
    assert IMPORT.encode() in staff.get("/admin/chambers/chamber/").content  # the button


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_bad_row_is_reported_and_nothing_is_written(union: Union, make_file):
    client = union.client("staff", api=False)
    response = client.post(IMPORT, {"file": make_file(BAD)})
    assert response.status_code == 200
    errors = response.context["report"].errors
    assert [(e.row, e.field) for e in errors] == [(3, "country")]
    body = response.content.decode()
    assert 'id="import-errors"' in body and "<td>3</td>" in body and "<td>country</td>" in body
    assert "confirm" not in body
    assert not Chamber.objects.filter(slug__in=["atameken", "kg-cci"]).exists()


def test_preview_then_confirm_writes_all_rows(union: Union):
    client = union.client("staff", api=False)
    preview = client.post(IMPORT, {"file": xlsx_file(GOOD)})
    assert 'id="import-preview"' in preview.content.decode()
    assert not Chamber.objects.filter(slug="atameken").exists()  # the check writes nothing
    digest = preview.context["digest"]
    response = client.post(IMPORT, {"confirm": "1", "digest": digest})
    assert response.status_code == 302 and response["Location"] == "/admin/chambers/chamber/"
    assert Chamber.objects.get(slug="atameken").name_kk == "«Атамекен» палатасы"
    # The file is gone from the session: confirming again writes nothing twice.
    again = client.post(IMPORT, {"confirm": "1", "digest": digest})
    assert again.status_code == 302 and again["Location"] == IMPORT


def test_confirm_validates_again_and_writes_nothing_if_the_data_changed(union: Union):
    client = union.client("staff", api=False)
    url = "/admin/chambers/contact/import/"
    rows = [["chamber", "name"], ["other", "Ayşe Yılmaz"], ["home", "Нұрлан Әбдіров"]]
    digest = client.post(url, {"file": csv_file(rows)}).context["digest"]
    Chamber.objects.filter(slug="home").update(slug="renamed")  # meanwhile, elsewhere
    response = client.post(url, {"confirm": "1", "digest": digest})
    assert response.status_code == 200
    assert [(e.row, e.field) for e in response.context["report"].errors] == [(3, "chamber")]
    assert not Contact.objects.filter(name="Ayşe Yılmaz").exists()


def test_confirm_of_another_file_is_refused(union: Union):
    client = union.client("staff", api=False)
    client.post(IMPORT, {"file": csv_file(GOOD)})
    response = client.post(IMPORT, {"confirm": "1", "digest": "0" * 64})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert not Chamber.objects.filter(slug="atameken").exists()


def test_contacts_import_page(union: Union):
    client = union.client("staff", api=False)
    url = "/admin/chambers/contact/import/"
    rows = [["chamber", "name", "roles"], ["home", "Нұрлан Әбдіров", "delegate"], ["home", "", "x"]]
    response = client.post(url, {"file": csv_file(rows)})
    assert {(e.row, e.field) for e in response.context["report"].errors} == {
        (3, "roles"),
        (3, "name"),
    }
    digest = client.post(url, {"file": csv_file(rows[:2])}).context["digest"]
    assert client.post(url, {"confirm": "1", "digest": digest}).status_code == 302
    assert Contact.objects.get(name="Нұрлан Әбдіров").chamber == union.home
