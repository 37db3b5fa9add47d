"""Reads of incidents and the triage queue, through the access decision point, audited."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet
from django.utils import timezone

from joinedup.access import door
from joinedup.access.decision import NotVisible, actor_facts, decide, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.selectors import person_facts
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.core.errors import Conflict
from joinedup.incidents.domain.events import Account, likeness, normalise_detail, told_by
from joinedup.incidents.models import Incident, JourneyDraft, Perpetrator, TriageItem, TriageStatus
from joinedup.incidents.services import triage_hub
from joinedup.people.models import Person


def incident_facts(incident: Incident) -> SubjectFacts:
    if incident.person_id is None:
        hub = TriageItem.objects.filter(incident=incident).values_list("hub_id", flat=True).first()
        agencies = {a for a in (hub, incident.recording_agency_id) if a}
        return SubjectFacts(kind="incident", agency_ids=frozenset(agencies))
    assert incident.person is not None  # noqa: S101 — person_id is set
    facts = person_facts(incident.person)
    return replace(facts, kind="incident")


def triage_facts(item: TriageItem) -> SubjectFacts:
    return SubjectFacts(kind="triage", agency_ids=frozenset({item.hub_id}))


def incident_read(
    *, actor: User, incident_uuid: uuid.UUID | str, purpose: str, audit_action: str = door.VIEW
) -> tuple[Incident, door.Seen]:
    """An incident through the one door: 404 unless the actor may see it, one audit entry, and the field groups
    this actor may see (incidents/presenters.py filters what is shown)."""
    try:
        incident = Incident.objects.select_related("person", "recording_agency", "recorded_by", "case").get(
            uuid=incident_uuid
        )
    except (Incident.DoesNotExist, ValueError, TypeError, ValidationError) as missing:
        raise NotVisible("Not found") from missing
    seen = door.read(
        actor,
        "incident.view",
        incident,
        purpose=purpose,
        person_uuid=incident.person.uuid if incident.person else None,
        audit_action=audit_action,
    )
    return incident, seen


def incident_get(*, actor: User, incident_uuid: uuid.UUID | str, purpose: str) -> Incident:
    return incident_read(actor=actor, incident_uuid=incident_uuid, purpose=purpose)[0]


def triage_queue(*, actor: User, hub_ids: frozenset[int]) -> QuerySet[TriageItem]:
    """Waiting reports for the hubs the actor works in: urgent ones (a crisis in the answers) first, then by the
    day each is due, then oldest first (nothing waits unseen). The page that shows them audits each one it
    displays (access.door.read_list)."""
    require(actor, "triage.view", SubjectFacts(kind="triage", agency_ids=hub_ids), purpose="Triage queue")
    items = TriageItem.objects.filter(hub_id__in=hub_ids, status=TriageStatus.WAITING)
    return items.select_related("incident", "hub", "follow_up").order_by(
        "-incident__urgent", F("due_on").asc(nulls_last=True), "received_at", "id"
    )


def triage_kept_anonymous(*, actor: User, hub_ids: frozenset[int]) -> QuerySet[TriageItem]:
    """Reports the hub kept as anonymous records, newest first, with the reason each was kept: they leave the
    queue but must stay findable (they still count, and may be linked to a person later)."""
    require(actor, "triage.view", SubjectFacts(kind="triage", agency_ids=hub_ids), purpose="Reports kept anonymous")
    items = TriageItem.objects.filter(hub_id__in=hub_ids, status=TriageStatus.ANONYMOUS_RECORDED)
    return items.select_related("incident", "resolved_by", "follow_up").order_by("-resolved_at", "-id")


def triage_item_get(*, actor: User, item_uuid: uuid.UUID | str) -> TriageItem:
    try:
        item = TriageItem.objects.select_related("incident", "hub", "follow_up").get(uuid=item_uuid)
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


def follow_up_page_for(*, actor: User, incident: Incident) -> str:
    """Where the hub reads the conversation with this report's first, anonymous reporter (the report's triage
    page), for someone who may read it there; empty when there is none or they may not."""
    item = TriageItem.objects.filter(incident=incident, follow_up__isnull=False).first()
    if item is None or not decide(actor, "triage.view", item).allowed:
        return ""
    return f"/triage/{item.uuid}#follow-up"


def drafts_for(*, user: User) -> QuerySet[JourneyDraft]:
    return JourneyDraft.objects.filter(owner=user, submitted_incident__isnull=True).order_by("-updated_at")


def all_hub_ids() -> frozenset[int]:
    """The partnership's triage hub, for deciding (and recording) a refusal to someone who does not work there."""
    try:
        return frozenset({triage_hub().pk})
    except Conflict:
        return frozenset()


def hub_ids_for(user: User) -> frozenset[int]:
    """The triage hub, if the user does casework there; empty otherwise."""

    try:
        hub = triage_hub()
    except Conflict:
        return frozenset()
    return frozenset({hub.pk}) & actor_facts(user).agencies_with(CASEWORK_ROLES)


def public_drafts_open() -> QuerySet[JourneyDraft]:
    """Public reporters' drafts that can still be carried on: not sent and not past their 7 days."""

    return JourneyDraft.objects.filter(
        owner__isnull=True, submitted_incident__isnull=True, expires_at__gt=timezone.now()
    )


def people_with_report_reference(reference: str) -> QuerySet[TriageItem, Any]:
    """The person behind a public report's reference, as a subquery (`person_id__in=...`)."""
    return TriageItem.objects.filter(reference=reference).values("incident__person_id")


def incidents_of_person(*, person: Person, uuids: list[str]) -> list[Incident]:
    """These incidents of this person's (any other id is left out), with their perpetrators. The caller has read
    the person through the one door."""
    return list(Incident.objects.filter(uuid__in=uuids, person=person).prefetch_related("perpetrators"))


def incident_rows(*, person: Person, fields: tuple[str, ...], since: datetime | None = None) -> list[tuple[Any, ...]]:
    """Chosen columns of the person's incidents (recorded since a moment, if given), for rules that count them:
    risk, the Victims' Code's enhanced rights, the panel's repeat test."""
    return people_incident_rows(person_ids=[person.pk], fields=fields, since=since)


def people_incident_rows(
    *, person_ids: list[int], fields: tuple[str, ...], since: datetime | None = None
) -> list[tuple[Any, ...]]:
    """As incident_rows, for several person records at once (a person and their linked records; a bulk load)."""
    incidents = Incident.objects.filter(person_id__in=person_ids).order_by()  # counted, not listed: no sort
    if since is not None:
        incidents = incidents.filter(created_at__gte=since)
    return list(incidents.values_list(*fields))


def perpetrator_relationships(*, incident_ids: list[int]) -> list[tuple[int, str]]:
    """(incident id, relationship to the person) for each perpetrator of these incidents."""
    return list(
        Perpetrator.objects.filter(incident_id__in=incident_ids).order_by().values_list("incident_id", "relationship")
    )


def people_with_incidents() -> QuerySet[Incident]:
    """A subquery for "this person has an incident" (`Exists(people_with_incidents())` on a Person query)."""
    return Incident.objects.filter(person_id=OuterRef("pk"))


def accounts_of(*, person: Person, limit: int) -> QuerySet[Incident]:
    """The person's incidents, newest first, for their own words. The caller has read the person through the one
    door and shows the words only where the account group is seen (workspace/presenters.py)."""
    return Incident.objects.filter(person=person).select_related("recording_agency").order_by("-created_at")[:limit]


def practitioner_draft(*, user: User, draft_uuid: str) -> JourneyDraft | None:
    """A practitioner's own unfinished record (nobody else's)."""
    try:
        return JourneyDraft.objects.filter(
            uuid=draft_uuid, owner=user, journey="practitioner", submitted_incident__isnull=True
        ).first()
    except (ValueError, ValidationError):
        return None


def public_draft_sent(*, draft_uuid: str) -> JourneyDraft | None:
    """A public report just sent from this browser (its id kept in the session), for its optional extra pages."""
    try:
        return JourneyDraft.objects.filter(
            uuid=draft_uuid, owner__isnull=True, submitted_incident__isnull=False
        ).first()
    except (ValueError, ValidationError):
        return None


# ---------------------------------------------------------------- one event, many accounts


def _account(incident: Incident) -> Any:
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
    agency = incident.recording_agency.name if incident.recording_agency_id and incident.recording_agency else ""
    return told_by(incident.reported_by, str((incident.reporter or {}).get("relationship") or ""), agency)
