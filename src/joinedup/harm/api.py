"""Complaints and avoidable harm (docs/api.md → Complaints and avoidable harm; docs/harm.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user, agency_by_uuid
from joinedup.core.api import Pagination, idempotent_create
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.schema import paginated
from joinedup.followup import selectors as followup_selectors
from joinedup.followup import services as followup_services
from joinedup.followup.domain.rules import MESSAGE_MAX, PASSPHRASE_MAX
from joinedup.harm import selectors, services
from joinedup.harm.domain.intake import ReportInput
from joinedup.harm.domain.model import IMPACT_CODES, MINIMISATIONS, SOURCES, WANTS, ReportedBy
from joinedup.harm.domain.route import UPDATE_CADENCES, Status, Step, routes_onward
from joinedup.harm.models import HarmReport
from joinedup.people.selectors import person_get

# Named choices: the schema lists each set of codes as its own enum.
HARM_SOURCE_CHOICES = [(c.value, c.label) for c in SOURCES]
# The same 13 impacts (and the same schema enum) as incidents.
HARM_IMPACT_CHOICES = [c.value for c in IMPACT_CODES]
HARM_WANT_CHOICES = [(c.value, c.label) for c in WANTS]
HARM_MINIMISATION_CHOICES = [(c.value, c.label) for c in MINIMISATIONS]
HARM_REPORTED_BY_CHOICES = [(r.value, r.value) for r in ReportedBy]
HARM_STATUS_CHOICES = [(s.value, s.value) for s in Status]
HARM_TRANSITION_CHOICES = [(s.value, s.value) for s in Status if s != Status.RECEIVED]
HARM_CADENCE_CHOICES = [(c, c) for c in UPDATE_CADENCES]

ERRORS = {
    400: OpenApiResponse(description="invalid: nothing is stored"),
    404: OpenApiResponse(description="not_found: unknown or not visible to you"),
}


class HarmReportIn(serializers.Serializer[Any]):
    about_agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    about_service_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    person_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    reported_by = serializers.ChoiceField(choices=HARM_REPORTED_BY_CHOICES)
    description = serializers.CharField(max_length=20_000)
    sources = serializers.ListField(
        child=serializers.ChoiceField(choices=HARM_SOURCE_CHOICES), required=False, default=list
    )
    impacts = serializers.ListField(
        child=serializers.ChoiceField(choices=HARM_IMPACT_CHOICES), required=False, default=list
    )
    wants = serializers.ListField(
        child=serializers.ChoiceField(choices=HARM_WANT_CHOICES), required=False, default=list
    )
    wants_other = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    ill_treatment_in_care = serializers.BooleanField(
        required=False, default=False, help_text="Someone caring for the person ill-treated or neglected them"
    )
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_detail = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="How to reply about this report"
    )
    update_cadence = serializers.ChoiceField(choices=HARM_CADENCE_CHOICES, required=False, default="fortnightly")
    advocacy_wanted = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Independent advocacy is always offered"
    )
    speaking_up = serializers.BooleanField(
        required=False, default=False, help_text="A concern from staff or others about a service"
    )
    passphrase = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        trim_whitespace=False,
        max_length=PASSPHRASE_MAX * 2,
        help_text="For reported_by anonymous only, chosen by the reporter: the answer then has a reference, and "
        "with both they read the service's questions and answer (POST /api/v1/public/follow-up). At least 10 "
        "characters; stored as a slow hash and never sent back. Never store it yourself",
    )


class HarmReportCreatedOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=HARM_STATUS_CHOICES)
    acknowledge_by = serializers.DateField()
    safeguarding_case_id = serializers.UUIDField(
        required=False, help_text="Present when serious harm opened a safeguarding case for the named person"
    )
    reference = serializers.CharField(
        required=False,
        help_text="Present when an anonymous reporter chose a passphrase: their reference, to come back with",
    )


class HistoryOut(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.ChoiceField(choices=HARM_STATUS_CHOICES)
    note = serializers.CharField()
    minimisations = serializers.ListField(child=serializers.ChoiceField(choices=HARM_MINIMISATION_CHOICES))
    person_view = serializers.CharField()
    not_asked_reason = serializers.CharField()
    actor = serializers.CharField(allow_null=True)


class RouteOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    words = serializers.CharField()


class NextStepOut(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[(k, k) for k in ("acknowledge", "update", "respond", "close", "none")])
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)


class HarmReportOut(serializers.Serializer[Any]):
    """What the answering agency needs to respond, and nothing of the person's other records."""

    id = serializers.UUIDField(source="uuid")
    status = serializers.ChoiceField(choices=HARM_STATUS_CHOICES)
    about_agency_id = serializers.SerializerMethodField()
    about_service_id = serializers.SerializerMethodField()
    responder_agency = serializers.CharField(source="responder_agency.name")
    reported_by = serializers.ChoiceField(choices=HARM_REPORTED_BY_CHOICES)
    contact_name = serializers.CharField()
    contact_detail = serializers.CharField()
    description = serializers.CharField()
    sources = serializers.ListField(child=serializers.ChoiceField(choices=HARM_SOURCE_CHOICES))
    impacts = serializers.ListField(child=serializers.ChoiceField(choices=HARM_IMPACT_CHOICES))
    wants = serializers.ListField(child=serializers.ChoiceField(choices=HARM_WANT_CHOICES))
    wants_other = serializers.CharField()
    update_cadence = serializers.ChoiceField(choices=HARM_CADENCE_CHOICES)
    advocacy_offered_at = serializers.DateTimeField()
    advocacy_wanted = serializers.BooleanField(allow_null=True)
    speaking_up = serializers.BooleanField()
    serious = serializers.BooleanField()
    possible_offence = serializers.BooleanField()
    received_at = serializers.DateTimeField()
    acknowledge_by = serializers.DateField()
    respond_by = serializers.DateField(allow_null=True)
    next_step = serializers.SerializerMethodField()
    person_view = serializers.CharField()
    not_asked_reason = serializers.CharField()
    minimisations = serializers.ListField(child=serializers.ChoiceField(choices=HARM_MINIMISATION_CHOICES))
    routes_onward = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.UUID)
    def get_about_agency_id(self, obj: HarmReport) -> str | None:
        return str(obj.about_agency.uuid) if obj.about_agency else None

    @extend_schema_field(OpenApiTypes.UUID)
    def get_about_service_id(self, obj: HarmReport) -> str | None:
        return str(obj.about_service.uuid) if obj.about_service else None

    @extend_schema_field(NextStepOut)
    def get_next_step(self, obj: HarmReport) -> dict[str, Any]:
        step = services.report_next_step(obj)
        return {"kind": step.kind, "text": step.text, "due_on": step.due_on}

    @extend_schema_field(RouteOut(many=True))
    def get_routes_onward(self, obj: HarmReport) -> list[dict[str, str]]:
        kind = obj.about_agency.kind if obj.about_agency else None
        return [{"name": r.name, "words": r.words} for r in routes_onward(kind)]

    @extend_schema_field(HistoryOut(many=True))
    def get_history(self, obj: HarmReport) -> list[dict[str, Any]]:
        return [
            {
                "at": t.at,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "note": t.note,
                "minimisations": t.minimisations,
                "person_view": t.person_view,
                "not_asked_reason": t.not_asked_reason,
                "actor": t.actor.name if t.actor else None,
            }
            for t in selectors.history_of(report=obj)
        ]


class TransitionIn(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=HARM_TRANSITION_CHOICES)
    note = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    person_view = serializers.CharField(
        max_length=20_000, required=False, allow_blank=True, default="", help_text="At closure, in their words"
    )
    not_asked_reason = serializers.CharField(
        max_length=5_000, required=False, allow_blank=True, default="", help_text="At closure, if not asked: why"
    )
    minimisations = serializers.ListField(
        child=serializers.ChoiceField(choices=HARM_MINIMISATION_CHOICES), required=False, default=list
    )


def _created(report: HarmReport) -> dict[str, Any]:
    body: dict[str, Any] = {"id": str(report.uuid), "status": report.status, "acknowledge_by": report.acknowledge_by}
    if report.safeguarding_case_id:
        body["safeguarding_case_id"] = str(report.safeguarding_case.uuid)  # type: ignore[union-attr]
    if report.follow_up_id:
        body["reference"] = report.follow_up.reference  # type: ignore[union-attr]
    return dict(HarmReportCreatedOut(body).data)


class HarmReportsView(APIView):
    @extend_schema(
        request=HarmReportIn,
        responses={201: HarmReportCreatedOut, **ERRORS},
        tags=["harm"],
        summary="Raise harm caused by a service (or the pathway): by the person, an advocate, a practitioner or "
        "anonymously. Serious harm by staff also opens a safeguarding concern.",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = HarmReportIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            agency = service = person = None
            if d["about_agency_id"]:
                agency = agency_by_uuid(d["about_agency_id"])
                if agency is None:
                    raise InvalidInput("Unknown agency.", fields={"about_agency_id": ["No agency with that id"]})
            if d["about_service_id"]:
                service = selectors.service_by_uuid(d["about_service_id"])
                if service is None:
                    raise InvalidInput("Unknown service.", fields={"about_service_id": ["No service with that id"]})
            if d["person_id"]:
                person = person_get(actor=actor, person_uuid=d["person_id"], purpose="Naming them in a harm report")
            report = services.harm_report_raise(
                actor=actor,
                data=ReportInput(
                    reported_by=d["reported_by"],
                    description=d["description"],
                    sources=tuple(d["sources"]),
                    impacts=tuple(d["impacts"]),
                    wants=tuple(d["wants"]),
                    wants_other=d["wants_other"],
                    ill_treatment_in_care=d["ill_treatment_in_care"],
                    contact_name=d["contact_name"],
                    contact_detail=d["contact_detail"],
                    update_cadence=d["update_cadence"],
                    advocacy_wanted=d["advocacy_wanted"],
                    speaking_up=d["speaking_up"],
                ),
                about_agency=agency,
                about_service=service,
                person=person,
                passphrase=d["passphrase"],
            )
            return Response(_created(report), status=status.HTTP_201_CREATED)

        return idempotent_create(request, "harm-reports.create", create)

    @extend_schema(
        parameters=[OpenApiParameter("show", str, enum=["open", "closed"])],
        responses=paginated(HarmReportOut, "PaginatedHarmReportList"),
        operation_id="harm_reports_list",
        tags=["harm"],
        summary="Harm reports your agency must answer, the earliest due first",
    )
    def get(self, request: Request) -> Response:
        actor = acting_user(request)
        show = request.query_params.get("show", "open")
        if show not in {"open", "closed"}:
            raise serializers.ValidationError({"show": ["Show must be open or closed"]})
        paginator = Pagination()
        page = list(paginator.paginate_queryset(selectors.inbox(actor=actor, show=show), request, view=self) or [])
        selectors.read_shown(actor, page, "Harm reports (API)")
        return paginator.get_paginated_response(HarmReportOut(page, many=True).data)


class HarmReportView(APIView):
    @extend_schema(responses={200: HarmReportOut, 404: ERRORS[404]}, tags=["harm"], summary="One harm report")
    def get(self, request: Request, report_id: str) -> Response:
        report, _ = selectors.harm_report_read(
            actor=acting_user(request), report_uuid=report_id, purpose="Reading a harm report to answer it"
        )
        return Response(HarmReportOut(report).data)


class HarmReportTransitionView(APIView):
    @extend_schema(
        request=TransitionIn,
        responses={
            200: HarmReportOut,
            **ERRORS,
            409: OpenApiResponse(description="invalid_transition: the step does not follow from where it is"),
        },
        tags=["harm"],
        summary="Move a harm report along the route: acknowledged, investigating, responded, restorative_meeting, "
        "closed (with the person's view, or why it could not be asked)",
    )
    def post(self, request: Request, report_id: str) -> Response:
        actor = acting_user(request)
        form = TransitionIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        report, _ = selectors.harm_report_read(
            actor=actor, report_uuid=report_id, purpose="Answering a harm report", action="harm_report.respond"
        )
        report = services.harm_report_transition(
            actor=actor,
            report=report,
            step=Step(
                to=d["to"],
                note=d["note"],
                person_view=d["person_view"],
                not_asked_reason=d["not_asked_reason"],
                minimisations=tuple(d["minimisations"]),
            ),
        )
        report, _ = selectors.harm_report_read(actor=actor, report_uuid=report.uuid, purpose="After answering")
        return Response(HarmReportOut(report).data)


class HarmMessageIn(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MESSAGE_MAX, help_text="A question for the person who told us")


HarmMessageOut = inline_serializer(
    name="HarmMessage",
    fields={
        "from": serializers.ChoiceField(choices=[("reporter", "reporter"), ("service", "service")]),
        "text": serializers.CharField(),
        "at": serializers.DateTimeField(),
        "asked_by": serializers.CharField(allow_null=True, help_text="Who asked (never shown to the reporter)"),
    },
)

HarmConversationOut = inline_serializer(
    name="HarmConversation",
    fields={
        "way_back": serializers.BooleanField(
            help_text="Whether the person who told us anonymously kept a way back (a passphrase): only then can "
            "they be asked anything"
        ),
        "reference": serializers.CharField(allow_null=True, help_text="Their reference, when they kept a way back"),
        "named": serializers.BooleanField(help_text="Whether they have since given their name"),
        "messages": HarmMessageOut.__class__(many=True),
    },
)


def _conversation(actor: Any, report: HarmReport) -> dict[str, Any]:
    conversation = followup_selectors.conversation_read(
        actor=actor, follow_up=report.follow_up, purpose="Reading the conversation with an anonymous reporter (API)"
    )
    if conversation is None:
        return {"way_back": False, "reference": None, "named": False, "messages": []}
    return {
        "way_back": True,
        "reference": conversation.reference,
        "named": conversation.named_at is not None,
        "messages": [
            {
                "from": "reporter" if line.from_reporter else "service",
                "text": line.text,
                "at": line.at.isoformat(),
                "asked_by": line.asked_by or None,
            }
            for line in conversation.lines
        ],
    }


class HarmReportMessagesView(APIView):
    @extend_schema(
        responses={200: HarmConversationOut, 404: ERRORS[404]},
        tags=["harm"],
        summary="The conversation with the person who told us anonymously (their questions and answers)",
    )
    def get(self, request: Request, report_id: str) -> Response:
        actor = acting_user(request)
        report, _ = selectors.harm_report_read(actor=actor, report_uuid=report_id, purpose="Reading a harm report")
        return Response(_conversation(actor, report))

    @extend_schema(
        request=HarmMessageIn,
        responses={
            201: HarmConversationOut,
            **ERRORS,
            409: OpenApiResponse(description="no_way_back: they did not keep a way back, so they cannot be asked"),
        },
        tags=["harm"],
        summary="Ask the person who told us anonymously a question: they read it with their reference and "
        "passphrase, and see your words only (never your name or agency)",
    )
    def post(self, request: Request, report_id: str) -> Response:
        actor = acting_user(request)
        form = HarmMessageIn(data=request.data)
        form.is_valid(raise_exception=True)
        report, _ = selectors.harm_report_read(
            actor=actor, report_uuid=report_id, purpose="Asking the reporter", action="harm_report.respond"
        )
        if report.follow_up is None:
            raise Conflict(
                "They did not keep a way back (a passphrase), so there is no way to ask them anything.",
                code="no_way_back",
            )
        followup_services.follow_up_ask(actor=actor, follow_up=report.follow_up, text=form.validated_data["text"])
        return Response(_conversation(actor, report), status=status.HTTP_201_CREATED)


class HarmMeasuresOut(serializers.Serializer[Any]):
    measure = serializers.CharField()
    group = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()


class HarmMeasuresView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
        responses=HarmMeasuresOut(many=True),
        tags=["harm"],
        summary="Harm measures (no person-level field; counts under 5 suppressed)",
    )
    def get(self, request: Request) -> Response:
        since = _date(request, "from")
        until = _date(request, "to")
        figures = selectors.measures(actor=acting_user(request), since=since, until=until)
        return Response(HarmMeasuresOut(selectors.figures_as_dicts(figures), many=True).data)


def _date(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    field = serializers.DateField()
    try:
        return field.to_internal_value(raw)
    except serializers.ValidationError as bad:
        raise serializers.ValidationError({name: ["Use a date like 2026-10-01"]}) from bad
