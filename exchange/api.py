"""API v1 of exports and imports.

``GET /api/v1/exports/<dataset>.<csv|xlsx>`` answers a file of the rows the caller may see, with
the permissions of the dataset's list endpoint. ``POST /api/v1/imports/<chambers|contacts>/``
(the secretariat) takes a multipart ``file`` and an optional ``dry_run``: 200 with the report
when the file is valid (written unless ``dry_run``), 400 with every error and nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files import File
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chambers.models import ApiToken
from core.access import Access, access_for_request
from core.errors import ConflictError
from core.permissions import IsMember, IsSecretariat
from core.schema import errors

from . import documents, export_files, formats, services, tables
from .models import ExportFile, ExportStatus
from .responses import export_file_response, export_response
from .services import ImportReport, RowError

# Exports ----------------------------------------------------------------------------------


FILE_FORMAT = OpenApiParameter(
    "file_format",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(formats.FORMATS),
    description="`csv` (UTF-8 with BOM, comma-separated) or `xlsx` (one worksheet).",
)


def _columns_doc(dataset: tables.Dataset) -> str:
    return "\n".join(f"- `{c.name}`: {c.description}" for c in dataset.columns)


class ExportView(APIView):
    """One dataset as a file; subclasses name the dataset (one URL and schema entry each)."""

    dataset: tables.Dataset
    #: Counted apart from reads (core.throttles): a file is far dearer than a page of a list.
    throttle_scope = "export"

    def get_permissions(self) -> list[BasePermission]:
        return [IsMember()] if self.dataset.members_only else [AllowAny()]

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        # The file is the answer whatever ``Accept`` says; errors are JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request: Request, file_format: str) -> HttpResponseBase:
        if file_format not in formats.FORMATS:
            raise NotFound(_("Unknown format; use csv or xlsx."))
        access = access_for_request(request)
        response: HttpResponseBase
        if export_files.builds_in_background(self.dataset, access, file_format):
            response = _export_file_started(request, self.dataset, file_format)
        else:
            response = export_response(self.dataset, access, file_format)
        patch_vary_headers(response, ["Cookie", "Authorization"])
        return response


def _token(request: Request | HttpRequest) -> ApiToken | None:
    """The API token of the request (a portal request has none)."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def _export_file_started(
    request: Request, dataset: tables.Dataset, file_format: str
) -> HttpResponseBase:
    """Too large to build while the caller waits: 202 with the file's state and where to
    ask again (``Location``); a person clicking a download button in the portal (no token,
    asking for a page) is sent to the portal's page of the file instead (303)."""
    token = _token(request)
    export = export_files.export_file_request(
        dataset=dataset, file_format=file_format, user=request.user, token=token
    )
    portal = token is None and "text/html" in request.headers.get("Accept", "")
    return _started(request, export, portal=portal)


def document_file_started(
    request: Any, *, document: str, params: Mapping[str, Any], filename: str, portal: bool
) -> HttpResponseBase:
    """:func:`core.background.start`: a document (an agenda pack) recorded for a worker, for
    the requester of ``request`` (a portal request or the API's)."""
    source = documents.DOCUMENTS[document]
    export = export_files.export_file_request(
        dataset=source,
        file_format=source.file_format,
        user=request.user,
        token=_token(request),
        params=params,
        filename=filename,
    )
    return _started(request, export, portal=portal)


def _started(request: Any, export: ExportFile, *, portal: bool) -> HttpResponseBase:
    if portal:
        return HttpResponseRedirect(reverse("exchange:export-file", args=[export.pk]), status=303)
    body = ExportFileSerializer(export, context={"request": request}).data
    # JSON whatever the endpoint's renderer (a PDF endpoint's client may accept only PDF).
    response = Response(body, status=status.HTTP_202_ACCEPTED, content_type="application/json")
    response["Location"] = body["url"]
    return response


def _export_view(dataset: tables.Dataset, summary: str, who: str) -> type[ExportView]:
    # 401 also on public data: an unknown or revoked token is refused; 404: unknown format.
    codes = (401, 403, 404) if dataset.members_only else (401, 404)
    schema = extend_schema(
        operation_id=f"exports_{dataset.name.replace('-', '_')}",
        summary=summary,
        description=f"{who}\n\nColumns, in this order:\n\n{_columns_doc(dataset)}",
        parameters=[FILE_FORMAT],
        responses={
            (200, formats.CONTENT_TYPES[formats.CSV].split(";")[0]): OpenApiTypes.BINARY,
            (200, formats.CONTENT_TYPES[formats.XLSX]): OpenApiTypes.BINARY,
            202: OpenApiResponse(
                ExportFileSerializer,
                description=(
                    "XLSX of more than `EXPORT_INLINE_ROWS` rows: the file is being built. GET "
                    f"`Location` ({EXPORT_FILE_PATH}) until `status` is `ready`, then its "
                    "`download`."
                ),
            ),
            **errors(*codes),
        },
        tags=["exports"],
    )

    def get(self: ExportView, request: Request, file_format: str) -> HttpResponseBase:
        return ExportView.get(self, request, file_format)

    # A function of its own: extend_schema marks the function it decorates.
    name = f"Export{dataset.model.__name__}View"
    return type(name, (ExportView,), {"dataset": dataset, "get": schema(get)})


EXPORT_FILE_PATH = "/api/v1/exports/files/{id}/"


class ExportFileSerializer(serializers.ModelSerializer):
    """An export built in the background: its state, and its download once ready."""

    format = serializers.CharField(source="file_format")
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportFile
        fields = [
            "id", "dataset", "format", "status", "rows", "size", "filename", "created_at",
            "finished_at", "url", "download",
        ]  # fmt: skip
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, export: ExportFile) -> str:
        return self._absolute(reverse("export-file", args=[export.pk]))

    def get_download(self, export: ExportFile) -> str | None:
        if export.status != ExportStatus.READY:
            return None
        return self._absolute(reverse("export-file-download", args=[export.pk]))


class ExportFileMixin(APIView):
    """An export file of the caller's own (or a public one): any other id is 404."""

    permission_classes = [AllowAny]

    def export_file(self, pk: str) -> ExportFile:
        export = export_files.export_file_of(
            pk,
            access=access_for_request(self.request),
            user=self.request.user,
            token=_token(self.request),
        )
        if export is None:
            raise NotFound()
        return export


@extend_schema(
    summary="An export built in the background",
    description="Its state (`pending`, `ready`, `failed`) and, when ready, where to download "
    "it. Only its requester (the same login or token) finds it; a public file, anyone.",
    responses={200: ExportFileSerializer, **errors(404)},
    tags=["exports"],
)
class ExportFileView(ExportFileMixin):
    def get(self, request: Request, pk: str) -> Response:
        export = self.export_file(pk)
        return Response(ExportFileSerializer(export, context={"request": request}).data)


@extend_schema(
    summary="Download an export built in the background",
    responses={
        (200, formats.CONTENT_TYPES[formats.XLSX]): OpenApiTypes.BINARY,
        **errors(404, 409),
    },
    tags=["exports"],
)
class ExportFileDownloadView(ExportFileMixin):
    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        return super().perform_content_negotiation(request, force=True)

    def get(self, request: Request, pk: str) -> HttpResponseBase:
        export = self.export_file(pk)
        if export.status != ExportStatus.READY:
            raise ConflictError(
                _("The file is not ready: %(status)s.") % {"status": export.get_status_display()}
            )
        if not export.path.is_file():  # deleted past EXPORT_KEEP_HOURS, or storage not shared
            raise NotFound(_("The file is no longer kept; ask for it again."))
        return export_file_response(export)


ExportChambersView = _export_view(
    tables.CHAMBERS, "Export chambers", "Public, as the chamber list."
)
ExportContactsView = _export_view(
    tables.CONTACTS, "Export contacts (members)", "Members-only, as the chambers' contacts."
)
ExportDecisionsView = _export_view(
    tables.DECISIONS,
    "Export the decisions register",
    "Public: adopted, published decisions. Members: all decisions.",
)
ExportActionItemsView = _export_view(
    tables.ACTION_ITEMS, "Export action items (members)", "Members-only, as the action items."
)
ExportIndicatorsView = _export_view(
    tables.INDICATORS,
    "Export indicator values",
    "Public: the values of published series. Members: every series. The layout of "
    "`POST /api/v1/imports/indicators/`.",
)


# Imports ----------------------------------------------------------------------------------


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A CSV (UTF-8) or XLSX file; the first row names the columns."
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Validate and report what would be written; write nothing."
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Row number as a spreadsheet shows it (1 is the header)."
    )
    field = serializers.CharField(allow_null=True, help_text="The column at fault, or `file`.")
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=[services.CREATE, services.UPDATE, services.UNCHANGED])
    key = serializers.CharField(help_text="What the row matched on.")


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.IntegerField(help_text="Rows written: 0 on a dry run or an error.")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    # DRF's metaclass takes declared fields out of the class, so this field does not replace
    # the serializer's ``errors`` property; the stubs cannot know.
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]
    rows = ImportRowSerializer(many=True)


class ImportErrorsSerializer(serializers.Serializer):
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]  # as above


def run_import(dataset: str, access: Access, upload: File, *, dry_run: bool) -> ImportReport:
    """Read an uploaded file and import it: the API's and the admin's one way in."""
    columns, required, service = services.IMPORTS[dataset]
    if dataset in services.OPEN_HEADERS:  # its layout is told apart by the header it reads
        columns = (*columns, formats.ANY_COLUMN)
    try:
        rows = formats.read_upload(upload, allowed=columns, required=required)
    except formats.FileError as exc:
        return services.ImportReport(
            dry_run=dry_run, errors=[RowError(exc.row, exc.field, exc.message)]
        )
    # The file's one-language columns are the union's default language's, as exports write them.
    with translation.override(settings.LANGUAGE_CODE):
        return service(actor=access, rows=rows, dry_run=dry_run)


class ImportView(APIView):
    """Imports one dataset; subclasses name it."""

    dataset: str
    permission_classes = [IsSecretariat]
    throttle_scope = "import"
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request: Request) -> Response:
        serializer = ImportUploadSerializer(data=request.data)
        if not serializer.is_valid():
            field_errors = [
                {"row": None, "field": name, "message": str(messages[0])}
                for name, messages in serializer.errors.items()
            ]
            return Response({"errors": field_errors}, status=status.HTTP_400_BAD_REQUEST)
        report = run_import(
            self.dataset,
            access_for_request(request),
            serializer.validated_data["file"],
            dry_run=serializer.validated_data["dry_run"],
        )
        if not report.ok:
            # A write that lost a race with another change may succeed if sent again: 409.
            code = status.HTTP_409_CONFLICT if report.conflict else status.HTTP_400_BAD_REQUEST
            return Response({"errors": [e.as_dict() for e in report.errors]}, status=code)
        return Response(report.as_dict())


_IMPORT_ERRORS = OpenApiResponse(
    ImportErrorsSerializer,
    description="The file or some rows are invalid: every error with its row and column. "
    "Nothing was written.",
)


def _import_view(dataset: str, summary: str, matching: str) -> type[ImportView]:
    columns, required, _service = services.IMPORTS[dataset]
    schema = extend_schema(
        operation_id=f"imports_{dataset}",
        summary=summary,
        description=(
            f"{matching} Every row is validated first; if one is invalid nothing is written. "
            f"Columns (the export's): {', '.join(f'`{c}`' for c in columns)}; required in the "
            f"header: {', '.join(f'`{c}`' for c in required)}. At most {formats.MAX_ROWS} rows "
            f"and {formats.MAX_BYTES // (1024 * 1024)} MB."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: OpenApiResponse(
                ImportReportSerializer, description="Valid; written unless a dry run."
            ),
            400: _IMPORT_ERRORS,
            409: OpenApiResponse(
                ImportErrorsSerializer,
                description="Another change got there first while writing; nothing was "
                "written. Send the file again.",
            ),
            **errors(401, 403),
        },
        tags=["imports"],
    )

    def post(self: ImportView, request: Request) -> Response:
        return ImportView.post(self, request)

    name = f"Import{dataset.title()}View"
    return type(name, (ImportView,), {"dataset": dataset, "post": schema(post)})


ImportChambersView = _import_view(
    "chambers",
    "Import chambers (secretariat)",
    "A row updates the chamber with its `slug`, else creates one; `status` and "
    "`member_since` are ignored.",
)
ImportIndicatorsView = _import_view(
    "indicators",
    "Import indicator values (secretariat)",
    "A row records the figure of its series (reporter, partner, flow, key, unit) for its "
    "period: a new value, or a revision of the stored one (its history kept). Also reads UN "
    "Comtrade's bulk CSV (`reporterISO`, `partnerISO`, `flowCode`, `period`, `primaryValue`; "
    "total trade only), whose other columns are ignored.",
)
ImportContactsView = _import_view(
    "contacts",
    "Import contacts (secretariat)",
    "A row updates the contact of its `chamber` (slug) with the same `email`, else creates one.",
)
