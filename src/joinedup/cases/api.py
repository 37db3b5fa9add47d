"""/api/v1/cases — the case, its story, handover, tasks and closure (docs/api.md → Cases)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.access.decision import NotVisible
from joinedup.accounts.models import User
from joinedup.accounts.selectors import acting_user
from joinedup.audit.services import record_list_view
from joinedup.cases import selectors, work
from joinedup.cases.domain.rules import FEELS_SAFER, OUTCOMES_MET
from joinedup.cases.models import Case, Handover, Task, TimelineEntry, TimelineKind
from joinedup.core.errors import InvalidInput


class KeyWorkerOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    agency = serializers.CharField()


class CaseOut(serializers.ModelSerializer[Case]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    person_id = serializers.UUIDField(source="person.uuid", read_only=True)
    key_worker = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "person_id",
            "status",
            "key_worker",
            "risk_level",
            "opened_at",
            "closed_at",
            "desired_outcomes",
            "key_worker_provisional",
        ]

    @extend_schema_field(KeyWorkerOut)
    def get_key_worker(self, obj: Case) -> dict[str, str]:
        return {"id": str(obj.key_worker.uuid), "name": obj.key_worker.name, "agency": obj.key_worker_agency.name}


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

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            record_list_view(
                actor=acting_user(self.request),
                objects=list(page),
                purpose="Case list (API)",
                person_uuid_of=lambda c: c.person.uuid,
            )
        return page


class CaseView(APIView):
    @extend_schema(responses=CaseOut, tags=["cases"], summary="One case (404 if you may not see it)")
    def get(self, request: Request, case_id: str) -> Response:
        return Response(CaseOut(_case(request, case_id, "API read")).data)


class TimelineOut(serializers.ModelSerializer[TimelineEntry]):
    actor = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEntry
        fields = ["at", "kind", "summary", "actor", "agency"]

    def get_actor(self, obj: TimelineEntry) -> str | None:
        return obj.actor.name if obj.actor else None

    def get_agency(self, obj: TimelineEntry) -> str | None:
        return obj.agency.name if obj.agency else None


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=list(TimelineKind.values))],
    tags=["cases"],
    summary="The person's story, newest first",
)
class TimelineView(ListAPIView[TimelineEntry]):
    serializer_class = TimelineOut

    def get_queryset(self) -> QuerySet[TimelineEntry]:
        case = _case(self.request, self.kwargs["case_id"], "Reading the timeline")
        kind = self.request.query_params.get("kind")
        if kind and kind not in TimelineKind.values:
            raise serializers.ValidationError({"kind": ["Unknown kind of event"]})
        return selectors.timeline_for_case(case=case, kind=kind)


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
    handover = Handover.objects.select_related("case", "case__person").filter(uuid=handover_id).first()
    if handover is None or handover.to_user_id != acting_user(request).pk:
        raise NotVisible("Not found")
    return handover


class HandoverAcceptView(APIView):
    @extend_schema(request=None, responses=CaseOut, tags=["cases"], summary="Accept a handover: you become key worker")
    def post(self, request: Request, handover_id: str) -> Response:
        case = work.handover_accept(actor=acting_user(request), handover=_handover(request, handover_id))
        return Response(CaseOut(case).data)


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
        task = Task.objects.select_related("case", "case__person").filter(uuid=task_id).first()
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
        case = _case(request, case_id, "Closing the case")
        work.case_close(actor=acting_user(request), case=case, **form.validated_data)
        case.refresh_from_db()
        return Response(CaseOut(case).data)
