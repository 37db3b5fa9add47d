"""Reads for the person's own place. The person reads their own record through the one door like anyone else
(`my.view`: their own record only; every other person 404), and what they are shown is what is marked for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from joinedup.access import door
from joinedup.access.decision import NotVisible
from joinedup.accounts.models import User
from joinedup.accounts.selectors import passkeys_of
from joinedup.cases import selectors as case_selectors
from joinedup.cases.models import Case, TimelineEntry
from joinedup.people.models import Person
from joinedup.portal.models import Message, PortalAccount

# Timeline entries the person is shown: what happened to them, decisions about them and what was done for them.
# Practitioners' tasks, escalations and handovers are the services' working notes, not for them.
FOR_THE_PERSON = (
    "incident_recorded",
    "case_opened",
    "case_reopened",
    "key_worker_assigned",
    "risk_changed",
    "consent_changed",
    "contact",
    "referral",
    "signpost",
    "police_report",
    "case_closed",
    "safety_plan",
)


def own_people(user: Any) -> frozenset[int]:
    """Registered with access.decision.ACTOR_PEOPLE: the person records a signed-in user owns (portal)."""
    return frozenset(
        PortalAccount.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list("person_id", flat=True)
    )


def person_of_me(user: User) -> dict[str, Any]:
    """Registered with accounts.api.ME_EXTRAS: /me names the person's own record and their role."""
    account = PortalAccount.objects.filter(user=user, revoked_at__isnull=True).select_related("person").first()
    return {"person_id": str(account.person.uuid), "roles": ["service_user"]} if account else {}


def my_person(*, user: User, purpose: str) -> tuple[Person, Case | None]:
    """The signed-in person's own record, read through the one door (one line in their own access log)."""
    account = PortalAccount.objects.filter(user=user, revoked_at__isnull=True).select_related("person").first()
    if account is None:
        raise NotVisible("No record")
    door.read(user, "my.view", account.person, purpose=purpose, person_uuid=account.person.uuid)
    return account.person, case_selectors.latest_case(person=account.person)


def story_for_person(*, person: Person) -> QuerySet[TimelineEntry]:
    return case_selectors.timeline_for_person(person=person).filter(kind__in=FOR_THE_PERSON)


def messages_of(*, person: Person, limit: int = 50) -> list[Message]:
    return list(Message.objects.filter(person=person).select_related("author", "author_agency")[:limit])


def account_of(*, person: Person) -> PortalAccount | None:
    return PortalAccount.objects.filter(person=person, revoked_at__isnull=True).select_related("user").first()


def is_person_account(user: Any) -> bool:
    """Registered with accounts.second_factor.PEOPLES_PLACE: the account is a person's own (their place, even if
    it has been switched off), never a practitioner's — an account with a role in an agency is a practitioner."""
    return PortalAccount.objects.filter(user_id=user.pk, user__memberships__isnull=True).exists()


def my_account(*, user: User) -> PortalAccount | None:
    """The signed-in person's own place, if it is switched on (their account only: no record is read)."""
    return PortalAccount.objects.filter(user=user, revoked_at__isnull=True).select_related("person").first()


def accounts_for_new_link(*, email: str) -> list[PortalAccount]:
    """The places a new link may be emailed for: invited by email, switched on, and that email still on the
    person's record. Read by no one: the answer to whoever asked is the same either way."""
    return list(
        PortalAccount.objects.filter(
            channel="email", revoked_at__isnull=True, user__is_active=True, person__email__iexact=email
        ).select_related("user", "person")[:3]
    )


@dataclass(frozen=True)
class SignInFacts:
    """How the person signs in to their own place, for their key worker (no detail of any passkey)."""

    passkeys: int
    asks_passkey_with_link: bool

    @property
    def anything_to_reset(self) -> bool:
        return self.passkeys > 0 or self.asks_passkey_with_link


def sign_in_facts(account: PortalAccount | None) -> SignInFacts | None:
    if account is None:
        return None
    return SignInFacts(passkeys=len(passkeys_of(account.user)), asks_passkey_with_link=account.asks_passkey_with_link)
