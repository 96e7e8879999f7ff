"""Overdue action items: one definition (open or in progress, due before today in the union's time
zone), the same for a row (``ActionItem.is_overdue``) and a query
(``ActionItem.objects.overdue()``), marked on /priorities/ and the chamber's page with a label
in words, and ``overdue`` in the API (read-only, in the schema)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.utils import timezone

from meetings.models import ActionItem
from tests.factories import ActionItemFactory, PriorityFactory
from tests.scenes import Union, make_action_item, make_priority

TODAY = dt.date(2026, 10, 15)
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)
LABEL = re.compile(r'<span class="tag overdue"[^>]*>Overdue</span>')


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def items(union: Union) -> dict[str, ActionItem]:
    priority = make_priority(title="Digital trade")
    made = {
        "late": make_action_item(priority, union.home, title="Late survey", due=YESTERDAY),
        "started": make_action_item(
            priority, union.home, title="Started study", due=YESTERDAY, status="in_progress"
        ),
        "today": make_action_item(priority, union.home, title="Due today", due=TODAY),
        "done": make_action_item(
            priority, union.home, title="Done report", due=YESTERDAY, status="done"
        ),
        "other": make_action_item(priority, union.other, title="Other's late", due=YESTERDAY),
    }
    return made


def test_a_row_and_the_query_say_the_same(db):
    """Every status with a due date before, on and after today, and none."""
    priority = PriorityFactory()
    for status, due in itertools.product(
        ActionItem.Status.values,
        [YESTERDAY - dt.timedelta(days=300), YESTERDAY, TODAY, TOMORROW, None],
    ):
        ActionItemFactory(priority=priority, status=status, due=due)
    by_row = {item.pk for item in ActionItem.objects.all() if item.is_overdue}
    by_query = set(ActionItem.objects.overdue().values_list("pk", flat=True))
    assert by_row == by_query
    assert len(by_query) == 4  # open and in progress, due yesterday or 300 days before
    assert set(ActionItem.objects.overdue(on=TOMORROW).values_list("pk", flat=True)) > by_query


def test_today_is_the_union_time_zones_day(db, settings, monkeypatch):
    """``timezone.localdate()`` is the day in ``settings.TIME_ZONE``: at 20:00 UTC on the 14th it
    is already the 15th in Almaty, so an item due on the 14th is overdue there, not in UTC."""
    monkeypatch.undo()  # the real localdate, at a fixed moment
    moment = dt.datetime(2026, 10, 14, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    item = ActionItemFactory(due=dt.date(2026, 10, 14))
    settings.TIME_ZONE = "UTC"
    assert not item.is_overdue and not ActionItem.objects.overdue().exists()
    settings.TIME_ZONE = "Asia/Almaty"
    assert item.is_overdue and ActionItem.objects.overdue().get() == item


def test_priorities_page_labels_overdue_items_in_words(union, items):
    html = union.client("viewer", api=False).get("/priorities/").content.decode()
    rows = dict(re.findall(r'<tr id="action-item-(\d+)"(.*?)</tr>', html, re.S))
    overdue = {pk for pk, row in rows.items() if LABEL.search(row)}
    assert overdue == {str(items[key].pk) for key in ("late", "started", "other")}
    assert 'class="overdue"' in html


def test_chamber_page_lists_its_action_items_for_members(union, items):
    html = union.client("viewer", api=False).get("/chambers/home/").content.decode()
    section = re.search(r'<section class="chamber-action-items".*?</section>', html, re.S)
    assert section is not None
    text = section.group(0)
    for key in ("late", "started", "today", "done"):
        assert items[key].title in text
    assert "Other's late" not in text  # another chamber's
    assert len(LABEL.findall(text)) == 2
    assert f'href="/priorities/#action-item-{items["late"].pk}"' in text


def test_chamber_page_shows_no_action_items_to_the_public(union, items):
    html = union.client("anonymous", api=False).get("/chambers/home/").content.decode()
    assert "Late survey" not in html and "chamber-action-items" not in html


def test_a_chamber_without_action_items_says_so(union, items):
    html = union.client("viewer", api=False).get("/chambers/watcher/").content.decode()
    assert "This chamber is responsible for no action items." in html


def test_the_api_says_overdue_in_lists_details_and_priorities(union, items):
    client = union.client("viewer")
    listed = {
        row["id"]: row["overdue"] for row in client.get("/api/v1/action-items/").json()["results"]
    }
    assert listed == {
        items["late"].pk: True,
        items["started"].pk: True,
        items["today"].pk: False,
        items["done"].pk: False,
        items["other"].pk: True,
    }
    assert client.get(f"/api/v1/action-items/{items['late'].pk}/").json()["overdue"] is True
    priority = client.get(f"/api/v1/priorities/{items['late'].priority_id}/").json()
    assert {row["id"]: row["overdue"] for row in priority["action_items"]} == listed


def test_overdue_is_read_only(union, items):
    item = items["late"]
    response = union.client("editor").patch(
        f"/api/v1/action-items/{item.pk}/", {"overdue": False, "status": "done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["overdue"] is False  # done now: no longer overdue
    response = union.client("editor").patch(
        f"/api/v1/action-items/{items['started'].pk}/", {"overdue": False}, format="json"
    )
    assert response.json()["overdue"] is True  # the field itself is ignored


def test_the_schema_documents_overdue_as_read_only(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["ActionItem"]["properties"]["overdue"]
    assert field["type"] == "boolean" and field["readOnly"] is True
    assert "due before today" in field["description"]
