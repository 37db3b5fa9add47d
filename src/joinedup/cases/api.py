"""/api/v1/cases — the case, its story, handover, tasks and closure (docs/api.md → Cases)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access import door
from joinedup.access.decision import NotVisible
from joinedup.access.door import EVERYTHING, Seen
from joinedup.accounts.models import User
from joinedup.accounts.selectors import acting_user
from joinedup.cases import selectors, work
from joinedup.cases.domain.rules import FEELS_SAFER, OUTCOMES_MET
from joinedup.cases.domain.safety_plan import PRACTICAL_STEPS, STANDING_NUMBERS
from joinedup.cases.models import Case, CaseStatus, Handover, Task, TimelineEntry, TimelineKind
from joinedup.cases.presenters import story_items
from joinedup.cases.safety import current_version, plan_from_json, plan_pdf, plan_to_json, safety_plan_save
from joinedup.core.errors import InvalidInput


class KeyWorkerOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    agency = serializers.CharField()


class CaseOut(serializers.Serializer[Any]):
    """A case as this reader may see it: the risk level is its own field group (null where withheld)."""

    id = serializers.UUIDField()
    person_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    key_worker = KeyWorkerOut()
    risk_level = serializers.ChoiceField(choices=["standard", "medium", "high"], allow_null=True)
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    desired_outcomes = serializers.CharField(allow_null=True)
    key_worker_provisional = serializers.BooleanField()
    withheld_groups = serializers.ListField(child=serializers.CharField())


class CaseDetailOut(CaseOut):
    incident_ids = serializers.ListField(child=serializers.UUIDField())


def case_body(case: Case, groups: frozenset[str]) -> dict[str, Any]:
    return {
        "id": case.uuid,
        "person_id": case.person.uuid,
        "status": case.status,
        "key_worker": {
            "id": str(case.key_worker.uuid),
            "name": case.key_worker.name,
            "agency": case.key_worker_agency.name,
        },
        "risk_level": case.risk_level if "risk" in groups else None,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "desired_outcomes": case.desired_outcomes if "account" in groups else None,
        "key_worker_provisional": case.key_worker_provisional,
        "withheld_groups": sorted(str(g) for g in EVERYTHING - groups),
    }


def _case(request: Request, case_id: Any, purpose: str) -> Case:
    return selectors.case_get(actor=acting_user(request), case_uuid=case_id, purpose=purpose)


@extend_schema(
    parameters=[OpenApiParameter("status", str, enum=["open", "closed"])],
    tags=["cases"],
    summary="Cases of people you may see, highest risk first",
)
class CaseListView(ListAPIView[Case]):
    serializer_class = CaseOut

    def get_queryset(self) -> QuerySet[Case]:
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in {"open", "closed"}:
            raise serializers.ValidationError({"status": ["Status must be open or closed"]})
        return selectors.cases_visible(actor=acting_user(self.request), status=wanted)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = acting_user(request)
        page = self.paginate_queryset(self.get_queryset()) or []
        door.read_list(actor, objects=page, purpose="Case list (API)", person_uuid_of=lambda c: c.person.uuid)
        facts = selectors.people_facts([c.person_id for c in page])
        rows = [case_body(c, door.groups_of(actor, facts[c.person_id])) for c in page]
        return self.get_paginated_response(CaseOut(rows, many=True).data)


class CaseView(APIView):
    @extend_schema(responses=CaseDetailOut, tags=["cases"], summary="One case (404 if you may not see it)")
    def get(self, request: Request, case_id: str) -> Response:
        case, seen = selectors.case_read(actor=acting_user(request), case_uuid=case_id, purpose="API read")
        body = case_body(case, seen.groups)
        body["incident_ids"] = selectors.incident_ids_for_case(case=case)
        return Response(CaseDetailOut(body).data)


class SubjectOut(serializers.Serializer[Any]):
    type = serializers.CharField()
    id = serializers.CharField()


class TimelineOut(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=list(TimelineKind.values))
    summary = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    subject = SubjectOut(allow_null=True)
    account = serializers.CharField(required=False, help_text="The person's own words, where you may see them")
    withheld = serializers.BooleanField(help_text="The entry's words come from a group your agency does not need")


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=list(TimelineKind.values))],
    tags=["cases"],
    summary="The person's story, newest first, as your agency may see it",
)
class TimelineView(ListAPIView[TimelineEntry]):
    serializer_class = TimelineOut

    def get_queryset(self) -> QuerySet[TimelineEntry]:
        kind = self.request.query_params.get("kind")
        if kind and kind not in TimelineKind.values:
            raise serializers.ValidationError({"kind": ["Unknown kind of event"]})
        case, self.seen = selectors.case_read(
            actor=acting_user(self.request), case_uuid=self.kwargs["case_id"], purpose="Reading the timeline"
        )
        return selectors.timeline_for_case(case=case, kind=kind)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset) or []
        return self.get_paginated_response(TimelineOut(timeline_rows(page, self.seen), many=True).data)


def timeline_rows(entries: list[TimelineEntry], seen: Seen) -> list[dict[str, Any]]:
    rows = []
    for entry, item in zip(entries, story_items(entries, seen), strict=True):
        row: dict[str, Any] = {
            "at": item.at,
            "kind": item.kind,
            "summary": item.summary,
            "actor": item.actor or None,
            "agency": item.agency or None,
            "subject": {"type": item.subject_type, "id": item.subject_id} if item.subject_id else None,
            "withheld": item.held,
        }
        account = (entry.details or {}).get("account")
        if account and seen.sees("account"):
            row["account"] = account
        rows.append(row)
    return rows


def _user(user_id: Any, field: str) -> User:
    user = User.objects.filter(uuid=user_id).first()
    if user is None:
        raise InvalidInput("Unknown colleague.", fields={field: ["No colleague with that id"]})
    return user


class HandoverIn(serializers.Serializer[Any]):
    to_user_id = serializers.UUIDField()
    reason = serializers.CharField(max_length=2000)


class HandoverOut(serializers.ModelSerializer[Handover]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case_id = serializers.UUIDField(source="case.uuid", read_only=True)
    to_user_id = serializers.UUIDField(source="to_user.uuid", read_only=True)
    from_user_id = serializers.UUIDField(source="from_user.uuid", read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "case_id",
            "from_user_id",
            "to_user_id",
            "reason",
            "status",
            "requested_at",
            "answered_at",
            "decline_reason",
        ]


class HandoverView(APIView):
    @extend_schema(
        request=HandoverIn,
        responses={201: HandoverOut},
        tags=["cases"],
        summary="Ask a colleague to become key worker (the current one stays accountable until accepted)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        form = HandoverIn(data=request.data)
        form.is_valid(raise_exception=True)
        case = _case(request, case_id, "Handing over")
        handover = work.handover_request(
            actor=acting_user(request),
            case=case,
            to_user=_user(form.validated_data["to_user_id"], "to_user_id"),
            reason=form.validated_data["reason"],
        )
        return Response(HandoverOut(handover).data, status=status.HTTP_201_CREATED)


def _handover(request: Request, handover_id: str) -> Handover:
    handover = selectors.handover_for(user=acting_user(request), handover_uuid=handover_id)
    if handover is None:
        raise NotVisible("Not found")
    return handover


class HandoverAcceptView(APIView):
    @extend_schema(request=None, responses=CaseOut, tags=["cases"], summary="Accept a handover: you become key worker")
    def post(self, request: Request, handover_id: str) -> Response:
        actor = acting_user(request)
        case = work.handover_accept(actor=actor, handover=_handover(request, handover_id))
        return Response(CaseOut(case_body(case, door.seen_for(actor, case))).data)


class DeclineIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class HandoverDeclineView(APIView):
    @extend_schema(request=DeclineIn, responses=HandoverOut, tags=["cases"], summary="Decline a handover, with reason")
    def post(self, request: Request, handover_id: str) -> Response:
        form = DeclineIn(data=request.data)
        form.is_valid(raise_exception=True)
        handover = work.handover_decline(
            actor=acting_user(request), handover=_handover(request, handover_id), reason=form.validated_data["reason"]
        )
        return Response(HandoverOut(handover).data)


class TaskIn(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    owner_user_id = serializers.UUIDField()
    due_on = serializers.DateField()


class TaskOut(serializers.ModelSerializer[Task]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    case_id = serializers.UUIDField(source="case.uuid", read_only=True)
    owner = serializers.CharField(source="owner.name", read_only=True)
    owner_user_id = serializers.UUIDField(source="owner.uuid", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "case_id",
            "title",
            "owner",
            "owner_user_id",
            "due_on",
            "status",
            "created_at",
            "completed_at",
            "completion_note",
        ]


class TasksView(ListAPIView[Task]):
    serializer_class = TaskOut

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=["open", "done"])],
        tags=["cases"],
        summary="The case's tasks, soonest due first",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Task]:
        case = _case(self.request, self.kwargs["case_id"], "Reading tasks")
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in {"open", "done"}:
            raise serializers.ValidationError({"status": ["Status must be open or done"]})
        tasks = case.tasks.select_related("owner", "case").order_by("due_on", "id")
        return tasks.filter(status=wanted) if wanted else tasks

    @extend_schema(request=TaskIn, responses={201: TaskOut}, tags=["cases"], summary="Add an owned, dated task")
    def post(self, request: Request, case_id: str) -> Response:
        form = TaskIn(data=request.data)
        form.is_valid(raise_exception=True)
        case = _case(request, case_id, "Adding a task")
        task = work.task_create(
            actor=acting_user(request),
            case=case,
            title=form.validated_data["title"],
            owner=_user(form.validated_data["owner_user_id"], "owner_user_id"),
            due_on=form.validated_data["due_on"],
        )
        return Response(TaskOut(task).data, status=status.HTTP_201_CREATED)


class CompleteIn(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TaskCompleteView(APIView):
    @extend_schema(request=CompleteIn, responses=TaskOut, tags=["cases"], summary="Mark a task done")
    def post(self, request: Request, task_id: str) -> Response:
        actor = acting_user(request)
        task = selectors.task_by_uuid(task_uuid=task_id)
        if task is None:
            raise NotVisible("Not found")
        selectors.case_get(actor=actor, case_uuid=task.case.uuid, purpose="Completing a task")
        form = CompleteIn(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(TaskOut(work.task_complete(actor=actor, task=task, note=form.validated_data["note"])).data)


class CloseIn(serializers.Serializer[Any]):
    outcomes_met = serializers.ChoiceField(choices=list(OUTCOMES_MET))
    person_feels_safer = serializers.ChoiceField(choices=list(FEELS_SAFER))
    person_view = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    not_asked_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CloseView(APIView):
    @extend_schema(
        request=CloseIn,
        responses=CaseOut,
        tags=["cases"],
        summary="Close with the person's outcome (409 while tasks or referrals are open)",
    )
    def post(self, request: Request, case_id: str) -> Response:
        form = CloseIn(data=request.data)
        form.is_valid(raise_exception=True)
        actor = acting_user(request)
        case, seen = selectors.case_read(actor=actor, case_uuid=case_id, purpose="Closing the case")
        work.case_close(actor=actor, case=case, **form.validated_data)
        case.refresh_from_db()
        return Response(CaseOut(case_body(case, seen.groups)).data)


class PromiseIO(serializers.Serializer[Any]):
    what = serializers.CharField(max_length=300)
    who = serializers.CharField(max_length=200)
    by = serializers.DateField()


class SafetyPlanIO(serializers.Serializer[Any]):
    warning_signs = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    safe_places_and_people = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    what_i_will_do = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    what_services_will_do = PromiseIO(many=True, required=False, default=list)
    numbers_to_call = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    practical_steps = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PRACTICAL_STEPS)), required=False, default=list, max_length=10
    )


class SafetyPlanOut(serializers.Serializer[Any]):
    version = serializers.IntegerField(help_text="0 before anything is written")
    changed_by = serializers.CharField(allow_null=True)
    changed_by_person = serializers.BooleanField()
    at = serializers.DateTimeField(allow_null=True)
    plan = SafetyPlanIO()
    emergency = serializers.ListField(child=serializers.CharField(), help_text="Always on the plan")


def _plan_body(version: Any) -> dict[str, Any]:
    return {
        "version": version.number if version else 0,
        "changed_by": version.by.name if version else None,
        "changed_by_person": bool(version and version.by_person),
        "at": version.at if version else None,
        "plan": plan_to_json(plan_from_json(version.content if version else None)),
        "emergency": list(STANDING_NUMBERS),
    }


class SafetyPlanView(APIView):
    @extend_schema(responses=SafetyPlanOut, tags=["cases"], summary="The case's safety plan (the latest version)")
    def get(self, request: Request, case_id: str) -> Response:
        case, seen = selectors.case_read(
            actor=acting_user(request), case_uuid=case_id, purpose="Reading the safety plan"
        )
        if not seen.sees("account"):
            raise NotVisible("The safety plan is held by the key worker and the person.")
        return Response(SafetyPlanOut(_plan_body(current_version(case=case))).data)

    @extend_schema(
        request=SafetyPlanIO,
        responses={200: SafetyPlanOut, 409: OpenApiResponse(description="case_closed or no_change")},
        tags=["cases"],
        summary="Write the plan with the person: a new version, with who changed what",
    )
    def put(self, request: Request, case_id: str) -> Response:
        actor = acting_user(request)
        case, seen = selectors.case_read(actor=actor, case_uuid=case_id, purpose="Writing the safety plan")
        if not seen.sees("account"):
            raise NotVisible("The safety plan is held by the key worker and the person.")
        form = SafetyPlanIO(data=request.data)
        form.is_valid(raise_exception=True)
        version = safety_plan_save(actor=actor, case=case, plan=plan_from_json(dict(form.validated_data)))
        return Response(SafetyPlanOut(_plan_body(version)).data)


class SafetyPlanPdfView(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(description="The plan, printable")},
        tags=["cases"],
        summary="The safety plan as a PDF",
    )
    def get(self, request: Request, case_id: str) -> HttpResponse:
        case, seen = selectors.case_read(
            actor=acting_user(request), case_uuid=case_id, purpose="Printing the safety plan", audit_action="export"
        )
        if not seen.sees("account"):
            raise NotVisible("The safety plan is held by the key worker and the person.")
        response = HttpResponse(plan_pdf(case=case, version=current_version(case=case)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="safety-plan-{case.uuid}.pdf"'
        return response
