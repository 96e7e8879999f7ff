"""The secretariat's admin of indicators: the series (names, publication, their values and
each value's revisions, read-only: figures come from the import), and the priorities' target
indicators. The import page is added by the exchange app (``exchange.admin``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.access import access_for_user
from core.admin import RecordInline, SecretariatAdmin
from core.errors import DomainError
from core.forms import TranslatedFormMixin

from . import services
from .models import Target, Value


class SeriesForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("name",)


class ValueInline(RecordInline, admin.TabularInline):
    model = Value
    fields = ("period_start", "period_end", "value", "source_name", "revision", "recorded_at")
    readonly_fields = fields
    ordering = ["period_start", "period_end"]


class SeriesAdmin(SecretariatAdmin):
    form = SeriesForm
    list_display = ["__str__", "reporter", "partner", "flow", "key", "unit", "published"]
    list_filter = ["published", "flow", "reporter"]
    search_fields = ["key", "partner", "unit"]
    inlines = [ValueInline]
    actions = ["publish", "unpublish"]

    def get_readonly_fields(self, request, obj=None):
        return ["reporter", "partner", "flow", "key", "unit"] if obj else []

    def save_model(self, request, obj, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = {
            name: form.cleaned_data[name]
            for name in services.SERIES_FIELDS
            if name in form.cleaned_data
        }
        if change:
            services.series_update(actor=actor, series=obj, data=data)
            return
        key = services.SeriesKey.parse(
            reporter=obj.reporter.code,
            partner=obj.partner,
            flow=obj.flow,
            unit=obj.unit,
            key=obj.key,
        )
        names = {k: v for k, v in data.items() if k.startswith("name_") and v}
        created = services.series_ensure(
            actor=actor, key=key, names=names, published=bool(data.get("published"))
        )
        obj.pk, obj._state = created.pk, created._state

    def _publish(self, request, queryset, published: bool) -> None:
        for series in queryset:
            try:
                services.series_publish(
                    actor=access_for_user(request.user), series=series, published=published
                )
            except DomainError as exc:
                messages.error(request, f"{series}: {exc.message}")

    @admin.action(description=_("Publish the selected series"))
    def publish(self, request, queryset) -> None:
        self._publish(request, queryset, True)

    @admin.action(description=_("Unpublish the selected series"))
    def unpublish(self, request, queryset) -> None:
        self._publish(request, queryset, False)


@admin.register(Target)
class TargetAdmin(SecretariatAdmin):
    list_display = ["priority", "series", "baseline", "target", "target_date"]
    list_select_related = ["priority", "series"]
    autocomplete_fields = ["series"]
    fields = ["priority", "series", "baseline", "baseline_period", "target", "target_date"]

    def save_model(self, request, obj, form, change: bool) -> None:
        saved = services.target_set(
            actor=access_for_user(request.user),
            priority=obj.priority,
            series=obj.series,
            baseline=obj.baseline,
            baseline_period=obj.baseline_period,
            target=obj.target,
            target_date=obj.target_date,
        )
        obj.pk, obj._state = saved.pk, saved._state
