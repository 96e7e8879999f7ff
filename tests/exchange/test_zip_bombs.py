"""An XLSX import is a ZIP archive: refused before openpyxl parses it when its files expand past
``XLSX_MAX_EXPANDED_BYTES`` or one of them is compressed more than ``XLSX_MAX_RATIO`` times (a
307 KB workbook of 300 MB took a web worker from 149 to 748 MB)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chambers.models import Chamber
from exchange import formats
from exchange.formats import FileError
from tests.exchange.conftest import xlsx_file

HEADER = ["slug", "name_ru"]


def _bomb(size: int, *, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A ZIP whose one file is ``size`` bytes of the same character: it compresses about a
    thousand times."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as part,
    ):
        chunk = b"<row/>" * (1024 * 1024 // 6)
        written = 0
        while written < size:
            part.write(chunk)
            written += len(chunk)
    return buffer.getvalue()


def _never_parsed(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse the file")

    monkeypatch.setattr(formats, "load_workbook", refuse)


def test_a_workbook_expanding_past_the_limit_is_refused_before_parsing(monkeypatch, settings):
    settings.XLSX_MAX_EXPANDED_BYTES = 4 * 1024 * 1024
    settings.XLSX_MAX_RATIO = 10_000
    content = _bomb(5 * 1024 * 1024)
    assert len(content) < 100_000
    _never_parsed(monkeypatch)
    with pytest.raises(FileError) as refused:
        formats.read(content, allowed=HEADER)
    assert refused.value.field == "file"
    assert "4 MB" in refused.value.message


def test_a_workbook_compressed_absurdly_is_refused_before_parsing(monkeypatch, settings):
    settings.XLSX_MAX_RATIO = 100
    content = _bomb(3 * 1024 * 1024)
    _never_parsed(monkeypatch)
    with pytest.raises(FileError) as refused:
        formats.read(content, allowed=HEADER)
    assert refused.value.field == "file"
    assert "100" in refused.value.message


def test_the_default_limit_is_fifty_megabytes(settings):
    assert settings.XLSX_MAX_EXPANDED_BYTES == 50 * 1024 * 1024


def test_an_ordinary_workbook_is_read():
    upload = xlsx_file([HEADER, ["atameken", "Атамекен"]])
    rows = formats.read(upload.read(), allowed=HEADER)
    assert [row.values for row in rows] == [{"slug": "atameken", "name_ru": "Атамекен"}]


def test_a_zip_bomb_import_is_400_on_the_file_and_imports_nothing(union, settings):
    settings.XLSX_MAX_EXPANDED_BYTES = 2 * 1024 * 1024
    before = sorted(Chamber.objects.values_list("slug", flat=True))
    upload = SimpleUploadedFile("bomb.xlsx", _bomb(3 * 1024 * 1024))
    response = union.client("staff").post(
        "/api/v1/imports/chambers/", {"file": upload, "dry_run": "false"}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["file"]
    assert sorted(Chamber.objects.values_list("slug", flat=True)) == before
