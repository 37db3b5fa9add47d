"""Key work writes: case notes and handing a provisional case to the hub. Atomic, access-checked, audited, and on
the person's timeline (cases.services.case_event writes both)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q

from joinedup.access.decision import require
from joinedup.accounts.models import User
from joinedup.accounts.selectors import casework_agency
from joinedup.audit.models import AuditAction
from joinedup.cases.models import Case, CaseStatus, Handover, TimelineKind
from joinedup.cases.services import case_event
from joinedup.cases.work import handover_request
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.incidents.services import triage_hub
from joinedup.keywork.domain.hub import HubWorker, duty_key_worker
from joinedup.keywork.models import CaseNote

NOTE_MAX = 10_000


def note_add(*, actor: User, case: Case, text: str, field_group: str) -> CaseNote:
    """A dated, authored note on the case, labelled with the part of the record it belongs to. The label travels to
    the timeline entry (details.field_group) so the access door can withhold the note from a reader who may not see
    that group."""
    problems: dict[str, list[str]] = {}
    if not text.strip():
        problems["text"] = ["Write the note"]
    elif len(text) > NOTE_MAX:
        problems["text"] = [f"The note must be {NOTE_MAX:,} characters or fewer"]
    if field_group not in CaseNote.FieldGroup.values:
        problems["field_group"] = ["Choose what the note is about"]
    if problems:
        raise InvalidInput("The note is not complete. Nothing was saved.", fields=problems)
    require(actor, "case.view", case, purpose="Writing a case note")
    agency = casework_agency(actor)
    with transaction.atomic():
        note = CaseNote.objects.create(
            case=case, author=actor, author_agency=agency, field_group=field_group, text=text.strip()
        )
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.NOTE,
            summary=f"Note: {note.text}"[:500],
            actor=actor,
            agency=agency,
            obj=note,
            action=AuditAction.CREATE,
            audit_summary=f"Case note written ({field_group})",
            details={"field_group": field_group, "note_id": str(note.uuid)},
            # The note's words are of the group chosen: the door shows them only to readers who see that group.
            groups=frozenset({field_group}),
        )
    return note


def hub_duty_key_worker(*, actor: User) -> User | None:
    """The hub key worker a provisional case goes to (keywork.domain.hub): the least loaded, never the actor."""
    hub = triage_hub()
    workers = (
        User.objects.filter(is_active=True, memberships__agency=hub, memberships__role="key_worker")
        .distinct()
        .annotate(open_cases=Count("key_cases", filter=Q(key_cases__status=CaseStatus.OPEN), distinct=True))
        .values_list("pk", "open_cases")
    )
    chosen = duty_key_worker([HubWorker(pk, n) for pk, n in workers], handing_over=actor.pk)
    return User.objects.get(pk=chosen) if chosen is not None else None


def hand_to_hub(*, actor: User, case: Case) -> Handover:
    """Ask the hub to take over a case the actor holds only until a key worker is chosen. A handover request, like
    any other: the actor stays accountable until the hub's key worker accepts."""
    require(actor, "case.manage", case, purpose="Handing a case to the hub")
    if case.key_worker_id != actor.pk or not case.key_worker_provisional:
        raise Conflict("Only a case you hold until a key worker is chosen can be handed to the hub.", code="not_held")
    to = hub_duty_key_worker(actor=actor)
    if to is None:
        raise Conflict("The hub has no key worker to take cases yet: hand over to a colleague by name.", code="no_hub")
    return handover_request(
        actor=actor,
        case=case,
        to_user=to,
        reason="Recorded at a point of entry; handed to the hub to choose a key worker",
    )
