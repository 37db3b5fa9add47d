"""The directory (docs/api.md → Referrals and the directory), Open Referral UK export, suggestions, referrals."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access import door
from joinedup.access.decision import NotVisible, decide
from joinedup.accounts.selectors import acting_user, agency_by_uuid
from joinedup.cases.selectors import case_get, case_read, open_case
from joinedup.consent.services import consent_cover
from joinedup.core.api import Pagination, idempotent_create
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.schema import paginated
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_get
from joinedup.referrals import selectors, services
from joinedup.referrals.domain.suggestions import INFORMATION_GROUPS, NEED_GROUPS, Need
from joinedup.referrals.models import Referral, Service

NEEDS = [n.value for n in Need]


class ServiceOut(serializers.ModelSerializer[Service]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "organization_name",
            "description",
            "status",
            "agency",
            "needs",
            "area",
            "eligibility",
            "referral_route",
            "accepts_self_referral",
            "opening_times",
            "languages",
            "accessibility",
            "waiting_days",
            "url",
            "email",
            "phone",
            "assured_date",
            "routine_working_days",
            "urgent_working_days",
        ]


@extend_schema(
    parameters=[OpenApiParameter("q", str), OpenApiParameter("need", str, enum=NEEDS), OpenApiParameter("area", str)],
    tags=["directory"],
    summary="Search the service directory by words, need and area",
)
class ServiceListView(ListAPIView[Service]):
    serializer_class = ServiceOut

    def get_queryset(self) -> QuerySet[Service]:
        params = self.request.query_params
        found = Service.objects.filter(status="active").select_related("agency")
        need = params.get("need")
        if need:
            if need not in NEEDS:
                raise serializers.ValidationError({"need": [f"Need must be one of: {', '.join(NEEDS)}"]})
            found = found.filter(pk__in=[s.pk for s in found if need in s.needs])
        if params.get("q"):
            q = params["q"]
            found = found.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(organization_name__icontains=q))
        if params.get("area"):
            found = found.filter(area__icontains=params["area"])
        return found.order_by("name")


class ServiceView(APIView):
    @extend_schema(responses=ServiceOut, tags=["directory"], summary="One service")
    def get(self, request: Request, service_id: str) -> Response:
        service = Service.objects.select_related("agency").filter(uuid=service_id).first()
        if service is None:
            raise NotVisible("Not found")
        return Response(ServiceOut(service).data)


class OpenReferralServicesView(APIView):
    @extend_schema(
        responses=dict,
        tags=["directory"],
        summary="The directory as an Open Referral UK service list (each item valid against its schema)",
    )
    def get(self, request: Request) -> Response:
        contents = services.services_export()
        return Response(
            {
                "total_items": len(contents),
                "total_pages": 1,
                "page_number": 1,
                "size": len(contents),
                "first_page": True,
                "last_page": True,
                "empty": not contents,
                "contents": contents,
            }
        )


class SuggestionOut(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=NEEDS)
    reason = serializers.CharField()
    rule = serializers.CharField(help_text="The rule, in plain words")
    # A declared field, popped off the class by DRF's metaclass, so it does not shadow Field.source at run time.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="Where the rule comes from (law, guidance or research)"
    )
    consent_purpose = serializers.CharField()
    covered = serializers.BooleanField(help_text="Whether consent or a sharing decision already covers it")
    services = serializers.ListField(child=serializers.UUIDField())


class SuggestionsView(APIView):
    @extend_schema(
        responses=SuggestionOut(many=True),
        tags=["referrals"],
        summary="What the pathway suggests for this case, each with its reason and rule",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case, seen = case_read(actor=acting_user(request), case_uuid=case_id, purpose="Pathway suggestions")
        # Suggestions drawn from facts this reader may not see are left out (referrals/presenters.py).
        shown = [(s, found) for s, found in services.suggestions_for(case) if seen.shows(NEED_GROUPS[s.kind])]
        return Response([suggestion_body(case, s, found) for s, found in shown])


def suggestion_body(case: Any, suggestion: Any, found: list[Service]) -> dict[str, Any]:

    covered = bool(found) and any(
        consent_cover(
            person=case.person, purpose=suggestion.consent_purpose, recipient=s.agency, service_id=s.uuid
        ).covered
        for s in found
        if s.agency is not None
    )
    return {
        "kind": suggestion.kind.value,
        "reason": suggestion.reason,
        "rule": suggestion.rule,
        "source": suggestion.source,
        "consent_purpose": suggestion.consent_purpose,
        "covered": covered,
        "services": [str(s.uuid) for s in found],
    }


class ReferralIn(serializers.Serializer[Any]):
    case_id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    reason = serializers.CharField(max_length=5000)
    urgency = serializers.ChoiceField(choices=["routine", "urgent"], default="routine")
    agency = serializers.SlugField(required=False)


class TransitionOut(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(allow_null=True)


class ReferralOut(serializers.ModelSerializer[Referral]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case_id = serializers.UUIDField(source="case.uuid", read_only=True)
    kind = serializers.ChoiceField(
        choices=["service", "information"],
        read_only=True,
        help_text="service: a referral to a service; information: a request for information to an agency",
    )
    service_id = serializers.UUIDField(
        source="service.uuid", read_only=True, allow_null=True, help_text="null for a request for information"
    )
    service = serializers.CharField(
        source="service.name", read_only=True, allow_null=True, help_text="null for a request for information"
    )
    information = serializers.SerializerMethodField(
        help_text="A request for information: the agency's answer, to the agency that wrote it and to readers who "
        "see the whole record (otherwise null; answered_at says whether it was answered)"
    )
    to_agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    from_agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    alternative_service_id = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    escalations = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "kind",
            "case_id",
            "service_id",
            "service",
            "to_agency",
            "from_agency",
            "reason",
            "urgency",
            "status",
            "respond_by",
            "sent_at",
            "answered_at",
            "named_contact",
            "decline_reason",
            "alternative_service_id",
            "alternative",
            "information",
            "history",
            "escalations",
        ]

    def get_information(self, obj: Referral) -> str | None:
        # Shown only where the view decided this reader may read it (see _information_readable).
        return obj.information if obj.information and obj.pk in self.context.get("information_for", ()) else None

    def get_alternative_service_id(self, obj: Referral) -> str | None:
        return str(obj.alternative_service.uuid) if obj.alternative_service else None

    def get_history(self, obj: Referral) -> list[dict[str, Any]]:
        return [
            {
                "at": t.at,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "note": t.note,
                "actor": t.actor.name if t.actor else None,
            }
            for t in obj.history.select_related("actor")
        ]

    def get_escalations(self, obj: Referral) -> list[dict[str, Any]]:
        return [{"at": e.at, "level": e.level, "note": e.note} for e in selectors.escalations_of(referral=obj)]


def _referral(request: Request, referral_id: str, purpose: str) -> Referral:
    """Through the one door: the receiving agency, or anyone who may see the person (referral.view)."""
    return selectors.referral_read(actor=acting_user(request), referral_uuid=referral_id, purpose=purpose)[0]


def _one(request: Request, referral_id: str, purpose: str) -> tuple[Referral, dict[str, Any]]:
    """A referral through the door, and the serializer context saying whether its answer may be shown."""
    actor = acting_user(request)
    referral, seen = selectors.referral_read(actor=actor, referral_uuid=referral_id, purpose=purpose)
    return referral, {"information_for": {referral.pk} if _information_readable(actor, referral, seen) else set()}


def _information_readable(actor: Any, referral: Referral, seen: door.Seen) -> bool:
    """An agency's answer is its own account of the person: the agency that wrote it, and readers who see the whole
    record (referrals/domain/suggestions.py INFORMATION_GROUPS)."""
    return decide(actor, "referral.respond", referral).allowed or seen.shows(INFORMATION_GROUPS)


class ReferralsView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("direction", str, enum=["incoming", "outgoing"])],
        responses=paginated(ReferralOut, "PaginatedReferralList"),
        operation_id="referrals_list",
        tags=["referrals"],
        summary="Referrals to your agencies (incoming, overdue first) or from them (outgoing)",
    )
    def get(self, request: Request) -> Response:

        actor = acting_user(request)
        direction = request.query_params.get("direction", "incoming")
        if direction not in {"incoming", "outgoing"}:
            raise serializers.ValidationError({"direction": ["Direction must be incoming or outgoing"]})
        found = selectors.incoming(actor=actor) if direction == "incoming" else selectors.outgoing(actor=actor)
        paginator = Pagination()
        page = paginator.paginate_queryset(found, request, view=self) or []
        door.read_list(
            actor, objects=page, purpose=f"Referrals ({direction}, API)", person_uuid_of=lambda r: r.case.person.uuid
        )
        return paginator.get_paginated_response(ReferralOut(page, many=True).data)

    @extend_schema(
        request=ReferralIn,
        responses={
            201: ReferralOut,
            200: OpenApiResponse(ReferralOut, description="Already open for this case and service: the first one"),
        },
        tags=["referrals"],
        summary="Refer (409 no_consent unless consent or a sharing decision covers it; once only)",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = ReferralIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            case = case_get(actor=actor, case_uuid=d["case_id"], purpose="Referring")
            service = Service.objects.select_related("agency").filter(uuid=d["service_id"]).first()
            if service is None:
                raise InvalidInput("Unknown service.", fields={"service_id": ["No service with that id"]})
            referral, sent = services.referral_send_once(
                actor=actor,
                agency=acting_agency(actor, d.get("agency")),
                case=case,
                service=service,
                reason=d["reason"],
                urgency=d["urgency"],
            )
            # Once only: while a referral to this service for this case is open, the answer is that referral
            # (200), and nothing new is sent.
            return Response(ReferralOut(referral).data, status=status.HTTP_201_CREATED if sent else status.HTTP_200_OK)

        return idempotent_create(request, "referrals.create", create)


class ReferralView(APIView):
    @extend_schema(responses=ReferralOut, tags=["referrals"], summary="One referral with its history and escalations")
    def get(self, request: Request, referral_id: str) -> Response:
        referral, context = _one(request, referral_id, "Reading a referral")
        return Response(ReferralOut(referral, context=context).data)


class ReferralAcceptIn(serializers.Serializer[Any]):
    named_contact = serializers.CharField(max_length=300)


class ReferralDeclineIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)
    alternative_service_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    alternative = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteIn(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralAcceptView(APIView):
    @extend_schema(
        request=ReferralAcceptIn, responses=ReferralOut, tags=["referrals"], summary="Accept, naming a contact"
    )
    def post(self, request: Request, referral_id: str) -> Response:
        form = ReferralAcceptIn(data=request.data)
        form.is_valid(raise_exception=True)
        referral = services.referral_accept(
            actor=acting_user(request),
            referral=_referral(request, referral_id, "Accepting a referral"),
            named_contact=form.validated_data["named_contact"],
        )
        return Response(ReferralOut(referral).data)


class ReferralDeclineView(APIView):
    @extend_schema(
        request=ReferralDeclineIn,
        responses=ReferralOut,
        tags=["referrals"],
        summary="Decline with a reason and an alternative (both required)",
    )
    def post(self, request: Request, referral_id: str) -> Response:
        form = ReferralDeclineIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        alternative = None
        if d["alternative_service_id"]:
            alternative = Service.objects.filter(uuid=d["alternative_service_id"]).first()
            if alternative is None:
                raise InvalidInput("Unknown service.", fields={"alternative_service_id": ["No service with that id"]})
        referral = services.referral_decline(
            actor=acting_user(request),
            referral=_referral(request, referral_id, "Declining a referral"),
            reason=d["reason"],
            alternative_service=alternative,
            alternative=d["alternative"],
        )
        return Response(ReferralOut(referral).data)


class ReferralWithdrawView(APIView):
    @extend_schema(request=NoteIn, responses=ReferralOut, tags=["referrals"], summary="Withdraw a referral you sent")
    def post(self, request: Request, referral_id: str) -> Response:
        form = NoteIn(data=request.data)
        form.is_valid(raise_exception=True)
        referral = services.referral_withdraw(
            actor=acting_user(request),
            referral=_referral(request, referral_id, "Withdrawing a referral"),
            note=form.validated_data["note"],
        )
        return Response(ReferralOut(referral).data)


class ReferralCompleteView(APIView):
    @extend_schema(
        request=NoteIn, responses=ReferralOut, tags=["referrals"], summary="Mark an accepted referral's work completed"
    )
    def post(self, request: Request, referral_id: str) -> Response:
        form = NoteIn(data=request.data)
        form.is_valid(raise_exception=True)
        referral = services.referral_complete(
            actor=acting_user(request),
            referral=_referral(request, referral_id, "Completing a referral"),
            note=form.validated_data["note"],
        )
        return Response(ReferralOut(referral).data)


class InformationAnswerIn(serializers.Serializer[Any]):
    information = serializers.CharField(max_length=20000)


class ReferralAnswerView(APIView):
    @extend_schema(
        request=InformationAnswerIn,
        responses=ReferralOut,
        tags=["referrals"],
        summary="Answer a request for information with what you know (409 not_information_request for a referral "
        "to a service, not_open once answered, declined or withdrawn)",
    )
    def post(self, request: Request, referral_id: str) -> Response:
        form = InformationAnswerIn(data=request.data)
        form.is_valid(raise_exception=True)
        referral, _ = _one(request, referral_id, "Answering a request for information")
        referral = services.information_request_answer(
            actor=acting_user(request), referral=referral, information=form.validated_data["information"]
        )
        return Response(ReferralOut(referral, context={"information_for": {referral.pk}}).data)


class InformationRequestIn(serializers.Serializer[Any]):
    agency_id = serializers.UUIDField(
        help_text="The agency to ask: one of those GET /api/v1/people/{id}/links lists (agencies[].agency_id)"
    )
    question = serializers.CharField(max_length=5000, help_text="What you want to know, and why")
    urgency = serializers.ChoiceField(choices=["routine", "urgent"], default="routine")
    agency = serializers.SlugField(required=False, help_text="Your agency, if you do casework in more than one")


class InformationRequestsView(APIView):
    @extend_schema(
        request=InformationRequestIn,
        responses={
            201: ReferralOut,
            200: OpenApiResponse(ReferralOut, description="Already open for this case and agency: the first one"),
        },
        tags=["referrals"],
        summary="Ask an agency believed to hold records of the person (linkage) for information: answered like a "
        "referral. 409 no_consent unless consent to share with that agency or a sharing decision covers it; "
        "409 no_open_case without an open case; 400 for an agency linkage has not found; once only",
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = InformationRequestIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            person = person_get(actor=actor, person_uuid=person_id, purpose="Asking another agency for information")
            case = open_case(person=person)
            if case is None:
                raise Conflict(
                    "They have no open case. Open one (record what happened) before asking other agencies.",
                    code="no_open_case",
                )
            to_agency = agency_by_uuid(d["agency_id"])
            if to_agency is None:
                raise InvalidInput("Unknown agency.", fields={"agency_id": ["No agency with that id"]})
            referral, sent = services.information_request_send(
                actor=actor,
                agency=acting_agency(actor, d.get("agency")),
                case=case,
                to_agency=to_agency,
                question=d["question"],
                urgency=d["urgency"],
            )
            return Response(ReferralOut(referral).data, status=status.HTTP_201_CREATED if sent else status.HTTP_200_OK)

        return idempotent_create(request, "information_requests.create", create)
