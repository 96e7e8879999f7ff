from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.access import access_for_user
from core.admin import SecretariatAdmin

from . import services
from .models import CalendarSubscription


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(SecretariatAdmin):
    """Read-only: a login issues its own address on its calendar page; the secretariat may only
    revoke one (a lost phone, a login leaving)."""

    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "prefix"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected calendar addresses"))
    def revoke(self, request, queryset) -> None:
        actor = access_for_user(request.user)
        for subscription in queryset:
            services.subscription_revoke(actor=actor, subscription=subscription)
        self.message_user(request, _("Calendar addresses revoked."))
