"""Consent and sharing (docs/api.md → Consent and sharing), the access log, and contacts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import Agency
from joinedup.accounts.selectors import acting_user
from joinedup.audit.models import AuditEntry
from joinedup.consent import selectors, services
from joinedup.consent.domain.rules import (
    LAWFUL_BASES,
    SPECIAL_CATEGORY_CONDITIONS,
    ConsentStatus,
    Para18Answers,
    Purpose,
    SharingInput,
)
from joinedup.consent.models import Consent, SharingDecision
from joinedup.core.api import idempotent_create
from joinedup.core.errors import InvalidInput
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_get, person_read

PURPOSES = [p.value for p in Purpose]


def _agency(agency_id: Any, field: str) -> Agency:
    agency = Agency.objects.filter(uuid=agency_id).first()
    if agency is None:
        raise InvalidInput("Unknown agency.", fields={field: ["No agency with that id"]})
    return agency


class CapacityIn(serializers.Serializer[Any]):
    has_capacity = serializers.BooleanField(default=True)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class ConsentIn(serializers.Serializer[Any]):
    person_id = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=PURPOSES)
    recipient_agency_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    service_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Services arrive with the directory; an agency id is used until then",
    )
    decision = serializers.ChoiceField(choices=["given", "refused"])
    capacity = CapacityIn()
    agency = serializers.SlugField(required=False, help_text="The agency you record for")


class ConsentOut(serializers.ModelSerializer[Consent]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_id = serializers.UUIDField(source="person.uuid", read_only=True)
    recipient_agency = serializers.SerializerMethodField()
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

    def get_capacity(self, obj: Consent) -> dict[str, Any]:
        return {"has_capacity": obj.has_capacity, "note": obj.capacity_note}

    def get_withdrawn(self, obj: Consent) -> bool:
        return obj.withdrawn_at is not None


class ConsentsView(APIView):
    @extend_schema(
        request=ConsentIn,
        responses={201: ConsentOut},
        tags=["consent"],
        summary="Record consent given or refused, per purpose and recipient, with a capacity note",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = ConsentIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            person = person_get(actor=actor, person_uuid=d["person_id"], purpose="Recording consent")
            recipient = _agency(d["recipient_agency_id"], "recipient_agency_id") if d["recipient_agency_id"] else None
            consent = services.consent_record(
                actor=actor,
                agency=acting_agency(actor, d.get("agency")),
                person=person,
                purpose=d["purpose"],
                decision=d["decision"],
                recipient=recipient,
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
        consent = Consent.objects.select_related("person").filter(uuid=consent_id).first()
        if consent is None:
            raise NotVisible("Not found")
        person_get(actor=actor, person_uuid=consent.person.uuid, purpose="Withdrawing consent")
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
    recipient_agency_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=20)
    service_id = serializers.UUIDField(required=False, allow_null=True, default=None)
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
    decided_by = serializers.CharField(source="decided_by.name", read_only=True)

    class Meta:
        model = SharingDecision
        fields = [
            "id",
            "person_id",
            "purpose",
            "recipient_agency_ids",
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


class SharingDecisionsView(APIView):
    @extend_schema(
        request=SharingIn,
        responses={201: SharingOut},
        tags=["consent"],
        summary="Share without consent (safeguarding and data protection leads only), fully justified",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = SharingIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            person = person_get(actor=actor, person_uuid=d["person_id"], purpose="Deciding to share")
            recipients = [_agency(a, "recipient_agency_ids") for a in d["recipient_agency_ids"]]
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
                actor=actor, agency=acting_agency(actor, d.get("agency")), person=person, data=data
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
