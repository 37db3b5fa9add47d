"""Writes for the person's own place: an invitation through a safe channel, secure messages, telling us something
new, and the person's own changes (their parts of the safety plan, withdrawing consent). Atomic and audited."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from sesame.utils import get_query_string

from joinedup.access.decision import NotVisible, require
from joinedup.accounts import services as account_services
from joinedup.accounts import throttles
from joinedup.accounts.domain.second_factor import passkey_change_allowed
from joinedup.accounts.models import Agency, User
from joinedup.accounts.second_factor import PERSON_SERVICE_NAME, has_passkey
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
from joinedup.core.domain.partnership import normalise_email
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.people.models import Person
from joinedup.portal import selectors
from joinedup.portal.models import Message, PortalAccount

# A neutral name in every message and page title: whoever sees the phone or the screen learns nothing. The same
# name is given to the person's passkey (accounts.second_factor), so it is defined there.
NEUTRAL_NAME = PERSON_SERVICE_NAME
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


def link_minutes() -> int:
    return max(1, int(settings.SESAME_MAX_AGE) // 60)


def _absolute(site_url: str, path: str) -> str:
    """An email needs the whole address; the caller knows the host the person uses (the request's own)."""
    return site_url.rstrip("/") + path if site_url else path


def portal_invite(
    *, actor: User, agency: Agency, person: Person, case: Case, channel: str, site_url: str = ""
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
                f"Open this link to sign in. It works once, for a short time: {_absolute(site_url, link)}"
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
    """Switch the person's place off: their links and passkeys stop working, and any browser signed in ends."""
    require(actor, "portal.invite", latest_case(person=account.person))
    with transaction.atomic():
        account.revoked_at = timezone.now()
        account.save(update_fields=["revoked_at"])
        ended = account_services.sessions_end(user=account.user)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=account.person,
            summary="Own place switched off",
            details={"sessions_ended": ended},
        )
    return account


# Signing in to their own place: a new link by email, passkeys, the extra check --------------------------------

NEW_LINK_PURPOSE = f"A new sign-in link for {NEUTRAL_NAME}, which they asked for"


def _throttle_key(kind: str, value: str) -> str:
    # The cache key never holds the email address itself (a cache is not where personal data belongs).
    return f"portal-link-{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def new_link_request(*, email: str, client: str, site_url: str, send: Callable[..., object]) -> bool:
    """The person asks for a new sign-in link by email, from the signed-out page or a link that no longer works.

    Whoever asks always gets the same answer, in the same time: the page says the same whatever happens, and the
    looking up and sending happen afterwards, in the background (`send`, the portal's task calling
    `new_link_send`), so not even how long the answer took says whether an address is known. At most
    PORTAL_LINK_REQUEST_RATE an hour per address and five times that per client, counted in the shared cache
    (Redis when configured), so every worker sees the same counts. Returns whether it was within the limits."""
    address = normalise_email(email)
    limit = int(settings.PORTAL_LINK_REQUEST_RATE)
    allowed = throttles.allow(_throttle_key("client", client or "unknown"), limit=limit * 5, window_seconds=3600)
    allowed = allowed and throttles.allow(_throttle_key("email", address), limit=limit, window_seconds=3600)
    if not allowed:
        record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="portal.signinlink",
            summary="A new sign-in link was asked for (too many asks: none sent)",
            details={"sent": 0, "refused_by_contact_rules": 0, "throttled": True},
        )
        return False
    transaction.on_commit(partial(send, email=address, site_url=site_url))
    return True


def new_link_send(*, email: str, site_url: str) -> int:
    """Send the link asked for, if there is a place for it: set up by email, switched on, its person still with
    that email on their record — and only through the one contact function, under the person's own rule
    (`my.new_link`), which refuses (and logs) a channel their safe-contact rules do not allow now. Returns how
    many links were sent (for the audit and tests; never shown to whoever asked)."""
    sent = refused = 0
    for account in selectors.accounts_for_new_link(email=normalise_email(email)):
        case = latest_case(person=account.person)
        if case is None:
            continue
        link = _absolute(site_url, sign_in_link(account.user))
        try:
            contact_attempt(
                actor=account.user,
                agency=case.key_worker_agency,
                person=account.person,
                channel="email",
                purpose=NEW_LINK_PURPOSE,
                summary="Sign-in link sent",
                message=(
                    f"Here is your new link for {NEUTRAL_NAME}.\n\n{link}\n\n"
                    f"It works once, for {link_minutes()} minutes.\n\n"
                    "If you did not ask for it, you do not need to do anything."
                ),
                permission="my.new_link",
            )
        except Conflict:
            refused += 1  # logged by contact_attempt, with the rule that refused it
            continue
        sent += 1
    # No address in the audit: it may not be anyone's.
    record(
        actor=None,
        action=AuditAction.CREATE,
        object_type="portal.signinlink",
        summary="A new sign-in link was asked for" + ("" if sent else " (none sent)"),
        details={"sent": sent, "refused_by_contact_rules": refused, "throttled": False},
    )
    return sent


def _account_of(user: User) -> PortalAccount:
    account = selectors.my_account(user=user)
    if account is None:
        raise NotVisible("No place")
    return account


def passkey_check_set(*, actor: User, on: bool, used_passkey: bool) -> PortalAccount:
    """The person's choice: after a one-time link, ask for their passkey too. Only with a passkey to give, and
    only changed in a sign-in where they used it (accounts.domain.second_factor.passkey_change_allowed)."""
    account = _account_of(actor)
    has = has_passkey(actor)
    if on and not has:
        raise Conflict("Add a passkey first.", code="no_passkey")
    if not passkey_change_allowed(has_passkey=has, used_passkey_this_sign_in=used_passkey):
        raise Conflict("Use your passkey first, then you can change this.", code="passkey_needed")
    if account.asks_passkey_with_link == on:
        return account
    with transaction.atomic():
        account.asks_passkey_with_link = on
        account.save(update_fields=["asks_passkey_with_link"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=actor,
            summary="Asks for their passkey too after a link"
            if on
            else "No longer asks for their passkey after a link",
            details={"asks_passkey_with_link": on, "place": "own"},
        )
    return account


def passkey_remove(*, actor: User, passkey_id: int, used_passkey: bool) -> bool:
    """The person removes one of their passkeys. With none left, the extra check has nothing to ask for, so it is
    switched off too. Returns True when that happened."""
    account = _account_of(actor)
    if not passkey_change_allowed(has_passkey=has_passkey(actor), used_passkey_this_sign_in=used_passkey):
        raise Conflict("Use your passkey first, then you can remove one.", code="passkey_needed")
    with transaction.atomic():
        if not account_services.person_passkey_remove(actor=actor, passkey_id=passkey_id):
            raise NotVisible("No such passkey")
        if account.asks_passkey_with_link and not has_passkey(actor):
            account.asks_passkey_with_link = False
            account.save(update_fields=["asks_passkey_with_link"])
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=actor,
                summary="No longer asks for their passkey after a link (none left)",
                details={"asks_passkey_with_link": False, "place": "own"},
            )
            return True
    return False


def portal_passkeys_reset(*, actor: User, person: Person) -> int:
    """Their key worker, after checking it is them (a lost or changed phone): remove every passkey of the
    person's place, switch the extra check off, and end any browser signed in — so a link alone signs them in
    again and they can add a passkey on their new phone. Returns how many passkeys were removed."""
    case = latest_case(person=person)
    require(actor, "portal.invite", case, purpose="Helping the person back in to their own place")
    account = selectors.account_of(person=person)
    if account is None:
        raise Conflict("They do not have My support yet.", code="not_invited")
    with transaction.atomic():
        if account.asks_passkey_with_link:
            account.asks_passkey_with_link = False
            account.save(update_fields=["asks_passkey_with_link"])
        return account_services.person_passkeys_remove_all(actor=actor, user=account.user, person_uuid=person.uuid)
