"""Reading consents and the access log, through the access decision point, audited."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from joinedup.access.decision import decide
from joinedup.accounts.models import User
from joinedup.audit.models import AuditEntry
from joinedup.consent.domain.rules import RecipientKind
from joinedup.consent.models import Consent, SharingDecision
from joinedup.people.models import Person


def consents_for(*, person: Person) -> QuerySet[Consent]:
    """The person's consents. The caller has read the person through the one door (decided and audited once)."""
    return (
        Consent.objects.filter(person=person)
        .select_related("recipient_agency", "recorded_by", "recorded_by_agency")
        .order_by("-recorded_at")
    )


def consents_to_ask_again(*, actor: User, person: Person) -> int:
    """How many of the person's consents did not say who they were for (recorded before a recipient was required)
    and have not been withdrawn or followed by a newer answer for the same purpose: a given one covers nobody, a
    refused one still stops everyone, so the person should be asked again. Shown on the person's page as part of the
    look that the one door has already recorded, so no second audit entry (one line per look in the access log).
    Zero for anyone who may not read consent."""
    if not decide(actor, "consent.view", person).allowed:
        return 0
    asked_again = Consent.objects.filter(
        person=person, purpose=OuterRef("purpose"), recorded_at__gt=OuterRef("recorded_at")
    ).exclude(recipient_kind=RecipientKind.UNSPECIFIED)
    return (
        Consent.objects.filter(person=person, recipient_kind=RecipientKind.UNSPECIFIED, withdrawn_at__isnull=True)
        .exclude(Exists(asked_again))
        .count()
    )


def sharing_decisions_for(*, person: Person) -> QuerySet[SharingDecision]:
    """Decisions to share without consent. The caller has read the person through the one door."""
    return (
        SharingDecision.objects.filter(person=person)
        .prefetch_related("recipients")
        .select_related("decided_by", "decided_by_agency")
    )


def access_log(*, person: Person) -> QuerySet[AuditEntry]:
    """Who looked at or changed the record, from which agency, when and why: one line per look (the one door
    writes one entry per read). The caller read the person through the door with `access_log.view`, so reading
    the log is itself a line in it."""
    return AuditEntry.objects.filter(person_uuid=person.uuid).order_by("-at", "-id")


def consent_of(*, person: Person, consent_uuid: str) -> Consent | None:
    """One of this person's consents (the caller read the person through the one door)."""
    try:
        return Consent.objects.filter(uuid=consent_uuid, person=person).first()
    except (ValueError, ValidationError):
        return None


def consent_person_uuid(*, consent_uuid: str) -> uuid.UUID | None:
    """Whose consent this is, so the caller can read that person through the one door before anything else."""
    try:
        return Consent.objects.filter(uuid=consent_uuid).values_list("person__uuid", flat=True).first()
    except (ValueError, ValidationError):
        return None
