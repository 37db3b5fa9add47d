"""/api/v1/people/{id}/risk and /risk/judgement."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access.door import Seen
from joinedup.accounts.selectors import acting_user
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_read
from joinedup.risk import selectors, services
from joinedup.risk.models import RiskAssessment
from joinedup.risk.presenters import reasons_for_api

LEVEL_CHOICES = ["standard", "medium", "high"]


class RuleSetOut(serializers.Serializer[Any]):
    name = serializers.CharField()
    version = serializers.CharField()


class RiskOut(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)
    actuarial_level = serializers.ChoiceField(choices=LEVEL_CHOICES)
    # Each reason is {"code", "text", "source"} (a DRF field cannot be named "source").
    reasons = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    panel_criteria = serializers.ListField(
        child=serializers.ChoiceField(
            choices=["visible_high_risk", "professional_judgement", "potential_escalation", "repeat"]
        )
    )
    case_review_eligible = serializers.BooleanField()
    rule_set = RuleSetOut()
    assessed_at = serializers.DateTimeField()
    withheld_groups = serializers.ListField(child=serializers.CharField())


def risk_body(a: RiskAssessment, seen: Seen) -> dict[str, Any]:
    """The assessment as this reader may see it: reasons whose facts come from a withheld group are left out
    (one neutral line says more is held), and the withheld groups are named."""
    return {
        "level": a.level,
        "actuarial_level": a.actuarial_level,
        "reasons": reasons_for_api(a, seen),
        "panel_criteria": a.panel_criteria,
        "case_review_eligible": a.case_review_eligible,
        "rule_set": {"name": a.rule_set_name, "version": a.rule_set_version},
        "assessed_at": a.assessed_at,
        "withheld_groups": seen.withheld,
    }


class JudgementIn(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)
    reasons = serializers.CharField(max_length=2000)
    agency = serializers.SlugField(required=False)


class RiskView(APIView):
    @extend_schema(
        responses=RiskOut, summary="The person's risk level, with the reasons and rule set behind it", tags=["risk"]
    )
    def get(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        person, seen = person_read(actor=actor, person_uuid=person_id, purpose="Reading risk")
        if not seen.sees("risk"):
            raise PermissionDenied("Your agency's work does not need this person's risk level.")
        return Response(RiskOut(risk_body(selectors.risk_current(person=person), seen)).data)


class RiskJudgementView(APIView):
    @extend_schema(
        request=JudgementIn,
        responses={201: RiskOut},
        summary="Professional judgement: may raise the level, never lower the rules' level (409)",
        tags=["risk"],
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        form = JudgementIn(data=request.data)
        form.is_valid(raise_exception=True)
        person, seen = person_read(actor=actor, person_uuid=person_id, purpose="Risk judgement")
        if not seen.sees("risk"):
            raise PermissionDenied("Your agency's work does not need this person's risk level.")
        agency = acting_agency(actor, form.validated_data.get("agency"))
        assessment = services.risk_judgement_record(
            actor=actor,
            agency=agency,
            person=person,
            level=form.validated_data["level"],
            reasons=form.validated_data["reasons"],
        )
        return Response(
            RiskOut(risk_body(assessment, seen)).data,
            status=status.HTTP_201_CREATED,
        )
