"""The HTTP response of an export, shared by the API and the admin's actions.

CSV streams: the rows are read from the database in chunks and written as they come, so a
web worker holds one chunk, never the file, and the first bytes leave at once. XLSX is built
in the request up to ``EXPORT_INLINE_ROWS`` rows; above that the API records an
:class:`exchange.models.ExportFile` for a worker to build (:mod:`exchange.export_files`).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

from core.access import Access

from . import documents, export_files, formats, tables
from .models import ExportFile

#: Rows read from the database per query of a streamed export.
STREAM_CHUNK = 2000


def export_response(dataset: tables.Dataset, access: Access, file_format: str) -> HttpResponseBase:
    """The file of the rows ``access`` may see, as an attachment (the API and the admin)."""
    return file_response(dataset, dataset.visible(access), file_format)


def _csv_stream(dataset: tables.Dataset, queryset: QuerySet) -> Iterator[bytes]:
    # Runs while the server sends the answer, after the view returned: the language is set
    # here, for the rows, not around the view.
    with translation.override(settings.LANGUAGE_CODE):
        rows = dataset.rows(queryset.iterator(chunk_size=STREAM_CHUNK))
        yield from formats.csv_chunks(dataset.header, rows)


def file_response(
    dataset: tables.Dataset, queryset: QuerySet, file_format: str
) -> HttpResponseBase:
    # A file's one-language columns (short name, city, titles...) are in the union's default
    # language, whoever exports it: imported again by anyone, it writes back what it read.
    response: HttpResponseBase
    if file_format == formats.CSV:
        response = StreamingHttpResponse(
            _csv_stream(dataset, queryset), content_type=formats.CONTENT_TYPES[file_format]
        )
    else:
        with translation.override(settings.LANGUAGE_CODE):
            content = formats.write(
                file_format, dataset.header, dataset.rows(queryset), title=str(dataset.title)
            )
        response = HttpResponse(content, content_type=formats.CONTENT_TYPES[file_format])
    return _attachment(response, dataset, tables.export_filename(dataset, file_format))


def export_file_response(export: ExportFile) -> HttpResponseBase:
    """A file built in the background, from ``EXPORTS_ROOT`` (its requester's only)."""
    source = export_files.source_of(export)
    content_type = (
        source.content_type
        if isinstance(source, documents.Document)
        else formats.CONTENT_TYPES[export.file_format]
    )
    response = FileResponse(export.path.open("rb"), content_type=content_type)
    return _attachment(response, source, export.filename)


def _attachment(
    response: HttpResponseBase, dataset: tables.Dataset | documents.Document, filename: str
) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if dataset.members_only:
        patch_cache_control(response, private=True, no_store=True)
    return response
