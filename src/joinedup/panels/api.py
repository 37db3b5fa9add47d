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
from joinedup.panels.domain.rules import CloseOutcome, Criterion, Status, Vulnerability
from joinedup.panels.models import Action, Meeting, Panel, PanelReferral
from joinedup.people.api import acting_agency

# Named once for the schema (settings SPECTACULAR ENUM_NAME_OVERRIDES).
PANEL_REFERRAL_STATUS_CHOICES = [s.value for s in Status]
PANEL_CLOSE_OUTCOME_CHOICES = [o.value for o in CloseOutcome]

ERRORS = {
    400: OpenApiResponse(description='Invalid input: {"error": {"code", "message", "fields"}}'),
    403: OpenApiResponse(description="Signed in, but this action is not yours on a record you may see"),
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


class MemberIn(serializers.Serializer[Any]):
    agency_id = serializers.UUIDField()
    representative_user_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class PanelIn(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=200)
    chair_user_id = serializers.UUIDField()
    coordinator_user_id = serializers.UUIDField(required=False, help_text="Defaults to the chair")
    member_agency_ids = serializers.ListField(
        child=serializers.UUIDField(), max_length=50, required=False, help_text="Or `members`, with representatives"
    )
    members = serializers.ListField(
        child=MemberIn(), max_length=50, required=False, help_text="Each member agency and its representative"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("members") and not attrs.get("member_agency_ids"):
            raise serializers.ValidationError({"members": ["Name the member agencies: at least two"]})
        return attrs


def _members(d: dict[str, Any]) -> list[tuple[Agency, User | None]]:
    """`members` (with representatives) or the contract's `member_agency_ids`."""
    if d.get("members"):
        agencies = _agencies([m["agency_id"] for m in d["members"]], "members")
        return [
            (agency, _user(m["representative_user_id"], "members") if m["representative_user_id"] else None)
            for agency, m in zip(agencies, d["members"], strict=True)
        ]
    return [(a, None) for a in _agencies(d["member_agency_ids"], "member_agency_ids")]


class MemberOut(serializers.Serializer[Any]):
    agency_id = serializers.UUIDField(source="agency.uuid")
    representative_user_id = serializers.SerializerMethodField()

    def get_representative_user_id(self, member: Any) -> str | None:
        return str(member.representative.uuid) if member.representative else None


class PanelOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField()
    area = serializers.CharField()
    chair_user_id = serializers.UUIDField(source="chair.uuid")
    coordinator_user_id = serializers.UUIDField(source="coordinator.uuid")
    member_agency_ids = serializers.SerializerMethodField()
    members = MemberOut(many=True, source="members.all")

    def get_member_agency_ids(self, panel: Panel) -> list[str]:
        return [str(m.agency.uuid) for m in panel.members.all()]


class MeetingDateOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    date = serializers.DateField()


class PanelDetailOut(PanelOut):
    meetings = serializers.SerializerMethodField()

    def get_meetings(self, panel: Panel) -> list[dict[str, str]]:
        return [{"id": str(m.uuid), "date": m.date.isoformat()} for m in selectors.meetings_of(panel=panel)]


class PanelsView(APIView):
    @extend_schema(responses=PanelOut(many=True), tags=["panels"], summary="The partnership's panels")
    def get(self, request: Request) -> Response:
        return Response(PanelOut(selectors.panels_visible(actor=acting_user(request)), many=True).data)

    @extend_schema(
        request=PanelIn,
        responses={201: PanelOut, 400: ERRORS[400], 403: ERRORS[403]},
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
            members=_members(d),
        )
        return Response(PanelOut(panel).data, status=status.HTTP_201_CREATED)


class PanelView(APIView):
    @extend_schema(
        responses={200: PanelDetailOut, 404: ERRORS[404]},
        tags=["panels"],
        summary="A panel: chair, coordinator, members and representatives, meeting dates (members and the lead "
        "partner's administrators)",
    )
    def get(self, request: Request, panel_id: str) -> Response:
        actor = acting_user(request)
        panel = selectors.panel_read_for_member_or_admin(actor=actor, panel_uuid=panel_id, purpose="A panel (API)")
        return Response(PanelDetailOut(panel).data)

    @extend_schema(
        request=PanelIn,
        responses={200: PanelDetailOut, **ERRORS},
        tags=["panels"],
        summary="Change a panel: name, area, chair, coordinator, member agencies and representatives (lead-partner "
        "administrators; 409 open_actions when a leaving agency still owns unfinished actions)",
    )
    def put(self, request: Request, panel_id: str) -> Response:
        actor = acting_user(request)
        form = PanelIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        panel = selectors.panel_for_setup(actor=actor, panel_uuid=panel_id, purpose="Changing a panel (API)")
        chair = _user(d["chair_user_id"], "chair_user_id")
        changed = services.panel_update(
            actor=actor,
            panel=panel,
            name=d["name"],
            area=d["area"],
            chair=chair,
            coordinator=_user(d["coordinator_user_id"], "coordinator_user_id")
            if d.get("coordinator_user_id")
            else chair,
            members=_members(d),
        )
        return Response(PanelDetailOut(changed).data)


class MeetingIn(serializers.Serializer[Any]):
    date = serializers.DateField()


class MeetingOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    panel_id = serializers.UUIDField(source="panel.uuid")
    date = serializers.DateField()


class PanelMeetingsView(APIView):
    @extend_schema(
        request=MeetingIn,
        responses={201: MeetingOut, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
        tags=["panels"],
        summary="Schedule a meeting: today or later, one a day (the chair, the coordinator, or lead-partner "
        "administrators)",
    )
    def post(self, request: Request, panel_id: str) -> Response:
        actor = acting_user(request)
        form = MeetingIn(data=request.data)
        form.is_valid(raise_exception=True)
        panel = selectors.panel_read(
            actor=actor, panel_uuid=panel_id, purpose="Scheduling a meeting", action="panel.schedule"
        )
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
    urgent = serializers.BooleanField(
        required=False, default=False, help_text="Needs hearing before the next usual meeting"
    )


class CriterionOut(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=", ".join(c.value for c in Criterion))
    # DRF pops declared fields off the class, so a field named like Field.label is fine at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    rule = serializers.CharField()


class PanelReferralOut(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    status = serializers.ChoiceField(choices=PANEL_REFERRAL_STATUS_CHOICES)
    repeat = serializers.BooleanField()
    urgent = serializers.BooleanField()
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
                urgent=d["urgent"],
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


class VoiceOut(serializers.Serializer[Any]):
    words = serializers.CharField()
    brought_by = serializers.CharField(source="as_role", help_text="advocate | key_worker")
    at = serializers.DateTimeField()


class AgendaItemOut(serializers.Serializer[Any]):
    panel_referral_id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    repeat = serializers.BooleanField()
    urgent = serializers.BooleanField()
    status = serializers.CharField()
    persons_voice = VoiceOut(allow_null=True, help_text="Read first; null when not brought or not yours to see")
    vulnerability = serializers.ListField(child=serializers.CharField())
    criteria = CriterionOut(many=True)
    summary = serializers.CharField()
    carried_actions = ActionOut(many=True)
    withheld = serializers.BooleanField(help_text="Part of this case is for agencies whose work needs it")


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
                        "urgent": i.referral.urgent,
                        "status": i.referral.status,
                        "persons_voice": VoiceOut(i.voice).data if i.voice else None,
                        "vulnerability": i.vulnerability,
                        "criteria": i.criteria,
                        "summary": i.summary,
                        "carried_actions": ActionOut(i.carried_actions, many=True).data,
                        "withheld": i.held_back,
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
    persons_voice = serializers.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Read first; when left out, the words their advocate or key worker brought",
    )
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


class PanelReferralStepOut(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()


class PanelReferralDetailOut(serializers.Serializer[Any]):
    """The panel referral as this reader may see it (minimum necessary: `withheld` says when part is held back)."""

    id = serializers.UUIDField()
    panel_id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=PANEL_REFERRAL_STATUS_CHOICES)
    repeat = serializers.BooleanField()
    urgent = serializers.BooleanField()
    criteria = CriterionOut(many=True)
    vulnerability = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    meeting_id = serializers.UUIDField(allow_null=True)
    outcome = serializers.ChoiceField(choices=PANEL_CLOSE_OUTCOME_CHOICES, allow_null=True)
    history = PanelReferralStepOut(many=True)
    withheld = serializers.BooleanField()


class PanelReferralView(APIView):
    @extend_schema(
        responses={200: PanelReferralDetailOut, 404: ERRORS[404]},
        tags=["panels"],
        summary="A panel referral: status, repeat, urgent, criteria with their rules, its steps, and the outcome "
        "when closed (members of the panel)",
    )
    def get(self, request: Request, panel_referral_id: str) -> Response:
        actor = acting_user(request)
        referral, seen = selectors.panel_referral_read(
            actor=actor, panel_referral_uuid=panel_referral_id, purpose="A panel referral (API)"
        )
        item = selectors.referral_as_seen(referral=referral, groups=seen.groups)
        response = Response(
            {
                "id": str(referral.uuid),
                "panel_id": str(referral.panel.uuid),
                "case_id": str(referral.case.uuid),
                "status": referral.status,
                "repeat": referral.repeat,
                "urgent": referral.urgent,
                "criteria": item.criteria,
                "vulnerability": item.vulnerability,
                "summary": item.summary,
                "meeting_id": str(referral.meeting.uuid) if referral.meeting else None,
                "outcome": referral.outcome or None,
                "history": PanelReferralStepOut(selectors.history_of(panel_referral=referral), many=True).data
                if item.criteria_shown
                else [],
                "withheld": item.held_back,
            }
        )
        patch_cache_control(response, no_store=True, private=True)
        return response


class PanelCloseIn(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=PANEL_CLOSE_OUTCOME_CHOICES)
    reason = serializers.CharField(max_length=5000)
    open_actions = serializers.ChoiceField(
        choices=["agencies_continue"],
        required=False,
        allow_null=True,
        default=None,
        help_text="When actions are not done: their agencies carry on with them outside the panel",
    )


class PanelReferralCloseView(APIView):
    @extend_schema(
        request=PanelCloseIn,
        responses={200: PanelReferralOut, **ERRORS},
        tags=["panels"],
        summary="Close a case at the panel, with an outcome and a reason (the chair or coordinator; 409 "
        "open_actions names the actions not done unless open_actions is agencies_continue; 409 not_allowed when "
        "already closed)",
    )
    def post(self, request: Request, panel_referral_id: str) -> Response:
        actor = acting_user(request)
        form = PanelCloseIn(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        referral, _ = selectors.panel_referral_read(
            actor=actor,
            panel_referral_uuid=panel_referral_id,
            purpose="Closing a panel referral (API)",
            action="panel.manage",
        )
        closed = services.panel_referral_close(
            actor=actor,
            panel_referral=referral,
            outcome=d["outcome"],
            reason=d["reason"],
            agencies_continue=d["open_actions"] == "agencies_continue",
        )
        return Response(PanelReferralOut(closed).data)


class VoiceIn(serializers.Serializer[Any]):
    words = serializers.CharField(max_length=10000, help_text="What they want and fear, in their words")


class PanelReferralVoiceView(APIView):
    @extend_schema(
        request=VoiceIn,
        responses={201: VoiceOut, **ERRORS},
        tags=["panels"],
        summary="Bring the person's voice to the panel (their key worker, or an advocate from a member agency); "
        "read first at the meeting",
    )
    def post(self, request: Request, panel_referral_id: str) -> Response:
        actor = acting_user(request)
        form = VoiceIn(data=request.data)
        form.is_valid(raise_exception=True)
        referral, _ = selectors.panel_referral_read(
            actor=actor,
            panel_referral_uuid=panel_referral_id,
            purpose="Bringing the person's voice (API)",
            action="panel.voice",
        )
        voice = services.voice_record(actor=actor, panel_referral=referral, words=form.validated_data["words"])
        return Response(VoiceOut(voice).data, status=status.HTTP_201_CREATED)
