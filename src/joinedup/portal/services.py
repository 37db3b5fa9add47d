"""Writes for the person's own place: an invitation through a safe channel, secure messages, telling us something
new, and the person's own changes (their parts of the safety plan, withdrawing consent). Atomic and audited."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from sesame.utils import get_query_string

from joinedup.access.decision import require
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.selectors import latest_case, open_case
from joinedup.cases.services import case_event
from joinedup.consent.contact import contact_attempt
from joinedup.consent.domain.rules import RecipientKind, SelfChoice, self_choice, self_choice_problems
from joinedup.consent.models import Consent
from joinedup.consent.selectors import consents_for
from joinedup.consent.services import consent_cover, consent_record
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.people.models import Person
from joinedup.portal.models import Message, PortalAccount

# A neutral name in every message and page title: whoever sees the phone or the screen learns nothing.
NEUTRAL_NAME = "My support"
SIGN_IN_SCOPE = "portal"
MAX_MESSAGE = 5000


def _portal_user(person: Person, *, channel: str) -> User:
    """The person's own user: no agency, no password (they sign in with a one-time link or a passkey)."""
    email = person.email if channel == "email" and person.email else f"person-{person.uuid}@people.joinedup.invalid"
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not hasattr(user, "portal") and user.memberships.exists():
        # A practitioner's address: never make a staff account someone's portal.
        email = f"person-{person.uuid}@people.joinedup.invalid"
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, name=person.display_name, password=make_password(None))
        user.save()
    return user


def sign_in_link(user: User) -> str:
    """A short-lived, single-use sign-in path (django-sesame, settings SESAME_MAX_AGE and SESAME_ONE_TIME)."""
    return "/my/sign-in" + get_query_string(user, scope=SIGN_IN_SCOPE)


def portal_invite(
    *, actor: User, agency: Agency, person: Person, case: Case, channel: str
) -> tuple[PortalAccount, str]:
    """Invite the person to their own place through a channel their safe-contact rules allow (409
    channel_not_allowed otherwise, logged by the one contact function). An email is sent for them; for a text, a
    call, a letter or a visit the key worker passes the link on, so it is returned once and never stored."""
    require(actor, "portal.invite", case, purpose="Inviting the person to their own place")
    if case.status != "open":
        raise Conflict("The case is closed.", code="case_closed")
    if channel == "email" and not person.email:
        raise InvalidInput("There is no email address for them.", fields={"channel": ["Choose another way"]})
    with transaction.atomic():
        try:
            user = _portal_user(person, channel=channel)
            account, created = PortalAccount.objects.get_or_create(
                user=user, defaults={"person": person, "invited_by": actor, "channel": channel}
            )
        except IntegrityError as clash:
            raise Conflict("They already have an account.", code="already_invited") from clash
        if account.person_id != person.pk:
            raise Conflict("That account belongs to someone else.", code="already_invited")
        if account.revoked_at is not None:
            account.revoked_at = None
            account.save(update_fields=["revoked_at"])
        link = sign_in_link(user)
        contact_attempt(
            actor=actor,
            agency=agency,
            person=person,
            channel=channel,
            purpose=f"Invitation to {NEUTRAL_NAME}",
            summary="Sign-in link sent" if channel == "email" else "Sign-in link given to them",
            message=(
                f"Your support team has set up {NEUTRAL_NAME} for you. "
                f"Open this link to sign in. It works once, for a short time: {link}"
            ),
        )
        record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=account.person,
            person_uuid=person.uuid,
            summary=f"Invited to their own place by {channel}",
        )
    return account, link


def message_send(*, actor: User, person: Person, text: str, from_person: bool, agency: Agency | None = None) -> Message:
    """A secure message. The other side is told there is a message — never what it says."""
    text = text.strip()
    if not text:
        raise InvalidInput("Write your message.", fields={"text": ["Write your message"]})
    if len(text) > MAX_MESSAGE:
        raise InvalidInput("The message is too long.", fields={"text": [f"Write {MAX_MESSAGE:,} characters or fewer"]})
    case = open_case(person=person)
    if from_person:
        require(actor, "my.update", person, purpose="Sending a message")
    else:
        require(actor, "contact.send", person, purpose="Sending a message")
    with transaction.atomic():
        message = Message.objects.create(
            person=person, case=case, from_person=from_person, author=actor, author_agency=agency, text=text
        )
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=message,
            person_uuid=person.uuid,
            summary="Message from them" if from_person else "Message to them",
        )
        if from_person and case is not None:
            notify_staff(
                user=case.key_worker,
                text=f"{person.display_name} sent you a message in {NEUTRAL_NAME}.",
                url=f"/cases/{case.uuid}/messages",
            )
    return message


def update_tell(*, actor: User, person: Person, text: str) -> Message:
    """ "Tell us something new": their own words join their record as their own account — never retold — on the
    timeline for everyone who may see their account, and the key worker is told."""
    text = text.strip()
    if not text:
        raise InvalidInput("Tell us what happened.", fields={"text": ["Tell us what happened"]})
    if len(text) > MAX_MESSAGE:
        raise InvalidInput("That is too long.", fields={"text": [f"Write {MAX_MESSAGE:,} characters or fewer"]})
    require(actor, "my.update", person, purpose="Telling us something new")
    case = open_case(person=person)
    with transaction.atomic():
        message = Message.objects.create(
            person=person, case=case, kind=Message.Kind.UPDATE, from_person=True, author=actor, text=text
        )
        case_event(
            person=person,
            case=case,
            kind=TimelineKind.NOTE,
            summary=f"They told us something new, in their own words: {text}",
            actor=actor,
            agency=None,
            obj=message,
            action=AuditAction.CREATE,
            audit_summary="Something new, from them",
            details={"account": text},
            groups=frozenset({"account"}),
        )
        if case is not None:
            notify_staff(
                user=case.key_worker,
                text=f"{person.display_name} told us something new in {NEUTRAL_NAME}.",
                url=f"/cases/{case.uuid}/messages",
            )
    return message


def _already_given(person: Person, choice: SelfChoice, recipient: Agency | None) -> bool:
    if not choice.meeting:
        return consent_cover(person=person, purpose=choice.purpose, recipient=recipient).basis == "consent"
    latest = (
        consents_for(person=person).filter(purpose=choice.purpose, recipient_kind=RecipientKind.ANY_PARTNER).first()
    )
    return latest is not None and latest.decision == "given" and latest.withdrawn_at is None


def consent_give(*, actor: User, person: Person, choice_slug: str, recipient: Agency | None) -> Consent:
    """The person agrees to something new themselves, in their own place: one purpose, one recipient they chose
    (or, for the safety meeting, every agency there — "any partner agency" in exactly the words they saw). It is
    recorded by them, for their key worker's agency, and the key worker is told (never the details)."""
    choice = self_choice(choice_slug)
    problems = self_choice_problems(choice, recipient_kind=recipient.kind if recipient else None)
    if problems or choice is None:
        raise InvalidInput("Nothing was saved. Check what you chose.", fields=problems)
    case = open_case(person=person)
    if case is None:
        raise Conflict("No one is working with you right now, so there is no one to act on this.", code="case_closed")
    if _already_given(person, choice, recipient):
        raise Conflict("You have already agreed to this.", code="already_given")
    with transaction.atomic():
        consent = consent_record(
            actor=actor,
            agency=case.key_worker_agency,
            person=person,
            purpose=choice.purpose,
            decision="given",
            recipient=None if choice.meeting else recipient,
            any_partner=choice.meeting,
            capacity_note=f"They agreed themselves in {NEUTRAL_NAME}, choosing: {choice.words}.",
        )
        notify_staff(
            user=case.key_worker,
            text=f"{person.display_name} agreed to something new in {NEUTRAL_NAME}.",
            url=f"/cases/{case.uuid}/sharing",
        )
    return consent


def portal_revoke(*, actor: User, account: PortalAccount) -> PortalAccount:
    require(actor, "portal.invite", latest_case(person=account.person))
    with transaction.atomic():
        account.revoked_at = timezone.now()
        account.save(update_fields=["revoked_at"])
        record(actor=actor, action=AuditAction.UPDATE, obj=account.person, summary="Own place switched off")
    return account
