"""A file built in the background: an export too large to build while a web worker waits, or
a document too long to typeset while it waits (an agenda pack with many PDF documents).

A CSV export streams (:mod:`exchange.responses`); an XLSX file cannot be written before its
last row is known (it is a ZIP archive), so above ``EXPORT_INLINE_ROWS`` rows the request
records an :class:`ExportFile`, a worker builds it into ``EXPORTS_ROOT`` with the rows its
requester may see then, and the requester (the same person or the same token, nobody else;
anyone for a public file asked for without a login) downloads it when it is ready. Files are
deleted after ``EXPORT_KEEP_HOURS``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFile(models.Model):
    # A random id: the address of a file of personal data is not guessable (and it is
    # served to its requester only).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: What is built: an export's dataset (:data:`exchange.tables.DATASETS`) or a document
    #: (:data:`exchange.documents.DOCUMENTS`, such as a meeting's agenda pack) ...
    dataset = models.CharField(_("dataset"), max_length=40)
    #: ... and a document's arguments (the meeting, the language).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    file_format = models.CharField(_("format"), max_length=8)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token = models.ForeignKey(
        "chambers.ApiToken", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: A file of public rows (the chambers, the published register) asked for without a login:
    #: shared by every anonymous requester while it is fresh, readable by anyone.
    public = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=100)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    #: When its task was last published (the outbox's stamp): unset or old and still pending,
    #: the periodic tidy publishes it again.
    queued_at = models.DateTimeField(null=True, blank=True)
    #: When a worker took it; a claim older than the task's time limit is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False)
                | models.Q(token__isnull=False)
                | models.Q(public=True),
                name="export_file_has_requester",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="export_file_status")]

    def __str__(self) -> str:
        return self.filename

    @property
    def path(self) -> Path:
        return Path(settings.EXPORTS_ROOT) / f"{self.pk}.{self.file_format}"
