"""The secretariat's admin for meetings, decisions and priorities. Saves go through the
services; adoption and votes too. Adopted decisions are shown read-only."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import partial
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.access import access_for_user
from core.admin import RecordInline, SecretariatAdmin, SecretariatInline
from core.errors import DomainError
from core.forms import TranslatedFormMixin, form_values
from core.translated import codes, column
from core.uploads import discard_staged, stage_upload, staged_upload

from . import effects as effect_registry
from . import services
from .effect_forms import EffectsField
from .models import (
    ActionItem,
    AgendaItem,
    Ballot,
    Decision,
    GovernanceRules,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesVersion,
    Priority,
    Procedure,
    ProgressNote,
    Vote,
)


def _fields(form, names) -> dict:
    """What the services take from ``form``: a translated text by language (``title_kk``)."""
    return form_values(form, names)


@admin.register(GovernanceRules)
class GovernanceRulesAdmin(SecretariatAdmin):
    list_display = ["__str__", "quorum_numerator", "quorum_denominator", "majority_general"]

    def has_add_permission(self, request) -> bool:
        return False  # the one row is made by a migration; edit it

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time as typed, without a zone: the service reads them in the meeting's own
    time zone (the form's ``time_zone`` field), never the server's."""

    def compress(self, data_list: Any) -> dt.datetime | None:
        if not data_list or data_list[0] is None or data_list[1] is None:
            return super().compress(data_list)
        return dt.datetime.combine(data_list[0], data_list[1])


class MeetingForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("title", "minutes")

    """Times are entered and shown in the meeting's time zone (10:00 in Almaty is 10:00). A new
    meeting invites nobody unless asked: the invitations (and their e-mails) usually go out
    once the agenda is ready, from the session workspace's "Invite all"."""

    invite_all = forms.BooleanField(
        label=_("Invite every member and observer now"),
        required=False,
        help_text=_("Otherwise invite them later from the meeting page (Invite all)."),
    )

    class Meta:
        model = Meeting
        fields = list(services.MEETING_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.instance.time_zone if self.instance.pk else None
        for name in ("starts_at", "ends_at"):
            if name not in self.fields:
                continue
            old = self.fields[name]
            field = WallClockDateTimeField(
                label=old.label, required=old.required, widget=old.widget
            )
            field.help_text = _("In the meeting's time zone.")
            self.fields[name] = field
            value = getattr(self.instance, name, None)
            if zone and value is not None:
                self.initial[name] = self.instance.local(value).replace(tzinfo=None)

    def clean(self) -> dict[str, Any]:
        """The typed wall-clock times in the zone chosen on the form (a bad zone is that
        field's error; the times are then read as UTC only to finish validating)."""
        super().clean()
        cleaned = self.cleaned_data
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or self.instance.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        for name in ("starts_at", "ends_at"):
            value = cleaned.get(name)
            if isinstance(value, dt.datetime) and timezone.is_naive(value):
                cleaned[name] = timezone.make_aware(value, zone)
        return cleaned


class AgendaItemForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("title", "description")

    """An agenda row: its place is the service's (new rows go last). ``order`` is written by
    the page's drag and drop; ``move`` works without a script."""

    order = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    move = forms.ChoiceField(
        label=_("Move"),
        required=False,
        choices=[("", "—"), ("up", _("Up")), ("down", _("Down"))],
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 30})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position


class AgendaItemInline(SecretariatInline, admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
    extra = 0
    fields = ["position", "title", "description", "presenter", "priority", "move", "order"]
    readonly_fields = ["position"]
    classes = ["agenda-inline"]


class InvitationForm(forms.ModelForm):
    """A new row chooses its chamber; an invitation's chamber never changes afterwards."""

    class Meta:
        model = Invitation
        fields = ["chamber", "present"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["chamber"].widget
        for link in ("add", "change", "delete", "view"):  # chambers are edited on their page
            setattr(widget, f"can_{link}_related", False)
        if self.instance.pk:
            self.fields["chamber"].disabled = True


class InvitationInline(SecretariatInline, admin.TabularInline):
    model = Invitation
    form = InvitationForm
    extra = 0
    fields = ["chamber", "response", "delegates", "present"]
    readonly_fields = ["response", "delegates"]
    autocomplete_fields = ["chamber"]


class KeptFileInput(forms.ClearableFileInput):
    """A file input that names the upload kept from the previous submission."""

    kept_name: str = ""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        if not self.kept_name:
            return html
        note = _("Kept: %(name)s. Choose another file to replace it.") % {"name": self.kept_name}
        return format_html('{}<span class="kept-upload">{}</span>', html, note)


class DocumentForm(forms.ModelForm):
    """Checks an upload with the service's rule, so a refused file is a form error; a file
    chosen before a form error is kept (:mod:`core.uploads`), not chosen again."""

    kept = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = MeetingDocument
        fields = ["title", "file"]
        widgets = {"file": KeptFileInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False  # or kept: checked in clean()
        self.kept_token = ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk:
            return cleaned
        upload = cleaned.get("file")
        token = cleaned.get("kept") or ""
        if not upload and token:
            upload = staged_upload(token)
            if upload is None:
                token = ""
        if not upload:
            self.add_error("file", forms.Field.default_error_messages["required"])
            return cleaned
        try:
            services.document_check(upload)
        except DomainError as exc:
            self.add_error("file", exc.message)
            return cleaned
        if not token:
            token = stage_upload(upload)
        # The page may come back with an error elsewhere: carry the file in the hidden field.
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict, bound form
        data[self.add_prefix("kept")] = token
        self.data = data
        cast(KeptFileInput, self.fields["file"].widget).kept_name = str(upload.name)
        cleaned["file"], self.kept_token = upload, token
        return cleaned


class DocumentInline(SecretariatInline, admin.TabularInline):
    model = MeetingDocument
    form = DocumentForm
    extra = 0
    fields = ["title", "file", "kept", "content_type", "size", "uploaded_at"]

    def get_readonly_fields(self, request, obj=None):
        # A stored document is replaced by uploading a new one, not edited in place.
        return ["content_type", "size", "uploaded_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MinutesVersionInline(RecordInline, admin.TabularInline):
    """The saved versions of the minutes, read only: a version is never changed (the draft is
    the meeting's minutes field; the session workspace saves and publishes versions)."""

    model = MinutesVersion
    fields = ("number", "note", "saved_at", "saved_by", "published_at", "approved_by")
    readonly_fields = fields
    verbose_name_plural = _("versions of the minutes (saved and published in the workspace)")


@admin.register(Meeting)
class MeetingAdmin(SecretariatAdmin):
    form = MeetingForm
    list_display = ["display_title", "kind", "local_start", "venue_city", "host", "status"]
    list_filter = ["kind", "status", "format"]
    list_select_related = ["host"]
    search_fields = [*(column("title", code) for code in codes()), "venue_city"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, InvitationInline, DocumentInline, MinutesVersionInline]
    fields = [
        ("kind", "session_number"),
        "title",
        ("starts_at", "ends_at", "time_zone"),
        "invite_all",
        ("format", "status"),
        ("venue_city", "venue_country", "host"),
        "minutes",
        ("minutes_published", "minutes_published_on"),
    ]
    readonly_fields = ["minutes_published_on"]

    class Media:
        css = {"all": ["meetings/admin.css"]}
        js = ["meetings/admin.js"]

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, meeting: Meeting) -> str:
        """The start in the meeting's own zone, named (the server's zone is nobody's)."""
        return f"{meeting.local_starts_at:%Y-%m-%d %H:%M} {meeting.time_zone}"

    def lock_first(self, request) -> None:
        """The meeting's row before anything else: its inlines' services lock it too."""
        object_id = request.resolver_match.kwargs.get("object_id")
        if object_id and str(object_id).isdigit():
            Meeting.objects.select_for_update().filter(pk=object_id).first()

    def save_model(self, request, obj, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = _fields(form, services.MEETING_FIELDS)
        if change:
            services.meeting_update(actor=actor, meeting=obj, data=data)
        else:
            invite = bool(form.cleaned_data.get("invite_all"))
            created = services.meeting_create(actor=actor, data=data, invite=invite)
            obj.pk, obj._state = created.pk, created._state

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [f for f in fields if f != "invite_all"]

    def save_formset(self, request, form, formset, change: bool) -> None:
        """Inline rows through the services (numbering, attendance, checked uploads)."""
        actor = access_for_user(request.user)
        meeting = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                services.meeting_part_remove(actor=actor, part=row.instance)
        for row in formset.forms:
            if not row.has_changed() or row in formset.deleted_forms:
                continue
            if formset.model is AgendaItem:
                self._save_agenda_row(actor, meeting, formset, row)
            elif formset.model is Invitation:
                self._save_invitation_row(actor, meeting, formset, row)
            elif formset.model is MeetingDocument and not row.instance.pk:
                document = services.document_add(
                    actor=actor,
                    meeting=meeting,
                    title=row.cleaned_data["title"],
                    upload=row.cleaned_data["file"],
                )
                transaction.on_commit(partial(discard_staged, row.kept_token))
                formset.new_objects.append(document)
        if formset.model is AgendaItem:
            self._reorder_agenda(actor, meeting, formset)

    @staticmethod
    def _save_agenda_row(actor, meeting, formset, row) -> None:
        fields = _fields(row, services.AGENDA_ITEM_FIELDS)
        if row.instance.pk:
            stored = AgendaItem.objects.get(pk=row.instance.pk)
            item = services.agenda_item_update(actor=actor, item=stored, data=fields)
            formset.changed_objects.append((item, row.changed_data))
        else:
            item = services.agenda_item_add(actor=actor, meeting=meeting, data=fields)
            formset.new_objects.append(item)

    @staticmethod
    def _save_invitation_row(actor, meeting, formset, row) -> None:
        present = row.cleaned_data.get("present")
        if row.instance.pk:
            chamber = row.instance.chamber  # the disabled field: never another chamber
        else:
            chamber = row.cleaned_data["chamber"]
            services.meeting_invite(actor=actor, meeting=meeting, chamber=chamber)
        if row.instance.pk is None and present is None:
            invitation = Invitation.objects.get(meeting=meeting, chamber=chamber)
        else:
            invitation = services.attendance_record(
                actor=actor, meeting=meeting, chamber=chamber, present=present
            )
        formset.changed_objects.append((invitation, row.changed_data))

    @staticmethod
    def _reorder_agenda(actor, meeting, formset) -> None:
        """The order the page posted: each row's ``order`` (drag and drop) and then its
        ``move`` (up or down). New items stay last; ties keep the stored order."""
        rows = {
            row.instance.pk: row
            for row in formset.forms
            if row.instance.pk and row not in formset.deleted_forms
        }
        items = list(meeting.agenda.order_by("position"))

        def typed(item: AgendaItem) -> int:
            row = rows.get(item.pk)
            order = row.cleaned_data.get("order") if row is not None else None
            return item.position if order is None else order

        order = sorted(items, key=lambda i: (typed(i), i.position))
        moves = {pk: row.cleaned_data.get("move") for pk, row in rows.items()}
        for index in range(1, len(order)):  # ups from the top
            if moves.get(order[index].pk) == "up":
                order[index - 1], order[index] = order[index], order[index - 1]
        for index in range(len(order) - 2, -1, -1):  # downs from the bottom
            if moves.get(order[index].pk) == "down":
                order[index], order[index + 1] = order[index + 1], order[index]
        if [i.pk for i in order] != [i.pk for i in items]:
            services.agenda_reorder(actor=actor, meeting=meeting, item_ids=[i.pk for i in order])


class VoteInline(SecretariatInline, admin.TabularInline):
    model = Vote
    extra = 0
    fields = ["chamber", "vote", "recorded_at"]
    readonly_fields = ["recorded_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a recorded vote stands; record votes as new rows

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DecisionForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("title", "text")

    """Checks kind and effects with the services' rules, so a refusal is a form error. The
    effects are forms (:mod:`meetings.effect_forms`), not JSON typed by hand."""

    effects = EffectsField(label=_("Effects"))

    class Meta:
        model = Decision
        fields = ["meeting", "kind", "title", "text", "method", "effects", "published"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        kind = cleaned.get("kind")
        if kind:  # no meeting: a decision between sessions, of a kind the rules allow
            try:
                services.require_general_assembly(kind, meeting)
            except DomainError as exc:
                self.add_error("kind", exc.message)
                return cleaned
            if "effects" in self.fields:
                try:
                    cleaned["effects"] = effect_registry.validate_effects(
                        kind, cleaned.get("effects")
                    )
                except DomainError as exc:
                    self.add_error("effects", exc.message)
        return cleaned


class BallotInline(SecretariatInline, admin.TabularInline):
    """The answers as they stand (read-only: they are given on the procedure's page)."""

    model = Ballot
    extra = 0
    can_delete = False
    fields = readonly_fields = ("chamber", "answer", "reason", "received_on", "recorded_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(SecretariatAdmin):
    """The register of written procedures, read-only: they are opened, answered, closed and
    withdrawn on the procedure's portal page (or the API), where the services' rules run."""

    list_display = ["decision", "mode", "state", "closes_at", "adopted"]
    list_filter = ["state", "mode"]
    list_select_related = ["decision", "decision__meeting"]
    fields = readonly_fields = (
        "decision",
        "mode",
        "state",
        "opened_at",
        "closes_at",
        "closed_at",
        "adopted",
        "refusal",
        "page",
    )
    inlines = [BallotInline]

    @admin.display(description=_("page"))
    def page(self, procedure: Procedure) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("meetings:procedure", args=[procedure.decision_id]),
            _("Open the written procedure page"),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a save would rewrite the row behind the close's lock: view only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(SecretariatAdmin):
    form = DecisionForm
    list_display = ["__str__", "kind", "method", "adopted_at", "published"]
    list_filter = ["kind", "method", "published", ("adopted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = [column(name, code) for name in ("title", "text") for code in codes()]
    fields = [
        "meeting",
        "number",
        "kind",
        "title",
        "text",
        "method",
        "effects",
        "published",
        "adopted_at",
        "procedure_link",
    ]
    inlines = [VoteInline]
    actions = ["adopt", "publish", "unpublish"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_adopted:  # what it did, in words, not its JSON
            return [("effects_in_words" if f == "effects" else f) for f in self.fields]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_adopted:
            return [f for f in self.get_fields(request, obj) if f != "published"]
        return ["number", "adopted_at", "procedure_link"]

    @admin.display(description=_("written procedure"))
    def procedure_link(self, decision: Decision) -> str:
        """The portal page where the decision is put to written procedure and answered."""
        if decision.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("meetings:procedure", args=[decision.pk]),
            _("Open the written procedure page"),
        )

    @admin.display(description=_("effects"))
    def effects_in_words(self, decision: Decision) -> str:
        lines = effect_registry.describe(decision.effects)
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines)) or str(_("None"))

    def has_delete_permission(self, request, obj=None) -> bool:
        # An adopted decision is on record for good: a change is a new decision.
        adopted = obj is not None and obj.is_adopted
        return super().has_delete_permission(request, obj) and not adopted

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would not spare adopted ones
        return actions

    def save_model(self, request, obj, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = _fields(form, ["kind", "title", "text", "method", "effects", "published"])
        if change and obj.is_adopted:
            services.decision_publish(actor=actor, decision=obj, published=data["published"])
        elif change:
            services.decision_update(actor=actor, decision=obj, data=data)
        else:
            created = services.decision_create(
                actor=actor, meeting=form.cleaned_data["meeting"], data=data
            )
            obj.pk, obj._state, obj.number = created.pk, created._state, created.number

    def save_formset(self, request, form, formset, change: bool) -> None:
        actor = access_for_user(request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.has_changed() and not row.instance.pk:
                try:
                    with transaction.atomic():
                        vote = services.vote_record(
                            actor=actor,
                            decision=form.instance,
                            chamber=row.cleaned_data["chamber"],
                            vote=row.cleaned_data["vote"],
                        )
                except DomainError as exc:
                    messages.error(
                        request, _("Vote not recorded: %(reason)s") % {"reason": exc.message}
                    )
                else:
                    formset.new_objects.append(vote)

    @admin.action(description=_("Adopt the selected decisions"))
    def adopt(self, request, queryset) -> None:
        for decision in queryset:
            try:
                services.decision_adopt(actor=access_for_user(request.user), decision=decision)
            except DomainError as exc:
                self.message_user(request, f"{decision}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(decision)s adopted.") % {"decision": decision})

    @admin.action(description=_("Publish the selected decisions"))
    def publish(self, request, queryset) -> None:
        for decision in queryset:
            services.decision_publish(
                actor=access_for_user(request.user), decision=decision, published=True
            )

    @admin.action(description=_("Withdraw the selected decisions from publication"))
    def unpublish(self, request, queryset) -> None:
        for decision in queryset:
            services.decision_publish(
                actor=access_for_user(request.user), decision=decision, published=False
            )


class ActionItemForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("title",)


class PriorityForm(TranslatedFormMixin, forms.ModelForm):
    translated = ("title", "description")


class ActionItemInline(SecretariatInline, admin.TabularInline):
    model = ActionItem
    form = ActionItemForm
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return ["responsible"] if obj else []

    can_delete = False  # an item that will not be done is cancelled, and stays on record
    fields = ["title", "responsible", "due", "status", "progress"]


@admin.register(Priority)
class PriorityAdmin(SecretariatAdmin):
    form = PriorityForm
    fields = ["title", "description", "period_start", "period_end", "status", "decision"]
    list_display = ["title", "period_start", "period_end", "status", "decision"]
    list_filter = ["status"]
    list_select_related = ["decision__meeting"]
    inlines = [ActionItemInline]
    readonly_fields = ["status", "decision"]
    actions = ["complete", "drop"]

    def has_delete_permission(self, request, obj=None) -> bool:
        adopted = obj is not None and obj.status != Priority.Status.PROPOSED
        return super().has_delete_permission(request, obj) and not adopted

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _close(self, request, queryset, status: str) -> None:
        for priority in queryset:
            try:
                services.priority_close(
                    actor=access_for_user(request.user), priority=priority, status=status
                )
            except DomainError as exc:
                self.message_user(request, f"{priority}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Mark the selected priorities completed"))
    def complete(self, request, queryset) -> None:
        self._close(request, queryset, Priority.Status.COMPLETED)

    @admin.action(description=_("Drop the selected priorities"))
    def drop(self, request, queryset) -> None:
        self._close(request, queryset, Priority.Status.DROPPED)

    def save_model(self, request, obj, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = _fields(form, ["title", "description", "period_start", "period_end"])
        if change:
            services.priority_update(actor=actor, priority=obj, data=data)
        else:
            created = services.priority_create(actor=actor, data=data)
            obj.pk, obj._state = created.pk, created._state

    def save_formset(self, request, form, formset, change: bool) -> None:
        actor = access_for_user(request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        fields = ["title", "responsible", "due", "status", "progress"]
        for row in formset.forms:
            if not row.has_changed() or row in formset.deleted_forms:
                continue
            data = _fields(row, fields)
            if row.instance.pk:
                data.pop("responsible", None)
                item = services.action_item_update(actor=actor, item=row.instance, data=data)
                formset.changed_objects.append((item, row.changed_data))
            else:
                item = services.action_item_create(actor=actor, priority=form.instance, data=data)
                formset.new_objects.append(item)


class ProgressNoteInline(SecretariatInline, admin.TabularInline):
    model = ProgressNote
    extra = 0
    fields = ["date", "progress", "text", "author_label"]
    readonly_fields = ["date", "progress", "text", "author_label"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(SecretariatAdmin):
    form = ActionItemForm
    fields = ["priority", "title", "responsible", "due", "status", "progress"]
    search_fields = [column("title", code) for code in codes()]
    list_display = ["title", "priority", "responsible", "due", "status", "progress"]
    list_filter = ["status", "responsible"]

    def get_readonly_fields(self, request, obj=None):
        return ["priority", "responsible"] if obj else []

    list_select_related = ["priority", "responsible"]
    inlines = [ProgressNoteInline]

    def save_model(self, request, obj, form, change: bool) -> None:
        actor = access_for_user(request.user)
        data = _fields(form, ["title", "due", "status", "progress"])
        if change:
            services.action_item_update(actor=actor, item=obj, data=data)
        else:
            created = services.action_item_create(
                actor=actor,
                priority=form.cleaned_data["priority"],
                data={**data, "responsible": form.cleaned_data["responsible"]},
            )
            obj.pk, obj._state = created.pk, created._state
