"""The portal's page of an export built in the background: where a download button leads when
the file is too large to build at once. It refreshes itself until the file is ready, then
offers it (the API's download, with the same session)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import access_for_request

from . import export_files
from .models import ExportStatus

#: Seconds between two refreshes of the page while the file is being prepared.
REFRESH_SECONDS = 3


@require_GET
@never_cache
def export_file(request: HttpRequest, pk: str) -> HttpResponse:
    export = export_files.export_file_of(pk, access=access_for_request(request), user=request.user)
    if export is None:
        raise Http404()
    return render(
        request,
        "portal/export_file.html",
        {
            "export": export,
            "dataset": export_files.source_of(export),
            "statuses": ExportStatus,
            "refresh": REFRESH_SECONDS if export.status == ExportStatus.PENDING else None,
        },
    )
