"""Recording what happened, from every door. Each function is atomic, audited and writes the timeline."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import decide, require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.services import agency_knows_person, case_event, case_for_new_incident, timeline_add
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.followup.domain.rules import Named, passphrase_problems
from joinedup.followup.models import FollowUp
from joinedup.followup.services import follow_up_open, reference_taken
from joinedup.incidents.domain.classification import classify
from joinedup.incidents.domain.recording import IncidentInput, incident_problems
from joinedup.incidents.domain.urgency import FLAGS, pick_up_by
from joinedup.incidents.models import Incident, JourneyDraft, Perpetrator, TriageItem, TriageStatus
from joinedup.people.domain.validation import PersonDetails
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.people.services import person_create

T = TypeVar("T")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed from paper
DRAFT_LIFETIME = timedelta(days=7)


def _code(length: int = 8) -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}"


def validate_incident(data: IncidentInput) -> None:
    problems = incident_problems(data, today=timezone.localdate())
    if problems:
        raise InvalidInput("Some of what was entered is not valid. Nothing was saved.", fields=problems)


def build_incident(
    *,
    data: IncidentInput,
    person: Person | None,
    actor: User | None,
    agency: Agency | None,
    case: Case | None = None,
    created_at: datetime | None = None,
) -> Incident:
    """An unsaved incident with its classification: the one mapping from input to record, used by the
    services below and by bulk loaders."""
    result = classify(data.facts())
    return Incident(
        person=person,
        case=case,
        reported_by=data.reported_by,
        anonymous=data.anonymous,
        reporter=dict(data.reporter),
        recorded_by=actor,
        recording_agency=agency,
        entry_setting=data.entry_setting,
        entry_need=data.entry_need,
        occurred_on=data.occurred_on,
        occurred_from=data.occurred_from,
        occurred_to=data.occurred_to,
        location_kind=data.location_kind,
        description=data.description,  # verbatim: no strip, no rewrite
        kinds=list(data.kinds),
        strands=list(data.strands),
        perceived_by=list(data.perceived_by),
        strand_other_detail=data.strand_other_detail.strip(),
        injuries=data.injuries.strip(),
        impacts=list(data.impacts),
        happened_before=data.happened_before,
        police_aware=data.police_aware,
        dismissed_as_symptom=data.dismissed_as_symptom,
        care_has_needs=data.care_has_needs,
        care_unable_to_protect_self=data.care_unable_to_protect_self,
        wishes=data.wishes,
        wanted_actions=list(data.wanted_actions),
        classification=result.as_dict(),
        rule_set_version=result.rule_set[1],
        severity=data.severity,
        hate_incident=result.hate_incident,
        risk_flags=list(data.risk_flags),
        urgent=bool(data.risk_flags),
        created_at=created_at or timezone.now(),
    )


def _create(*, data: IncidentInput, person: Person | None, actor: User | None, agency: Agency | None) -> Incident:
    incident = build_incident(data=data, person=person, actor=actor, agency=agency)
    incident.save()
    Perpetrator.objects.bulk_create(
        Perpetrator(incident=incident, relationship=p.relationship, details=p.details.strip())
        for p in data.perpetrators
    )
    return incident


# Run inside the recording transaction each time an incident joins a person's story (risk re-assessment).
JOINED_TO_STORY: list[Callable[[Person, User | None, str], object]] = []


def _attach(*, incident: Incident, person: Person, actor: User, agency: Agency, via: str) -> None:
    """Join the incident to the person's story: their case (opened or reopened if need be) and timeline."""
    case, _ = case_for_new_incident(actor=actor, agency=agency, person=person, reason=f"New incident {via}")
    incident.person, incident.case = person, case
    incident.save(update_fields=["person", "case"])
    agency_knows_person(person=person, agency=agency, basis=PersonAgencyLink.Basis.RECORDED)
    labels = ", ".join(k.replace("_", " ") for k in incident.kinds) or "what happened"
    timeline_add(
        person=person,
        case=case,
        kind=TimelineKind.INCIDENT_RECORDED,
        summary=f"Incident recorded {via}: {labels}",
        actor=actor,
        agency=agency,
        obj=incident,
        # The person's words travel with their story (tell it once); the one door shows them only to readers who
        # may see the account group.
        details={
            "hate_incident": incident.hate_incident,
            "reported_by": incident.reported_by,
            "account": incident.description,
        },
    )
    # Every new incident, from any agency, re-assesses the person's risk across their whole history: the risk app
    # (above incidents) registers that here, and it runs inside this transaction.
    for joined in JOINED_TO_STORY:
        joined(person, actor, f"incident recorded {via}")


def incident_record(*, actor: User, agency: Agency, person: Person, data: IncidentInput) -> Incident:
    """A practitioner records what happened to a person they may see, at their agency's point of entry."""
    validate_incident(data)
    require(actor, "incident.record_for", person, purpose="Recording an incident")
    if not actor.memberships.filter(agency=agency).exists():
        raise InvalidInput("You can only record for an agency you work in.", fields={"agency": ["Not your agency"]})
    with transaction.atomic():
        incident = _create(data=data, person=person, actor=actor, agency=agency)
        _attach(incident=incident, person=person, actor=actor, agency=agency, via=f"by {agency.name}")
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=incident,
            person_uuid=person.uuid,
            summary=f"Incident recorded ({data.reported_by})",
        )
    return incident


def incident_record_with_new_person(
    *, actor: User, agency: Agency, details: PersonDetails, data: IncidentInput
) -> Incident:
    """When no existing record matches: create the person and record the incident together, or neither."""
    validate_incident(data)
    require(actor, "incident.record", purpose="Recording an incident")
    with transaction.atomic():
        person = person_create(actor=actor, agency=agency, details=details)
        return incident_record(actor=actor, agency=agency, person=person, data=data)


def triage_hub_or_none() -> Agency | None:
    slug = getattr(settings, "JOINEDUP_TRIAGE_HUB", "")
    return Agency.objects.filter(slug=slug).first() if slug else Agency.objects.filter(is_lead_partner=True).first()


def triage_hub() -> Agency:
    hub = triage_hub_or_none()
    if hub is None:
        raise Conflict("The partnership has no hub to receive reports yet.", code="no_triage_hub")
    return hub


FOLLOW_UP_KIND = "incident_report"


def public_report_submit(
    *,
    data: IncidentInput,
    identity: dict[str, object],
    actor: User | None = None,
    via_agency: Agency | None = None,
    passphrase: str = "",
) -> TriageItem:
    """A report made straight to the partnership by the person or someone for them — or an anonymous one a
    practitioner passes on. It is owned by the hub from this moment; the hub matches it to a person (or keeps
    it anonymous) and picks it up. An anonymous reporter may keep a way back with a passphrase."""
    validate_incident(data)
    if passphrase and not data.anonymous:
        raise InvalidInput(
            "A passphrase is for anonymous reports: a named reporter is contacted the way they chose.",
            fields={"passphrase": ["Leave this out, or make the report anonymous"]},
        )
    if passphrase:
        problems = passphrase_problems(passphrase)
        if problems:
            raise InvalidInput("Choose another passphrase.", fields={"passphrase": problems})
    if actor is not None:
        require(actor, "incident.record", purpose="Passing on an anonymous report")
    hub = triage_hub()
    with transaction.atomic():
        incident = _create(data=data, person=None, actor=actor, agency=via_agency)
        item = TriageItem.objects.create(
            incident=incident,
            hub=hub,
            reported_identity=identity,
            reference=_unique_reference(),
            due_on=pick_up_by(timezone.localdate(), urgent=incident.urgent),
        )
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=incident,
            summary=f"Report received ({data.reported_by}{', anonymous' if data.anonymous else ''}"
            f"{', urgent' if incident.urgent else ''}); reference {item.reference}, owned by {hub.name}",
        )
        if passphrase:
            item.follow_up = follow_up_open(kind=FOLLOW_UP_KIND, reference=item.reference, passphrase=passphrase)
            item.save(update_fields=["follow_up"])
    return item


def _unique_reference() -> str:
    """Unique among reports and among follow-up references (a harm report's way back has one of its own)."""
    while True:
        code = _code()
        if not TriageItem.objects.filter(reference=code).exists() and not reference_taken(code):
            return code


def triage_keep_way_back(*, item_uuid: str, passphrase: str) -> FollowUp:
    """Straight after sending an anonymous report (from the same browser), the reporter chooses a passphrase:
    the report's reference and the passphrase are then their way back to the hub's questions."""
    with transaction.atomic():
        item = TriageItem.objects.select_for_update().select_related("incident").get(uuid=item_uuid)
        if item.follow_up_id is not None:
            raise Conflict("You have already chosen a passphrase for this report.", code="already_kept")
        if not item.incident.anonymous:
            raise Conflict("This report has a name: we get in touch the way it says.", code="not_anonymous")
        item.follow_up = follow_up_open(kind=FOLLOW_UP_KIND, reference=item.reference, passphrase=passphrase)
        item.save(update_fields=["follow_up"])
    return item.follow_up


def triage_item_of(follow_up: FollowUp) -> TriageItem:
    return TriageItem.objects.select_related("incident", "hub", "resolved_by").get(follow_up=follow_up)


def triage_told_of_answers(item: TriageItem) -> list[User]:
    """Besides whoever asked: the hub worker who kept the report as an anonymous record, if they still work."""
    return [item.resolved_by] if item.resolved_by is not None and item.resolved_by.is_active else []


def triage_named_by_reporter(*, item: TriageItem, named: Named) -> None:
    """The anonymous reporter gives their name and a safe way to reach them (called by the follow-up, inside its
    transaction): the report becomes a named one — waiting in the hub's queue again if it had been kept as an
    anonymous record — for the hub to match as any named report. Their account stays exactly as they told it."""
    item = TriageItem.objects.select_for_update().select_related("incident").get(pk=item.pk)
    incident = item.incident
    contact = {
        "phone": named.phone,
        "email": named.email,
        "contact_allowed": [c for c, given in (("phone", named.phone), ("email", named.email)) if given],
        "contact_notes": named.contact_notes,
    }
    given, _, family = named.name.partition(" ")
    if incident.reported_by == "third_party":
        # Someone told us for another person: it is the reporter who comes forward, not the person it is about.
        incident.reporter = {**incident.reporter, "name": named.name, "phone": named.phone, "email": named.email}
        item.reported_identity = {**item.reported_identity, "contact_notes": named.contact_notes}
    else:
        item.reported_identity = {**item.reported_identity, "given_name": given, "family_name": family, **contact}
    incident.anonymous = False
    incident.save(update_fields=["anonymous", "reporter"])
    reopened = item.status == TriageStatus.ANONYMOUS_RECORDED
    if reopened:
        item.status, item.resolved_at, item.resolved_by = TriageStatus.WAITING, None, None
        item.due_on = pick_up_by(timezone.localdate(), urgent=incident.urgent)
    item.save(update_fields=["reported_identity", "status", "resolved_at", "resolved_by", "due_on"])
    record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=incident,
        summary=f"Report {item.reference}: the anonymous reporter gave their name and a way to reach them"
        + ("; back in the hub's queue to match" if reopened else ""),
        keep_address=False,
    )


def triage_match(
    *, actor: User, item: TriageItem, person: Person | None, details: PersonDetails | None = None
) -> Incident:
    """The hub matches a report to an existing person it may see, or records a new person from the report."""
    require(actor, "triage.resolve", item, purpose="Matching a report to a person")
    if person is not None:
        require(actor, "person.view", person, purpose="Matching a report to a person")
    with transaction.atomic():
        item = TriageItem.objects.select_for_update().select_related("incident").get(pk=item.pk)
        if item.status != TriageStatus.WAITING:
            raise Conflict("This report has already been picked up.", code="already_resolved")
        if person is None:
            if details is None:
                raise InvalidInput("Choose a person or enter their details.", fields={"person": ["Required"]})
            person = person_create(actor=actor, agency=item.hub, details=details, basis=PersonAgencyLink.Basis.TRIAGE)
        agency_knows_person(person=person, agency=item.hub, basis=PersonAgencyLink.Basis.TRIAGE)
        _attach(
            incident=item.incident, person=person, actor=actor, agency=item.hub, via=f"from report {item.reference}"
        )
        item.status, item.resolved_at, item.resolved_by = TriageStatus.MATCHED, timezone.now(), actor
        item.save(update_fields=["status", "resolved_at", "resolved_by"])
        came_forward = (
            ", first made anonymously: the reporter gave their name later"
            if item.follow_up is not None and item.follow_up.named_at is not None
            else ""
        )
        case_event(
            person=person,
            case=item.incident.case,
            kind=TimelineKind.REPORT_MATCHED,
            summary=f"Report {item.reference} ({item.incident.reported_by.replace('_', ' ')}{came_forward}) "
            f"matched by {actor.name}",
            actor=actor,
            agency=item.hub,
            obj=item.incident,
            action=AuditAction.UPDATE,
            audit_summary=f"Report {item.reference} matched to a person",
        )
    return item.incident


def triage_record_anonymous(*, actor: User, item: TriageItem, note: str) -> TriageItem:
    """An anonymous report with no one to contact: kept as a record (it still counts in the partnership's
    figures and can be linked later), and the queue item is closed with the reason."""
    if not note.strip():
        raise InvalidInput("Say why this report stays anonymous.", fields={"note": ["Enter a reason"]})
    require(actor, "triage.resolve", item, purpose="Recording an anonymous report")
    with transaction.atomic():
        item = TriageItem.objects.select_for_update().get(pk=item.pk)
        if item.status != TriageStatus.WAITING:
            raise Conflict("This report has already been picked up.", code="already_resolved")
        item.status, item.resolved_at, item.resolved_by = TriageStatus.ANONYMOUS_RECORDED, timezone.now(), actor
        item.resolution_note = note.strip()[:500]
        item.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        record(
            actor=actor, action=AuditAction.UPDATE, obj=item.incident, summary=f"Report {item.reference} kept anonymous"
        )
    return item


def draft_start(*, journey: str, owner: User | None) -> JourneyDraft:
    while True:
        code = _code()
        if not JourneyDraft.objects.filter(resume_code=code).exists():
            break
    return JourneyDraft.objects.create(
        journey=journey, owner=owner, resume_code=code, expires_at=timezone.now() + DRAFT_LIFETIME
    )


def draft_save(*, draft: JourneyDraft, step: str, answers: dict[str, object]) -> JourneyDraft:
    """Keep one page's answers. Drafts hold what was typed, not yet a record: they are not audited as personal
    data reads or writes, and they expire (and are deleted) after DRAFT_LIFETIME."""
    draft.answers = {**draft.answers, step: answers}
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    draft.save(update_fields=["answers", "expires_at", "updated_at"])
    return draft


def drafts_purge_expired() -> int:
    deleted, _ = JourneyDraft.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def draft_submit(*, draft: JourneyDraft, submit: Callable[[], T], incident_of: Callable[[T], Incident]) -> T:
    """Send a journey's answers exactly once, even when the button is pressed twice at the same moment: the draft
    row is locked, the record made and the draft marked sent in one transaction. Access is checked by the caller
    before this (so a refusal's audit entry is not rolled back with it)."""
    with transaction.atomic():
        locked = JourneyDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.submitted_incident_id is not None:
            raise Conflict("These answers have already been sent.", code="already_sent")
        result = submit()
        locked.submitted_incident = incident_of(result)
        locked.save(update_fields=["submitted_incident"])
    draft.submitted_incident = locked.submitted_incident
    return result


# What "tell us more" after sending may change: everything worked out from the answers, never the person's own
# account of what happened (kept verbatim as sent), who sent it, or who holds it now.
TELL_MORE_FIELDS = (
    "kinds",
    "strands",
    "perceived_by",
    "strand_other_detail",
    "injuries",
    "impacts",
    "happened_before",
    "police_aware",
    "dismissed_as_symptom",
    "care_has_needs",
    "care_unable_to_protect_self",
    "wishes",
    "wanted_actions",
    "classification",
    "rule_set_version",
    "severity",
    "hate_incident",
    "risk_flags",
    "urgent",
)


def public_report_tell_more(*, draft: JourneyDraft, data: IncidentInput, identity: dict[str, object]) -> Incident:
    """The person (or someone for them) adds optional details after sending, from the same browser session:
    they join the same report, re-classified; a new crisis makes it urgent (never the other way round), and
    details for matching (date of birth, postcode) are added to what the hub sees."""
    validate_incident(data)
    if draft.submitted_incident_id is None or draft.owner_id is not None:
        raise Conflict("This report has not been sent yet.", code="not_sent")
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=draft.submitted_incident_id)
        fresh = build_incident(data=data, person=incident.person, actor=None, agency=incident.recording_agency)
        was_urgent, old_flags = incident.urgent, list(incident.risk_flags)
        for name in TELL_MORE_FIELDS:
            setattr(incident, name, getattr(fresh, name))
        incident.risk_flags = [f for f in FLAGS if f in set(old_flags) | set(fresh.risk_flags)]
        incident.urgent = was_urgent or fresh.urgent
        incident.save(update_fields=list(TELL_MORE_FIELDS))
        Perpetrator.objects.filter(incident=incident).delete()
        Perpetrator.objects.bulk_create(
            Perpetrator(incident=incident, relationship=p.relationship, details=p.details.strip())
            for p in data.perpetrators
        )
        item = TriageItem.objects.select_for_update().filter(incident=incident).first()
        if item is not None:
            item.reported_identity = {**item.reported_identity, **{k: v for k, v in identity.items() if v}}
            if incident.urgent and (item.due_on is None or item.due_on > timezone.localdate()):
                item.due_on = timezone.localdate()
            item.save(update_fields=["reported_identity", "due_on"])
        record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=incident,
            person_uuid=incident.person.uuid if incident.person else None,
            summary="More details added by the reporter after sending"
            + (" (now urgent)" if incident.urgent and not was_urgent else ""),
        )
    return incident


# ---------------------------------------------------------------- one event, many accounts


def event_primary(incident: Incident) -> Incident:
    """The first account of the event an incident belongs to (itself when it is the first or the only one)."""
    return incident.same_event_as if incident.same_event_as_id else incident  # type: ignore[return-value]


def _may_join(actor: User, incident: Incident) -> None:
    """The key worker (or a safeguarding lead) of the case, or the hub that picks up reports, may join accounts:
    the same people who decide what a report is at triage."""
    assert incident.case is not None  # noqa: S101 — checked by the caller
    require(actor, "case.view", incident.case, purpose="Joining accounts of the same event")
    hub = triage_hub_or_none()
    if hub and decide(actor, "triage.resolve", SubjectFacts(kind="triage", agency_ids=frozenset({hub.pk}))).allowed:
        return
    # Otherwise the key worker (or a safeguarding lead); a refusal is audited by require.
    require(actor, "case.manage", incident.case, purpose="Joining accounts of the same event")


def incident_join_event(*, actor: User, incident: Incident, same_as: Incident) -> Incident:
    """Keep `incident` as another account of the event `same_as` belongs to. Both accounts stay verbatim; the
    event's first account is its primary. Risk is re-assessed (the event now counts once)."""
    if incident.person_id is None or incident.case is None:
        raise InvalidInput(
            "Match the report to a person first.", fields={"same_event_as": ["This report has no person yet"]}
        )
    if same_as.person_id != incident.person_id:
        raise InvalidInput(
            "Both accounts must be about the same person.",
            fields={"same_event_as": ["Choose an incident recorded for the same person"]},
        )
    primary = event_primary(same_as)
    if primary.pk in {incident.pk, incident.same_event_as_id}:
        raise Conflict("These are already accounts of the same event.", code="already_joined")
    _may_join(actor, incident)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.same_event_as_id is not None:
            raise Conflict("This report is already another account of an event.", code="already_joined")
        # If this report had accounts of its own, they follow it to the (earlier) event's primary.
        Incident.objects.filter(same_event_as=locked).update(same_event_as=primary)
        locked.same_event_as = primary
        locked.save(update_fields=["same_event_as"])
        told_by = locked.reported_by.replace("_", " ")
        case_event(
            person=primary.person,  # type: ignore[arg-type]
            case=locked.case,
            kind=TimelineKind.INCIDENT_RECORDED,
            summary=f"Kept as another account ({told_by}) of the event of {primary.occurred_text}: counted once",
            actor=actor,
            agency=None,
            obj=locked,
            action=AuditAction.UPDATE,
            audit_summary="Joined to an earlier account of the same event",
            details={"event": str(primary.uuid)},
            groups=frozenset({"harm"}),  # when and who told it: what happened, not their words
        )
        # The event now counts once: re-assess (the risk app registers itself here, as for a new incident).
        for joined in JOINED_TO_STORY:
            joined(primary.person, actor, "accounts of one event joined")  # type: ignore[arg-type]
    return locked
