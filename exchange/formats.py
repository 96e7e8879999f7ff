"""Reading and writing the two file formats of exports and imports: CSV and XLSX.

Writing takes a header and rows of plain values (str, int, bool, date, None). Reading returns
:class:`SheetRow` objects, each with the row number a spreadsheet shows (the header is row 1, so
data starts at row 2), and refuses a file with a :class:`FileError` that the caller reports
against the field ``file`` (or, for the header, the column at fault).

The type of an uploaded file is decided by its content, not its name: an XLSX file is a ZIP
archive that openpyxl can open; a CSV file is UTF-8 text without NUL bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Limits of an import file: a union has dozens of chambers and a few hundred contacts; the
#: largest federation (12,000 chambers, 100,000 contacts) imports in files of 10,000 rows,
#: each written in batches (``chambers.services.BULK_BATCH``) in under 10 s.
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 100
#: Lines read at most, blank ones included (a small ZIP can hold millions of empty rows).
MAX_LINES = MAX_ROWS * 2
#: The compression ratio of a file inside a workbook is checked only above this size (bytes).
_RATIO_FLOOR = 1024 * 1024

#: A cell starting with one of these is run as a formula by Excel and LibreOffice ("CSV
#: injection"); exports prefix it with an apostrophe, which Excel shows as text.
_FORMULA_STARTS = ("=", "@", "\t", "\r")
_SIGNS = ("+", "-")
_NUMBERLIKE = frozenset("0123456789 ()-+./")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class FileError(Exception):
    """The file cannot be read as an import: wrong type, too large, or a bad header.

    ``field`` is ``file`` for the file as a whole, else the column named in the header (row 1).
    """

    def __init__(self, message: str, *, field: str = "file", row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row


@dataclass(frozen=True)
class SheetRow:
    """One data row of an uploaded file: its row number as a spreadsheet shows it, and its
    cells by column name (str from CSV; str, int, float, bool, datetime or None from XLSX)."""

    number: int
    values: dict[str, Any]


# Writing --------------------------------------------------------------------------------------


def _neutralised(value: str) -> str:
    """The text with an apostrophe before a formula-like start; phone numbers stay as they are."""
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    if value.startswith(_SIGNS) and not set(value) <= _NUMBERLIKE:
        return "'" + value
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return _neutralised(str(value))


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte order mark (so that Excel opens Cyrillic and Kazakh text), as
    chunks of ``rows_per_chunk`` rows: a streamed export holds one chunk in memory, not the
    file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    first = True
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if count % rows_per_chunk == 0:
            yield _taken(buffer, bom=first)
            first = False
    yield _taken(buffer, bom=first)


def _taken(buffer: io.StringIO, *, bom: bool) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8-sig" if bom else "utf-8")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return b"".join(csv_chunks(header, rows))


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    buffer = io.BytesIO()
    save_xlsx(buffer, header, rows, title=title)
    return buffer.getvalue()


def save_xlsx(
    target: str | Path | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
) -> int:
    """One worksheet in write-only mode (rows are streamed, not kept as cell objects), saved to
    ``target`` (a path or a binary file). Returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(list(header))
    count = 0
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=_neutralised(value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count


def write(
    file_format: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str
) -> bytes:
    if file_format == CSV:
        return write_csv(header, rows)
    if file_format == XLSX:
        return write_xlsx(header, rows, title=title)
    raise ValueError(file_format)


# Reading --------------------------------------------------------------------------------------


def _unneutralised(value: Any) -> Any:
    """Undo the export's apostrophe, so that an exported file imports unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in ("=", "@", "+", "-"):
        return value[1:]
    return value


def _blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


#: In ``allowed``: any other column is read too (a layout made elsewhere, such as UN
#: Comtrade's, whose columns the import picks from).
ANY_COLUMN = "*"


def _header(cells: Sequence[Any], *, allowed: Sequence[str], required: Sequence[str]) -> list[str]:
    names = [str(cell).strip().lower() if cell is not None else "" for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise FileError(_("The file is empty: the first row must name the columns."), row=1)
    seen: set[str] = set()
    for name in names:
        if not name:
            raise FileError(_("A column has no name in the first row."), row=1)
        if name not in allowed and ANY_COLUMN not in allowed:
            raise FileError(
                _("Unknown column “%(column)s”. The columns are: %(allowed)s.")
                % {"column": name, "allowed": ", ".join(allowed)},
                field=name,
                row=1,
            )
        if name in seen:
            raise FileError(_("The column appears twice."), field=name, row=1)
        seen.add(name)
    for name in required:
        if name not in seen:
            raise FileError(_("The column is missing."), field=name, row=1)
    return names


def _rows(
    lines: Iterable[Sequence[Any]], *, allowed: Sequence[str], required: Sequence[str]
) -> list[SheetRow]:
    lines = iter(lines)
    header = _header(next(lines, []), allowed=allowed, required=required)
    rows: list[SheetRow] = []
    for number, cells in enumerate(lines, start=2):
        if number > MAX_LINES:
            raise FileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        if _blank(cells):
            continue  # spreadsheets leave empty rows at the end
        if len(rows) == MAX_ROWS:
            raise FileError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        extra = [cell for cell in cells[len(header) :] if not _blank([cell])]
        if extra:
            raise FileError(_("The row has more cells than the header has columns."), row=number)
        padded = list(cells) + [None] * (len(header) - len(cells))
        values = {name: _unneutralised(padded[i]) for i, name in enumerate(header)}
        rows.append(SheetRow(number=number, values=values))
    return rows


def _read_csv(content: bytes, **columns: Sequence[str]) -> list[SheetRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” or as an Excel workbook (.xlsx).")
        ) from exc
    if "\x00" in text:
        raise FileError(_("The file is not a CSV or XLSX file."))
    first_line = text.split("\n", 1)[0]
    # Excel saves CSV with semicolons where the decimal separator is a comma (ru, kk, tr).
    delimiter = max(",;\t", key=first_line.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileError(_("The file is not a valid CSV file: %(error)s") % {"error": exc}) from exc
    return _rows(lines, **columns)


def _check_expansion(content: bytes, invalid: str) -> None:
    """Refuse a workbook whose files expand past ``XLSX_MAX_EXPANDED_BYTES`` or one compressed
    more than ``XLSX_MAX_RATIO`` times, from the ZIP's central directory (the sizes it declares),
    before anything is decompressed: a 307 KB sheet of 300 MB took a worker to 748 MB."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OverflowError) as exc:
        raise FileError(invalid) from exc
    limit: int = settings.XLSX_MAX_EXPANDED_BYTES
    ratio: int = settings.XLSX_MAX_RATIO
    expanded = sum(member.file_size for member in members)
    if expanded > limit:
        raise FileError(
            _("The workbook expands to more than %(max)d MB.") % {"max": limit // (1024 * 1024)}
        )
    for member in members:
        # A small file may compress well whatever its content: only a ratio of a large one says
        # anything.
        if member.file_size > _RATIO_FLOOR and member.file_size > ratio * max(
            member.compress_size, 1
        ):
            raise FileError(
                _("The workbook is compressed more than %(ratio)d times: it is not read.")
                % {"ratio": ratio}
            )


def _read_xlsx(content: bytes, **columns: Sequence[str]) -> list[SheetRow]:
    invalid = _("The file is not a valid Excel workbook (.xlsx).")
    _check_expansion(content, invalid)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails on a damaged file with many kinds of error
        raise FileError(invalid) from exc
    try:
        # Rows are streamed: a huge sheet is refused at the limit without loading it whole.
        sheet = next(s for s in workbook.worksheets if hasattr(s, "iter_rows"))
        lines = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        return _rows(lines, **columns)
    except FileError:
        raise
    except Exception as exc:  # a damaged sheet fails only while its rows are read
        raise FileError(invalid) from exc
    finally:
        workbook.close()


def detect(content: bytes) -> str:
    """The format of an upload by its content: ``xlsx`` for a ZIP archive, else ``csv``."""
    if content.startswith(_ZIP_MAGIC):
        return XLSX
    if content.startswith(_OLE_MAGIC):
        raise FileError(_("Old Excel files (.xls) are not read; save the file as .xlsx."))
    return CSV


def read_upload(
    upload: Any, *, allowed: Sequence[str], required: Sequence[str] = ()
) -> list[SheetRow]:
    """:func:`read` of an uploaded file, refused by its size before it is read into memory."""
    if upload.size > MAX_BYTES:
        raise FileError(_too_large())
    return read(upload.read(), allowed=allowed, required=required)


def _too_large() -> str:
    return _("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}


def read(content: bytes, *, allowed: Sequence[str], required: Sequence[str] = ()) -> list[SheetRow]:
    """The data rows of an uploaded CSV or XLSX file whose header names only ``allowed``
    columns and every ``required`` one."""
    if len(content) > MAX_BYTES:
        raise FileError(_too_large())
    if not content:
        raise FileError(_("The file is empty."))
    reader = _read_xlsx if detect(content) == XLSX else _read_csv
    return reader(content, allowed=allowed, required=required)
