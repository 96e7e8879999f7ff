"""The meeting's admin page on an existing meeting, as the secretariat uses it: every inline
(agenda, invitations with attendance, documents) added to, changed and removed from, by posting
what the page offers (:mod:`tests.html_forms`), and times typed in the meeting's own zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import Invitation, Meeting
from tests.factories import SYSTEM, make_chamber
from tests.html_forms import errors_on, read_form
from tests.scenes import make_meeting

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def meeting(union) -> Meeting:
    """An Extraordinary General Assembly in Astana with home, other and watcher invited and
    two agenda items."""
    meeting = make_meeting(starts_at=dt.datetime(2027, 5, 14, 10, tzinfo=ALMATY))
    for title in ("Opening", "Budget"):
        services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": title})
    return meeting


def _page(client, meeting):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    return url, read_form(response.content.decode(), "meeting_form")


def _row(form, prefix: str, field: str, value) -> str:
    """The inline row whose ``field`` has ``value`` (e.g. the invitation of a chamber)."""
    total = int(form[f"{prefix}-TOTAL_FORMS"][0])
    for i in range(total):
        if form.get(f"{prefix}-{i}-{field}") == [str(value)]:
            return f"{prefix}-{i}"
    raise AssertionError(f"no {prefix} row with {field}={value}")


def _saved(client, url, form):
    response = client.post(url, form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())


def test_present_is_recorded_on_an_existing_invitation(union, meeting):
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    row = _row(
        form, "invitations", "id", Invitation.objects.get(meeting=meeting, chamber=union.home).pk
    )
    form.set(f"{row}-present", "true")
    _saved(client, url, form)
    assert Invitation.objects.get(meeting=meeting, chamber=union.home).present is True
    assert Invitation.objects.get(meeting=meeting, chamber=union.other).present is None


def test_a_chamber_is_invited_from_another_invitation_row(union, meeting):
    newcomer = make_chamber(slug="newcomer", short_name="Newcomer CCI", country="UZ")
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    row = form.add_inline_row("invitations")
    form.set(f"{row}-chamber", newcomer.pk)  # the page offers a chamber selector for new rows
    form.set(f"{row}-present", "true")
    _saved(client, url, form)
    invitation = Invitation.objects.get(meeting=meeting, chamber=newcomer)
    assert invitation.present is True


def test_an_invitation_is_removed(union, meeting):
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    row = _row(
        form,
        "invitations",
        "id",
        Invitation.objects.get(meeting=meeting, chamber=union.observer).pk,
    )
    form.set(f"{row}-DELETE", "on")
    _saved(client, url, form)
    assert not Invitation.objects.filter(meeting=meeting, chamber=union.observer).exists()
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_the_chamber_of_an_existing_invitation_cannot_be_swapped(union, meeting):
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    home = Invitation.objects.get(meeting=meeting, chamber=union.home)
    row = _row(form, "invitations", "id", home.pk)
    form[f"{row}-chamber"] = [str(union.observer.pk)]  # a forged post: the field is disabled
    form.set(f"{row}-present", "false")
    _saved(client, url, form)
    home.refresh_from_db()
    assert home.chamber_id == union.home.pk and home.present is False


def test_an_agenda_item_is_appended_without_a_position(union, meeting):
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    assert not any(name.endswith("-position") for name in form.fields)  # never typed by hand
    row = form.add_inline_row("agenda")
    form.set(f"{row}-title_en", "Any other business")
    _saved(client, url, form)
    assert [(i.position, i.title) for i in meeting.agenda.order_by("position")] == [
        (1, "Opening"),
        (2, "Budget"),
        (3, "Any other business"),
    ]


def test_agenda_items_are_changed_moved_and_removed(union, meeting):
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": "Elections"})
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    budget = _row(form, "agenda", "title_en", "Budget")
    elections = _row(form, "agenda", "title_en", "Elections")
    opening = _row(form, "agenda", "title_en", "Opening")
    form.set(f"{budget}-title_en", "Budget 2028")
    form.set(f"{elections}-move", "up")
    form.set(f"{opening}-DELETE", "on")
    _saved(client, url, form)
    assert [(i.position, i.title) for i in meeting.agenda.order_by("position")] == [
        (1, "Elections"),
        (2, "Budget 2028"),
    ]


def test_agenda_order_posted_by_drag_and_drop(union, meeting):
    """The page's script writes each row's place into its hidden ``order`` field."""
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    form.set(f"{_row(form, 'agenda', 'title_en', 'Opening')}-order", "2")
    form.set(f"{_row(form, 'agenda', 'title_en', 'Budget')}-order", "1")
    _saved(client, url, form)
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True)) == [
        "Budget",
        "Opening",
    ]


def test_a_document_is_added_and_removed(union, meeting, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    row = form.add_inline_row("documents")
    form.set(f"{row}-title", "Agenda")
    data = form.for_post()
    data[f"{row}-file"] = SimpleUploadedFile("agenda.pdf", PDF)
    response = client.post(url, data)
    assert response.status_code == 302, errors_on(response.content.decode())
    document = meeting.documents.get()
    assert document.original_name == "agenda.pdf"
    url, form = _page(client, meeting)
    form.set(f"{_row(form, 'documents', 'id', document.pk)}-DELETE", "on")
    _saved(client, url, form)
    assert not meeting.documents.exists()


def test_a_chosen_upload_is_kept_across_a_form_error(union, meeting, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    row = form.add_inline_row("documents")
    form.set(f"{row}-title", "Budget")
    form.set("ends_at_0", "2027-05-13")  # ends before it starts: the page comes back
    data = form.for_post()
    data[f"{row}-file"] = SimpleUploadedFile("budget.pdf", PDF)
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "cannot end before it starts" in html
    assert "budget.pdf" in html  # the officer sees the file is kept
    again = read_form(html, "meeting_form")
    again.set("ends_at_0", "2027-05-14")
    _saved(client, url, again)  # no file chosen again
    document = meeting.documents.get()
    assert (document.title, document.original_name) == ("Budget", "budget.pdf")
    assert document.file.read() == PDF


def test_times_are_typed_and_shown_in_the_meetings_zone(union, meeting):
    client = union.client("staff", api=False)
    url, form = _page(client, meeting)
    assert (form["starts_at_0"], form["starts_at_1"]) == (["2027-05-14"], ["10:00:00"])
    assert "Asia/Almaty" in client.get(url).content.decode()
    form.set("starts_at_1", "11:30:00")
    _saved(client, url, form)
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2027, 5, 14, 11, 30, tzinfo=ALMATY)


def test_a_new_meeting_at_ten_in_almaty(union):
    client = union.client("staff", api=False)
    form = read_form(client.get("/admin/meetings/meeting/add/").content.decode(), "meeting_form")
    form.set("kind", "board")
    form.set("title_en", "Board in Almaty")
    form.set("starts_at_0", "2027-03-01")
    form.set("starts_at_1", "10:00")
    form.set("ends_at_0", "2027-03-01")
    form.set("ends_at_1", "13:00")
    form.set("time_zone", "Asia/Almaty")
    response = client.post("/admin/meetings/meeting/add/", form.for_post())
    assert response.status_code == 302, errors_on(response.content.decode())
    meeting = Meeting.objects.get(title="Board in Almaty")
    assert meeting.starts_at == dt.datetime(2027, 3, 1, 5, tzinfo=dt.UTC)
    changelist = client.get("/admin/meetings/meeting/").content.decode()
    assert "2027-03-01 10:00" in changelist


def test_the_agenda_does_not_widen_the_page(union, meeting):
    """The description is a small box (the 2,200 px page was a 40-column textarea per row
    beside the other fields); the browser tests measure the width."""
    client = union.client("staff", api=False)
    html = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert "meetings/admin.css" in html
