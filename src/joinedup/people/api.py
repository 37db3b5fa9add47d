"""/api/v1/people — create, search among people the actor may see (with match_score), read one."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user, casework_agency
from joinedup.core.api import Pagination, idempotent_create
from joinedup.core.errors import InvalidInput
from joinedup.people import selectors, services
from joinedup.people.domain.validation import CHANNELS, PersonDetails
from joinedup.people.models import Person


class SafeContactSchema(serializers.Serializer[Any]):
    allowed = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS), required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PersonIn(serializers.Serializer[Any]):
    given_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    other_names = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=20
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    postcode = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
    pronouns = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    communication_needs = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    safe_contact = SafeContactSchema(required=False)
    agency = serializers.SlugField(
        required=False, help_text="The agency you record for (slug); defaults to your first casework agency"
    )

    def details(self) -> PersonDetails:
        d = self.validated_data
        contact = d.get("safe_contact") or {"allowed": [], "notes": ""}
        return PersonDetails(
            given_name=d["given_name"],
            family_name=d["family_name"],
            other_names=tuple(d["other_names"]),
            date_of_birth=d["date_of_birth"],
            postcode=d["postcode"],
            address=d["address"],
            phone=d["phone"],
            email=d["email"],
            pronouns=d["pronouns"],
            communication_needs=d["communication_needs"],
            contact_allowed=tuple(contact["allowed"]),
            contact_notes=contact["notes"],
        )


class PersonOut(serializers.ModelSerializer[Person]):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "other_names",
            "date_of_birth",
            "postcode",
            "address",
            "phone",
            "email",
            "pronouns",
            "communication_needs",
            "safe_contact",
            "created_at",
        ]


class PersonMatchOut(PersonOut):
    match_score = serializers.FloatField()
    match_reasons = serializers.ListField(child=serializers.CharField())

    class Meta(PersonOut.Meta):
        fields = [*PersonOut.Meta.fields, "match_score", "match_reasons"]


def acting_agency(user: Any, slug: str | None) -> Any:
    agency = casework_agency(user, slug)
    if agency is None:
        raise InvalidInput(
            "You do not do casework for that agency.",
            fields={"agency": ["Name an agency where you hold a casework role"]},
        )
    return agency


class PeopleView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, date of birth (DD/MM/YYYY) and/or postcode")],
        responses=PersonMatchOut(many=True),
        summary="Search among the people you may see; each result has a match_score from 0 to 1",
        tags=["people"],
    )
    def get(self, request: Request) -> Response:
        actor = acting_user(request)
        q = (request.query_params.get("q") or "").strip()
        if not q:
            raise serializers.ValidationError({"q": ["Enter a name, date of birth or postcode to search for"]})
        matches = selectors.person_matches(actor=actor, identity=selectors.identity_from_text(q), limit=50)
        rows = [{**PersonOut(m.person).data, "match_score": m.score, "match_reasons": list(m.reasons)} for m in matches]
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)

    @extend_schema(request=PersonIn, responses={201: PersonOut}, summary="Record a person", tags=["people"])
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = PersonIn(data=request.data)
            form.is_valid(raise_exception=True)
            agency = acting_agency(actor, form.validated_data.get("agency"))
            person = services.person_create(actor=actor, agency=agency, details=form.details())
            return Response(PersonOut(person).data, status=status.HTTP_201_CREATED)

        return idempotent_create(request, "people.create", create)


class PersonView(APIView):
    @extend_schema(responses=PersonOut, summary="One person's record (404 if you may not see it)", tags=["people"])
    def get(self, request: Request, person_id: str) -> Response:
        person = selectors.person_get(actor=acting_user(request), person_uuid=person_id, purpose="API read")
        return Response(PersonOut(person).data)
