"""/api/v1/people/{id}/risk and /risk/judgement."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_get
from joinedup.risk import selectors, services
from joinedup.risk.models import RiskAssessment

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


def risk_body(a: RiskAssessment) -> dict[str, Any]:
    return {
        "level": a.level,
        "actuarial_level": a.actuarial_level,
        "reasons": a.reasons,
        "panel_criteria": a.panel_criteria,
        "case_review_eligible": a.case_review_eligible,
        "rule_set": {"name": a.rule_set_name, "version": a.rule_set_version},
        "assessed_at": a.assessed_at,
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
        person = person_get(actor=actor, person_uuid=person_id, purpose="Reading risk")
        assessment = selectors.risk_current(actor=actor, person=person, purpose="Reading risk (API)")
        return Response(RiskOut(risk_body(assessment)).data)


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
        person = person_get(actor=actor, person_uuid=person_id, purpose="Risk judgement")
        agency = acting_agency(actor, form.validated_data.get("agency"))
        assessment = services.risk_judgement_record(
            actor=actor,
            agency=agency,
            person=person,
            level=form.validated_data["level"],
            reasons=form.validated_data["reasons"],
        )
        return Response(RiskOut(risk_body(assessment)).data, status=status.HTTP_201_CREATED)
