"""The secretariat's admin. Every save goes through :mod:`chambers.services`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from core.access import access_for_user
from core.admin import SecretariatAdmin, SecretariatInline
from core.collation import sort_key
from core.errors import DomainError
from core.forms import TranslatedFormMixin, form_values
from core.translated import codes, column

from . import services
from .models import (
    STATUS_LABELS,
    ApiToken,
    Chamber,
    ChamberQuerySet,
    Contact,
    MemberLogin,
    MembershipPeriod,
    Passkey,
    UserProfile,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import ChamberWithStatus


class StatusTodayFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() not in STATUS_LABELS:  # also a malformed value from the URL
            return queryset
        return queryset.filter(status=self.value())


class CountryInUseFilter(admin.SimpleListFilter):
    """Only the countries that have a chamber, not all 249 of ISO 3166-1."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = Chamber.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(
            ((code, countries.name(code)) for code in codes), key=lambda c: sort_key(c[1])
        )

    def queryset(self, request, queryset):
        if not self.value() or self.value() not in countries:
            return queryset
        return queryset.filter(country=self.value())


class MembershipPeriodFormSet(BaseInlineFormSet):
    """Checks the whole set of periods at once, with the service's rule."""

    def period_data(self) -> list[services.PeriodData]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("start"):
                continue
            rows.append(
                services.PeriodData(
                    status=data["status"],
                    start=data["start"],
                    end=data.get("end"),
                    basis=data.get("basis") or "",
                    pk=form.instance.pk,
                )
            )
        return rows

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or not self.has_changed():
            return
        if self.instance.pk:
            shown = {form.instance.pk for form in self.initial_forms}
            stored = set(self.instance.periods.values_list("pk", flat=True))
            if shown != stored:
                raise ValidationError(
                    _("The membership periods were changed elsewhere meanwhile; reload the page.")
                )
        try:
            services.membership_periods_check(self.period_data())
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class MembershipPeriodForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("basis",)


class ContactAdminForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("position",)


class ChamberAdminForm(TranslatedFormMixin, forms.ModelForm):
    translated = services.CHAMBER_TRANSLATED


class MembershipPeriodInline(SecretariatInline, admin.TabularInline):
    model = MembershipPeriod
    form = MembershipPeriodForm
    formset = MembershipPeriodFormSet
    extra = 0
    fields = ["status", "start", "end", "basis"]


class ContactInline(SecretariatInline, admin.StackedInline):
    model = Contact
    form = ContactAdminForm
    extra = 0
    fields = [
        ("name", "position"),
        ("is_head", "is_focal_point", "is_delegate"),
        ("email", "phone"),
        ("preferred_language", "active"),
    ]


@admin.register(Chamber)
class ChamberAdmin(SecretariatAdmin, SimpleHistoryAdmin):
    form = ChamberAdminForm
    list_display = ["name", "short_name", "country_name", "status_today", "member_since_display"]
    list_filter = [StatusTodayFilter, CountryInUseFilter]

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, chamber: Chamber) -> str:
        """The country's name (django-countries' lookup), not the field's display, which
        builds all 249 choices again for every row."""
        return str(chamber.country.name)

    search_fields = [
        *(column(name, code) for name in services.CHAMBER_TRANSLATED for code in codes()),
        "slug",
    ]
    # Each text in every working language (ChamberAdminForm), not a box per language column.
    fields = [
        "name",
        "short_name",
        "slug",
        "country",
        "city",
        "website",
        "email",
        "phone",
        "logo",
        "founded",
    ]
    inlines = [MembershipPeriodInline, ContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChamberWithStatus]:
        # The default manager's queryset: the admin's model type is not known to the checker.
        return cast(ChamberQuerySet, super().get_queryset(request)).with_status()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a chamber leaves the union (status former) and stays on record

    @admin.display(description=_("status today"), ordering="status")
    def status_today(self, chamber: ChamberWithStatus) -> StrOrPromise:
        return STATUS_LABELS[chamber.status]

    @admin.display(description=_("member since"), ordering="member_since")
    def member_since_display(self, chamber: ChamberWithStatus) -> dt.date | None:
        return chamber.member_since

    def lock_first(self, request: HttpRequest) -> None:
        """The page saves the profile, then maybe the membership periods: take the membership
        rules' locks before the chamber's (docs/locking.md)."""
        services.lock_membership_rules()

    def save_model(self, request, obj: Chamber, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = form_values(
            form, [f for f in form.changed_data if f in services.STAFF_PROFILE_FIELDS]
        )
        if data.get("logo") is False:
            data["logo"] = ""
        if change:
            services.chamber_update(actor=actor, chamber=obj, data=data)
            return
        created = services.chamber_create(
            actor=actor,
            **form_values(form, [f for f in services.STAFF_PROFILE_FIELDS if f != "logo"]),
        )
        if form.cleaned_data.get("logo"):
            services.chamber_update(
                actor=actor, chamber=created, data={"logo": form.cleaned_data["logo"]}
            )
        obj.pk, obj._state = created.pk, created._state

    def save_formset(self, request, form, formset, change: bool) -> None:
        """Save inlines through the services, filling what the admin's change message reads
        (``new_objects``, ``changed_objects``, ``deleted_objects``) as ``formset.save()`` would."""
        actor = access_for_user(request.user)
        chamber = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if isinstance(formset, MembershipPeriodFormSet):
            if not formset.has_changed():  # a profile edit must not rewrite the periods
                return
            services.membership_periods_replace(
                actor=actor, chamber=chamber, periods=formset.period_data()
            )
            for period_form in formset.forms:
                if period_form in formset.deleted_forms:
                    formset.deleted_objects.append(period_form.instance)
                elif period_form.has_changed() and period_form.instance.pk:
                    formset.changed_objects.append((period_form.instance, period_form.changed_data))
            return
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                services.contact_delete(actor=actor, contact=deleted.instance)
                formset.deleted_objects.append(deleted.instance)
        for contact_form in formset.forms:
            if contact_form in formset.deleted_forms or not contact_form.has_changed():
                continue
            cleaned = contact_form.cleaned_data
            data = form_values(
                contact_form,
                [f for f in contact_form.changed_data if f in services.CONTACT_FIELDS],
            )
            data["roles"] = [r for r, attr in Contact.ROLE_FIELDS.items() if cleaned.get(attr)]
            if contact_form.instance.pk:
                contact = services.contact_update(
                    actor=actor, contact=contact_form.instance, data=data
                )
                formset.changed_objects.append((contact, contact_form.changed_data))
            else:
                contact = services.contact_create(actor=actor, chamber=chamber, data=data)
                formset.new_objects.append(contact)


class RegisterAdmin(SecretariatAdmin, SimpleHistoryAdmin):
    """A read-only register with history: the rows are edited inline on the chamber's page,
    where the whole set is validated together."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(RegisterAdmin):
    """Read-only register of periods with their history; edit them on the chamber's page."""

    list_display = ["chamber", "status", "start", "end", "basis"]
    list_filter = ["status"]
    list_select_related = ["chamber"]
    search_fields = [  # every working language's text (core.translated)
        *(f"chamber__{column('short_name', code)}" for code in codes()),
        *(column("basis", code) for code in codes()),
    ]


@admin.register(Contact)
class ContactAdmin(RegisterAdmin):
    """Register of contacts with their history; edit them on the chamber's page."""

    list_display = ["name", "chamber", "position", "is_head", "is_focal_point", "email", "active"]
    list_filter = ["is_head", "is_focal_point", "is_delegate", "active", "preferred_language"]
    list_select_related = ["chamber"]
    search_fields = [  # every working language's text (core.translated)
        "name",
        "email",
        *(column("position", code) for code in codes()),
        *(f"chamber__{column('short_name', code)}" for code in codes()),
    ]
    actions = ["export_personal_data", "erase_personal_data"]

    @admin.action(description=_("Export the personal data of the selected contacts (JSON)"))
    def export_personal_data(self, request: HttpRequest, queryset: QuerySet[Contact]) -> Any:
        actor = access_for_user(request.user)
        data = [services.personal_data(actor=actor, contact_id=c.pk) for c in queryset]
        response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Erase the personal data of the selected contacts (for good)"))
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        actor = access_for_user(request.user)
        for contact in queryset:
            services.contact_erase(actor=actor, contact_id=contact.pk)
        self.message_user(
            request,
            _("The personal data of %(count)s contacts was erased.") % {"count": queryset.count()},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(SecretariatAdmin):
    list_display = [
        "name",
        "prefix",
        "scope",
        "chamber",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "chamber"]
    list_select_related = ["chamber"]
    actions = ["revoke"]
    fields = ["name", "scope", "chamber"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name",
            "scope",
            "chamber",
            "prefix",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or self.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if change:  # an issued token is read-only; revoke it with the action
            return
        token, key = services.token_issue(
            actor=access_for_user(request.user),
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            chamber=form.cleaned_data.get("chamber"),
        )
        obj.pk, obj._state = token.pk, token._state
        messages.warning(
            request,
            _("The key of token %(name)s is shown only now; copy it: %(key)s")
            % {"name": token.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            services.token_revoke(actor=access_for_user(request.user), token=token)
        self.message_user(request, _("Tokens revoked."))


class MemberLoginInline(admin.StackedInline):
    model = MemberLogin
    can_delete = True
    extra = 0
    max_num = 1


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name_plural = _("preferences")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    """Users, with the chamber a member login belongs to."""

    inlines = [MemberLoginInline, UserProfileInline]
    # The stubs declare list_display per instance (its type depends on the model's), yet
    # Django reads it from the class.
    list_display = [*UserAdmin.list_display, "member_chamber"]  # type: ignore[misc]
    list_select_related = ["member_login__chamber"]

    @admin.display(description=_("chamber"))
    def member_chamber(self, user) -> str:
        login = getattr(user, "member_login", None)
        return str(login.chamber) if login else ""

    def save_formset(self, request, form, formset, change: bool) -> None:
        """The member login and the preferences save through the services; the lists the
        admin's change message reads are filled as ``formset.save()`` would."""
        if formset.model not in (UserProfile, MemberLogin):
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        actor = access_for_user(request.user)
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if not data:
                continue
            if data.get("DELETE"):
                if formset.model is MemberLogin and inline_form.instance.pk:
                    services.member_login_remove(actor=actor, user=form.instance)
                    formset.deleted_objects.append(inline_form.instance)
                continue
            if not inline_form.has_changed():
                continue
            saved: UserProfile | MemberLogin
            if formset.model is UserProfile:
                saved = services.profile_set_language(
                    user=form.instance, language=data["preferred_language"]
                )
            else:
                saved = services.member_login_set(
                    actor=actor, user=form.instance, chamber=data["chamber"], role=data["role"]
                )
            if inline_form.instance.pk:
                formset.changed_objects.append((saved, inline_form.changed_data))
            else:
                formset.new_objects.append(saved)
        return None


PASSKEY_FIELDS = ("user", "name", "created_at", "last_used_at", "sign_count")


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    """Logins' passkeys, to delete one that was lost (the login adds a new one itself); the
    keys themselves are made only by the login's browser."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    fields = readonly_fields = PASSKEY_FIELDS

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
