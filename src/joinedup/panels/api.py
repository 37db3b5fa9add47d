"""The multi-agency risk conference (docs/api.md → Multi-agency risk conference (panels)): panels, meetings,
panel referrals, research, minutes and actions. Reads through the one door (panels/selectors.py)."""

from __future__ import annotations

from typing import Any

from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.models import Agency, User
from joinedup.accounts.selectors import acting_user
from joinedup.cases.selectors import case_get
from joinedup.core.api import idempotent_create
from joinedup.core.errors import InvalidInput
from joinedup.panels import selectors, services
from joinedup.panels.domain.rules import Criterion, Status, Vulnerability
from joinedup.panels.models import Action, Meeting, Panel, PanelReferral
from joinedup.people.api import acting_agency

ERRORS = {
    400: OpenApiResponse(description='Invalid input: {"error": {"code", "message", "fields"}}'),
    404: OpenApiResponse(description="Not found, or not yours to see"),
    409: OpenApiResponse(description="Conflicts with the record's state (for example no_consent)"),
}


def _agencies(ids: list[Any], field: str) -> list[Agency]:
    found = {a.uuid: a for a in Agency.objects.filter(uuid__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput("Unknown agency.", fields={field: [f"No agency with id {m}" for m in missing]})
    return [found[i] for i in ids]


def _user(value: Any, field: str) -> User:
    user = User.objects.filter(uuid=value).first()
    if user is None:
        raise InvalidInput("Unknown user.", fields={field: ["No user with that id"]})
    return user


class PanelIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=200)
    chair_user_id = serializers.UUIDField()
    coordinator_user_id = serializers.UUIDField(required=False, help_text="Defaults to the chair")
    member_agency_ids = serializers.ListField(child=serializers.UUIDField(), max_length=50)


class PanelOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    area = serializers.CharField()
    chair_user_id = serializers.UUIDField(source="chair.uuid")
    coordinator_user_id = serializers.UUIDField(source="coordinator.uuid")
    member_agency_ids = serializers.SerializerMethodField()

    def get_member_agency_ids(self, panel: Panel) -> list[str]:
        return [str(m.agency.uuid) for m in panel.members.all()]


class PanelsView(APIView):
    @extend_schema(responses=PanelOut(many=True), tags=["panels"], summary="The partnership's panels")
    def get(self, request: Request) -> Response:
        return Response(PanelOut(selectors.panels_visible(actor=acting_user(request)), many=True).data)

    @extend_schema(
        request=PanelIn,
        responses={201: PanelOut, 400: ERRORS[400], 404: ERRORS[404]},
        tags=["panels"],
        summary="Set up a panel (lead-partner administrators)",
    )
    def post(self, request: Request) -> Response:
        form = PanelIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        chair = _user(d["chair_user_id"], "chair_user_id")
        panel = services.panel_create(
            actor=acting_user(request),
            name=d["name"],
            area=d["area"],
            chair=chair,
            coordinator=_user(d["coordinator_user_id"], "coordinator_user_id")
            if d.get("coordinator_user_id")
            else chair,
            members=[(a, None) for a in _agencies(d["member_agency_ids"], "member_agency_ids")],
        )
        return Response(PanelOut(panel).data, status=status.HTTP_201_CREATED)


class MeetingIn(serializers.Serializer[Any]):
    date = serializers.DateField()


class MeetingOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    panel_id = serializers.UUIDField(source="panel.uuid")
    date = serializers.DateField()


class PanelMeetingsView(APIView):
    @extend_schema(
        request=MeetingIn,
        responses={201: MeetingOut, 400: ERRORS[400], 404: ERRORS[404]},
        tags=["panels"],
        summary="Schedule a meeting (the chair or coordinator)",
    )
    def post(self, request: Request, panel_id: str) -> Response:
        actor = acting_user(request)
        form = MeetingIn(data=request.data)
        form.is_valid(raise_exception=True)
        panel = selectors.panel_read(actor=actor, panel_uuid=panel_id, purpose="Scheduling a meeting")
        meeting = services.meeting_schedule(actor=actor, panel=panel, day=form.validated_data["date"])
        return Response(MeetingOut(meeting).data, status=status.HTTP_201_CREATED)


class PanelReferralIn(serializers.Serializer[Any]):
    case_id = serializers.UUIDField()
    panel_id = serializers.UUIDField()
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=10, help_text=", ".join(c.value for c in Criterion)
    )
    summary = serializers.CharField(max_length=5000)
    judgement_reasons = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    vulnerability = serializers.ListField(
        child=serializers.ChoiceField(choices=[v.value for v in Vulnerability]), required=False, default=list
    )
    agency = serializers.SlugField(required=False, help_text="The member agency you refer for")


class CriterionOut(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=", ".join(c.value for c in Criterion))
    # DRF pops declared fields off the class, so a field named like Field.label is fine at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    rule = serializers.CharField()


class PanelReferralOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    repeat = serializers.BooleanField()
    criteria = CriterionOut(many=True)


class PanelReferralsView(APIView):
    @extend_schema(
        request=PanelReferralIn,
        responses={201: PanelReferralOut, **ERRORS},
        tags=["panels"],
        summary="Refer a case to the panel (400 when no criterion holds; 409 no_consent)",
    )
    def post(self, request: Request) -> Response:
        actor = acting_user(request)

        def create() -> Response:
            form = PanelReferralIn(data=request.data)
            form.is_valid(raise_exception=True)
            d = form.validated_data
            case = case_get(actor=actor, case_uuid=d["case_id"], purpose="Referring to the panel")
            panel = selectors.panel_read(
                actor=actor, panel_uuid=d["panel_id"], purpose="Referring to the panel", action="panel.list"
            )
            referral = services.panel_refer(
                actor=actor,
                agency=acting_agency(actor, d.get("agency")),
                case=case,
                panel=panel,
                criteria=d["criteria"],
                summary=d["summary"],
                judgement_reasons=d["judgement_reasons"],
                vulnerability=d["vulnerability"],
            )
            return Response(PanelReferralOut(referral).data, status=status.HTTP_201_CREATED)

        # A retried request with the same Idempotency-Key refers once.
        return idempotent_create(request, "panel_referrals.create", create)


class ActionOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    what = serializers.CharField()
    agency_id = serializers.UUIDField(source="agency.uuid")
    owner_user_id = serializers.UUIDField(source="owner.uuid")
    due_on = serializers.DateField()
    done = serializers.SerializerMethodField()
    evidence = serializers.CharField()

    def get_done(self, action: Action) -> bool:
        return action.done_at is not None


class AgendaItemOut(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    repeat = serializers.BooleanField()
    status = serializers.CharField()
    vulnerability = serializers.ListField(child=serializers.CharField())
    criteria = CriterionOut(many=True)
    summary = serializers.CharField()
    carried_actions = ActionOut(many=True)


class MeetingAgendaOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    date = serializers.DateField()
    agenda = AgendaItemOut(many=True)


class MeetingView(APIView):
    @extend_schema(
        responses={200: MeetingAgendaOut, 404: ERRORS[404]},
        tags=["panels"],
        summary="A meeting's agenda, with unfinished actions carried from earlier meetings (members only)",
    )
    def get(self, request: Request, meeting_id: str) -> Response:
        actor = acting_user(request)
        meeting = selectors.meeting_read(actor=actor, meeting_uuid=meeting_id, purpose="Panel agenda (API)")
        items = selectors.agenda(actor=actor, meeting=meeting, purpose="Panel agenda (API)")
        response = Response(
            {
                "id": str(meeting.uuid),
                "date": meeting.date.isoformat(),
                "agenda": [
                    {
                        "panel_referral_id": str(i.referral.uuid),
                        "case_id": str(i.referral.case.uuid),
                        "repeat": i.referral.repeat,
                        "status": i.referral.status,
                        "vulnerability": i.referral.vulnerability,
                        "criteria": i.referral.criteria,
                        "summary": i.summary,
                        "carried_actions": ActionOut(i.carried_actions, many=True).data,
                    }
                    for i in items
                ],
            }
        )
        # Personal data: never kept by a browser or a proxy.
        patch_cache_control(response, no_store=True, private=True)
        return response


class ListIn(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField()


def _meeting(request: Request, meeting_id: str, purpose: str, action: str) -> Meeting:
    return selectors.meeting_read(actor=acting_user(request), meeting_uuid=meeting_id, purpose=purpose, action=action)


class MeetingAgendaView(APIView):
    @extend_schema(
        request=ListIn,
        responses={200: PanelReferralOut, **ERRORS},
        tags=["panels"],
        summary="List a referred case on this meeting's agenda (the chair or coordinator)",
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        form = ListIn(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = _meeting(request, meeting_id, "Listing a case", "panel.manage")
        referral = selectors.panel_referral_get(panel_referral_uuid=form.validated_data["panel_referral_id"])
        listed = services.panel_referral_list(actor=acting_user(request), meeting=meeting, panel_referral=referral)
        return Response(PanelReferralOut(listed).data)


class ResearchIn(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField()
    summary = serializers.CharField(max_length=10000)
    agency = serializers.SlugField(required=False, help_text="The member agency you research for")


class ResearchOut(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField(source="panel_referral.uuid")
    agency_id = serializers.UUIDField(source="agency.uuid")
    summary = serializers.CharField()


class MeetingResearchView(APIView):
    @extend_schema(
        request=ResearchIn,
        responses={201: ResearchOut, **ERRORS},
        tags=["panels"],
        summary="Your agency's research on a case before the meeting (member agencies)",
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        actor = acting_user(request)
        form = ResearchIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        meeting = _meeting(request, meeting_id, "Recording panel research", "panel.research")
        research = services.research_record(
            actor=actor,
            agency=acting_agency(actor, d.get("agency")),
            meeting=meeting,
            panel_referral=selectors.panel_referral_get(panel_referral_uuid=d["panel_referral_id"]),
            summary=d["summary"],
        )
        return Response(ResearchOut(research).data, status=status.HTTP_201_CREATED)


class MinutesIn(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField()
    persons_voice = serializers.CharField(max_length=10000)
    discussion = serializers.CharField(max_length=20000)
    present_agency_ids = serializers.ListField(child=serializers.UUIDField(), max_length=50)


class MinutesOut(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField(source="panel_referral.uuid")
    status = serializers.CharField(source="panel_referral.status")
    present_agency_ids = serializers.SerializerMethodField()

    def get_present_agency_ids(self, minutes: Any) -> list[str]:
        return [str(a.uuid) for a in minutes.present_agencies.all()]


class MeetingMinutesView(APIView):
    @extend_schema(
        request=MinutesIn,
        responses={201: MinutesOut, **ERRORS},
        tags=["panels"],
        summary="Minutes of a case heard: the person's voice first; shown only to the agencies present",
    )
    def post(self, request: Request, meeting_id: str) -> Response:
        form = MinutesIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        meeting = _meeting(request, meeting_id, "Recording panel minutes", "panel.manage")
        minutes = services.minutes_record(
            actor=acting_user(request),
            meeting=meeting,
            panel_referral=selectors.panel_referral_get(panel_referral_uuid=d["panel_referral_id"]),
            persons_voice=d["persons_voice"],
            discussion=d["discussion"],
            present_agencies=_agencies(d["present_agency_ids"], "present_agency_ids"),
        )
        return Response(MinutesOut(minutes).data, status=status.HTTP_201_CREATED)


class ActionIn(serializers.Serializer[Any]):
    what = serializers.CharField(max_length=2000)
    agency_id = serializers.UUIDField()
    owner_user_id = serializers.UUIDField()
    due_on = serializers.DateField()


class PanelReferralActionsView(APIView):
    @extend_schema(
        request=ActionIn,
        responses={201: ActionOut, **ERRORS},
        tags=["panels"],
        summary="Agree an action: what, which agency, who, by when (the chair or coordinator)",
    )
    def post(self, request: Request, panel_referral_id: str) -> Response:
        actor = acting_user(request)
        form = ActionIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        referral: PanelReferral
        referral, _ = selectors.panel_referral_read(
            actor=actor, panel_referral_uuid=panel_referral_id, purpose="Agreeing a panel action", action="panel.manage"
        )
        action = services.action_agree(
            actor=actor,
            panel_referral=referral,
            what=d["what"],
            agency=_agencies([d["agency_id"]], "agency_id")[0],
            owner=_user(d["owner_user_id"], "owner_user_id"),
            due_on=d["due_on"],
        )
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)


class ActionCompleteIn(serializers.Serializer[Any]):
    evidence = serializers.CharField(max_length=5000)


class ActionCompleteView(APIView):
    @extend_schema(
        request=ActionCompleteIn,
        responses={200: ActionOut, **ERRORS},
        tags=["panels"],
        summary="Complete a panel action, with evidence (its owner or owning agency)",
    )
    def post(self, request: Request, action_id: str) -> Response:
        actor = acting_user(request)
        form = ActionCompleteIn(data=request.data)
        form.is_valid(raise_exception=True)
        action = selectors.action_read(actor=actor, action_uuid=action_id, purpose="Completing a panel action")
        done = services.action_complete(actor=actor, action=action, evidence=form.validated_data["evidence"])
        return Response(ActionOut(done).data)
