"""Consent and sharing (docs/api.md → Consent and sharing), the access log, and contacts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user
from joinedup.audit.models import AuditEntry
from joinedup.consent import directory, selectors, services
from joinedup.consent.contact import contact_attempt
from joinedup.consent.directory import ServiceRecipient
from joinedup.consent.domain.rules import (
    LAWFUL_BASES,
    SPECIAL_CATEGORY_CONDITIONS,
    ConsentStatus,
    Para18Answers,
    Purpose,
    RecipientKind,
    SharingInput,
)
from joinedup.consent.models import Consent, SharingDecision
from joinedup.core.api import idempotent_create
from joinedup.core.errors import InvalidInput
from joinedup.people.api import acting_agency
from joinedup.people.domain.validation import CHANNELS
from joinedup.people.selectors import person_get, person_read

PURPOSES = [p.value for p in Purpose]


class ConsentProblemDetail(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    # The contract names it "fields"; DRF's metaclass moves declared fields aside, so the attribute is safe.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class ConsentProblem(serializers.Serializer[Any]):
    error = ConsentProblemDetail()


ERROR = OpenApiResponse(ConsentProblem, description='{"error": {"code", "message", "fields"}}')


def _agency(agency_id: Any, field: str) -> Agency:
    agency = Agency.objects.filter(uuid=agency_id).first()
    if agency is None:
        raise InvalidInput("Unknown agency.", fields={field: ["No agency with that id"]})
    return agency


def _service(service_id: Any) -> ServiceRecipient:
    service = directory.service_find(service_id)
    if service is None:
        raise InvalidInput("Unknown service.", fields={"service_id": ["No service in the directory with that id"]})
    return service


class CapacityIn(serializers.Serializer[Any]):
    has_capacity = serializers.BooleanField(default=True)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ConsentIn(serializers.Serializer[Any]):
    person_id = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=PURPOSES)
    recipient_agency_id = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="The agency the consent is for"
    )
    service_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A directory service the consent is for: it covers referrals to that service only, and sharing "
        "with the agency that runs it",
    )
    any_partner = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person's explicit choice: any partner agency. Name exactly one of recipient_agency_id, "
        "service_id or any_partner; otherwise 400",
    )
    decision = serializers.ChoiceField(choices=["given", "refused"])
    capacity = CapacityIn()
    agency = serializers.SlugField(required=False, help_text="The agency you record for")


class ConsentOut(serializers.ModelSerializer[Consent]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_id = serializers.UUIDField(source="person.uuid", read_only=True)
    recipient_agency = serializers.SerializerMethodField()
    service = serializers.SerializerMethodField()
    any_partner = serializers.SerializerMethodField()
    ask_again = serializers.SerializerMethodField(
        help_text="Recorded without saying who it was for: it covers nobody until the person is asked again"
    )
    recipient_description = serializers.SerializerMethodField(help_text="Who it is for, in plain words")
    capacity = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.name", read_only=True)
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "person_id",
            "purpose",
            "recipient_agency",
            "service",
            "any_partner",
            "ask_again",
            "recipient_description",
            "decision",
            "capacity",
            "recorded_by",
            "recorded_at",
            "withdrawn",
            "withdrawn_at",
        ]

    def get_recipient_agency(self, obj: Consent) -> dict[str, str] | None:
        a = obj.recipient_agency
        return {"id": str(a.uuid), "slug": a.slug, "name": a.name} if a else None

    def get_service(self, obj: Consent) -> dict[str, str] | None:
        if obj.recipient_service_uuid is None:
            return None
        return {"id": str(obj.recipient_service_uuid), "name": obj.recipient_service_name}

    def get_any_partner(self, obj: Consent) -> bool:
        return obj.recipient_kind == RecipientKind.ANY_PARTNER

    def get_ask_again(self, obj: Consent) -> bool:
        return obj.recipient_kind == RecipientKind.UNSPECIFIED

    def get_recipient_description(self, obj: Consent) -> str:
        return services.consent_for_words(obj)

    def get_capacity(self, obj: Consent) -> dict[str, Any]:
        return {"has_capacity": obj.has_capacity, "note": obj.capacity_note}

    def get_withdrawn(self, obj: Consent) -> bool:
        return obj.withdrawn_at is not None


class ConsentsView(APIView):
    @extend_schema(
        request=ConsentIn,
        responses={201: ConsentOut, 400: ERROR, 404: ERROR},
        tags=["consent"],
        summary="Record consent given or refused, per purpose and named recipient, with a capacity note",
        description="The consent must name who it is for: `recipient_agency_id`, `service_id`, or "
        '`"any_partner": true` when the person chose any partner agency. None, or more than one: 400. An unknown '
        "agency or service: 400. Consent to one recipient never covers another.",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = ConsentIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            person = person_get(actor=actor, person_uuid=d["person_id"], purpose="Recording consent")
            recipient = _agency(d["recipient_agency_id"], "recipient_agency_id") if d["recipient_agency_id"] else None
            service = _service(d["service_id"]) if d["service_id"] else None
            consent = services.consent_record(
                actor=actor,
                agency=acting_agency(actor, d.get("agency")),
                person=person,
                purpose=d["purpose"],
                decision=d["decision"],
                recipient=recipient,
                service=service,
                any_partner=d["any_partner"],
                has_capacity=d["capacity"]["has_capacity"],
                capacity_note=d["capacity"]["note"],
            )
            return Response(ConsentOut(consent).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "consents.create", create)


class WithdrawIn(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ConsentWithdrawView(APIView):
    @extend_schema(
        request=WithdrawIn,
        responses=ConsentOut,
        tags=["consent"],
        summary="Withdraw consent: it stops covering anything from now on",
    )
    def post(self, request: Request, consent_id: str) -> Response:
        actor = acting_user(request)
        person_uuid = selectors.consent_person_uuid(consent_uuid=consent_id)
        if person_uuid is None:
            raise NotVisible("Not found")
        person = person_get(actor=actor, person_uuid=person_uuid, purpose="Withdrawing consent")
        consent = selectors.consent_of(person=person, consent_uuid=consent_id)
        if consent is None:
            raise NotVisible("Not found")
        form = WithdrawIn(data=request.data)
        form.is_valid(raise_exception=True)
        consent = services.consent_withdraw(
            actor=actor, agency=acting_agency(actor, None), consent=consent, note=form.validated_data["note"]
        )
        return Response(ConsentOut(consent).data)


class PersonConsentsView(ListAPIView[Consent]):
    serializer_class = ConsentOut

    @extend_schema(tags=["consent"], summary="The person's consents, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Consent]:
        actor = acting_user(self.request)
        person = person_get(actor=actor, person_uuid=self.kwargs["person_id"], purpose="Reading consent")
        return selectors.consents_for(person=person)


class Para18In(serializers.Serializer[Any]):
    necessary_to_protect = serializers.BooleanField()
    care_and_support_needs = serializers.BooleanField()
    experiencing_or_at_risk_of_harm = serializers.BooleanField()
    unable_to_protect_self = serializers.BooleanField()
    substantial_public_interest = serializers.BooleanField()


class SharingIn(serializers.Serializer[Any]):
    person_id = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=PURPOSES)
    recipient_agency_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=20, help_text="Or service_id"
    )
    service_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Instead of recipient_agency_ids: one directory service (its agency receives; the decision "
        "covers that service, not the agency's others)",
    )
    lawful_basis = serializers.ChoiceField(choices=list(LAWFUL_BASES))
    special_category_condition = serializers.ChoiceField(choices=list(SPECIAL_CATEGORY_CONDITIONS))
    consent_status = serializers.ChoiceField(choices=[s.value for s in ConsentStatus])
    necessity = serializers.CharField(max_length=5000)
    tell_person = serializers.BooleanField()
    why_not_tell = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)
    para18 = Para18In(required=False)
    agency = serializers.SlugField(required=False)


class SharingOut(serializers.ModelSerializer[SharingDecision]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_id = serializers.UUIDField(source="person.uuid", read_only=True)
    recipient_agency_ids = serializers.SerializerMethodField()
    service = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.name", read_only=True)

    class Meta:
        model = SharingDecision
        fields = [
            "id",
            "person_id",
            "purpose",
            "recipient_agency_ids",
            "service",
            "lawful_basis",
            "special_category_condition",
            "consent_status",
            "necessity",
            "para18",
            "tell_person",
            "why_not_tell",
            "review_on",
            "decided_by",
            "decided_at",
        ]

    def get_recipient_agency_ids(self, obj: SharingDecision) -> list[str]:
        return [str(a.uuid) for a in obj.recipients.all()]

    def get_service(self, obj: SharingDecision) -> dict[str, str] | None:
        return {"id": str(obj.service_uuid), "name": obj.service_name} if obj.service_uuid else None


class SharingDecisionsView(APIView):
    @extend_schema(
        request=SharingIn,
        responses={201: SharingOut, 400: ERROR, 403: ERROR, 404: ERROR},
        tags=["consent"],
        summary="Share without consent (safeguarding and data protection leads only), fully justified",
        description="Name the recipients as `recipient_agency_ids` or as one `service_id` (not both); an unknown "
        "agency or service: 400.",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = SharingIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            person = person_get(actor=actor, person_uuid=d["person_id"], purpose="Deciding to share")
            if d["service_id"] and d["recipient_agency_ids"]:
                raise InvalidInput(
                    "Name the agencies or one service, not both.",
                    fields={"service_id": ["Name the agencies or one service, not both"]},
                )
            recipients = [_agency(a, "recipient_agency_ids") for a in d["recipient_agency_ids"]]
            service = _service(d["service_id"]) if d["service_id"] else None
            para = d.get("para18")
            data = SharingInput(
                purpose=d["purpose"],
                recipient_agency_ids=tuple(r.pk for r in recipients),
                lawful_basis=d["lawful_basis"],
                special_category_condition=d["special_category_condition"],
                consent_status=d["consent_status"],
                necessity=d["necessity"],
                tell_person=d["tell_person"],
                why_not_tell=d["why_not_tell"],
                review_on=d["review_on"],
                para18=Para18Answers(consent_status=d["consent_status"], **para) if para else None,
            )
            decision = services.sharing_decision_record(
                actor=actor, agency=acting_agency(actor, d.get("agency")), person=person, data=data, service=service
            )
            return Response(SharingOut(decision).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "sharing_decisions.create", create)


class AccessLogOut(serializers.ModelSerializer[AuditEntry]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "action", "purpose"]

    def get_actor(self, obj: AuditEntry) -> dict[str, str]:
        return {"name": obj.actor_name or "The partnership's system", "agency": obj.actor_agency_name}


class AccessLogView(ListAPIView[AuditEntry]):
    serializer_class = AccessLogOut

    @extend_schema(tags=["consent"], summary="Who looked at or changed this person's record, when and why")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditEntry]:
        actor = acting_user(self.request)
        person, _ = person_read(
            actor=actor,
            person_uuid=self.kwargs["person_id"],
            purpose="Reading the access log",
            action="access_log.view",
        )
        return selectors.access_log(person=person)


class ContactIn(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(choices=CHANNELS)
    purpose = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=["made", "no_answer"], default="made")
    message = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="For email: the message sent"
    )


class ContactOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    channel = serializers.CharField()
    purpose = serializers.CharField()
    outcome = serializers.CharField()
    at = serializers.DateTimeField()


class PersonContactsView(APIView):
    @extend_schema(
        request=ContactIn,
        responses={201: ContactOut},
        tags=["people"],
        summary="Contact the person through their safe-contact rules (409 channel_not_allowed otherwise)",
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        form = ContactIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        person = person_get(actor=actor, person_uuid=person_id, purpose="Contacting the person")
        attempt = contact_attempt(
            actor=actor,
            agency=acting_agency(actor, None),
            person=person,
            channel=d["channel"],
            purpose=d["purpose"],
            summary=d["summary"],
            outcome=d["outcome"],
            message=d["message"],
        )
        return Response(ContactOut(attempt).data, status=status.HTTP_201_CREATED)
