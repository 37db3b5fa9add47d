"""/api/v1/public/follow-up — the anonymous reporter's side, with no account and no token: the reference and the
passphrase are sent with every call. Rate-limited per reference and per address (429 with Retry-After); an
unknown reference and a wrong passphrase get the same 404. Nothing personal is ever answered: the messages'
words and times, and whether each was the reporter's."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from joinedup.core.middleware import client_ip
from joinedup.followup import selectors, services
from joinedup.followup.domain.rules import CONTACT_MAX, MESSAGE_MAX, NAME_MAX, PASSPHRASE_MAX, Named
from joinedup.followup.forms import WHO
from joinedup.followup.models import FollowUp


class FollowUpUnlockIn(serializers.Serializer[Any]):
    reference = serializers.CharField(max_length=20, help_text="As given when the report was made, e.g. K7QP-3XMW")
    passphrase = serializers.CharField(max_length=PASSPHRASE_MAX * 2, trim_whitespace=False)


class FollowUpMessageIn(FollowUpUnlockIn):
    text = serializers.CharField(max_length=MESSAGE_MAX)


class FollowUpNamedIn(FollowUpUnlockIn):
    name = serializers.CharField(max_length=NAME_MAX)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    contact_notes = serializers.CharField(
        max_length=CONTACT_MAX, required=False, allow_blank=True, default="", help_text="How to keep contact safe"
    )
    who = serializers.ChoiceField(
        choices=[w for w, _ in WHO],
        required=False,
        allow_blank=True,
        default="",
        help_text="Asked for harm reports and concerns made anonymously (who told it); ignored for incident reports",
    )


# "from" is the contract's name (a Python keyword), so the message shape is declared field by field.
MessageOut = inline_serializer(
    name="FollowUpMessage",
    fields={
        "from": serializers.ChoiceField(
            choices=[("you", "you"), ("service", "service")],
            help_text="Who wrote it, from the reporter's side: never a name or an agency",
        ),
        "text": serializers.CharField(),
        "at": serializers.DateTimeField(),
    },
)

ConversationOut = inline_serializer(
    name="FollowUpConversation",
    fields={
        "reference": serializers.CharField(),
        "named": serializers.BooleanField(help_text="Whether the reporter has given their name"),
        "messages": MessageOut.__class__(many=True),
    },
)


ANSWERS = {
    400: OpenApiResponse(description="invalid: nothing was stored"),
    404: OpenApiResponse(
        description="not_found: the same answer for an unknown reference and a wrong passphrase (each wrong try "
        "is counted and audited)"
    ),
    429: OpenApiResponse(
        description="throttled: too many tries for this reference (5 wrong in 15 minutes) or from this address "
        "(30 an hour), or too many messages on one report (20 an hour); wait the seconds in Retry-After. "
        "Checked before the passphrase, so a right guess is not confirmed during the pause"
    ),
}


def _unlock(request: Request, form: FollowUpUnlockIn) -> FollowUp:
    try:
        return services.follow_up_unlock(
            reference=form.validated_data["reference"],
            passphrase=form.validated_data["passphrase"],
            address=client_ip(request),
        )
    except services.TooManyTries as wait:
        raise exceptions.Throttled(wait=wait.retry_after, detail=wait.message) from wait
    except services.NoSuchFollowUp as missing:
        raise exceptions.NotFound(missing.message) from missing


def _conversation(follow_up: FollowUp) -> dict[str, Any]:
    lines = selectors.reporter_lines(services.follow_up_messages_for_reporter(follow_up=follow_up, via="API"))
    return {
        "reference": follow_up.reference,
        "named": follow_up.named_at is not None,
        "messages": [
            {"from": "you" if line.from_you else "service", "text": line.text, "at": line.at.isoformat()}
            for line in lines
        ],
    }


class PublicView(APIView):
    # No account: the reference and passphrase are the only key, and the throttles in services are per
    # reference and per address (the default anonymous throttle applies as well).
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class FollowUpView(PublicView):
    @extend_schema(
        request=FollowUpUnlockIn,
        responses={200: ConversationOut, **ANSWERS},
        tags=["public follow-up"],
        summary="An anonymous reporter reads the conversation about their report (reference and passphrase)",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = FollowUpUnlockIn(data=request.data)
        form.is_valid(raise_exception=True)
        return Response(_conversation(_unlock(request, form)))


class FollowUpMessagesView(PublicView):
    @extend_schema(
        request=FollowUpMessageIn,
        responses={201: ConversationOut, **ANSWERS},
        tags=["public follow-up"],
        summary="An anonymous reporter answers (or adds something); the service is told there is an answer",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = FollowUpMessageIn(data=request.data)
        form.is_valid(raise_exception=True)
        follow_up = _unlock(request, form)
        try:
            services.follow_up_reply(follow_up=follow_up, text=form.validated_data["text"])
        except services.TooManyTries as wait:
            raise exceptions.Throttled(wait=wait.retry_after, detail=wait.message) from wait
        return Response(_conversation(follow_up), status=status.HTTP_201_CREATED)


class FollowUpNamedView(PublicView):
    @extend_schema(
        request=FollowUpNamedIn,
        responses={
            200: ConversationOut,
            **ANSWERS,
            409: OpenApiResponse(description="already_named: the reporter has given their name already"),
        },
        tags=["public follow-up"],
        summary="The reporter gives their name and a safe way to reach them: the report becomes theirs, for the "
        "service to pick up, without telling it again",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = FollowUpNamedIn(data=request.data)
        form.is_valid(raise_exception=True)
        follow_up = _unlock(request, form)
        d = form.validated_data
        follow_up = services.follow_up_become_named(
            follow_up=follow_up,
            named=Named(
                name=d["name"], phone=d["phone"], email=d["email"], contact_notes=d["contact_notes"], who=d["who"]
            ),
        )
        return Response(_conversation(follow_up))
