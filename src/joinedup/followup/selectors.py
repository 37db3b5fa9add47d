"""Reading a conversation: for the service through the one door (audited), for the reporter as the words only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from joinedup.access import door as one_door
from joinedup.access.decision import decide
from joinedup.accounts.models import User
from joinedup.followup.models import FollowUp, FollowUpMessage
from joinedup.followup.registry import door_for


@dataclass(frozen=True)
class Line:
    from_reporter: bool
    text: str
    at: datetime
    # Who at the service asked (shown to colleagues only; never to the reporter).
    asked_by: str = ""


@dataclass(frozen=True)
class Conversation:
    """The service's view of the way back to an anonymous report."""

    reference: str
    lines: tuple[Line, ...]
    named_at: datetime | None
    answer_waiting: bool
    may_ask: bool


def conversation_read(*, actor: User, follow_up: FollowUp | None, purpose: str) -> Conversation | None:
    """The conversation, for a practitioner who may read the report it belongs to (None otherwise, or when the
    reporter kept no way back). One audit entry; reading it clears "an answer is waiting" for those who may ask."""
    if follow_up is None:
        return None
    door = door_for(follow_up.kind)
    subject = door.subject_of(follow_up)
    if not decide(actor, door.read_action, subject).allowed:
        return None
    one_door.read(
        actor,
        door.read_action,
        subject,
        purpose=purpose,
        obj=follow_up,
        summary="Read the conversation with the anonymous reporter",
    )
    may_ask = decide(actor, door.ask_action, subject).allowed
    waiting = follow_up.answer_waiting
    if waiting and may_ask:
        FollowUp.objects.filter(pk=follow_up.pk).update(answer_waiting=False)
    messages = FollowUpMessage.objects.filter(follow_up=follow_up).select_related("author")
    return Conversation(
        reference=follow_up.reference,
        lines=tuple(
            Line(
                from_reporter=m.from_reporter,
                text=m.text,
                at=m.at,
                asked_by="" if m.from_reporter or m.author is None else m.author.name,
            )
            for m in messages
        ),
        named_at=follow_up.named_at,
        answer_waiting=waiting,
        may_ask=may_ask,
    )


@dataclass(frozen=True)
class ReporterLine:
    from_you: bool
    text: str
    at: datetime


def reporter_lines(messages: list[FollowUpMessage]) -> list[ReporterLine]:
    """What the reporter sees of each message: the words, when, and whether it was theirs. Nothing else."""
    return [ReporterLine(from_you=m.from_reporter, text=m.text, at=m.at) for m in messages]


def follow_up_by_uuid(value: str) -> FollowUp | None:
    """The follow-up this browser unlocked (its id kept in the session after the passphrase was checked)."""
    try:
        return FollowUp.objects.filter(uuid=value).first()
    except (ValueError, TypeError, ValidationError):
        return None
