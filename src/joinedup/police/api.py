"""Police and the Victims' Code (docs/api.md): report packages, crime references, outcomes, the rights tracker."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access import door
from joinedup.access.decision import decide
from joinedup.accounts.selectors import acting_user
from joinedup.cases.selectors import case_get
from joinedup.people.api import acting_agency
from joinedup.people.selectors import person_get
from joinedup.police import pdf, selectors, services
from joinedup.police.domain.victims_code import NchiAnswers
from joinedup.police.models import PoliceReport
from joinedup.police.presenters import package_for


class PoliceReportIn(serializers.Serializer[Any]):
    incident_ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)
    third_party = serializers.BooleanField(default=False)
    anonymous = serializers.BooleanField(default=False, help_text="Stay anonymous to the police (third party only)")
    update_cadence = serializers.ChoiceField(choices=list(services.CADENCES), default="fortnightly")
    opted_out_of_support = serializers.BooleanField(default=False)
    agency = serializers.SlugField(required=False)


class PoliceReportOut(serializers.ModelSerializer[PoliceReport]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case_id = serializers.UUIDField(source="case.uuid", read_only=True)

    class Meta:
        model = PoliceReport
        fields = [
            "id",
            "case_id",
            "status",
            "third_party",
            "anonymous_to_police",
            "update_cadence",
            "package",
            "crime_reference",
            "non_crime",
            "outcome",
            "outcome_reason",
            "outcome_explained_at",
            "created_at",
        ]


def get_report(request: Request, report_id: str, purpose: str) -> PoliceReport:
    """Through the one door: the receiving force's liaison, or anyone who may see the person."""
    return selectors.report_read(actor=acting_user(request), report_uuid=report_id, purpose=purpose)[0]


def report_body(request: Request, report_id: str, purpose: str, *, audit_action: str = door.VIEW) -> dict[str, Any]:
    actor = acting_user(request)
    report, seen = selectors.report_read(actor=actor, report_uuid=report_id, purpose=purpose, audit_action=audit_action)
    body = dict(PoliceReportOut(report).data)
    body["package"] = package_for(report.package, seen, as_sent=decide(actor, "police_report.respond", report).allowed)
    return body


class CasePoliceReportsView(APIView):
    @extend_schema(
        request=PoliceReportIn,
        responses={
            201: PoliceReportOut,
            200: OpenApiResponse(PoliceReportOut, description="The same incidents are already waiting: the first"),
        },
        tags=["police"],
        summary="Report to the police (409 no_consent without consent or a sharing decision)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        actor = acting_user(request)
        form = PoliceReportIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        case = case_get(actor=actor, case_uuid=case_id, purpose="Reporting to the police")
        report, sent = services.police_report_send_once(
            actor=actor,
            agency=acting_agency(actor, d.get("agency")),
            case=case,
            incident_uuids=[str(i) for i in d["incident_ids"]],
            third_party=d["third_party"],
            anonymous=d["anonymous"],
            update_cadence=d["update_cadence"],
            opted_out_of_support=d["opted_out_of_support"],
        )
        # Once only: while a report of the same incidents waits for the police, the answer is that report (200).
        return Response(PoliceReportOut(report).data, status=status.HTTP_201_CREATED if sent else status.HTTP_200_OK)


class PoliceReportView(APIView):
    @extend_schema(responses=PoliceReportOut, tags=["police"], summary="A report with its package and outcome")
    def get(self, request: Request, report_id: str) -> Response:
        return Response(report_body(request, report_id, "Reading a police report"))


class PoliceReportPdfView(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(description="The package as a PDF")},
        tags=["police"],
        summary="The package as a PDF, for forces without an interface",
    )
    def get(self, request: Request, report_id: str) -> HttpResponse:
        actor = acting_user(request)
        report, seen = selectors.report_read(
            actor=actor, report_uuid=report_id, purpose="Police report PDF", audit_action=door.EXPORT
        )
        package = package_for(report.package, seen, as_sent=decide(actor, "police_report.respond", report).allowed)
        body = pdf.render(package, reference=str(report.uuid), title="Report to the police")
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="police-report-{report.uuid}.pdf"'
        return response


class CrimeReferenceIn(serializers.Serializer[Any]):
    crime_reference = serializers.CharField(max_length=60)


class CrimeReferenceView(APIView):
    @extend_schema(
        request=CrimeReferenceIn,
        responses=PoliceReportOut,
        tags=["police"],
        summary="Police liaison: record the crime reference",
    )
    def post(self, request: Request, report_id: str) -> Response:
        form = CrimeReferenceIn(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.crime_reference_record(
            actor=acting_user(request),
            report=get_report(request, report_id, "Recording a crime reference"),
            crime_reference=form.validated_data["crime_reference"],
        )
        return Response(PoliceReportOut(report).data)


class NonCrimeIn(serializers.Serializer[Any]):
    trivial = serializers.BooleanField()
    irrational = serializers.BooleanField()
    malicious = serializers.BooleanField()
    real_risk_of_significant_harm_or_offence = serializers.BooleanField()


class NonCrimeView(APIView):
    @extend_schema(
        request=NonCrimeIn,
        responses=PoliceReportOut,
        tags=["police"],
        summary="Police liaison: a non-crime outcome, with the 2023 code applied to what police retain",
    )
    def post(self, request: Request, report_id: str) -> Response:
        form = NonCrimeIn(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.non_crime_record(
            actor=acting_user(request),
            report=get_report(request, report_id, "Recording a non-crime outcome"),
            answers=NchiAnswers(**form.validated_data),
        )
        return Response(PoliceReportOut(report).data)


class OutcomeIn(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=list(services.OUTCOMES))
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OutcomeView(APIView):
    @extend_schema(
        request=OutcomeIn,
        responses=PoliceReportOut,
        tags=["police"],
        summary="Police liaison: the outcome (no further action needs a reason)",
    )
    def post(self, request: Request, report_id: str) -> Response:
        form = OutcomeIn(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.outcome_record(
            actor=acting_user(request),
            report=get_report(request, report_id, "Recording a police outcome"),
            **form.validated_data,
        )
        return Response(PoliceReportOut(report).data)


class EvidenceIn(serializers.Serializer[Any]):
    right = serializers.IntegerField(min_value=1, max_value=12)
    text = serializers.CharField(max_length=500)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class EvidenceView(APIView):
    @extend_schema(
        request=EvidenceIn,
        responses={201: dict},
        tags=["police"],
        summary="Record something done that meets a Victims' Code right",
    )
    def post(self, request: Request, report_id: str) -> Response:
        form = EvidenceIn(data=request.data)
        form.is_valid(raise_exception=True)
        item = services.evidence_record(
            actor=acting_user(request), report=get_report(request, report_id, "Victims' Code"), **form.validated_data
        )
        return Response({"right": item.right, "text": item.text, "on": item.on}, status=status.HTTP_201_CREATED)


def tracker_body(report: PoliceReport) -> dict[str, Any]:
    found = services.tracker(report)
    return {
        "report_id": str(report.uuid),
        "rights": [
            {
                "number": r.number,
                "right": r.title,
                "status": r.status,
                "due_on": r.due_on.isoformat() if r.due_on else None,
                "evidence": list(r.evidence),
            }
            for r in found["rights"]
        ],
        "enhanced_rights": [{"code": b.code, "basis": b.text} for b in found["enhanced"]],
    }


class VictimsCodeView(APIView):
    @extend_schema(
        responses={200: dict},
        tags=["police"],
        summary="The 12 rights for each report the person made, with status, evidence and due dates",
    )
    def get(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        person = person_get(actor=actor, person_uuid=person_id, purpose="Victims' Code")
        reports = selectors.reports_for_person(person=person)
        return Response({"person_id": str(person.uuid), "reports": [tracker_body(r) for r in reports]})
