"""The person's own place in the API (docs/portal.md): invitations for key workers, and /my/… for the signed-in
person — their own record only (every other person's is 404), read through the one door."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.accounts.selectors import acting_user, agency_by_uuid
from joinedup.cases import selectors as case_selectors
from joinedup.cases.domain.safety_plan import PERSON_PARTS
from joinedup.cases.safety import current_version, plan_from_json, plan_to_json, safety_plan_save
from joinedup.consent import selectors as consent_selectors
from joinedup.consent.domain.rules import SELF_CHOICES
from joinedup.consent.services import consent_for_words
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.harm import selectors as harm_selectors
from joinedup.people.api import acting_agency
from joinedup.people.domain.contact import CHANNELS
from joinedup.people.selectors import person_read
from joinedup.portal import presenters, selectors, services
from joinedup.referrals import selectors as referral_selectors


class InvitationIn(serializers.Serializer[Any]):
    channel = serializers.ChoiceField(choices=CHANNELS)
    agency = serializers.SlugField(required=False)


class InvitationOut(serializers.Serializer[Any]):
    person_id = serializers.UUIDField()
    channel = serializers.CharField()
    sign_in_url = serializers.CharField(
        allow_null=True, help_text="Given once, for the key worker to pass on (not for email, which is sent)"
    )


class PortalInvitationsView(APIView):
    @extend_schema(
        request=InvitationIn,
        responses={
            201: InvitationOut,
            404: OpenApiResponse(description="Not found"),
            409: OpenApiResponse(description="channel_not_allowed"),
        },
        tags=["portal"],
        summary="Invite the person to their own place through a channel their safe-contact rules allow",
    )
    def post(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        form = InvitationIn(data=request.data)
        form.is_valid(raise_exception=True)
        person, _ = person_read(actor=actor, person_uuid=person_id, purpose="Inviting the person to their own place")
        case = case_selectors.open_case(person=person)
        if case is None:
            raise Conflict("They have no open case.", code="case_closed")
        channel = form.validated_data["channel"]
        _, path = services.portal_invite(
            actor=actor,
            agency=acting_agency(actor, form.validated_data.get("agency")),
            person=person,
            case=case,
            channel=channel,
            site_url=request.build_absolute_uri("/"),
        )
        body = {
            "person_id": person.uuid,
            "channel": channel,
            "sign_in_url": None if channel == "email" else request.build_absolute_uri(path),
        }
        return Response(InvitationOut(body).data, status=status.HTTP_201_CREATED)


class PasskeysResetOut(serializers.Serializer[Any]):
    person_id = serializers.UUIDField()
    passkeys_removed = serializers.IntegerField()
    asks_passkey_with_link = serializers.BooleanField(help_text="Always false afterwards: a link alone signs them in")


class PortalPasskeysView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: PasskeysResetOut,
            403: OpenApiResponse(description="forbidden: only their key worker, or a safeguarding lead, may"),
            404: OpenApiResponse(description="Not found"),
            409: OpenApiResponse(description="not_invited: they do not have My support"),
        },
        tags=["portal"],
        summary="They lost or changed their phone: remove the passkeys of their own place and switch the extra "
        "check off, so a link alone signs them in (check it is them first)",
    )
    def delete(self, request: Request, person_id: str) -> Response:
        actor = acting_user(request)
        person, _ = person_read(actor=actor, person_uuid=person_id, purpose="Helping the person back in")
        removed = services.portal_passkeys_reset(actor=actor, person=person)
        body = {"person_id": person.uuid, "passkeys_removed": removed, "asks_passkey_with_link": False}
        return Response(PasskeysResetOut(body).data)


def _me(request: Request, purpose: str) -> tuple[Any, Any, Any]:
    user = acting_user(request)
    person, case = selectors.my_person(user=user, purpose=purpose)
    return user, person, case


class MyCaseView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="My case: my key worker and what happens next")
    def get(self, request: Request) -> Response:
        _, person, case = _me(request, "Looking at my support")
        home = presenters.home(person, case)
        return Response(
            {
                "person_id": str(person.uuid),
                "case_id": str(case.uuid) if case else None,
                "status": case.status if case else None,
                "key_worker": {"name": home.key_worker, "agency": home.key_worker_agency} if case else None,
                "how_safe": home.level_words,
                "next_steps": [{"what": s.what, "by": s.by} for s in home.next_steps],
            }
        )


class MyTimelineView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="What has happened, as marked for me")
    def get(self, request: Request) -> Response:
        _, person, _ = _me(request, "Looking at what has happened")
        return Response({"results": [{"at": s.at, "what": s.what} for s in presenters.story(person)]})


class MyReferralsView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="Who was asked to help me, and each answer")
    def get(self, request: Request) -> Response:
        _, _, case = _me(request, "Looking at who was asked to help")
        found = referral_selectors.referrals_of(case=case) if case else []
        return Response(
            {
                "results": [
                    {
                        "kind": r.kind,
                        "service": r.service.name if r.service is not None else None,
                        "agency": r.to_agency.name,
                        "status": r.status,
                        "respond_by": r.respond_by,
                        "named_contact": r.named_contact,
                        "decline_reason": r.decline_reason,
                    }
                    for r in found
                ]
            }
        )


class MyHarmReportsView(APIView):
    @extend_schema(
        responses=dict,
        tags=["portal"],
        summary="The harm reports I made about services: where each is, what comes next, and the words for me",
    )
    def get(self, request: Request) -> Response:
        _, person, _ = _me(request, "Following what I told you about services")
        return Response(
            {
                "results": [
                    {
                        "id": str(r.uuid),
                        "about": r.about,
                        "received_at": r.received_at,
                        "status": r.status,
                        "stage": r.stage,
                        "acknowledge_by": r.acknowledge_by,
                        "respond_by": r.respond_by,
                        "steps": [{"at": s.at, "stage": s.stage, "note": s.note} for s in r.steps],
                    }
                    for r in harm_selectors.reports_for_person(person=person)
                ]
            }
        )


class MyAccessLogView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="Who looked at my record, when and why")
    def get(self, request: Request) -> Response:
        _, person, _ = _me(request, "Seeing who looked at my record")
        return Response(
            {
                "results": [
                    {
                        "at": look.at,
                        "actor": {"name": look.who, "agency": look.agency},
                        "action": look.what,
                        "purpose": look.why,
                    }
                    for look in presenters.who_looked(person)
                ]
            }
        )


# What a person may agree to themselves (not "contact": that is their safe-contact rules, set with the key worker).
SELF_PURPOSES = [c.purpose.value for c in SELF_CHOICES]


class MyConsentIn(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=SELF_PURPOSES)
    recipient_agency_id = serializers.UUIDField(
        required=False, help_text="Who it is for. Not for discuss_at_panel, which is every agency at the meeting."
    )


# "for" is a Python keyword, so this answer's fields are given as a mapping.
MyConsentOut = type(
    "MyConsentOut",
    (serializers.Serializer,),
    {
        "id": serializers.UUIDField(),
        "purpose": serializers.CharField(),
        "for": serializers.CharField(help_text="Who it is for, in plain words"),
    },
)


class MyConsentsView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="What I agreed to")
    def get(self, request: Request) -> Response:
        _, person, _ = _me(request, "Looking at what I agreed to")
        return Response(
            {
                "results": [
                    {
                        "id": str(c.uuid),
                        "purpose": c.purpose,
                        "for": consent_for_words(c),
                        "decision": c.decision,
                        "withdrawn": c.withdrawn_at is not None,
                    }
                    for c in consent_selectors.consents_for(person=person)
                ]
            }
        )

    @extend_schema(
        request=MyConsentIn,
        responses={
            201: MyConsentOut,
            400: OpenApiResponse(description="Nothing saved: the purpose or the agency is not right"),
            409: OpenApiResponse(description="already_given, or case_closed (no one is working with them)"),
        },
        tags=["portal"],
        summary="Agree to something new myself (one purpose, one agency I choose)",
    )
    def post(self, request: Request) -> Response:
        user, person, _ = _me(request, "Agreeing to something new")
        form = MyConsentIn(data=request.data)
        form.is_valid(raise_exception=True)
        choice = next(c for c in SELF_CHOICES if c.purpose == form.validated_data["purpose"])
        agency_id = form.validated_data.get("recipient_agency_id")
        recipient = agency_by_uuid(str(agency_id)) if agency_id else None
        if agency_id and recipient is None:
            raise InvalidInput("Nothing was saved.", fields={"recipient_agency_id": ["No agency has this id"]})
        consent = services.consent_give(actor=user, person=person, choice_slug=choice.slug, recipient=recipient)
        return Response(
            {"id": str(consent.uuid), "purpose": consent.purpose, "for": consent_for_words(consent)},
            status=status.HTTP_201_CREATED,
        )


class MySafetyPlanIn(serializers.Serializer[Any]):
    warning_signs = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    safe_places_and_people = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    what_i_will_do = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class MySafetyPlanView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="My safety plan")
    def get(self, request: Request) -> Response:
        _, _, case = _me(request, "Looking at my safety plan")
        version = current_version(case=case) if case else None
        return Response(
            {
                "version": version.number if version else 0,
                "plan": plan_to_json(plan_from_json(version.content if version else None)),
            }
        )

    @extend_schema(
        request=MySafetyPlanIn,
        responses={200: dict, 409: OpenApiResponse(description="Only your own parts")},
        tags=["portal"],
        summary="Change my parts of the plan (a new version)",
    )
    def put(self, request: Request) -> Response:
        user, _, case = _me(request, "Changing my safety plan")
        form = MySafetyPlanIn(data=request.data)
        form.is_valid(raise_exception=True)
        if case is None or case.status != "open":
            raise Conflict("No one is working with you right now.", code="case_closed")
        version = current_version(case=case)
        now = plan_from_json(version.content if version else None)
        changes = {k: v for k, v in form.validated_data.items() if k in PERSON_PARTS}
        saved = safety_plan_save(actor=user, case=case, plan=replace(now, **changes), by_person=True)
        return Response({"version": saved.number, "plan": saved.content})


class MessageIn(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=5000)


class MyMessagesView(APIView):
    @extend_schema(responses=dict, tags=["portal"], summary="Messages with my key worker")
    def get(self, request: Request) -> Response:
        _, person, _ = _me(request, "Reading my messages")
        return Response(
            {
                "results": [
                    {
                        "at": m.at,
                        "from_me": m.from_person,
                        "from": None if m.from_person else m.author.name,
                        "text": m.text,
                    }
                    for m in selectors.messages_of(person=person)
                ]
            }
        )

    @extend_schema(request=MessageIn, responses={201: dict}, tags=["portal"], summary="Send a message to my key worker")
    def post(self, request: Request) -> Response:
        user, person, _ = _me(request, "Sending a message")
        form = MessageIn(data=request.data)
        form.is_valid(raise_exception=True)
        message = services.message_send(actor=user, person=person, text=form.validated_data["text"], from_person=True)
        return Response({"id": str(message.uuid), "at": message.at}, status=status.HTTP_201_CREATED)


class MyUpdatesView(APIView):
    @extend_schema(
        request=MessageIn,
        responses={201: dict, 400: OpenApiResponse(description="Nothing written")},
        tags=["portal"],
        summary="Tell us something new: it joins my record as my own account",
    )
    def post(self, request: Request) -> Response:
        user, person, _ = _me(request, "Telling us something new")
        form = MessageIn(data=request.data)
        form.is_valid(raise_exception=True)
        message = services.update_tell(actor=user, person=person, text=form.validated_data["text"])
        return Response({"id": str(message.uuid), "at": message.at}, status=status.HTTP_201_CREATED)
