"""The exchange tests' data: conftest's union plus a meeting with a draft, an adopted and
published decision and an adopted unpublished one, and a priority with an action item, all made
through the services as the secretariat."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from meetings import services
from meetings.models import ActionItem, Decision
from tests.conftest import Union
from tests.factories import SYSTEM


@dataclass(frozen=True)
class Scene:
    union: Union
    draft: Decision
    public: Decision  # adopted and published
    unpublished: Decision  # adopted, not published
    item: ActionItem


@pytest.fixture
def scene(union: Union) -> Scene:
    meeting = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": "working_group",
            "title": "Working group on trade",
            "starts_at": dt.datetime(2030, 5, 14, 4, 0, tzinfo=dt.UTC),
            "ends_at": dt.datetime(2030, 5, 14, 12, 0, tzinfo=dt.UTC),
            "time_zone": "Asia/Almaty",
        },
    )
    for chamber in (union.home, union.other):  # quorum, for the adoptions below
        services.attendance_record(actor=SYSTEM, meeting=meeting, chamber=chamber, present=True)
    data = {"kind": "general", "method": "consensus"}
    draft = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={**data, "title": "Draft budget"}
    )
    public = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={**data, "title": "Trade fair", "published": True}
    )
    unpublished = services.decision_create(
        actor=SYSTEM, meeting=meeting, data={**data, "title": "Internal rules"}
    )
    for decision in (public, unpublished):
        services.decision_adopt(actor=SYSTEM, decision=decision)
    priority = services.priority_create(
        actor=SYSTEM,
        data={
            "title": "Trade facilitation",
            "period_start": dt.date(2030, 1, 1),
            "period_end": dt.date(2030, 12, 31),
        },
    )
    item = services.action_item_create(
        actor=SYSTEM,
        priority=priority,
        data={
            "title": "Single window study",
            "responsible": union.home,
            "due": dt.date(2030, 9, 30),
        },
    )
    return Scene(union, draft, public, unpublished, item)


def csv_file(rows: list[list[str]], name: str = "import.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: list[list[object]], name: str = "import.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV exports start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    # Trailing empty cells are not stored, so rows may be shorter than the header.
    return [dict(zip(header, (*row, *[None] * len(header)), strict=False)) for row in rows]
