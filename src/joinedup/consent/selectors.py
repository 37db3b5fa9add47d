"""Reading consents and the access log, through the access decision point, audited."""

from __future__ import annotations

from django.db.models import QuerySet

from joinedup.audit.models import AuditEntry
from joinedup.consent.models import Consent, SharingDecision
from joinedup.people.models import Person


def consents_for(*, person: Person) -> QuerySet[Consent]:
    """The person's consents. The caller has read the person through the one door (decided and audited once)."""
    return (
        Consent.objects.filter(person=person)
        .select_related("recipient_agency", "recorded_by", "recorded_by_agency")
        .order_by("-recorded_at")
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
