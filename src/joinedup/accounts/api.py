"""The partnership endpoints: /me, /agencies, /users (docs/api.md → The partnership)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts import selectors
from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import acting_user
from joinedup.core.domain.partnership import AgencyKind, Role

ROLE_CHOICES = [r.value for r in Role]
KIND_CHOICES = [k.value for k in AgencyKind]


class AgencyOut(serializers.ModelSerializer[Agency]):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "kind", "area"]


class AgencyWithRolesOut(AgencyOut):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ROLE_CHOICES))

    class Meta(AgencyOut.Meta):
        fields = [*AgencyOut.Meta.fields, "roles"]


class MeOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    email = serializers.EmailField()
    agencies = AgencyWithRolesOut(many=True)
    person_id = serializers.UUIDField(
        required=False, help_text="For a person signed in to their own portal (role service_user): their record"
    )
    roles = serializers.ListField(child=serializers.CharField(), required=False)


class MembershipOut(serializers.Serializer[Any]):
    agency = serializers.SlugField()
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class ColleagueOut(serializers.ModelSerializer[User]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name", "agency", "roles", "memberships"]

    @extend_schema_field(AgencyOut(allow_null=True))
    def get_agency(self, user: User) -> dict[str, Any] | None:
        """The agency the colleague works in (the first, where they work in several)."""
        memberships = list(user.memberships.all())
        return dict(AgencyOut(memberships[0].agency).data) if memberships else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ROLE_CHOICES)))
    def get_roles(self, user: User) -> list[str]:
        return sorted({m.role for m in user.memberships.all()})

    @extend_schema_field(MembershipOut(many=True))
    def get_memberships(self, user: User) -> list[dict[str, str]]:
        return [{"agency": m.agency.slug, "role": m.role} for m in user.memberships.all()]


def _user(request: Request) -> User:
    return acting_user(request)


# Fields other apps add to /me: the portal adds the signed-in person's own person_id (role service_user).
ME_EXTRAS: list[Callable[[User], dict[str, Any]]] = []


class MeView(APIView):
    @extend_schema(responses=MeOut, summary="The signed-in user, with their agencies and roles", tags=["partnership"])
    def get(self, request: Request) -> Response:
        user = _user(request)
        agencies_out = [
            AgencyOut(agency).data | {"roles": roles} for agency, roles in selectors.agencies_with_roles(user)
        ]
        body: dict[str, Any] = {"id": str(user.uuid), "name": user.name, "email": user.email, "agencies": agencies_out}
        for extra in ME_EXTRAS:
            body.update(extra(user))
        return Response(body)


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=KIND_CHOICES, description="Only agencies of this kind")],
    summary="The partnership's agencies",
    tags=["partnership"],
)
class AgencyListView(ListAPIView[Agency]):
    serializer_class = AgencyOut

    def get_queryset(self) -> QuerySet[Agency]:
        kind = self.request.query_params.get("kind")
        if kind and kind not in KIND_CHOICES:
            raise serializers.ValidationError({"kind": [f"Kind must be one of: {', '.join(KIND_CHOICES)}"]})
        return selectors.agency_list(actor=_user(self.request), kind=kind)


@extend_schema(
    parameters=[
        OpenApiParameter("agency", str, description="An agency's slug"),
        OpenApiParameter("role", str, enum=ROLE_CHOICES),
    ],
    summary="Colleagues across the partnership a practitioner may hand work to",
    tags=["partnership"],
)
class UserListView(ListAPIView[User]):
    serializer_class = ColleagueOut

    def get_queryset(self) -> QuerySet[User]:
        role = self.request.query_params.get("role")
        if role and role not in ROLE_CHOICES:
            raise serializers.ValidationError({"role": [f"Role must be one of: {', '.join(ROLE_CHOICES)}"]})
        return selectors.colleague_list(
            actor=_user(self.request), agency_slug=self.request.query_params.get("agency"), role=role
        )
