"""Exports through the API: who may read which dataset, and that a file holds exactly the rows
the dataset's list endpoint shows the same caller."""

from __future__ import annotations

import pytest

from chambers import services as chamber_services
from exchange import tables
from tests.conftest import ROLES
from tests.factories import (
    SYSTEM,
    ActionItemFactory,
    DecisionFactory,
    ProgressNoteFactory,
    SeriesFactory,
    ValueFactory,
    VoteFactory,
    bulk_rows,
)
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import bulk_chambers

from .conftest import Scene, content_of, read_csv, read_xlsx

MEMBERS_ONLY = {"contacts", "action-items"}


def _rows(response) -> list[dict]:
    if response["Content-Type"].startswith("text/csv"):
        return read_csv(content_of(response))
    return read_xlsx(content_of(response))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("dataset", list(tables.DATASETS))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_export_what(scene: Scene, role: str, dataset: str, file_format: str):
    response = scene.union.client(role).get(f"/api/v1/exports/{dataset}.{file_format}")
    if dataset in MEMBERS_ONLY and role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200, response.getvalue()[:200]
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{dataset}-'
    ) and response["Content-Disposition"].endswith(f'.{file_format}"')
    rows = _rows(response)
    assert rows, "every dataset has rows for a caller allowed to read it"
    assert list(rows[0]) == tables.DATASETS[dataset].header


@pytest.mark.parametrize("role", ["anonymous", "viewer", "read_token", "staff"])
def test_decisions_export_holds_what_the_register_shows(scene: Scene, role: str):
    client = scene.union.client(role)
    listed = {d["id"] for d in client.get("/api/v1/decisions/").json()["results"]}
    exported = {int(row["id"]) for row in _rows(client.get("/api/v1/exports/decisions.csv"))}
    assert exported == listed
    everything = {scene.draft.pk, scene.public.pk, scene.unpublished.pk}
    assert exported == ({scene.public.pk} if role == "anonymous" else everything)


@pytest.mark.parametrize("role", ["viewer", "other_editor", "read_token", "staff"])
def test_members_export_every_chambers_contacts_as_the_api_shows_them(scene: Scene, role: str):
    union = scene.union
    client = union.client(role)
    rows = _rows(client.get("/api/v1/exports/contacts.xlsx"))
    assert {(r["chamber"], r["name"]) for r in rows} == {
        ("home", "Home Head"),
        ("other", "Other Head"),
    }
    for chamber in (union.home, union.other):
        listed = client.get(f"/api/v1/chambers/{chamber.slug}/contacts/").json()["results"]
        assert {c["name"] for c in listed} == {
            r["name"] for r in rows if r["chamber"] == chamber.slug
        }


def test_a_former_chambers_token_sees_what_the_public_sees(scene: Scene):
    union = scene.union
    chamber_services.membership_change_status(
        actor=SYSTEM,
        chamber=union.home,
        status="former",
        effective=union.home.periods.get().start.replace(year=2024),
    )
    client = union.client("read_token")
    assert client.get("/api/v1/exports/contacts.csv").status_code == 403
    ids = {int(r["id"]) for r in _rows(client.get("/api/v1/exports/decisions.csv"))}
    assert ids == {scene.public.pk}


def test_chambers_export_columns_and_values(scene: Scene):
    union = scene.union
    chamber_services.chamber_update(
        actor=SYSTEM,
        chamber=union.home,
        data={"name_ru": "Палата «Атамекен»", "name_kk": "«Атамекен» палатасы"},
    )
    rows = {
        r["slug"]: r for r in _rows(union.client("anonymous").get("/api/v1/exports/chambers.csv"))
    }
    assert list(rows) == ["home", "other", "watcher"]  # the API's order: short name
    home = rows["home"]
    assert home["name_ru"] == "Палата «Атамекен»" and home["name_kk"] == "«Атамекен» палатасы"
    assert (home["country"], home["status"], home["member_since"]) == ("KZ", "member", "2019-01-01")
    assert (rows["watcher"]["status"], rows["watcher"]["member_since"]) == ("observer", "")
    xlsx = {
        r["slug"]: r for r in _rows(union.client("anonymous").get("/api/v1/exports/chambers.xlsx"))
    }
    assert xlsx["home"]["name_kk"] == "«Атамекен» палатасы"


def test_action_items_export(scene: Scene):
    rows = _rows(scene.union.client("viewer").get("/api/v1/exports/action-items.csv"))
    assert rows == [
        {
            "id": str(scene.item.pk),
            "priority": "Trade facilitation",
            "priority_id": str(scene.item.priority_id),
            "title": "Single window study",
            "responsible": "home",
            "due": "2030-09-30",
            "status": "open",
            "progress": "0",
        }
    ]


def test_members_only_exports_are_not_cached(scene: Scene):
    response = scene.union.client("viewer").get("/api/v1/exports/contacts.csv")
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_dataset_or_format_is_404(scene: Scene):
    client = scene.union.client("staff")
    assert client.get("/api/v1/exports/votes.csv").status_code == 404
    response = client.get("/api/v1/exports/chambers.pdf")
    assert response.status_code == 404 and "csv or xlsx" in response.json()["detail"]


# Query counts, pinned in tests/query_counts.py ------------------------------------------------

SIZES = [pytest.param(1, id="1-more"), pytest.param(30, id="30-more")]
CASES = {Pin(f"export-{name}", "viewer"): name for name in tables.DATASETS}


def grow(scene: Scene, size: int) -> None:
    """``size`` more rows of every dataset: chambers with a contact, decisions with a vote of
    one of them, action items with a note (straight into the tables: volume, not behaviour)."""
    chambers, _contacts = bulk_chambers(size, contact=lambda i: {"name": f"Contact {i}"})
    decisions = bulk_rows(
        DecisionFactory,
        (
            {"meeting": scene.draft.meeting, "number": 100 + i, "title": f"D{i}"}
            for i in range(size)
        ),
    )
    bulk_rows(
        VoteFactory,
        ({"decision": d, "chamber": c} for d, c in zip(decisions, chambers, strict=True)),
    )
    items = bulk_rows(
        ActionItemFactory,
        (
            {"priority": scene.item.priority, "title": f"Item {i}", "responsible": c}
            for i, c in enumerate(chambers)
        ),
    )
    bulk_rows(ProgressNoteFactory, ({"action_item": item} for item in items))
    series = SeriesFactory()
    bulk_rows(ValueFactory, ({"series": series} for _ in range(size + 1)))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_export_query_count_does_not_grow_with_rows(
    scene: Scene, django_assert_num_queries, pin: Pin, size: int
):
    grow(scene, size)
    dataset = CASES[pin]
    client, url = scene.union.client(pin.caller), f"/api/v1/exports/{dataset}.csv"
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=size):
        response = client.get(url)
        content_of(response)  # the file streams: its rows are read while it is sent
    assert response.status_code == 200
    assert len(_rows(response)) > size  # every grown row is in the file


def test_a_revoked_token_is_refused_even_for_public_data(scene: Scene):
    client = scene.union.client("anonymous")
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/exports/chambers.csv").status_code == 401
