"""The secretariat's admin for the rotation: its settings, and the order and terms to read.
Terms and the order change only through adopted rotation decisions; the admin records
handovers, through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction

from chambers.access import access_for_user
from chambers.admin import SecretariatAdmin, SecretariatInline
from config.errors import DomainError

from . import services
from .models import Rotation, RotationPlace, Term


class PlaceInline(SecretariatInline, admin.TabularInline):
    model = RotationPlace
    extra = 0
    fields = ["position", "chamber"]
    readonly_fields = fields

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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            """Runs the service's rule at validation, so a refusal is a form error."""

            def clean(self):
                cleaned = super().clean()
                if self.errors:  # the fields' own validators spoke first
                    return cleaned
                try:
                    with transaction.atomic():
                        services.rotation_settings_update(
                            actor=access_for_user(request.user),
                            rotation=self.instance,
                            data=cleaned,
                        )
                        transaction.set_rollback(True)  # saved for real in save_model
                except DomainError as exc:
                    raise forms.ValidationError({exc.field: exc.message}) from exc
                return cleaned

        return CheckedForm

    def save_model(self, request, obj, form, change: bool) -> None:
        services.rotation_settings_update(
            actor=access_for_user(request.user), rotation=obj, data=form.cleaned_data
        )

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
