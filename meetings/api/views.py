"""API v1 for meetings, decisions, priorities and action items."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from chambers.models import Chamber
from core import background, pdf
from core.access import access_for_request
from core.api import PDF_RENDERERS, ConditionalMixin
from core.permissions import CanWrite, IsMember, IsSecretariat
from core.translated import active_code

from .. import records, selectors, services
from ..filters import DecisionFilter, MeetingFilter, ProcedureFilter
from ..models import ActionItem, Ballot, Decision, GovernanceRules, Meeting, Priority, Procedure
from .serializers import (
    ActionItemPatchSerializer,
    ActionItemSerializer,
    AttendanceSerializer,
    AttendanceWriteSerializer,
    BallotSerializer,
    BallotWriteSerializer,
    DecisionDetailSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingWriteSerializer,
    MinutesGenerateSerializer,
    MinutesSaveSerializer,
    MinutesVersionSerializer,
    PrioritySerializer,
    ProcedureOpenSerializer,
    ProcedureSerializer,
    RSVPSerializer,
    VoteSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="List meetings (members)",
        responses={200: MeetingSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One meeting with agenda, attendance and documents (members)",
        responses={200: MeetingDetailSerializer},
    ),
)
class MeetingViewSet(
    ConditionalMixin[Meeting],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Meeting],
):
    filterset_class = MeetingFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("list", "retrieve", "agenda_pack", "minutes_pdf"):
            return [IsMember()]
        if self.action == "rsvp":
            return [CanWrite()]
        if self.action == "minutes" and self.request.method in ("GET", "HEAD"):
            return [IsMember()]
        return [IsSecretariat()]

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.action == "list":
            return selectors.meeting_list().order_by("-starts_at", "pk")
        if self.action in ("retrieve", "partial_update"):
            return selectors.meeting_detail()
        if self.action in ("minutes", "minutes_publish", "minutes_pdf"):
            return selectors.meeting_minutes()
        if self.action == "agenda_pack":
            return selectors.meeting_detail()
        return Meeting.objects.all()

    def get_serializer_class(self) -> type[MeetingSerializer]:
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_filterset_class(self) -> type[MeetingFilter] | None:
        return MeetingFilter if self.action == "list" else None

    def represent(self, meeting: Meeting) -> dict:
        context = {
            "request": self.request,
            "voters": services.meeting_voters(meeting),
            "is_staff": access_for_request(self.request).is_staff,
        }
        return MeetingDetailSerializer(meeting, context=context).data

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.represent(self.get_object()))

    def _detail(self, request: Request, meeting: Meeting, code: int = 200) -> Response:
        return Response(self.represent(selectors.meeting_detail().get(pk=meeting.pk)), status=code)

    @extend_schema(
        summary="Record a meeting (secretariat)",
        description="Invites every member and observer on the meeting's date unless `invited` "
        "names the chambers.",
        request=MeetingWriteSerializer,
        responses={201: MeetingDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = MeetingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        invited = data.pop("invited", None)
        actor = access_for_request(request)
        meeting = services.meeting_create(actor=actor, data=data, invite=invited is None)
        for chamber in invited or []:
            services.meeting_invite(actor=actor, meeting=meeting, chamber=chamber)
        return self._detail(request, meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a meeting (secretariat)",
        request=MeetingWriteSerializer,
        responses={200: MeetingDetailSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        with transaction.atomic():
            meeting = self.get_locked_object()
            serializer = MeetingWriteSerializer(meeting, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            invited = data.pop("invited", None)
            actor = access_for_request(request)
            meeting = services.meeting_update(actor=actor, meeting=meeting, data=data)
            for chamber in invited or []:
                services.meeting_invite(actor=actor, meeting=meeting, chamber=chamber)
        return self._detail(request, meeting)

    @extend_schema(
        summary="Answer an invitation and name delegates (the chamber's editor)",
        request=RSVPSerializer,
        responses={200: AttendanceSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def rsvp(self, request: Request, pk: str) -> Response:
        access = access_for_request(request)
        meeting = self.get_object()
        serializer = RSVPSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chamber = serializer.validated_data.get("chamber")
        if chamber is None:  # an editor answers for its own chamber; staff must name one
            if access.chamber_id is None:
                raise ValidationError({"chamber": ["Name the chamber you answer for."]})
            chamber = Chamber.objects.get(pk=access.chamber_id)
        invitation = services.invitation_respond(
            actor=access,
            meeting=meeting,
            chamber=chamber,
            response=serializer.validated_data["status"],
            delegates=serializer.validated_data.get("delegates", []),
            proxy=serializer.validated_data.get("proxy"),
        )
        context = {"voters": services.meeting_voters(meeting)}
        return Response(AttendanceSerializer(invitation, context=context).data)

    @extend_schema(
        methods=["GET"],
        summary="The versions of the minutes (members: the published ones)",
        responses={200: MinutesVersionSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Save the draft minutes as a new version, published with `publish` (secretariat)",
        request=MinutesSaveSerializer,
        responses={201: MinutesVersionSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def minutes(self, request: Request, pk: str) -> Response:
        access = access_for_request(request)
        meeting = self.get_object()
        if request.method == "POST":
            serializer = MinutesSaveSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            version = services.minutes_version_save(
                actor=access, meeting=meeting, **serializer.validated_data
            )
            return Response(MinutesVersionSerializer(version).data, status=201)
        versions = meeting.minutes_versions_for(is_staff=access.is_staff)
        return Response(MinutesVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary="Generate the draft minutes from the record, in every language (secretariat)",
        description="Refused (400, `replace`) when the draft has text, unless `replace` is true.",
        request=MinutesGenerateSerializer,
        responses={200: MeetingDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="minutes/generate", filterset_class=None)
    def minutes_generate(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = MinutesGenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.minutes_draft_generate(
            actor=access_for_request(request), meeting=meeting, **serializer.validated_data
        )
        return self._detail(request, meeting)

    @extend_schema(
        summary="Publish a saved version of the minutes to the members (secretariat)",
        request=None,
        responses={200: MinutesVersionSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="minutes/<str:number>/publish",
        filterset_class=None,
    )
    def minutes_publish(self, request: Request, pk: str, number: str) -> Response:
        meeting = self.get_object()
        # Any path segment reaches the view (the API's 404 is JSON): a number or no version.
        version = meeting.minutes_version_numbered(number, is_staff=True)
        if version is None:
            raise NotFound(_("No such version of the minutes."))
        version = services.minutes_version_publish(
            actor=access_for_request(request), version=version
        )
        return Response(MinutesVersionSerializer(version).data)

    @extend_schema(
        summary="The agenda pack as PDF (members), in the language of `?lang=`",
        parameters=[OpenApiParameter("format", exclude=True)],
        description="Cover, agenda, the invited chambers and their answers, the documents "
        "list, and the pages of the meeting's PDF documents. A pack of more PDF documents than "
        "`AGENDA_PACK_INLINE_DOCUMENTS` (or more than `AGENDA_PACK_INLINE_MB` of them) is "
        "typeset by a worker: the answer is then `202` with the file's state, as an XLSX "
        "export's.",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: OpenApiResponse(
                description="The pack is being built: GET `Location` "
                "(`/api/v1/exports/files/{id}/`) until `status` is `ready`, then its `download`."
            ),
        },
    )
    @action(
        detail=True,
        url_path="agenda-pack.pdf",
        filterset_class=None,
        renderer_classes=PDF_RENDERERS,
    )
    def agenda_pack(self, request: Request, pk: str) -> HttpResponseBase:
        meeting = self.get_object()
        filename = records.agenda_pack_filename(meeting)
        if records.pack_builds_in_background(meeting):
            params = {"meeting": meeting.pk, "language": active_code()}
            return background.start(
                request, document="agenda-pack", params=params, filename=filename, portal=False
            )
        return pdf.response(records.agenda_pack_pdf(meeting, language=active_code()), filename)

    @extend_schema(
        summary="The minutes as PDF (members: published versions; `?version=N`)",
        description="Without `version`: the latest version the caller may see (the "
        "secretariat: its working draft). A draft is marked as one; approved minutes name the "
        "approving decision.",
        parameters=[
            OpenApiParameter("version", int, required=False),
            OpenApiParameter("format", exclude=True),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        url_path="minutes.pdf",
        filterset_class=None,
        renderer_classes=PDF_RENDERERS,
    )
    def minutes_pdf(self, request: Request, pk: str) -> HttpResponse:
        meeting = self.get_object()
        version = records.minutes_to_print(
            meeting,
            is_staff=access_for_request(request).is_staff,
            number=request.query_params.get("version"),
        )
        content = records.minutes_pdf(meeting, version, language=active_code())
        return pdf.response(content, f"minutes-{meeting.pk}.pdf")

    @extend_schema(
        summary="Record attendance (secretariat)",
        request=AttendanceWriteSerializer,
        responses={200: AttendanceSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def attendance(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        serializer = AttendanceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.attendance_record(
            actor=access_for_request(request), meeting=meeting, **serializer.validated_data
        )
        return Response(
            AttendanceSerializer(
                invitation, context={"voters": services.meeting_voters(meeting)}
            ).data
        )


@extend_schema_view(
    list=extend_schema(
        summary="The decisions register",
        description="Public: adopted, published decisions. Members: all decisions.",
        responses={200: DecisionSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One decision, with its outcome so far while not adopted",
        responses={200: DecisionDetailSerializer},
    ),
)
class DecisionViewSet(
    ConditionalMixin[Decision],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Decision],
):
    filterset_class = DecisionFilter
    http_method_names = ["get", "post", "head", "options"]
    #: Reads answered 409 by the state of the decision (core.schema documents it).
    conflicting_reads = ("extract",)

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("list", "retrieve", "extract"):
            return [AllowAny()]
        if self.action == "ballot":
            return [CanWrite(), IsMember()]
        return [IsSecretariat()]

    def get_queryset(self) -> QuerySet[Decision]:
        return selectors.decision_list(access=access_for_request(self.request))

    def get_serializer_class(self) -> type[DecisionSerializer]:
        return DecisionDetailSerializer if self.action == "retrieve" else DecisionSerializer

    def get_filterset_class(self) -> type[DecisionFilter] | None:
        return DecisionFilter if self.action == "list" else None

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "is_member": access_for_request(self.request).is_member,
            "rules": GovernanceRules.current(),
        }

    @extend_schema(
        summary="The certified extract of an adopted decision as PDF, with its verification "
        "code (as the decision: public once adopted and published)",
        description="409 for a decision not adopted. The code is checked at `/verify/<code>/`.",
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        url_path="extract.pdf",
        filterset_class=None,
        renderer_classes=PDF_RENDERERS,
    )
    def extract(self, request: Request, pk: str) -> HttpResponse:
        decision = records.require_adopted(self.get_object())
        content = records.extract_pdf(decision, language=active_code(), request=request)
        return pdf.response(content, f"decision-{decision.pk}-extract.pdf")

    def _detail(self, request: Request, decision: Decision, code: int = 200) -> Response:
        decision = selectors.decision_list(access=access_for_request(request)).get(pk=decision.pk)
        body = DecisionDetailSerializer(decision, context={"is_member": True}).data
        return Response(body, status=code)

    def _procedure(self, procedure: Procedure, code: int = 200) -> Response:
        procedure = selectors.procedure_list(access=access_for_request(self.request)).get(
            pk=procedure.pk
        )
        body = ProcedureSerializer(procedure, context={"is_member": True}).data
        return Response(body, status=code)

    @extend_schema(
        summary="Record a draft decision (secretariat)",
        request=DecisionWriteSerializer,
        responses={201: DecisionDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting", None)  # none: a draft between sessions
        decision = services.decision_create(
            actor=access_for_request(request), meeting=meeting, data=data
        )
        return self._detail(request, decision, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record a chamber's vote (secretariat)",
        request=VoteSerializer,
        responses={201: VoteSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def votes(self, request: Request, pk: str) -> Response:
        decision = self.get_object()
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = services.vote_record(
            actor=access_for_request(request), decision=decision, **serializer.validated_data
        )
        return Response(VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Adopt a decision and apply its effects (secretariat)",
        description="400 with the reason when quorum or majority fails or an effect is refused; "
        "409 when the decision is already adopted.",
        request=None,
        responses={200: DecisionDetailSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def adopt(self, request: Request, pk: str) -> Response:
        decision = services.decision_adopt(
            actor=access_for_request(request), decision=self.get_object()
        )
        return self._detail(request, decision)

    @extend_schema(
        summary="Put a draft decision to written or silence procedure (secretariat)",
        description="The voters are the full members today. 400 naming the field (a kind "
        "reserved to a session, a deadline without its zone or not in the future); 409 when "
        "the decision is adopted or already under procedure.",
        request=ProcedureOpenSerializer,
        responses={201: ProcedureSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def procedure(self, request: Request, pk: str) -> Response:
        decision = self.get_object()
        serializer = ProcedureOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        procedure = services.procedure_open(
            actor=access_for_request(request),
            decision=decision,
            mode=data.pop("mode"),
            closes_at=data.pop("closes_at"),
            time_zone=data.pop("time_zone", None),
            data=data,
        )
        return self._procedure(procedure, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw the open procedure (secretariat)",
        description="409 when the decision is not under procedure.",
        request=None,
        responses={200: ProcedureSerializer},
    )
    @action(detail=True, methods=["post"], url_path="procedure/withdraw", filterset_class=None)
    def procedure_withdraw(self, request: Request, pk: str) -> Response:
        procedure = services.procedure_withdraw(
            actor=access_for_request(request), decision=self.get_object()
        )
        return self._procedure(procedure)

    @extend_schema(
        summary="Close the procedure now (secretariat)",
        description="Before the deadline only once every voter has answered (else 400); the "
        "outcome is counted and, if adopted, the effects applied. 409 when it is not open.",
        request=None,
        responses={200: ProcedureSerializer},
    )
    @action(detail=True, methods=["post"], url_path="procedure/close", filterset_class=None)
    def procedure_close(self, request: Request, pk: str) -> Response:
        procedure = services.procedure_close(
            actor=access_for_request(request), decision=self.get_object()
        )
        assert procedure is not None  # a person's close raises rather than doing nothing
        return self._procedure(procedure)

    @extend_schema(
        summary="Answer a written procedure (a voting chamber's editor; the secretariat for "
        "answers on paper)",
        description="One answer per chamber, changed until the deadline (every version is "
        "kept): 201 for the first, 200 for a change. 403 for a chamber without a vote (an "
        "observer) or another chamber's; 409 after the deadline or when no procedure is open.",
        request=BallotWriteSerializer,
        responses={201: BallotSerializer, 200: BallotSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def ballot(self, request: Request, pk: str) -> Response:
        access = access_for_request(request)
        decision = self.get_object()
        serializer = BallotWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        chamber = data.get("chamber")  # another chamber's: the service refuses it (403)
        if chamber is None:
            if access.is_staff:
                raise ValidationError({"chamber": [_("Name the chamber that answered.")]})
            chamber = get_object_or_404(Chamber, pk=access.chamber_id)
        ballot = services.ballot_cast(
            actor=access,
            decision=decision,
            chamber=chamber,
            answer=data["vote"],
            reason=data.get("reason", ""),
            received_on=data.get("received_on"),
        )
        ballot = (
            Ballot.objects.select_related("chamber").prefetch_related("history").get(pk=ballot.pk)
        )
        code = status.HTTP_201_CREATED if len(ballot.history.all()) == 1 else status.HTTP_200_OK
        return Response(BallotSerializer(ballot).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="Written and silence procedures (members; the public: adopted and published)",
        responses={200: ProcedureSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One procedure, with its voters, answers (members) and outcome",
        responses={200: ProcedureSerializer},
    ),
)
class ProcedureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Procedure],
):
    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Procedure]:
        return selectors.procedure_list(access=access_for_request(self.request))

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "is_member": access_for_request(self.request).is_member,
            "rules": GovernanceRules.current(),
        }


@extend_schema_view(
    list=extend_schema(
        summary="Priorities with action items and progress (members)",
        responses={200: PrioritySerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One priority (members)",
        responses={200: PrioritySerializer},
    ),
)
class PriorityViewSet(
    ConditionalMixin[Priority],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Priority],
):
    serializer_class = PrioritySerializer
    permission_classes = [IsMember]

    def get_queryset(self) -> QuerySet[Priority]:
        return selectors.priority_list()


@extend_schema_view(
    list=extend_schema(
        summary="Action items (members)",
        responses={200: ActionItemSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One action item (members)",
        responses={200: ActionItemSerializer},
    ),
)
class ActionItemViewSet(
    ConditionalMixin[ActionItem],
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ActionItem],
):
    serializer_class = ActionItemSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self) -> list[BasePermission]:
        return [IsMember()] if self.action in ("list", "retrieve") else [CanWrite()]

    def get_queryset(self) -> QuerySet[ActionItem]:
        if self.action in ("list", "retrieve"):
            return selectors.action_item_list()
        return selectors.action_items_writable(access=access_for_request(self.request))

    def represent(self, item: ActionItem) -> dict:
        return ActionItemSerializer(item).data

    @extend_schema(
        summary="Report progress (the responsible chamber's editor or the secretariat)",
        request=ActionItemPatchSerializer,
        responses={200: ActionItemSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        with transaction.atomic():
            item = self.get_locked_object()
            serializer = ActionItemPatchSerializer(item, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            note = data.pop("note", "")
            item = services.action_item_update(
                actor=access_for_request(request), item=item, data=data, note=note
            )
        return Response(self.represent(selectors.action_item_list().get(pk=item.pk)))
