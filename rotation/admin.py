"""The secretariat's admin for the rotation: its settings, and the order and terms to read.
Terms and the order change only through adopted rotation decisions; the admin records
handovers, through the services."""

from __future__ import annotations

from django.contrib import admin

from core.access import access_for_user
from core.admin import SecretariatAdmin, SecretariatInline

from . import services
from .models import Rotation, RotationPlace, Term


class PlaceInline(SecretariatInline, admin.TabularInline):
    model = RotationPlace
    extra = 0
    fields = ["position", "chamber"]
    readonly_fields = ["position", "chamber"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rotation)
class RotationAdmin(SecretariatAdmin):
    list_display = ["__str__", "term_months", "start_month", "start_day", "order_kind"]
    fields = [
        "term_months",
        "start_month",
        "start_day",
        "anchor_year",
        "order_kind",
        "order_decision",
    ]
    readonly_fields = ["order_kind", "order_decision"]
    inlines = [PlaceInline]

    def has_add_permission(self, request) -> bool:
        return False  # the one rotation is made by a migration

    #: What the settings form may change; the order follows decisions.
    SETTINGS = ("term_months", "start_month", "start_day", "anchor_year")

    def save_model(self, request, obj, form, change: bool) -> None:
        """Through the service; a refusal becomes a form error (:class:`SecretariatAdmin`)."""
        data = {
            name: form.cleaned_data[name] for name in self.SETTINGS if name in form.cleaned_data
        }
        services.rotation_settings_update(actor=self.actor(request), rotation=obj, data=data)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Term)
class TermAdmin(SecretariatAdmin):
    """Read-mostly: approvals, waivers and swaps come from decisions; handovers are recorded."""

    list_display = ["chamber", "start", "end", "state", "president", "decision", "handover_date"]
    list_filter = ["state"]
    list_select_related = ["chamber", "president", "decision__meeting"]
    fields = [
        "chamber",
        "in_place_of",
        "start",
        "end",
        "state",
        "president",
        "decision",
        "handover_date",
        "handover_meeting",
    ]
    readonly_fields = ["chamber", "in_place_of", "start", "end", "state", "president", "decision"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Term, form, change: bool) -> None:
        services.handover_record(
            actor=access_for_user(request.user),
            term=obj,
            date=form.cleaned_data.get("handover_date"),
            meeting=form.cleaned_data.get("handover_meeting"),
        )
