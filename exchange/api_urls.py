"""API v1 routes of exports and imports (included under /api/v1/ by config/urls.py).

Exports: ``exports/<dataset>.<csv|xlsx>``, one route per dataset so that each has its own
permissions and schema entry; an unknown format is a JSON 404 from the view.
``exports/files/<id>/`` (and ``download/``): an XLSX export built in the background (the id
is matched as any text, so that a malformed one is the API's JSON 404, not the site's page).
Imports: ``imports/<chambers|contacts|indicators>/``.
"""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "exports/chambers.<str:file_format>",
        api.ExportChambersView.as_view(),
        name="export-chambers",
    ),
    path(
        "exports/contacts.<str:file_format>",
        api.ExportContactsView.as_view(),
        name="export-contacts",
    ),
    path(
        "exports/decisions.<str:file_format>",
        api.ExportDecisionsView.as_view(),
        name="export-decisions",
    ),
    path(
        "exports/action-items.<str:file_format>",
        api.ExportActionItemsView.as_view(),
        name="export-action-items",
    ),
    path(
        "exports/indicators.<str:file_format>",
        api.ExportIndicatorsView.as_view(),
        name="export-indicators",
    ),
    path("exports/files/<str:pk>/", api.ExportFileView.as_view(), name="export-file"),
    path(
        "exports/files/<str:pk>/download/",
        api.ExportFileDownloadView.as_view(),
        name="export-file-download",
    ),
    path("imports/chambers/", api.ImportChambersView.as_view(), name="import-chambers"),
    path("imports/contacts/", api.ImportContactsView.as_view(), name="import-contacts"),
    path("imports/indicators/", api.ImportIndicatorsView.as_view(), name="import-indicators"),
]
