"""Anonymous, yet two-way. Every function is atomic and audited; none stores or logs a passphrase, and none gives
the reporter anything but the conversation itself.

A wrong passphrase and an unknown reference get the same answer (NoSuchFollowUp) after the same slow hash, so
neither the words nor the timing say whether a reference exists. Tries are counted in the shared cache (Redis
where configured), per reference (wrong guesses, from anywhere) and per address (every try): see
domain/rules.py for the windows."""

from __future__ import annotations

import hashlib
import secrets
import time
from functools import cache

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.core import ratelimit
from joinedup.core.errors import Conflict, InvalidInput, ServiceError
from joinedup.core.services import notify_staff
from joinedup.followup.domain.rules import (
    PER_ADDRESS,
    PER_REFERENCE,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    REPLIES,
    Named,
    message_problems,
    named_problems,
    normalise_passphrase,
    normalise_reference,
    passphrase_problems,
    refused,
    retry_after,
)
from joinedup.followup.models import FollowUp, FollowUpMessage
from joinedup.followup.registry import door_for

NOT_FOUND_WORDS = "We cannot find a report with that reference and passphrase. Check them and try again."


class NoSuchFollowUp(ServiceError):
    """Unknown reference or wrong passphrase: deliberately the same."""

    code = "not_found"


class TooManyTries(ServiceError):
    code = "rate_limited"

    def __init__(self, seconds: int) -> None:
        minutes = max(1, (seconds + 59) // 60)
        super().__init__(
            f"Too many tries. For your safety, wait {minutes} minute{'s' if minutes != 1 else ''} and try again."
        )
        self.retry_after = seconds


@cache
def _stand_in_hash() -> str:
    """Checked when the reference is unknown, so that answer takes as long as a wrong passphrase."""
    return make_password(secrets.token_urlsafe(16))


def reference_taken(reference: str) -> bool:
    return FollowUp.objects.filter(reference=reference).exists()


def reference_new() -> str:
    while True:
        raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        code = f"{raw[:4]}-{raw[4:]}"
        if not reference_taken(code):
            return code


def follow_up_open(*, kind: str, passphrase: str, reference: str = "") -> FollowUp:
    """Keep a way back to an anonymous report: called by the door's own service, inside its transaction, which
    links its record to the follow-up. The reference is the report's own where it has one."""
    door_for(kind)  # an unknown door is a programming error, not input
    reference = reference or reference_new()
    problems = passphrase_problems(passphrase, reference=reference)
    if problems:
        raise InvalidInput("Choose another passphrase.", fields={"passphrase": problems})
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            kind=kind, reference=reference, passphrase_hash=make_password(normalise_passphrase(passphrase))
        )
        record(
            actor=None,
            action=AuditAction.CREATE,
            obj=follow_up,
            summary=f"A way back kept for anonymous report {reference} (passphrase chosen; stored as a slow hash)",
            keep_address=False,
        )
    return follow_up


def _who(value: str) -> str:
    """The cache key's part for a reference or an address: hashed, so the shared cache holds neither."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def follow_up_unlock(*, reference: str, passphrase: str, address: str | None) -> FollowUp:
    """The reporter comes back with their reference and passphrase. Raises TooManyTries before anything is
    checked once either limit is used up (so a right guess during the pause is not confirmed either), and
    NoSuchFollowUp for an unknown reference or a wrong passphrase alike; each wrong try is audited."""
    ref = normalise_reference(reference)
    now = time.time()
    waits = []
    if refused(ratelimit.count("followup_ref", _who(ref), PER_REFERENCE.seconds), PER_REFERENCE):
        waits.append(retry_after(now, PER_REFERENCE))
    if refused(ratelimit.hit("followup_addr", _who(address or "unknown"), PER_ADDRESS.seconds) - 1, PER_ADDRESS):
        waits.append(retry_after(now, PER_ADDRESS))
    if waits:
        raise TooManyTries(max(waits))
    follow_up = FollowUp.objects.filter(reference=ref).first() if ref else None
    matches = check_password(
        normalise_passphrase(passphrase), follow_up.passphrase_hash if follow_up else _stand_in_hash()
    )
    if follow_up is None or not matches:
        ratelimit.hit("followup_ref", _who(ref), PER_REFERENCE.seconds)
        # No reference typed is kept (it may be anything a person typed); a real one is the record's own id.
        record(
            actor=None,
            action=AuditAction.DENIED,
            obj=follow_up,
            object_type="" if follow_up else "followup.followup",
            purpose="Anonymous follow-up",
            reason="Wrong passphrase" if follow_up else "Unknown reference",
            basis="followup_refused",
            summary="A try to open an anonymous follow-up failed",
            keep_address=False,
        )
        raise NoSuchFollowUp(NOT_FOUND_WORDS)
    return follow_up


def follow_up_messages_for_reporter(*, follow_up: FollowUp, via: str) -> list[FollowUpMessage]:
    """What the reporter reads: the conversation (the words and when, never who at the service). Audited."""
    record(
        actor=None,
        action=AuditAction.VIEW,
        obj=follow_up,
        purpose="Anonymous follow-up",
        summary=f"The anonymous reporter read the conversation ({via})",
        keep_address=False,
    )
    return list(follow_up.messages.all())


def _askers(follow_up: FollowUp) -> list[User]:
    ids = follow_up.messages.filter(from_reporter=False).values_list("author_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _tell_service(follow_up: FollowUp, subject: object, what: str) -> None:
    """Tell whoever asked (and whoever the door names) that the reporter did something: a link, never the
    words, which stay behind the page's access check."""
    door = door_for(follow_up.kind)
    told: dict[int, User] = {u.pk: u for u in [*_askers(follow_up), *door.told_of_answers(subject)]}
    for user in told.values():
        notify_staff(
            user=user,
            text=f"The person who made anonymous {door.words} {follow_up.reference} {what}",
            url=door.page_of(subject),
            subject="JoinedUp: an anonymous reporter has answered",
        )


def follow_up_reply(*, follow_up: FollowUp, text: str) -> FollowUpMessage:
    """The reporter answers (or adds something). The service is told that there is an answer."""
    problems = message_problems(text)
    if problems:
        raise InvalidInput("Check your message.", fields={"text": problems})
    if refused(ratelimit.hit("followup_reply", str(follow_up.uuid), REPLIES.seconds) - 1, REPLIES):
        raise TooManyTries(retry_after(time.time(), REPLIES))
    door = door_for(follow_up.kind)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        message = FollowUpMessage.objects.create(follow_up=locked, from_reporter=True, text=text.strip())
        locked.answer_waiting = True
        locked.save(update_fields=["answer_waiting"])
        record(
            actor=None,
            action=AuditAction.CREATE,
            obj=locked,
            purpose="Anonymous follow-up",
            summary="The anonymous reporter sent a message",
            keep_address=False,
        )
        _tell_service(locked, door.subject_of(locked), "has sent a message. Read it on the report's page.")
    return message


def follow_up_ask(*, actor: User, follow_up: FollowUp, text: str) -> FollowUpMessage:
    """A practitioner who may act on the report asks the reporter a question (or answers theirs)."""
    door = door_for(follow_up.kind)
    require(actor, door.ask_action, door.subject_of(follow_up), purpose="Asking an anonymous reporter")
    problems = message_problems(text)
    if problems:
        raise InvalidInput(
            "Check your question.", fields={"text": ["Enter your question" if not text.strip() else problems[0]]}
        )
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        message = FollowUpMessage.objects.create(follow_up=locked, from_reporter=False, author=actor, text=text.strip())
        locked.answer_waiting = False
        locked.save(update_fields=["answer_waiting"])
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=locked,
            purpose="Anonymous follow-up",
            summary="A question was sent to the anonymous reporter",
        )
    return message


def follow_up_become_named(*, follow_up: FollowUp, named: Named) -> FollowUp:
    """The reporter chooses to give their name and a safe way to reach them: the report becomes theirs (the
    door's own service hands it to whoever picks up named reports). Their account is not asked again."""
    door = door_for(follow_up.kind)
    problems = named_problems(named, asks_who=door.asks_who)
    if problems:
        raise InvalidInput("Check what you entered.", fields=problems)
    clean = Named(
        name=" ".join(named.name.split()),
        phone=named.phone.strip(),
        email=named.email.strip(),
        contact_notes=named.contact_notes.strip(),
        who=named.who if door.asks_who else "",
    )
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.named_at is not None:
            raise Conflict("You have already given your name for this report.", code="already_named")
        subject = door.subject_of(locked)
        door.become_named(subject, clean)
        locked.named_at = timezone.now()
        locked.answer_waiting = True
        locked.save(update_fields=["named_at", "answer_waiting"])
        record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=locked,
            purpose="Anonymous follow-up",
            summary="The anonymous reporter gave their name and a way to reach them: the report is now theirs",
            keep_address=False,
        )
        _tell_service(locked, subject, "has given their name. It is on the report's page.")
    return locked
