"""Serializers of the meetings API: output shapes and input validation, no business rules."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from chambers.models import Chamber, Contact
from core import bounds
from core.translated import codes, values
from core.translated_api import TranslatedSerializerMixin

from ..models import (
    RSVP,
    ActionItem,
    AgendaItem,
    Ballot,
    BallotAnswer,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesVersion,
    Priority,
    Procedure,
    ProcedureMode,
    ProcedureState,
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
    proxy: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        source="proxy_holder",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The attending full member this chamber gave its vote to, if any."),
    )

    class Meta:
        model = Invitation
        fields = [
            "chamber",
            "status",
            "responded_at",
            "delegates",
            "present",
            "has_vote",
            "proxy",
        ]

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
    "votes": [
        {
            "chamber": "atameken",
            "vote": "for",
            "proxy_holder": None,
            "recorded_at": "2026-05-14T15:10:00+05:00",
        }
    ],
    "year": None,
    "procedure": None,
}

PROCEDURE_EXAMPLE = {
    "id": 12,
    "decision": 93,
    "reference": "Decision 2027/2 between sessions",
    "title": "Statement on the trade facilitation agreement",
    "mode": "vote",
    "state": "closed",
    "letter": "Dear colleagues, please find the draft statement attached.",
    "letters": {"en": "Dear colleagues, please find the draft statement attached.", "kk": ""},
    "opened_at": "2027-03-01T09:00:00+05:00",
    "opened_on": "2027-03-01",
    "closes_at": "2027-03-15T18:00:00+05:00",
    "time_zone": "Asia/Almaty",
    "closed_at": "2027-03-15T18:00:41+05:00",
    "voters": ["atameken", "tobb", "azcci", "kgcci", "uzcci", "tmcci"],
    "answered": 5,
    "answers": [
        {
            "chamber": "atameken",
            "answer": "for",
            "reason": "",
            "received_on": None,
            "recorded_at": "2027-03-04T11:20:00+05:00",
            "changes": 1,
        }
    ],
    "outcome": {
        "voters": 6,
        "answered": 5,
        "quorum_needed": 4,
        "votes_for": 4,
        "votes_against": 1,
        "abstentions": 0,
        "objections": 0,
        "majority": "simple",
        "adopted": True,
        "reasons": [],
    },
    "adopted": True,
    "effects_refused": None,
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


class MinutesVersionSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    """A saved version of a meeting's minutes (Markdown), with its state: ``draft`` (the
    secretariat's only), ``published`` (for approval) or ``approved`` (by ``approved_by``)."""

    translated = {"text": "texts"}
    state = serializers.CharField(read_only=True)
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = MinutesVersion
        fields = [
            "number",
            "state",
            "text",
            "note",
            "saved_at",
            "published_at",
            "approved_by",
            "approved_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_approved_by(self, version: MinutesVersion) -> dict[str, Any] | None:
        decision = version.approved_by
        if decision is None:
            return None
        return {"id": decision.pk, "reference": decision.reference}


class MinutesSaveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    publish = serializers.BooleanField(required=False, default=False)


class MinutesGenerateSerializer(serializers.Serializer):
    replace = serializers.BooleanField(required=False, default=False)


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
    # The minutes are the reader's (the draft for the secretariat, the latest published version
    # for members): not the meeting's own columns, which hold the draft.
    translated = {"title": "titles"}
    agenda = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True, source="invitations")
    documents = DocumentSerializer(many=True, read_only=True)
    decisions = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    minutes_by_language = serializers.SerializerMethodField()
    minutes_versions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "minutes",
            "minutes_by_language",
            "minutes_versions",
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
        """The secretariat's working draft; for members the latest published version."""
        return meeting.minutes_for(is_staff=bool(self.context.get("is_staff")))

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_minutes_by_language(self, meeting: Meeting) -> dict[str, str]:
        """``minutes`` in every language: the draft's or the latest published version's."""
        if self.context.get("is_staff"):
            return values(meeting, "minutes")
        versions = meeting.minutes_versions_for(is_staff=False)
        return values(versions[-1], "text") if versions else {code: "" for code in codes()}

    @extend_schema_field(MinutesVersionSerializer(many=True))
    def get_minutes_versions(self, meeting: Meeting) -> list[dict[str, Any]]:
        versions = meeting.minutes_versions_for(is_staff=bool(self.context.get("is_staff")))
        return cast("list[dict[str, Any]]", MinutesVersionSerializer(versions, many=True).data)


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
    proxy: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Chamber.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("With status declined: the attending full member that votes for this chamber."),
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
    proxy_holder: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The chamber present that cast this vote by proxy, if any."),
    )

    class Meta:
        model = Vote
        fields = ["chamber", "vote", "proxy_holder", "recorded_at"]
        read_only_fields = ["recorded_at", "proxy_holder"]
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


class ZonedDateTimeField(serializers.DateTimeField):
    """A time shown with the offset it carries (a procedure's deadline in its own zone), not
    converted to the server's."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        return value


class ProcedureOutcomeSerializer(serializers.Serializer):
    voters = serializers.IntegerField()
    answered = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    abstentions = serializers.IntegerField()
    objections = serializers.IntegerField()
    majority = serializers.CharField()
    adopted = serializers.BooleanField(
        help_text=_("Closed: whether the count adopted it. Open: whether it would now.")
    )
    reasons = serializers.ListField(child=serializers.CharField())


class BallotSerializer(serializers.ModelSerializer):
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    changes = serializers.SerializerMethodField(help_text=_("Versions of this answer given."))

    class Meta:
        model = Ballot
        fields = ["chamber", "answer", "reason", "received_on", "recorded_at", "changes"]
        read_only_fields = fields

    def get_changes(self, ballot: Ballot) -> int:
        return len(ballot.history.all())


@extend_schema_serializer(
    examples=[OpenApiExample("A closed written procedure", value=PROCEDURE_EXAMPLE)]
)
class ProcedureSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    """A written or silence procedure. ``answers`` are members-only (``null`` for the public,
    who see the outcome of published decisions)."""

    translated = {"letter": "letters"}

    closes_at = ZonedDateTimeField(
        source="local_closes_at",
        read_only=True,
        help_text=_("The deadline, with the offset of the zone it was set in (time_zone)."),
    )
    reference = serializers.CharField(source="decision.reference", read_only=True)
    title = serializers.CharField(source="decision.title", read_only=True)
    voters = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    effects_refused = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = [
            "id",
            "decision",
            "reference",
            "title",
            "mode",
            "state",
            "letter",
            "opened_at",
            "opened_on",
            "closes_at",
            "time_zone",
            "closed_at",
            "voters",
            "answered",
            "answers",
            "outcome",
            "adopted",
            "effects_refused",
        ]
        read_only_fields = fields

    def get_voters(self, procedure: Procedure) -> list[str]:
        return sorted(chamber.slug for chamber in procedure.voters.all())

    def get_answered(self, procedure: Procedure) -> int:
        return len(procedure.ballots.all())

    @extend_schema_field(BallotSerializer(many=True, allow_null=True))
    def get_answers(self, procedure: Procedure) -> list[dict] | None:
        if not self.context.get("is_member"):
            return None
        ballots = sorted(procedure.ballots.all(), key=lambda ballot: ballot.chamber.slug)
        return list(BallotSerializer(ballots, many=True).data)

    @extend_schema_field(ProcedureOutcomeSerializer(allow_null=True))
    def get_outcome(self, procedure: Procedure) -> dict | None:
        """The count kept at the close, or so far while open; ``null`` once withdrawn (nothing
        is counted)."""
        from ..services import outcome_of

        if procedure.state == ProcedureState.WITHDRAWN:
            return None
        outcome = outcome_of(procedure, self.context.get("rules"))
        if procedure.state == ProcedureState.CLOSED and not procedure.adopted:
            adopted = False  # counted adopted, but an effect was refused
        else:
            adopted = outcome.adopted
        return dict(
            ProcedureOutcomeSerializer(
                {**outcome.as_record(), "adopted": adopted, "reasons": outcome.reasons}
            ).data
        )

    def get_effects_refused(self, procedure: Procedure) -> str | None:
        return procedure.refusal or None


class AwareDateTimeField(bounds.DateTimeField):
    """A time that must carry its zone (``2027-03-15T18:00:00+05:00``): a deadline read in a
    zone the caller did not name would close at the wrong hour."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str):
            parsed = parse_datetime(value)
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(
                    _("Give the time with its zone, e.g. 2027-03-15T18:00:00+05:00.")
                )
        return super().to_internal_value(value)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A written vote until 15 March, 18:00 in Astana",
            value={
                "mode": "vote",
                "closes_at": "2027-03-15T18:00:00+05:00",
                "time_zone": "Asia/Almaty",
                "letters": {"en": "Dear colleagues, please answer by 15 March."},
            },
            request_only=True,
        )
    ]
)
class ProcedureOpenSerializer(TranslatedSerializerMixin, serializers.Serializer):
    translated = {"letter": "letters"}

    mode = serializers.ChoiceField(choices=ProcedureMode.choices)
    closes_at = AwareDateTimeField(help_text=_("The deadline, with its time zone."))
    time_zone = serializers.CharField(
        required=False, help_text=_("An IANA name, such as Asia/Almaty or Europe/Istanbul.")
    )
    letter = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Procedure
        fields = ["mode", "closes_at", "time_zone", "letter"]


@extend_schema_serializer(
    examples=[
        OpenApiExample("A vote", value={"vote": "for"}, request_only=True),
        OpenApiExample(
            "An objection (silence procedure)",
            value={"objection": True, "reason": "The budget line was not consulted."},
            request_only=True,
        ),
        OpenApiExample(
            "An answer received on paper (secretariat)",
            value={"chamber": "tmcci", "vote": "against", "received_on": "2027-03-09"},
            request_only=True,
        ),
    ]
)
class BallotWriteSerializer(serializers.Serializer):
    vote = serializers.ChoiceField(
        choices=BallotAnswer.choices,
        required=False,
        help_text=_("for, against or abstain; in a silence procedure objection or no_objection."),
    )
    objection = serializers.BooleanField(
        required=False, help_text=_("Silence procedure: true to object, false to withdraw it.")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    chamber: serializers.SlugRelatedField[Chamber] = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Chamber.objects.all(),
        required=False,
        help_text=_("Secretariat only: the chamber whose paper answer is recorded."),
    )
    received_on = bounds.DateField(
        required=False, help_text=_("Secretariat only: the day the paper answer arrived.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "objection" in attrs:
            answer = BallotAnswer.OBJECTION if attrs.pop("objection") else BallotAnswer.NO_OBJECTION
            if attrs.get("vote") not in (None, answer):
                raise serializers.ValidationError({"vote": _("Give a vote or an objection.")})
            attrs["vote"] = answer
        if "vote" not in attrs:
            raise serializers.ValidationError({"vote": _("Give a vote or an objection.")})
        return attrs


@extend_schema_serializer(
    examples=[OpenApiExample("An adopted decision", value=DECISION_EXAMPLE, response_only=True)]
)
class DecisionSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    translated = {"title": "titles", "text": "texts"}

    reference = serializers.CharField(read_only=True)
    adopted = serializers.BooleanField(source="is_adopted", read_only=True)
    effects = EffectsField(read_only=True)
    votes = VoteSerializer(many=True, read_only=True)
    procedure = serializers.SerializerMethodField(
        help_text=_("Its written procedure: the open one, else the latest (null if none).")
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "year",
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
            "procedure",
        ]
        read_only_fields = fields

    @extend_schema_field(ProcedureSerializer(allow_null=True))
    def get_procedure(self, decision: Decision) -> dict | None:
        from ..selectors import shown_procedure

        procedure = shown_procedure(decision, is_member=bool(self.context.get("is_member")))
        if procedure is None:
            return None
        return dict(ProcedureSerializer(procedure, context=self.context).data)


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
        if decision.is_adopted or decision.meeting_id is None or not self.context.get("is_member"):
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
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Leave out for a draft between sessions (for a written procedure)."),
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
