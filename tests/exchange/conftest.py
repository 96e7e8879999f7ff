"""The exchange tests' data: the General Assembly scene of :mod:`tests.scenes` (conftest's union
plus a meeting with a draft, an adopted and published decision and an adopted unpublished one,
and a priority with an action item, all made through the services as the secretariat), without
its document and rotation, and the helpers that write and read files."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.scenes import Assembly, Union, build_assembly, make_series


class Scene(Assembly):
    """The General Assembly, named as these tests read it: ``public`` is its adopted and
    published decision."""

    @property
    def public(self):
        return self.decision


@pytest.fixture
def scene(union: Union) -> Scene:
    assembly = build_assembly(union, document=False, rotation=False)
    make_series(hidden=False)  # the indicators' dataset: a published series with a value
    return Scene(**vars(assembly))


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


def content_of(response) -> bytes:
    """A response's body, also of a streamed file (read once, kept on the response)."""
    if not hasattr(response, "_body_read"):
        response._body_read = response.getvalue()
    return response._body_read


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV exports start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    # Trailing empty cells are not stored, so rows may be shorter than the header.
    return [dict(zip(header, (*row, *[None] * len(header)), strict=False)) for row in rows]
