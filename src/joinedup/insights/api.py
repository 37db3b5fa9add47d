"""GET /api/v1/insights/{dashboard}?from=&to=&area= (docs/api.md, Insights): published figures only — each one a
count or null with `suppressed` — never a person-level field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access.decision import NotVisible
from joinedup.accounts.selectors import acting_user
from joinedup.core.errors import InvalidInput
from joinedup.insights import selectors
from joinedup.insights.domain.dashboards import DASHBOARDS, MAX_PERIOD_DAYS, Period, default_period


class FiguresQuery(serializers.Serializer[Any]):
    # "from" is a Python keyword, so the field is declared under another name and mapped below.
    start = serializers.DateField(required=False)
    to = serializers.DateField(required=False)
    area = serializers.CharField(required=False, allow_blank=True, max_length=16)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("to")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                raise serializers.ValidationError({"to": ["Must be the same as or after 'from'"]})
            if (end - start).days > MAX_PERIOD_DAYS:
                raise serializers.ValidationError({"to": ["Choose a period of 5 years or less"]})
        return attrs


class InsightFigureOut(serializers.Serializer[Any]):
    measure = serializers.CharField()
    group = serializers.CharField(help_text='A category code, a postcode district, an agency name, or "total"')
    value = serializers.IntegerField(allow_null=True, help_text="null when suppressed; otherwise rounded")
    suppressed = serializers.BooleanField()


class InsightPeriodOut(serializers.Serializer[Any]):
    to = serializers.DateField()

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()  # a keyword in Python, so added by name
        return fields


class InsightMethodOut(serializers.Serializer[Any]):
    threshold = serializers.IntegerField()
    rounding = serializers.IntegerField()
    zeros_shown = serializers.BooleanField()
    secondary_suppression = serializers.BooleanField()
    version = serializers.CharField()
    text = serializers.CharField()


class InsightFiguresOut(serializers.Serializer[Any]):
    dashboard = serializers.CharField()
    period = InsightPeriodOut()
    area = serializers.CharField(allow_null=True)
    figures = InsightFigureOut(many=True)
    previous_period = InsightPeriodOut()
    previous_figures = InsightFigureOut(many=True)
    unavailable_measures = serializers.ListField(child=serializers.CharField())
    method = InsightMethodOut()
    as_of = serializers.DateTimeField(allow_null=True, help_text="When the figures were last worked out")


ERROR = inline_serializer(
    "InsightError",
    {
        "error": inline_serializer(
            "InsightErrorBody", {"code": serializers.CharField(), "message": serializers.CharField()}
        )
    },
)


class InsightsView(APIView):
    @extend_schema(
        tags=["insights"],
        summary="One dashboard's published figures (commissioners and lead-partner staff; no person-level field)",
        parameters=[
            OpenApiParameter("dashboard", str, OpenApiParameter.PATH, enum=list(DASHBOARDS)),
            OpenApiParameter("from", date, description="First day (default: 12 months before this month)"),
            OpenApiParameter("to", date, description="Last day, inclusive"),
            OpenApiParameter("area", str, description="A postcode district, or 'unknown'; absent: all areas"),
        ],
        responses={
            200: InsightFiguresOut,
            400: OpenApiResponse(ERROR, description="Invalid filters"),
            403: OpenApiResponse(ERROR, description="Only commissioners and the lead partner's staff see figures"),
            404: OpenApiResponse(ERROR, description="No such dashboard, or not allowed to see the figures"),
        },
    )
    def get(self, request: Request, dashboard: str) -> Response:
        if dashboard not in DASHBOARDS:
            raise NotVisible("No such dashboard")
        actor = acting_user(request)
        params = {key: request.query_params.get(key) for key in ("to", "area") if key in request.query_params}
        if "from" in request.query_params:
            params["start"] = request.query_params.get("from")
        query = FiguresQuery(data=params)
        if not query.is_valid():
            fields = {
                ("from" if name == "start" else name): [str(e) for e in errors] for name, errors in query.errors.items()
            }
            raise InvalidInput("The filters are not valid.", fields=fields)
        fallback = default_period(timezone.localdate())
        start = query.validated_data.get("start") or fallback.start
        end = query.validated_data.get("to") or fallback.end
        if end < start:
            raise InvalidInput("The filters are not valid.", fields={"to": ["Must be the same as or after 'from'"]})
        area = query.validated_data.get("area") or ""
        figures = selectors.dashboard_figures(actor=actor, slug=dashboard, period=Period(start, end), area=area)
        return Response(
            {
                "dashboard": dashboard,
                "period": {"from": figures.period.start, "to": figures.period.end},
                "area": area or None,
                "figures": figures.figures(),
                "previous_period": {"from": figures.previous_period.start, "to": figures.previous_period.end},
                "previous_figures": figures.figures(previous=True),
                "unavailable_measures": [t.table.measure for t in figures.tables if not t.available],
                "method": figures.method,
                "as_of": figures.freshness.finished_at,
            }
        )
