"""The HTTP response of an export, shared by the API and the admin's actions."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control

from core.access import Access

from . import formats, tables


def export_response(dataset: tables.Dataset, access: Access, file_format: str) -> HttpResponse:
    """The file of the rows ``access`` may see, as an attachment (the API and the admin)."""
    return file_response(dataset, dataset.visible(access), file_format)


def file_response(dataset: tables.Dataset, queryset: QuerySet, file_format: str) -> HttpResponse:
    # A file's one-language columns (short name, city, titles...) are in the union's default
    # language, whoever exports it: imported again by anyone, it writes back what it read.
    with translation.override(settings.LANGUAGE_CODE):
        content = formats.write(
            file_format, dataset.header, dataset.rows(queryset), title=str(dataset.title)
        )
    response = HttpResponse(content, content_type=formats.CONTENT_TYPES[file_format])
    filename = tables.export_filename(dataset, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if dataset.members_only:
        patch_cache_control(response, private=True, no_store=True)
    return response
