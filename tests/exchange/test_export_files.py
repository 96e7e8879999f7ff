"""Exports built in the background: an XLSX file above ``EXPORT_INLINE_ROWS`` rows is answered
202 (or, to a person clicking a portal button, 303 to the file's page), built by a worker with
the rows its requester may see, and downloaded by that requester only. CSV always streams.

The worker is the task run in the process (``apply``): the same code a Celery worker runs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone

from chambers import services as chamber_services
from core.access import SYSTEM
from exchange import export_files, tasks
from exchange.models import ExportFile, ExportStatus
from tests.query_counts import Pin, assert_expected_query_count
from tests.scenes import Union, make_export_file

from .conftest import content_of, read_csv, read_xlsx


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.EXPORT_INLINE_ROWS = 1  # the union has more contacts and chambers than this
    settings.EXPORTS_ROOT = tmp_path / "exports"


def _build(export_id) -> ExportFile:
    assert tasks.build_export_file.apply(args=[str(export_id)]).get() == ExportStatus.READY
    return ExportFile.objects.get(pk=export_id)


def test_a_large_xlsx_is_built_by_a_worker_and_downloaded_by_its_token(union: Union):
    client = union.client("read_token")
    started = client.get("/api/v1/exports/contacts.xlsx")
    assert started.status_code == 202, started.content
    body = started.json()
    assert body["status"] == "pending" and body["download"] is None
    assert started["Location"] == body["url"] and body["url"].endswith(f"/files/{body['id']}/")
    # Not ready yet: the download is refused with 409, naming the state.
    assert client.get(f"/api/v1/exports/files/{body['id']}/download/").status_code == 409

    _build(body["id"])
    ready = client.get(body["url"]).json()
    assert ready["status"] == "ready" and ready["rows"] >= 2 and ready["size"] > 0
    download = client.get(ready["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{ready["filename"]}"'
    assert "no-store" in download["Cache-Control"]  # personal data
    rows = read_xlsx(content_of(download))
    names = {row["name"] for row in rows}
    assert union.home_contact.name in names and union.other_contact.name in names
    assert len(rows) == ready["rows"]


def test_nobody_else_finds_the_file(union: Union):
    export = make_export_file("contacts", user=_user("viewer"))
    for role in ("editor", "other_editor", "staff", "read_token", "anonymous"):
        client = union.client(role)
        assert client.get(f"/api/v1/exports/files/{export.pk}/").status_code == 404, role
        assert client.get(f"/api/v1/exports/files/{export.pk}/download/").status_code == 404
        if role not in ("read_token",):
            page = union.client(role, api=False).get(f"/exports/{export.pk}/")
            assert page.status_code == 404, role
    owner = union.client("viewer")
    assert owner.get(f"/api/v1/exports/files/{export.pk}/download/").status_code == 200
    # A malformed id is the API's JSON 404, not the site's page.
    missing = owner.get("/api/v1/exports/files/not-a-uuid/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_a_click_in_the_portal_leads_to_the_files_page(union: Union):
    browser = union.client("viewer", api=False)
    response = browser.get("/api/v1/exports/contacts.xlsx", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 303
    export = ExportFile.objects.get()
    assert response["Location"] == f"/exports/{export.pk}/"
    assert export.user.username == "viewer" and export.token is None

    waiting = browser.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "download-xlsx" not in waiting

    _build(export.pk)
    ready = browser.get(response["Location"]).content.decode()
    assert "http-equiv" not in ready
    link = re.search(r'class="button download download-xlsx" href="([^"]+)"', ready).group(1)
    assert link == f"/api/v1/exports/files/{export.pk}/download/"
    assert read_xlsx(browser.get(link).getvalue())


def test_the_rows_are_the_requesters_at_build_time(union: Union):
    """A chamber's token reads the public rows only where the list does: a members-only file
    for a token revoked before the build is not built."""
    token = union.client("read_token")
    body = token.get("/api/v1/exports/contacts.xlsx").json()
    export = ExportFile.objects.get(pk=body["id"])
    chamber_services.token_revoke(actor=SYSTEM, token=export.token)
    result = tasks.build_export_file.apply(args=[body["id"]]).get()
    assert result == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.error and not export.path.exists()


def test_anonymous_requests_share_one_public_file(union: Union):
    first = union.client("anonymous").get("/api/v1/exports/chambers.xlsx")
    second = union.client("anonymous").get("/api/v1/exports/chambers.xlsx")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]  # one build, not one per click
    export = _build(first.json()["id"])
    assert export.public and export.user is None and export.token is None
    # Public rows: any caller reads it; a signed-in member asking gets a file of their own.
    assert union.client("editor").get(first.json()["url"]).json()["status"] == "ready"
    mine = union.client("editor").get("/api/v1/exports/chambers.xlsx").json()
    assert mine["id"] != first.json()["id"]


def test_a_message_delivered_twice_builds_once(union: Union):
    export = make_export_file("chambers", user=_user("staff"))
    finished = export.finished_at
    assert tasks.build_export_file.apply(args=[str(export.pk)]).get() == ExportStatus.READY
    export.refresh_from_db()
    assert export.finished_at == finished


def test_the_tidy_publishes_lost_builds_again_and_deletes_old_files(union: Union, monkeypatch):
    published: list[str] = []
    monkeypatch.setattr(
        export_files.outbox, "enqueue", lambda task, *args: published.append(args[0]) or True
    )
    lost = ExportFile.objects.create(
        dataset="chambers", file_format="xlsx", user=_user("staff"), filename="chambers.xlsx"
    )
    built = make_export_file("contacts", user=_user("staff"))
    assert built.path.exists()
    ExportFile.objects.filter(pk=built.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    orphan = export_files.settings.EXPORTS_ROOT / "5f0c0000-0000-0000-0000-000000000000.xlsx"
    orphan.write_bytes(b"personal data of a deleted requester")
    assert export_files.export_files_tidy() == {"requeued": 1, "deleted": 1, "failed": 0}
    assert not orphan.exists()  # a file without a row is not kept either
    assert published == [str(lost.pk)]
    assert not built.path.exists() and not ExportFile.objects.filter(pk=built.pk).exists()
    # Published once: not again until REQUEUE_AFTER has passed.
    assert export_files.export_files_tidy()["requeued"] == 0


def test_a_build_whose_worker_keeps_dying_is_marked_failed(union: Union, monkeypatch):
    monkeypatch.setattr(export_files.outbox, "enqueue", lambda task, *args: True)
    export = ExportFile.objects.create(
        dataset="chambers", file_format="xlsx", user=_user("staff"), filename="chambers.xlsx"
    )
    for _attempt in range(export_files.MAX_ATTEMPTS):
        ExportFile.objects.filter(pk=export.pk).update(
            claimed_at=timezone.now() - export_files.CLAIM_TIMEOUT - dt.timedelta(minutes=1),
            attempts=F("attempts") + 1,
        )
    assert export_files.export_files_tidy()["failed"] == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_a_stale_build_does_not_overwrite_the_one_that_took_over(union: Union):
    """A worker that took a stale claim over owns the file's end: the first build, finishing
    late, changes nothing."""
    export = ExportFile.objects.create(
        dataset="chambers", file_format="xlsx", user=_user("staff"), filename="chambers.xlsx"
    )
    old_claim = timezone.now() - export_files.CLAIM_TIMEOUT - dt.timedelta(minutes=1)
    ExportFile.objects.filter(pk=export.pk).update(claimed_at=old_claim, attempts=1)
    assert export_files.export_file_build(export_id=export.pk) == ExportStatus.READY
    assert export_files._finish(export, old_claim, status=ExportStatus.FAILED) == "ready"
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.attempts == 2


def test_a_member_who_left_gets_neither_the_build_nor_the_file(union: Union):
    """Members-only rows are checked again when the file is built and when it is read."""
    from chambers.models import MemberLogin

    viewer = union.client("viewer")
    pending = viewer.get("/api/v1/exports/contacts.xlsx").json()
    ready = make_export_file("contacts", user=_user("viewer"))
    MemberLogin.objects.filter(user__username="viewer").delete()
    assert tasks.build_export_file.apply(args=[pending["id"]]).get() == ExportStatus.FAILED
    assert viewer.get(f"/api/v1/exports/files/{ready.pk}/download/").status_code == 404
    assert union.client("viewer", api=False).get(f"/exports/{ready.pk}/").status_code == 404


def test_a_token_of_a_chamber_that_left_builds_nothing(union: Union):
    body = union.client("read_token").get("/api/v1/exports/contacts.xlsx").json()
    chamber_services.membership_change_status(
        actor=SYSTEM, chamber=union.home, status="former", effective=timezone.localdate()
    )
    assert tasks.build_export_file.apply(args=[body["id"]]).get() == ExportStatus.FAILED


def test_a_file_no_longer_on_disk_is_404_not_500(union: Union):
    export = make_export_file("chambers", user=_user("staff"))
    export.path.unlink()
    response = union.client("staff").get(f"/api/v1/exports/files/{export.pk}/download/")
    assert response.status_code == 404 and "ask for it again" in response.json()["detail"]


def test_csv_always_streams(union: Union):
    response = union.client("staff").get("/api/v1/exports/contacts.csv")
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    rows = read_csv(content_of(response))
    assert {row["name"] for row in rows} >= {union.home_contact.name, union.other_contact.name}
    assert not ExportFile.objects.exists()


def test_a_small_xlsx_is_still_answered_at_once(union: Union, settings):
    settings.EXPORT_INLINE_ROWS = 5000
    response = union.client("staff").get("/api/v1/exports/contacts.xlsx")
    assert response.status_code == 200 and read_xlsx(response.content)
    assert not ExportFile.objects.exists()


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# Pinned query counts (tests/query_counts.py): the same whatever the number of files --------

SIZES = [pytest.param(1, id="1-more"), pytest.param(30, id="30-more")]
CASES = {
    Pin("export-file", "staff"): "/api/v1/exports/files/{pk}/",
    Pin("export-file-download", "staff"): "/api/v1/exports/files/{pk}/download/",
    Pin("exchange:export-file", "staff"): "/exports/{pk}/",
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("pin", list(CASES), ids=str)
def test_export_file_query_count_does_not_grow(
    union: Union, django_assert_num_queries, pin: Pin, size: int
):
    staff = _user("staff")
    export = make_export_file("chambers", user=staff)
    ExportFile.objects.bulk_create(
        ExportFile(
            dataset="chambers", file_format="xlsx", user=staff, filename=f"{i}.xlsx",
            status=ExportStatus.READY, rows=i,
        )
        for i in range(size)
    )  # fmt: skip
    url = CASES[pin].format(pk=export.pk)
    client = union.client("staff", api=not url.startswith("/exports/"))
    with assert_expected_query_count(django_assert_num_queries, pin, url, size=size):
        response = client.get(url)
    assert response.status_code == 200
