"""The one outbound function: every contact with a person passes the safe-contact rules. A forbidden channel is
refused, and the refusal is logged (and kept even though the caller's work stops)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.models import TimelineKind
from joinedup.cases.selectors import open_case
from joinedup.cases.services import case_event
from joinedup.consent.services import consent_cover
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.tasks import send_person_email
from joinedup.people.domain.contact import CHANNELS, ContactDecision, SafeContact, may_contact
from joinedup.people.models import ContactAttempt, Person
from joinedup.people.services import contact_attempt_log


def contact_check(*, person: Person, agency: Agency | None = None) -> dict[str, ContactDecision]:
    """What each channel would say now (for showing practitioners before they try). A refusal of contact counts
    for the agency it named (or every agency, when the person said so); without an agency, only those."""

    refused = consent_cover(person=person, purpose="contact", recipient=agency).basis in {"refused", "withdrawn"}
    rules = SafeContact.from_json(person.safe_contact)
    now = timezone.localtime().time()
    return {c: may_contact(rules, channel=c, at=now, contact_refused=refused) for c in CHANNELS}


def contact_attempt(
    *,
    actor: User,
    agency: Agency,
    person: Person,
    channel: str,
    purpose: str,
    summary: str = "",
    outcome: str = ContactAttempt.Outcome.MADE,
    message: str = "",
    permission: str = "contact.send",
) -> ContactAttempt:
    """Contact the person (email is sent; a call, text, letter or visit is logged by the practitioner who made it).
    Raises Conflict(channel_not_allowed) for a forbidden channel, after logging the refusal.

    `permission` is the access rule the actor acts under: a practitioner's `contact.send`, or the person's own
    `my.new_link` when they ask for a new sign-in link to be sent to them — still only by a channel their
    safe-contact rules allow, and logged the same way."""
    if not purpose.strip():
        raise InvalidInput("Say why you are contacting them.", fields={"purpose": ["Enter the purpose"]})
    if outcome not in {ContactAttempt.Outcome.MADE, ContactAttempt.Outcome.SENT, ContactAttempt.Outcome.NO_ANSWER}:
        raise InvalidInput("Unknown outcome.", fields={"outcome": ["Outcome must be made, sent or no_answer"]})
    require(actor, permission, person, purpose=purpose)
    decision = contact_check(person=person, agency=agency).get(channel) or ContactDecision(
        False, f"'{channel}' is not a channel."
    )
    if not decision.allowed:
        with transaction.atomic():
            contact_attempt_log(
                person=person,
                channel=channel,
                purpose=purpose.strip(),
                summary=summary,
                outcome=ContactAttempt.Outcome.REFUSED,
                reason=decision.reason,
                actor=actor,
                agency=agency,
            )
            record(
                actor=actor,
                action=AuditAction.DENIED,
                object_type="people.contact",
                person_uuid=person.uuid,
                purpose=purpose,
                reason=decision.reason,
                summary=f"Contact by {channel} refused",
            )
        raise Conflict(decision.reason, code="channel_not_allowed")
    with transaction.atomic():
        attempt = contact_attempt_log(
            person=person,
            channel=channel,
            purpose=purpose.strip(),
            summary=summary,
            reason=decision.reason,
            outcome=ContactAttempt.Outcome.SENT if channel == "email" else outcome,
            actor=actor,
            agency=agency,
        )

        case_event(
            person=person,
            case=open_case(person=person),
            kind=TimelineKind.CONTACT,
            summary=f"Contact by {channel}: {purpose.strip()} ({attempt.outcome})",
            actor=actor,
            agency=agency,
            obj=attempt,
            action=AuditAction.CREATE,
            audit_summary=f"Contact by {channel}",
            purpose=purpose,
        )
        if channel == "email" and person.email:
            transaction.on_commit(
                partial(
                    send_person_email.enqueue,
                    to=person.email,
                    subject="A message from your support team",
                    body=message or summary,
                )
            )
    return attempt
