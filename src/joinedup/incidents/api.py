"""/api/v1/incidents — record what happened (classification included) and read it back."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user
from joinedup.core.api import idempotent_create
from joinedup.core.domain import limits
from joinedup.core.errors import InvalidInput
from joinedup.followup.domain.rules import PASSPHRASE_MAX
from joinedup.incidents import selectors, services
from joinedup.incidents.domain import vocabulary as v
from joinedup.incidents.domain.recording import IncidentInput, PerpetratorInput
from joinedup.incidents.models import Incident
from joinedup.incidents.presenters import incident_data_for
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_get


def choice_list(terms: tuple[v.Term, ...]) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=v.values(terms)),
        required=False,
        default=list,
        max_length=limits.CHOICES_MAX,
    )


TRI = ["yes", "no", "unknown"]


class EntryPointSchema(serializers.Serializer[Any]):
    setting = serializers.ChoiceField(choices=v.values(v.SETTINGS))
    need = serializers.ChoiceField(choices=v.values(v.NEEDS))


class HostilitySchema(serializers.Serializer[Any]):
    strands = choice_list(v.STRANDS)
    perceived_by = choice_list(v.PERCEIVED_BY)
    other_detail = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PerpetratorSchema(serializers.Serializer[Any]):
    relationship = serializers.ChoiceField(choices=v.values(v.RELATIONSHIPS))
    details = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CareSchema(serializers.Serializer[Any]):
    has_needs = serializers.ChoiceField(choices=TRI, default="unknown")
    unable_to_protect_self = serializers.ChoiceField(choices=TRI, default="unknown")


class ReporterSchema(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    relationship = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254)


class IncidentIn(serializers.Serializer[Any]):
    person_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    reported_by = serializers.ChoiceField(choices=[r.value for r in v.ReportedBy], default="practitioner")
    anonymous = serializers.BooleanField(default=False)
    reporter = ReporterSchema(required=False)
    entry_point = EntryPointSchema(required=False)
    agency = serializers.SlugField(required=False, help_text="The agency you record for; defaults to your first")
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    occurred_between = serializers.ListField(
        child=serializers.DateField(), required=False, allow_null=True, default=None, min_length=2, max_length=2
    )
    location_kind = serializers.ChoiceField(choices=v.values(v.LOCATIONS), required=False, allow_blank=True, default="")
    description = serializers.CharField(trim_whitespace=False, max_length=20_000)
    kinds = choice_list(v.KINDS)
    perceived_hostility = HostilitySchema(required=False)
    perpetrators = serializers.ListField(
        child=PerpetratorSchema(), required=False, default=list, max_length=limits.PERPETRATORS_MAX
    )
    injuries = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    impacts = choice_list(v.IMPACTS)
    happened_before = serializers.ChoiceField(choices=TRI, default="unknown")
    police_aware = serializers.BooleanField(required=False, allow_null=True, default=None)
    dismissed_as_symptom = serializers.BooleanField(required=False, allow_null=True, default=None)
    care_and_support = CareSchema(required=False)
    wishes = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=5000)
    wanted_actions = choice_list(v.WANTED_ACTIONS)
    same_event_as = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="An incident you may see, about the same person, that this is another account of: the account is "
        "kept verbatim, and risk, panel counts and police packages count the event once",
    )
    passphrase = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        trim_whitespace=False,
        max_length=PASSPHRASE_MAX * 2,
        help_text="For an anonymous report only, chosen by the reporter: with the answer's reference it lets them "
        "read the hub's questions and answer (POST /api/v1/public/follow-up). At least 10 characters; stored as a "
        "slow hash and never sent back. Never store it yourself",
    )

    def incident_input(self, *, default_entry: tuple[str, str]) -> IncidentInput:
        d = self.validated_data
        hostility = d.get("perceived_hostility") or {"strands": [], "perceived_by": [], "other_detail": ""}
        care = d.get("care_and_support") or {"has_needs": "unknown", "unable_to_protect_self": "unknown"}
        entry = d.get("entry_point") or {"setting": default_entry[0], "need": default_entry[1]}
        between = d.get("occurred_between") or [None, None]
        return IncidentInput(
            description=d["description"],
            reported_by=d["reported_by"],
            anonymous=d["anonymous"],
            reporter=dict(d.get("reporter") or {}),
            entry_setting=entry["setting"],
            entry_need=entry["need"],
            occurred_on=d["occurred_on"],
            occurred_from=between[0],
            occurred_to=between[1],
            location_kind=d["location_kind"],
            kinds=tuple(d["kinds"]),
            strands=tuple(hostility["strands"]),
            perceived_by=tuple(hostility["perceived_by"]),
            strand_other_detail=hostility["other_detail"],
            perpetrators=tuple(PerpetratorInput(p["relationship"], p["details"]) for p in d["perpetrators"]),
            injuries=d["injuries"],
            impacts=tuple(d["impacts"]),
            happened_before=d["happened_before"],
            police_aware=d["police_aware"],
            dismissed_as_symptom=d["dismissed_as_symptom"],
            care_has_needs=care["has_needs"],
            care_unable_to_protect_self=care["unable_to_protect_self"],
            wishes=d["wishes"],
            wanted_actions=tuple(d["wanted_actions"]),
        )


class IncidentOut(serializers.ModelSerializer[Incident]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_id = serializers.SerializerMethodField()
    case_id = serializers.SerializerMethodField()
    same_event_as = serializers.SerializerMethodField(
        help_text="The event's first account, when this is another account of it; otherwise null"
    )
    entry_point = serializers.SerializerMethodField()
    occurred_between = serializers.SerializerMethodField()
    perceived_hostility = serializers.SerializerMethodField()
    perpetrators = serializers.SerializerMethodField()
    care_and_support = serializers.SerializerMethodField()
    recording_agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "person_id",
            "case_id",
            "same_event_as",
            "classification",
            "reported_by",
            "anonymous",
            "recording_agency",
            "entry_point",
            "occurred_on",
            "occurred_between",
            "location_kind",
            "description",
            "kinds",
            "perceived_hostility",
            "perpetrators",
            "injuries",
            "impacts",
            "happened_before",
            "police_aware",
            "dismissed_as_symptom",
            "care_and_support",
            "wishes",
            "wanted_actions",
            "created_at",
        ]

    def get_person_id(self, obj: Incident) -> str | None:
        return str(obj.person.uuid) if obj.person else None

    def get_case_id(self, obj: Incident) -> str | None:
        return str(obj.case.uuid) if obj.case else None

    def get_same_event_as(self, obj: Incident) -> str | None:
        return str(obj.same_event_as.uuid) if obj.same_event_as_id and obj.same_event_as else None

    def get_entry_point(self, obj: Incident) -> dict[str, str] | None:
        return {"setting": obj.entry_setting, "need": obj.entry_need} if obj.entry_setting else None

    def get_occurred_between(self, obj: Incident) -> list[str] | None:
        if obj.occurred_from and obj.occurred_to:
            return [obj.occurred_from.isoformat(), obj.occurred_to.isoformat()]
        return None

    def get_perceived_hostility(self, obj: Incident) -> dict[str, Any]:
        return {"strands": obj.strands, "perceived_by": obj.perceived_by, "other_detail": obj.strand_other_detail}

    def get_perpetrators(self, obj: Incident) -> list[dict[str, str]]:
        return [{"relationship": p.relationship, "details": p.details} for p in obj.perpetrators.all()]

    def get_care_and_support(self, obj: Incident) -> dict[str, str]:
        return {"has_needs": obj.care_has_needs, "unable_to_protect_self": obj.care_unable_to_protect_self}


class IncidentCreatedOut(IncidentOut):
    reference = serializers.SerializerMethodField(
        help_text="For an anonymous report (no person): the hub's reference for it, which is also the reporter's "
        "way back with their passphrase. Null for an incident recorded for a person"
    )

    class Meta(IncidentOut.Meta):
        fields = ["id", "reference", *IncidentOut.Meta.fields[1:]]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reference(self, obj: Incident) -> str | None:
        return self.context.get("reference")


class IncidentsView(APIView):
    @extend_schema(
        request=IncidentIn,
        responses={201: IncidentCreatedOut},
        summary="Record what happened to a person (or, without person_id, an anonymous report for the hub, which "
        "answers its reference and may keep a way back with a passphrase)",
        tags=["incidents"],
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = IncidentIn(data=request.data)
            form.is_valid(raise_exception=True)
            agency = acting_agency(actor, form.validated_data.get("agency"))
            default_entry = (agency.default_setting, agency.default_need)
            data = form.incident_input(default_entry=default_entry)
            person_id = form.validated_data["person_id"]
            same_event_as = form.validated_data["same_event_as"]
            if form.validated_data["passphrase"] and person_id is not None:
                raise InvalidInput(
                    "A passphrase is for anonymous reports with no person.",
                    fields={"passphrase": ["Leave this out when you give person_id"]},
                )
            if same_event_as is not None and person_id is None:
                raise InvalidInput(
                    "Another account of an event needs the person it happened to.",
                    fields={"same_event_as": ["Give person_id as well"]},
                )
            if person_id is None:
                if not data.anonymous:
                    raise InvalidInput(
                        "Say who this happened to, or mark the report as anonymous.",
                        fields={"person_id": ["Give the person's id, or set anonymous to true"]},
                    )
                item = services.public_report_submit(
                    data=data,
                    identity={},
                    via_agency=agency,
                    actor=actor,
                    passphrase=form.validated_data["passphrase"],
                )
                created = IncidentCreatedOut(item.incident, context={"reference": item.reference})
                return Response(created.data, status=status.HTTP_201_CREATED)
            person = person_get(actor=actor, person_uuid=person_id, purpose="Recording an incident")
            # Recorded and joined together, or neither: an unknown event (404) or another person's (400)
            # stores nothing.
            with transaction.atomic():
                earlier = (
                    selectors.incident_get(actor=actor, incident_uuid=same_event_as, purpose="Same event")
                    if same_event_as is not None
                    else None
                )
                incident = services.incident_record(actor=actor, agency=agency, person=person, data=data)
                if earlier is not None:
                    incident = services.incident_join_event(actor=actor, incident=incident, same_as=earlier)
            return Response(IncidentCreatedOut(incident).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "incidents.create", create)


class IncidentView(APIView):
    @extend_schema(
        responses=IncidentOut,
        summary="One incident (404 if you may not see it); fields the viewer's "
        "agency does not need are withheld and named in withheld_groups",
        tags=["incidents"],
    )
    def get(self, request: Request, incident_id: str) -> Response:
        actor = acting_user(request)
        incident, seen = selectors.incident_read(actor=actor, incident_uuid=incident_id, purpose="API read")
        return Response(incident_data_for(dict(IncidentOut(incident).data), seen))
