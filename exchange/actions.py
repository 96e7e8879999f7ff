"""Admin actions "Export selected as CSV / as XLSX", added to the registers' ``actions``.

The file holds the dataset's columns (:mod:`exchange.tables`) for the selected rows that the
staff user may see, through the same rows as the API's export.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _

from core.access import access_for_user

from . import formats, tables
from .responses import file_response


def _export(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    file_format: str,
) -> HttpResponseBase:
    dataset = tables.BY_MODEL[modeladmin.model]
    rows = dataset.selected(access_for_user(request.user), queryset)
    return file_response(dataset, rows, file_format)


@admin.action(description=_("Export selected as CSV"), permissions=["view"])
def export_csv(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponseBase:
    return _export(modeladmin, request, queryset, formats.CSV)


@admin.action(description=_("Export selected as XLSX"), permissions=["view"])
def export_xlsx(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponseBase:
    return _export(modeladmin, request, queryset, formats.XLSX)
