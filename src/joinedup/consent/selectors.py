"""Reading consents and the access log, through the access decision point, audited."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from joinedup.access.decision import decide, require
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction, AuditEntry
from joinedup.audit.services import record
from joinedup.consent.domain.rules import RecipientKind
from joinedup.consent.models import Consent, SharingDecision
from joinedup.people.models import Person


def consents_for(*, actor: User, person: Person) -> QuerySet[Consent]:
    require(actor, "consent.view", person, purpose="Reading consent")
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="consent.consent",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        purpose="Reading consent",
    )
    return (
        Consent.objects.filter(person=person)
        .select_related("recipient_agency", "recorded_by", "recorded_by_agency")
        .order_by("-recorded_at")
    )


def consents_to_ask_again(*, actor: User, person: Person) -> int:
    """How many of the person's consents did not say who they were for (recorded before a recipient was required)
    and have not been withdrawn or followed by a newer answer for the same purpose: a given one covers nobody, a
    refused one still stops everyone, so the person should be asked again. Shown on the person's page as part of the
    look that person_get has already recorded, so no second audit entry (one line per look in the access log).
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


def sharing_decisions_for(*, actor: User, person: Person) -> QuerySet[SharingDecision]:
    require(actor, "consent.view", person, purpose="Reading sharing decisions")
    return (
        SharingDecision.objects.filter(person=person)
        .prefetch_related("recipients")
        .select_related("decided_by", "decided_by_agency")
    )


def access_log(*, actor: User, person: Person) -> QuerySet[AuditEntry]:
    """Who looked at or changed the record, from which agency, when and why. Reading it is itself recorded."""
    decision = require(actor, "access_log.view", person, purpose="Who has looked at this record")
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="audit.access_log",
        object_id=str(person.uuid),
        person_uuid=person.uuid,
        purpose="Who has looked at this record",
        reason=decision.reason,
        basis=decision.basis,
    )
    return AuditEntry.objects.filter(person_uuid=person.uuid).order_by("-at", "-id")
