"""Download buttons on the portal's lists: each page that lists the rows of an export links to
its CSV and XLSX files, only for those who may download them, and a click with the portal's
session (no token) downloads the file.

Chambers and the decisions register are public; contacts and action items are members-only
(the permission table's rows of /api/v1/exports/)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from exchange import formats
from tests.exchange.conftest import Scene
from tests.scenes import Union

#: page -> the export it links to, and who sees the buttons there.
PAGES = {
    "/": ("chambers", "anonymous"),
    "/chambers/": ("chambers", "anonymous"),
    "/decisions/": ("decisions", "anonymous"),
    "/chambers/home/": ("contacts", "viewer"),
    "/my-chamber/": ("contacts", "viewer"),
    "/priorities/": ("action-items", "viewer"),
}


def _links(html: str) -> list[str]:
    return [
        unescape(href)
        for href in re.findall(r'<a class="button download[^"]*" href="([^"]*)"', html)
    ]


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_links_to_both_files_and_the_session_downloads_them(
    union: Union, scene: Scene, page: str
):
    dataset, role = PAGES[page]
    client = union.client(role, api=False)
    links = _links(client.get(page).content.decode())
    assert links == [f"/api/v1/exports/{dataset}.csv", f"/api/v1/exports/{dataset}.xlsx"]
    csv_response, xlsx_response = (client.get(link) for link in links)
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response["Content-Type"] == formats.CONTENT_TYPES["csv"]
    assert xlsx_response["Content-Type"] == formats.CONTENT_TYPES["xlsx"]
    assert csv_response["Content-Disposition"].startswith(f'attachment; filename="{dataset}-')
    header = next(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_response.getvalue())).active
    assert [cell.value for cell in sheet[1]] == header
    assert sheet.max_row > 1  # the scene's rows are there


def test_members_only_files_have_no_buttons_for_the_public(union: Union, scene: Scene):
    anonymous = union.client("anonymous", api=False)
    assert _links(anonymous.get("/chambers/home/").content.decode()) == []
    for dataset in ("contacts", "action-items"):
        assert anonymous.get(f"/api/v1/exports/{dataset}.csv").status_code == 401


def test_every_member_role_sees_the_members_buttons(union: Union, scene: Scene):
    for role in ("viewer", "editor", "other_editor", "staff"):
        html = union.client(role, api=False).get("/chambers/home/").content.decode()
        assert "/api/v1/exports/contacts.xlsx" in _links(html), role
        html = union.client(role, api=False).get("/priorities/").content.decode()
        assert "/api/v1/exports/action-items.csv" in _links(html), role


def test_the_register_says_the_files_ignore_its_filters(union: Union, scene: Scene):
    """The decisions export takes no filters: on a filtered register the buttons say so."""
    client = union.client("anonymous", api=False)
    note = "The files hold every decision shown to you, whatever the filter."
    assert note not in client.get("/decisions/").content.decode()
    assert note in client.get("/decisions/?kind=priorities").content.decode()


def test_the_public_register_file_holds_what_the_public_register_shows(union, scene: Scene):
    client = union.client("anonymous", api=False)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/api/v1/exports/decisions.csv").getvalue().decode("utf-8-sig"))
        )
    )
    assert [int(row["id"]) for row in rows] == [scene.public.pk]
