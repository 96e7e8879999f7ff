"""The secretariat's admin for webhooks: subscribers, and the read-only delivery log.

Subscribers save through :func:`webhooks.services.subscriber_save` (the form shows its errors
on their fields); the log is written by sends only, with an inline of every attempt and a
"Send again" action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.access import access_for_user
from core.admin import RecordInline, SecretariatAdmin
from core.errors import DomainError

from . import services
from .models import Attempt, Delivery, EventType, Subscriber

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _formfield(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SubscriberForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The event types sent to this subscriber."),
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "secret", "events", "active"]
        formfield_callback = _formfield

    def _post_clean(self) -> None:
        """The service's checks (the address resolves to an allowed one), as field errors."""
        super()._post_clean()  # type: ignore[misc]  # private in Django, absent from the stubs
        if self.errors:
            return
        try:
            services.subscriber_check(self.instance)
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))


@admin.register(Subscriber)
class SubscriberAdmin(SecretariatAdmin):
    form = SubscriberForm
    list_display = ["name", "url", "events_display", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # The secret is shown (the receiver needs a copy) but never edited: a new secret is
        # a new subscriber, so a delivery already signed stays verifiable.
        return ["secret", "created_at"] if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "secret", "events", "active"]
        return [*fields, "created_at"] if obj is not None else fields

    @admin.display(description=_("events"))
    def events_display(self, subscriber: Subscriber) -> str:
        return ", ".join(subscriber.events)

    def save_model(self, request, obj: Subscriber, form, change: bool) -> None:
        services.subscriber_save(actor=access_for_user(request.user), subscriber=obj)


ATTEMPT_FIELDS = (
    "number",
    "started_at",
    "finished_at",
    "duration_ms",
    "status_code",
    "success",
    "error",
)


class AttemptInline(RecordInline, admin.TabularInline):
    model = Attempt
    fields = readonly_fields = ATTEMPT_FIELDS
    ordering = ["number"]


class AttemptCount(TypedDict):
    """What :meth:`DeliveryAdmin.get_queryset` annotates on each delivery."""

    attempt_count: int


@admin.register(Delivery)
class DeliveryAdmin(SecretariatAdmin):
    list_display = ["created_at", "event", "subscriber", "status", "attempt_count", "delivered_at"]
    list_filter = ["status", "event", "subscriber"]
    list_select_related = ["subscriber"]
    search_fields = ["event_id", "subscriber__name"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    inlines = [AttemptInline]
    readonly_fields = [
        "subscriber",
        "event",
        "event_id",
        "status",
        "created_at",
        "queued_at",
        "delivered_at",
        "body",
    ]
    fields = [*readonly_fields]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempt_count=Count("attempts"))

    @admin.display(description=_("attempts"), ordering="attempt_count")
    def attempt_count(self, delivery: WithAnnotations[Delivery, AttemptCount]) -> int:
        return delivery.attempt_count

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is written by sends only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"))
    def send_again(self, request, queryset) -> None:
        count = services.deliveries_resend(actor=access_for_user(request.user), deliveries=queryset)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued.", "%(count)d deliveries queued.", count)
            % {"count": count},
        )
