"""Serializers of the meetings API: output shapes and input validation, no business rules."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from chambers.models import Chamber, Contact
from core.translated_api import TranslatedSerializerMixin

from ..models import (
    RSVP,
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    Priority,
    ProgressNote,
    Vote,
)
from ..services import MEETING_FIELDS


class AgendaItemSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "description": "descriptions"}

    presenter: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "description", "presenter", "priority"]


class DelegateSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"position": "positions"}

    class Meta:
        model = Contact
        fields = ["id", "name", "position"]


class AttendanceSerializer(serializers.ModelSerializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    status = serializers.CharField(source="response", read_only=True)
    delegates = DelegateSerializer(many=True, read_only=True)
    has_vote = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["chamber", "status", "responded_at", "delegates", "present", "has_vote"]

    def get_has_vote(self, invitation: Invitation) -> bool:
        return invitation.chamber_id in self.context.get("voters", set())


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MeetingDocument
        fields = ["id", "title", "original_name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, document: MeetingDocument) -> str:
        return f"/meetings/{document.meeting_id}/documents/{document.pk}/"


MEETING_EXAMPLE = {
    "id": 41,
    "kind": "ga_ordinary",
    "session_number": 12,
    "title": "",
    "display_title": "12th General Assembly",
    "starts_at": "2026-05-14T09:00:00+05:00",
    "ends_at": "2026-05-14T17:00:00+05:00",
    "time_zone": "Asia/Almaty",
    "format": "in_person",
    "venue_city": "Astana",
    "venue_country": "KZ",
    "host": "atameken",
    "status": "planned",
    "minutes_published": False,
    "minutes_published_on": None,
}

DECISION_EXAMPLE = {
    "id": 87,
    "meeting": 41,
    "number": 3,
    "reference": "GA12/3",
    "kind": "membership",
    "title": "Admission of the Mongolian chamber",
    "text": "The General Assembly admits MNCCI as a full member.",
    "method": "vote",
    "effects": [
        {"type": "change_status", "chamber": "mncci", "status": "member", "effective": "2026-06-01"}
    ],
    "adopted": True,
    "adopted_at": "2026-05-14T15:20:00+05:00",
    "published": True,
    "votes": [{"chamber": "atameken", "vote": "for", "recorded_at": "2026-05-14T15:10:00+05:00"}],
}


@extend_schema_serializer(
    examples=[OpenApiExample("A General Assembly", value=MEETING_EXAMPLE, response_only=True)]
)
class MeetingTimeField(serializers.DateTimeField):
    """A meeting's time in its own zone, with that zone's offset (``10:00:00+05:00``)."""

    def get_attribute(self, instance: Meeting) -> dt.datetime | None:
        value = super().get_attribute(instance)
        return instance.local(value) if value is not None else None

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


class MeetingSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "minutes": "minutes_by_language"}

    display_title = serializers.CharField(read_only=True)
    starts_at = MeetingTimeField(read_only=True)
    ends_at = MeetingTimeField(read_only=True)
    host: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    venue_country = serializers.CharField(source="venue_country.code", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "session_number",
            "title",
            "display_title",
            "starts_at",
            "ends_at",
            "time_zone",
            "format",
            "venue_city",
            "venue_country",
            "host",
            "status",
            "minutes_published",
            "minutes_published_on",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A General Assembly",
            value={
                **MEETING_EXAMPLE,
                "minutes": "",
                "agenda": [
                    {
                        "id": 5,
                        "position": 1,
                        "title": "Admission of new members",
                        "description": "",
                        "presenter": None,
                        "priority": None,
                    }
                ],
                "attendance": [
                    {
                        "chamber": "atameken",
                        "status": "attending",
                        "responded_at": "2026-04-02T10:00:00+05:00",
                        "delegates": [{"id": 12, "name": "Raimbek Batalov", "position": "Chair"}],
                        "present": None,
                        "has_vote": True,
                    }
                ],
                "decisions": [],
                "documents": [],
            },
            response_only=True,
        )
    ]
)
class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True, source="invitations")
    documents = DocumentSerializer(many=True, read_only=True)
    decisions = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "minutes",
            "agenda",
            "attendance",
            "decisions",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_decisions(self, meeting: Meeting) -> list[dict[str, Any]]:
        """The meeting's decisions (drafts too: the meeting page is members-only)."""
        # many=True makes a list serializer, whose data is a list; the stubs cannot tell.
        return cast(
            "list[dict[str, Any]]", DecisionSerializer(meeting.decisions.all(), many=True).data
        )

    def get_minutes(self, meeting: Meeting) -> str:
        return meeting.minutes_for(is_staff=bool(self.context.get("is_staff")))


class LocalDateTimeField(serializers.DateTimeField):
    """Keeps a time without an offset naive: the service reads it in the meeting's time zone."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A General Assembly",
            value={
                "kind": "ga_ordinary",
                "session_number": 12,
                "starts_at": "2026-05-14T09:00:00",
                "ends_at": "2026-05-14T17:00:00",
                "time_zone": "Asia/Almaty",
                "venue_city": "Astana",
                "venue_country": "KZ",
                "host": "atameken",
            },
            request_only=True,
        )
    ]
)
class MeetingWriteSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "minutes": "minutes_by_language"}

    starts_at = LocalDateTimeField(
        help_text=_("With an offset, or in the meeting's time zone without.")
    )
    ends_at = LocalDateTimeField()
    host: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Chamber.objects.all(), required=False, allow_null=True
    )
    venue_country = CountryField(required=False, allow_blank=True)
    invited: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Chamber.objects.all(),
        many=True,
        required=False,
        help_text=_("Chambers to invite; by default every member and observer on the date."),
    )

    class Meta:
        model = Meeting
        fields = [*MEETING_FIELDS, "invited"]
        # Constraints are checked by the service (full_clean), which names the field.
        validators: list = []


class RSVPSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[RSVP.ATTENDING, RSVP.DECLINED])
    delegates: serializers.PrimaryKeyRelatedField[Contact] = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), many=True, required=False, help_text=_("Contact ids.")
    )
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Chamber.objects.all(),
        required=False,
        help_text=_("Staff only: the chamber answered for; editors answer for their own."),
    )


class AttendanceWriteSerializer(serializers.Serializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Chamber.objects.all()
    )
    present = serializers.BooleanField()


class VoteSerializer(serializers.ModelSerializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", queryset=Chamber.objects.all()
    )

    class Meta:
        model = Vote
        fields = ["chamber", "vote", "recorded_at"]
        read_only_fields = ["recorded_at"]
        validators: list = []


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"type": {"type": "string"}},
            "required": ["type"],
            "additionalProperties": True,
        },
        "example": [
            {
                "type": "change_status",
                "chamber": "mkik",
                "status": "member",
                "effective": "2026-03-01",
            }
        ],
    }
)
class EffectsField(serializers.JSONField):
    """A list of effect objects, each with a ``type`` and its fields (validated by the service)."""


class OutcomeSerializer(serializers.Serializer):
    full_members = serializers.IntegerField()
    present_with_vote = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    has_quorum = serializers.BooleanField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    abstentions = serializers.IntegerField()
    majority = serializers.CharField()
    adopted = serializers.BooleanField(help_text=_("Whether adoption would succeed now."))
    reasons = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    examples=[OpenApiExample("An adopted decision", value=DECISION_EXAMPLE, response_only=True)]
)
class DecisionSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "text": "texts"}

    reference = serializers.CharField(read_only=True)
    adopted = serializers.BooleanField(source="is_adopted", read_only=True)
    effects = EffectsField(read_only=True)
    votes = VoteSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "number",
            "reference",
            "kind",
            "title",
            "text",
            "method",
            "effects",
            "adopted",
            "adopted_at",
            "published",
            "votes",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An adopted decision",
            value={**DECISION_EXAMPLE, "outcome": None},
            response_only=True,
        )
    ]
)
class DecisionDetailSerializer(DecisionSerializer):
    outcome = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "outcome"]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, decision: Decision) -> dict | None:
        if decision.is_adopted or not self.context.get("is_member"):
            return None
        from ..services import decision_outcome

        outcome = decision_outcome(decision)
        return OutcomeSerializer(
            {**outcome.__dict__, "has_quorum": outcome.has_quorum, "adopted": outcome.adopted}
        ).data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A membership decision",
            value={
                "meeting": 41,
                "kind": "membership",
                "title": "Admission of the Mongolian chamber",
                "method": "vote",
                "effects": DECISION_EXAMPLE["effects"],
                "published": True,
            },
            request_only=True,
        )
    ]
)
class DecisionWriteSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "text": "texts"}

    meeting: serializers.PrimaryKeyRelatedField[Meeting] = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all()
    )
    effects = EffectsField(required=False)

    class Meta:
        model = Decision
        fields = ["meeting", "kind", "title", "text", "method", "effects", "published"]
        validators: list = []


class ProgressNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_label", read_only=True)

    class Meta:
        model = ProgressNote
        fields = ["date", "text", "progress", "author"]


class ActionItemSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles"}

    responsible: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    notes = ProgressNoteSerializer(many=True, read_only=True)
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text=_(
            "Open or in progress and due before today (in the union's time zone). Read-only."
        ),
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "priority",
            "title",
            "responsible",
            "due",
            "status",
            "progress",
            "overdue",
            "notes",
        ]
        read_only_fields = fields


class ActionItemPatchSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles"}

    note = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Adds a dated progress note.")
    )

    class Meta:
        model = ActionItem
        fields = ["title", "due", "status", "progress", "note"]
        extra_kwargs = {"progress": {"min_value": 0, "max_value": 100}}


class PrioritySerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "description": "descriptions"}

    progress = serializers.SerializerMethodField()
    action_items = ActionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "title",
            "description",
            "period_start",
            "period_end",
            "status",
            "decision",
            "progress",
            "action_items",
        ]
        read_only_fields = fields

    def get_progress(self, priority: Priority) -> int | None:
        """Average progress of its action items, cancelled ones left out (None without items)."""
        rollup = getattr(priority, "rollup", None)
        return round(rollup) if rollup is not None else None
