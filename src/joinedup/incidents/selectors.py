"""Reads of incidents and the triage queue, through the access decision point, audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from joinedup.access.decision import NotVisible, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.incidents.models import Incident, JourneyDraft, TriageItem, TriageStatus
from joinedup.people.selectors import person_facts


def incident_facts(incident: Incident) -> SubjectFacts:
    if incident.person_id is None:
        hub = TriageItem.objects.filter(incident=incident).values_list("hub_id", flat=True).first()
        agencies = {a for a in (hub, incident.recording_agency_id) if a}
        return SubjectFacts(kind="incident", agency_ids=frozenset(agencies))
    assert incident.person is not None  # noqa: S101 — person_id is set
    facts = person_facts(incident.person)
    return SubjectFacts(kind="incident", agency_ids=facts.agency_ids, key_worker_ids=facts.key_worker_ids)


def triage_facts(item: TriageItem) -> SubjectFacts:
    return SubjectFacts(kind="triage", agency_ids=frozenset({item.hub_id}))


def incident_get(*, actor: User, incident_uuid: uuid.UUID | str, purpose: str) -> Incident:
    try:
        incident = Incident.objects.select_related("person", "recording_agency", "recorded_by", "case").get(
            uuid=incident_uuid
        )
    except (Incident.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    decision = require(actor, "incident.view", incident, purpose=purpose)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=incident,
        person_uuid=incident.person.uuid if incident.person else None,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
    )
    return incident


def triage_queue(*, actor: User, hub_ids: frozenset[int]) -> QuerySet[TriageItem]:
    """Waiting reports for the hubs the actor works in, oldest first (nothing waits unseen). The page that
    shows them audits each one it displays (audit.services.record_list_view)."""
    require(actor, "triage.view", SubjectFacts(kind="triage", agency_ids=hub_ids), purpose="Triage queue")
    items = TriageItem.objects.filter(hub_id__in=hub_ids, status=TriageStatus.WAITING)
    return items.select_related("incident", "hub").order_by("received_at", "id")


def triage_item_get(*, actor: User, item_uuid: uuid.UUID | str) -> TriageItem:
    try:
        item = TriageItem.objects.select_related("incident", "hub").get(uuid=item_uuid)
    except (TriageItem.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    decision = require(actor, "triage.view", item, purpose="Reading a report to match it")
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=item.incident,
        purpose="Triage",
        reason=decision.reason,
        basis=decision.basis,
    )
    return item


def drafts_for(*, user: User) -> QuerySet[JourneyDraft]:
    return JourneyDraft.objects.filter(owner=user, submitted_incident__isnull=True).order_by("-updated_at")


def hub_ids_for(user: User) -> frozenset[int]:
    """The triage hub, if the user does casework there; empty otherwise."""
    from joinedup.access.decision import actor_facts
    from joinedup.accounts.domain.partnership import CASEWORK_ROLES
    from joinedup.core.errors import Conflict
    from joinedup.incidents.services import triage_hub

    try:
        hub = triage_hub()
    except Conflict:
        return frozenset()
    return frozenset({hub.pk}) & actor_facts(user).agencies_with(CASEWORK_ROLES)


def public_drafts_open() -> QuerySet[JourneyDraft]:
    """Public reporters' drafts that can still be carried on: not sent and not past their 7 days."""
    from django.utils import timezone

    return JourneyDraft.objects.filter(
        owner__isnull=True, submitted_incident__isnull=True, expires_at__gt=timezone.now()
    )


# ---------------------------------------------------------------- one event, many accounts


def _account(incident: Incident) -> Any:
    from joinedup.incidents.domain.events import Account, normalise_detail

    perpetrators = list(incident.perpetrators.all())
    return Account(
        occurred_on=incident.occurred_on,
        occurred_from=incident.occurred_from,
        occurred_to=incident.occurred_to,
        location_kind=incident.location_kind,
        relationships=frozenset(p.relationship for p in perpetrators),
        perpetrator_details=frozenset(normalise_detail(p.details) for p in perpetrators if p.details.strip()),
    )


def event_accounts(*, incident: Incident) -> list[Incident]:
    """Every account of the event this incident belongs to, first account first (itself included). The caller
    has already been allowed to see the incident (incident_get, audited); the accounts are the same person's."""
    primary_id = incident.same_event_as_id or incident.pk
    return list(
        Incident.objects.filter(Q(pk=primary_id) | Q(same_event_as_id=primary_id))
        .select_related("recording_agency")
        .order_by("created_at", "id")
    )


def same_event_candidates(*, incident: Incident, limit: int = 20) -> list[tuple[Incident, Any]]:
    """The person's other incidents this report could be another account of, likely ones first (date, place and
    who did it all match: incidents.domain.events), then the most recent. Accounts already joined are left out."""
    from joinedup.incidents.domain.events import likeness

    if incident.person_id is None:
        return []
    primary_id = incident.same_event_as_id or incident.pk
    others = list(
        Incident.objects.filter(person_id=incident.person_id, same_event_as__isnull=True)
        .exclude(pk=primary_id)
        .exclude(pk=incident.pk)
        .prefetch_related("perpetrators")
        .select_related("recording_agency")
        .order_by("-created_at", "-id")[:100]
    )
    mine = _account(incident)
    scored = [(other, likeness(mine, _account(other))) for other in others]
    scored.sort(key=lambda pair: not pair[1].same_event_likely)
    return scored[:limit]


def account_told_by(incident: Incident) -> str:
    from joinedup.incidents.domain.events import told_by

    agency = incident.recording_agency.name if incident.recording_agency_id and incident.recording_agency else ""
    return told_by(incident.reported_by, str((incident.reporter or {}).get("relationship") or ""), agency)
