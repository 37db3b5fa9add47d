"""/api/v1/people/{id}/subject-access — everything held about a person, for data protection leads (audited)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user
from joinedup.dataprotection import pdf
from joinedup.dataprotection.selectors import subject_access_export

PURPOSE = "Subject access request"


class SubjectAccessView(APIView):
    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="person, records (by table), access_log")},
        summary="Everything held about the person (data protection leads; audited as an export)",
        tags=["data protection"],
    )
    def get(self, request: Request, person_id: str) -> Response:
        export: dict[str, Any] = subject_access_export(
            actor=acting_user(request), person_uuid=person_id, purpose=PURPOSE
        )
        return Response(export, headers={"Cache-Control": "no-store"})


class SubjectAccessPdfView(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The export as a PDF")},
        summary="Everything held about the person, as a PDF (data protection leads; audited as an export)",
        tags=["data protection"],
    )
    def get(self, request: Request, person_id: str) -> HttpResponse:
        export = subject_access_export(actor=acting_user(request), person_uuid=person_id, purpose=PURPOSE)
        response = HttpResponse(pdf.render(export), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.pdf"'
        response["Cache-Control"] = "no-store"
        return response
