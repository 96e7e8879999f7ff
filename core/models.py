"""The one model of the shared plumbing: the audit trail's entries (see :mod:`core.audit`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One change of a governance record: never edited, never deleted (the union's record)."""

    SURFACES = [
        ("admin", _("Administration")),
        ("portal", _("Portal")),
        ("api", _("API")),
        ("task", _("Background task")),
        ("command", _("Command")),
    ]

    ACTIONS = {
        "created": pgettext_lazy("audit action", "created"),
        "changed": pgettext_lazy("audit action", "changed"),
        "deleted": pgettext_lazy("audit action", "deleted"),
        "revoked": pgettext_lazy("audit action", "revoked"),
        "erased": pgettext_lazy("audit action", "personal data erased"),
    }

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(_("who"), max_length=200)
    surface = models.CharField(_("from"), max_length=10, choices=SURFACES)
    action = models.CharField(_("action"), max_length=30)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record, in words"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("An audit entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("An audit entry is never deleted.")

    @property
    def action_label(self) -> str:
        """The action in the reader's language (stored as a code: created, changed...)."""
        return str(self.ACTIONS.get(self.action, self.action))
