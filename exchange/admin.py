"""The admin's import pages for chambers and contacts.

Upload a file, read the validation report (every error with its row and column, or a preview
of what each row will create or update), then confirm: the confirmation imports the same file
again, validating it again, and writes all rows or none. Between the two steps the file waits in
the session, with its digest in the confirm form, so a file uploaded meanwhile in another tab
is not written in its place.

Django's admin has no hook to add a page to another app's ``ModelAdmin``, so the chamber and
contact admins are registered again here as subclasses that add the ``import/`` page and an
"Import" button on the list (``exchange`` is installed after ``chambers``).
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chambers.admin import ChamberAdmin, ContactAdmin
from chambers.models import Chamber, Contact
from core.access import access_for_user
from indicators.admin import SeriesAdmin
from indicators.models import Series

from . import formats, services
from .api import run_import

if TYPE_CHECKING:
    from core.admin import SecretariatAdmin as _ImportAdminBase
else:
    # A mixin at run time; the type checker sees the admin it is mixed into.
    _ImportAdminBase = object


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx); the first row names the columns."
        ),
    )


class ImportAdminMixin(_ImportAdminBase):
    """Adds the import page to a secretariat admin (``_is_secretariat`` of SecretariatAdmin)."""

    import_dataset: str
    change_list_template = "admin/exchange/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=name), *super().get_urls()]

    @property
    def _session_key(self) -> str:
        return f"exchange-import-{self.import_dataset}"

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self._is_secretariat(request):
            raise PermissionDenied
        form = ImportForm()
        context: dict[str, Any] = {}
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                context = self._check(request, form.cleaned_data["file"])
        return self._render(request, form, **context)

    def _check(self, request: HttpRequest, upload: UploadedFile) -> dict[str, Any]:
        """A dry run; a valid file waits in the session for the confirmation."""
        access = access_for_user(request.user)
        report = run_import(self.import_dataset, access, upload, dry_run=True)
        request.session.pop(self._session_key, None)
        if not report.ok:
            return {"report": report}
        upload.seek(0)
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        request.session[self._session_key] = {
            "name": upload.name,
            "digest": digest,
            "content": base64.b64encode(content).decode("ascii"),
        }
        return {"report": report, "digest": digest, "filename": upload.name}

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.get(self._session_key)
        if not stored or stored["digest"] != request.POST.get("digest"):
            messages.error(request, _("The checked file is no longer here; upload it again."))
            return HttpResponseRedirect(request.path)
        upload = ContentFile(base64.b64decode(stored["content"]), name=stored["name"])
        report = run_import(
            self.import_dataset, access_for_user(request.user), upload, dry_run=False
        )
        del request.session[self._session_key]
        if not report.ok:  # the data changed since the check: nothing was written
            return self._render(request, ImportForm(), report=report)
        messages.success(
            request,
            ngettext(
                "Imported: %(written)d row written (%(created)d new, %(updated)d updated).",
                "Imported: %(written)d rows written (%(created)d new, %(updated)d updated).",
                report.written,
            )
            % {
                "written": report.written,
                "created": report.count(services.CREATE),
                "updated": report.count(services.UPDATE),
            },
        )
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))

    def _render(self, request: HttpRequest, form: ImportForm, **context: Any) -> TemplateResponse:
        columns, required, _service = services.IMPORTS[self.import_dataset]
        report = context.get("report")
        return TemplateResponse(
            request,
            "admin/exchange/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Import %(name)s") % {"name": self.opts.verbose_name_plural},
                "form": form,
                "columns": columns,
                "required": required,
                "max_rows": formats.MAX_ROWS,
                "created": report.count(services.CREATE) if report else 0,
                "updated": report.count(services.UPDATE) if report else 0,
                "unchanged": report.count(services.UNCHANGED) if report else 0,
                **context,
            },
        )


admin.site.unregister(Chamber)
admin.site.unregister(Contact)


@admin.register(Chamber)
class ChamberImportAdmin(ImportAdminMixin, ChamberAdmin):
    """The chamber admin with its import page."""

    import_dataset = "chambers"


@admin.register(Contact)
class ContactImportAdmin(ImportAdminMixin, ContactAdmin):
    """The contact register with its import page."""

    import_dataset = "contacts"


@admin.register(Series)
class SeriesImportAdmin(ImportAdminMixin, SeriesAdmin):
    """The indicator series with the import page of their values (the export's layout, or
    UN Comtrade's bulk CSV)."""

    import_dataset = "indicators"
