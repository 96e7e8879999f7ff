"""The secretariat's admin for reminders: the rules, and the log with "send due reminders now".

Rules save through :func:`reminders.services.rule_save`; the log is read-only (rows are made by
scans, notices and sends), with an action to send failed or pending ones again. Notices
(invitations, changed meetings, adopted decisions) have one rule each, offset 0 ("when it
happens"): staff turn them on or off.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import access_for_user
from core.admin import SecretariatAdmin
from core.translated import codes, column

from . import services
from .models import Reminder, ReminderRule


class RuleListForm(forms.ModelForm):
    """A row of the rules list: its form lacks ``kind``, so Django would skip the (kind,
    offset) constraint; check it on the whole row, as the service will."""

    def validate_unique(self) -> None:
        super().validate_unique()
        try:
            self.instance.validate_constraints()
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]  # private, not in the stubs


@admin.register(ReminderRule)
class ReminderRuleAdmin(SecretariatAdmin):
    list_display = ["kind", "offset_days", "offset_description", "active"]
    list_editable = ["offset_days", "active"]
    list_filter = ["kind", "active"]
    fields = ["kind", "offset_days", "active"]

    @admin.display(description=_("when"))
    def offset_description(self, rule: ReminderRule) -> str:
        return rule.describe_offset()

    def get_readonly_fields(self, request, obj: ReminderRule | None = None):
        # A notice is sent when its event happens: its rule only turns it on or off.
        if obj is not None and obj.is_notice:
            return ["kind", "offset_days"]
        return super().get_readonly_fields(request, obj)

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=RuleListForm, **kwargs)

    def save_model(self, request, obj: ReminderRule, form, change: bool) -> None:
        services.rule_save(actor=access_for_user(request.user), rule=obj)


@admin.register(Reminder)
class ReminderAdmin(SecretariatAdmin):
    list_display = [
        "due_on",
        "kind",
        "offset_days",
        "subject",
        "email",
        "language",
        "chamber",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "kind", "language", "chamber"]
    list_select_related = ["chamber"]
    search_fields = [
        "email",
        "subject",
        "title",
        "contact__name",
        *(f"chamber__{column('short_name', code)}" for code in codes()),
    ]
    date_hierarchy = "due_on"
    actions = ["send_again"]
    change_list_template = "admin/reminders/reminder/change_list.html"
    readonly_fields = [
        "kind",
        "subject",
        "offset_days",
        "recipient",
        "user",
        "contact",
        "chamber",
        "email",
        "language",
        "due_on",
        "title",
        "link",
        "context",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "queued_at",
        "claimed_at",
        "sent_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the log is written by scans and sends only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "scan/",
                self.admin_site.admin_view(require_POST(self.scan_view)),
                name="reminders_reminder_scan",
            ),
            *super().get_urls(),
        ]

    def scan_view(self, request: HttpRequest) -> HttpResponseRedirect:
        """ "Send due reminders now": the daily scan, at once."""
        if not self._is_secretariat(request):
            raise PermissionDenied
        result = services.reminders_scan_now(actor=access_for_user(request.user))
        already = sum(1 for line in result.lines if line.state == "sent")
        queued = len(result.to_send)
        self.message_user(
            request,
            ngettext(
                "%(queued)d reminder due today was queued for sending.",
                "%(queued)d reminders due today were queued for sending.",
                queued,
            )
            % {"queued": queued}
            + " "
            + ngettext(
                "%(sent)d was already sent.",
                "%(sent)d were already sent.",
                already,
            )
            % {"sent": already}
            + " "
            + _("Reminders that cannot be queued now are sent by the next scan."),
            messages.SUCCESS,
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:reminders_reminder_changelist")
        return HttpResponseRedirect(target)

    @admin.action(description=_("Send the selected reminders again (unless already sent)"))
    def send_again(self, request, queryset) -> None:
        count = services.reminders_retry(actor=access_for_user(request.user), reminders=queryset)
        self.message_user(
            request,
            ngettext("%(count)d reminder queued.", "%(count)d reminders queued.", count)
            % {"count": count},
        )
