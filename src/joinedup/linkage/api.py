"""/api/v1/people/{id}/links, the linkage review queue with confirm/reject, and the last run's figures."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user
from joinedup.linkage import selectors, services
from joinedup.people.selectors import person_read

# The house error body, {"error": {"code", "message", "fields"}} (built inline: "fields" is a Serializer attribute).
ErrorOut = inline_serializer(
    name="LinkageError",
    fields={
        "error": inline_serializer(
            name="LinkageErrorDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()), required=False
                ),
            },
        )
    },
)


class AgencyReasonOut(serializers.Serializer[Any]):
    agency_id = serializers.UUIDField(source="agency_uuid", help_text="Name it to ask them for information")
    agency = serializers.CharField(source="agency_name")
    agency_slug = serializers.CharField()
    basis = serializers.ChoiceField(choices=["confirmed", "auto"])
    reason = serializers.CharField()


class LinksOut(serializers.Serializer[Any]):
    known_to_agencies = serializers.IntegerField(help_text="Other agencies believed to hold records of this person")
    agencies = AgencyReasonOut(
        many=True,
        help_text="Which agencies, and why (never their records): those whose names you may see. A health or care "
        "agency's name tells a health fact, so it is listed only to readers who see health",
    )
    held = serializers.IntegerField(help_text="Agencies counted in known_to_agencies but not named to you")
    reason = serializers.CharField()
    linked_at = serializers.DateTimeField(allow_null=True, help_text="When the linkage run behind this finished")
    withheld_groups = serializers.ListField(child=serializers.CharField())


class PersonLinksView(APIView):
    @extend_schema(
        responses={200: LinksOut, 404: ErrorOut},
        summary="How many other agencies know this person, and why we think so (404 if you may not see them)",
        tags=["linkage"],
    )
    def get(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        # One look, one audit entry: the person is read through the door for exactly this action.
        person, seen = person_read(
            actor=actor,
            person_uuid=person_id,
            purpose="Checking which agencies know the person",
            action="person.links.view",
        )
        summary = selectors.links_seen(actor, person, seen)
        return Response(LinksOut({**summary.__dict__, "withheld_groups": seen.withheld}).data)


class StepOut(serializers.Serializer[Any]):
    comparison = serializers.CharField()
    level = serializers.CharField()
    weight = serializers.FloatField(help_text="Contribution to the match weight (log2 of the Bayes factor)")


class ReviewOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    status = serializers.CharField()
    match_weight = serializers.FloatField()
    match_probability = serializers.FloatField()
    explanation = StepOut(many=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ReviewPageOut(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    results = ReviewOut(many=True)


class ReviewQueueView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("page", int, required=False)],
        responses={200: ReviewPageOut, 403: ErrorOut},
        summary="Pairs waiting for review, strongest first (data protection leads of the lead partner)",
        tags=["linkage"],
    )
    def get(self, request: Request) -> Response:
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError as bad:
            raise serializers.ValidationError({"page": ["Enter a page number"]}) from bad
        links, total = selectors.review_queue(actor=acting_user(request), page=min(page, 100_000))
        return Response({"count": total, "results": ReviewOut(links, many=True).data})


class DecisionIn(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ReviewDecisionView(APIView):
    decision = "confirm"

    @extend_schema(
        request=DecisionIn,
        responses={200: ReviewOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
        summary="Decide a pair (409 already_decided); remembered by every later linkage run",
        tags=["linkage"],
    )
    def post(self, request: Request, review_id: str) -> Response:
        form = DecisionIn(data=request.data)
        form.is_valid(raise_exception=True)
        link = services.link_decide(
            actor=acting_user(request), link_uuid=review_id, decision=self.decision, note=form.validated_data["note"]
        )
        return Response(ReviewOut(link).data)


class ReviewConfirmView(ReviewDecisionView):
    decision = "confirm"


class ReviewRejectView(ReviewDecisionView):
    decision = "reject"


class RunOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    backend = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    figures = serializers.DictField(help_text="Counts only: records, pairs scored, links, review queue, clusters")
    message = serializers.CharField()
    waiting_for_review = serializers.IntegerField()


class LinkageStatusView(APIView):
    @extend_schema(
        responses={200: RunOut, 404: ErrorOut},
        summary="The latest linkage run and its figures (404 before the first run)",
        tags=["linkage"],
    )
    def get(self, request: Request) -> Response:
        from django.http import Http404

        run = selectors.last_run(actor=acting_user(request))
        if run is None:
            raise Http404("Linkage has not run yet.")
        return Response(
            RunOut({**run.__dict__, "uuid": run.uuid, "waiting_for_review": selectors.waiting_for_review()}).data
        )
