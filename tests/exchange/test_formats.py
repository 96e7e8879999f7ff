"""Reading and writing CSV and XLSX: encodings, row numbers, the header, limits, file types."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from exchange import formats
from exchange.formats import FileError

HEADER = ["slug", "name_ru", "name_kk", "phone"]
ROWS = [
    [
        "atameken",
        "Национальная палата предпринимателей",
        "Атамекен ұлттық кәсіпкерлер палатасы",
        "+7 (7172) 91-93-00",
    ],
    ["tobb", "Союз палат Турции", "Түркия палаталар одағы", ""],
]


def _read(content: bytes, **kwargs):
    kwargs.setdefault("allowed", HEADER)
    return formats.read(content, **kwargs)


def test_csv_round_trip_keeps_cyrillic_and_kazakh():
    content = formats.write_csv(HEADER, ROWS)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    rows = _read(content)
    assert [row.number for row in rows] == [2, 3]
    assert [list(row.values.values()) for row in rows] == ROWS


def test_xlsx_round_trip_and_openpyxl_reads_the_export():
    content = formats.write_xlsx(HEADER, [*ROWS, ["x", None, True, dt.date(2020, 1, 2)]], title="t")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["C2"].value == ROWS[0][2]
    rows = _read(content)
    assert rows[0].values["name_kk"] == ROWS[0][2]
    assert rows[2].values["phone"] == dt.datetime(2020, 1, 2)


def test_formula_like_text_is_neutralised_and_imports_back_unchanged():
    rows = [['=HYPERLINK("x")', "@SUM(A1)", "-1+2 cmd", "+7 727 000"]]
    csv_content = formats.write_csv(HEADER, rows)
    assert b"'=HYPERLINK" in csv_content and b"'@SUM" in csv_content and b"'-1+2 cmd" in csv_content
    assert b",+7 727 000" in csv_content  # a phone number stays as it is
    xlsx_content = formats.write_xlsx(HEADER, rows, title="t")
    sheet = load_workbook(io.BytesIO(xlsx_content)).worksheets[0]
    assert sheet["A2"].data_type == "s"  # text, never a formula
    for content in (csv_content, xlsx_content):
        assert list(_read(content)[0].values.values()) == rows[0]


def test_semicolon_csv_from_a_russian_excel_is_read():
    content = "slug;name_ru\r\natameken;Палата\r\n".encode("utf-8-sig")
    assert _read(content)[0].values == {"slug": "atameken", "name_ru": "Палата"}


def test_blank_rows_are_skipped_and_numbers_are_the_spreadsheets():
    content = b"slug,phone\r\n,\r\na,1\r\n\r\nb,2\r\n"
    assert [row.number for row in _read(content)] == [3, 5]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"slug,colour\r\na,red\r\n", "colour"),  # unknown column
        (b"name_ru\r\nx\r\n", "slug"),  # missing required column
        (b"slug,slug\r\na,b\r\n", "slug"),  # twice
    ],
)
def test_header_errors_name_the_column_on_row_one(content, field):
    with pytest.raises(FileError) as caught:
        _read(content, required=["slug"])
    assert (caught.value.row, caught.value.field) == (1, field)


def test_a_row_longer_than_the_header_is_refused_with_its_number():
    with pytest.raises(FileError) as caught:
        _read(b"slug\r\na\r\nb,extra\r\n")
    assert caught.value.row == 3


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n\x00\x01binary",  # another type, whatever its name says
        "slug\r\nÉcole\r\n".encode("cp1252"),  # not UTF-8
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel",  # .xls
        b"PK\x03\x04not really a zip",
    ],
)
def test_wrong_file_types_are_refused_on_the_file_field(content):
    with pytest.raises(FileError) as caught:
        _read(content)
    assert caught.value.field == "file"


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FileError) as caught:
        _read(buffer.getvalue())
    assert caught.value.field == "file"


@pytest.mark.parametrize(
    "part", ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]
)
def test_a_workbook_with_a_damaged_part_is_refused_not_a_server_error(part):
    """openpyxl fails on damaged XML with errors of many kinds, some only while the rows are
    read: each is the same clear refusal on the file field."""
    good = io.BytesIO(formats.write_xlsx(["slug"], [["atameken"]], title="chambers"))
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<broken" if item.filename == part else data)
    with pytest.raises(FileError) as caught:
        _read(damaged.getvalue())
    assert caught.value.field == "file"


def test_limits_on_rows_and_size(monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 3)
    monkeypatch.setattr(formats, "MAX_LINES", 6)
    assert len(_read(b"slug\r\na\r\nb\r\nc\r\n")) == 3
    with pytest.raises(FileError, match="more than 3 rows"):
        _read(b"slug\r\na\r\nb\r\nc\r\nd\r\n")
    monkeypatch.setattr(formats, "MAX_BYTES", 10)
    with pytest.raises(FileError, match="larger than"):
        _read(b"slug\r\n" + b"a" * 20)
