"""Writes to cases and the timeline that other apps' services call inside their own transaction.

Issue-level case management (handover, tasks, closure) builds on these."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import object_label, record
from joinedup.cases.domain import story
from joinedup.cases.domain.rules import risk_rank
from joinedup.cases.models import (
    Case,
    CaseStatus,
    CaseTransition,
    KeyWorkerAssignment,
    Task,
    TimelineEntry,
    TimelineKind,
)
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.people.services import agency_knows_person


def timeline_add(
    *,
    person: Person,
    kind: str,
    summary: str,
    actor: User | None,
    agency: Agency | None,
    case: Case | None = None,
    obj: Any = None,
    at: Any = None,
    details: dict[str, Any] | None = None,
    groups: frozenset[str] | None = None,
) -> TimelineEntry:
    """One entry in the person's story. `groups` names the field groups its words come from (default: by kind,
    cases/domain/story.py), so the one door can withhold it from readers who may not see them."""
    object_type, object_id = object_label(obj) if obj is not None else ("", "")
    field_groups = sorted(str(g) for g in (groups if groups is not None else story.default_groups(kind)))
    return TimelineEntry.objects.create(
        person=person,
        case=case,
        at=at or timezone.now(),
        kind=kind,
        summary=summary[:500],
        actor=actor,
        agency=agency,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
        field_groups=field_groups,
    )


def case_event(
    *,
    person: Person,
    case: Case | None,
    kind: str,
    summary: str,
    actor: User | None,
    agency: Agency | None,
    obj: Any,
    action: str,
    audit_summary: str,
    details: dict[str, Any] | None = None,
    basis: str = "",
    reason: str = "",
    purpose: str = "",
    groups: frozenset[str] | None = None,
) -> TimelineEntry:
    """A meaningful event in the person's story: its timeline entry and its audit entry, written together in the
    caller's transaction, so one is never recorded without the other."""
    entry = timeline_add(
        person=person,
        case=case,
        kind=kind,
        summary=summary,
        actor=actor,
        agency=agency,
        obj=obj,
        details=details,
        groups=groups,
    )
    record(
        actor=actor,
        action=action,
        obj=obj,
        person_uuid=person.uuid,
        summary=audit_summary,
        basis=basis,
        reason=reason,
        purpose=purpose,
    )
    return entry


def case_for_new_incident(*, actor: User, agency: Agency, person: Person, reason: str) -> tuple[Case, bool]:
    """The person's open case, else their last case reopened, else a new case — held by the recording
    practitioner until a key worker is chosen. Called inside the recording service's transaction.
    Returns the case and whether it was opened or reopened now."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_for_new_incident must run inside the caller's transaction")
    case = Case.objects.select_for_update().filter(person=person, status=CaseStatus.OPEN).first()
    if case is not None:
        return case, False
    last = Case.objects.select_for_update().filter(person=person).order_by("-opened_at").first()
    if last is not None:
        keeper_active = last.key_worker.is_active
        last.status = CaseStatus.OPEN
        last.closed_at = None
        if not keeper_active:
            last.key_worker, last.key_worker_agency, last.key_worker_provisional = actor, agency, True
        last.save(update_fields=["status", "closed_at", "key_worker", "key_worker_agency", "key_worker_provisional"])
        CaseTransition.objects.create(
            case=last, actor=actor, from_status=CaseStatus.CLOSED, to_status=CaseStatus.OPEN, reason=reason
        )
        if not keeper_active:
            KeyWorkerAssignment.objects.create(
                case=last, user=actor, agency=agency, reason="Previous key worker has left; held until reassigned"
            )
        case_event(
            person=person,
            case=last,
            kind=TimelineKind.CASE_REOPENED,
            summary=f"Case reopened: {reason}",
            actor=actor,
            agency=agency,
            obj=last,
            action=AuditAction.UPDATE,
            audit_summary="Case reopened",
        )
        agency_knows_person(person=person, agency=last.key_worker_agency, basis=PersonAgencyLink.Basis.KEY_WORKER)
        return last, True
    case = Case.objects.create(person=person, key_worker=actor, key_worker_agency=agency)
    CaseTransition.objects.create(case=case, actor=actor, from_status="", to_status=CaseStatus.OPEN, reason=reason)
    KeyWorkerAssignment.objects.create(
        case=case, user=actor, agency=agency, reason="Opened the case; holds it until a key worker is chosen"
    )
    case_event(
        person=person,
        case=case,
        kind=TimelineKind.CASE_OPENED,
        summary=f"Case opened; {actor.name} ({agency.name}) is the key worker for now",
        actor=actor,
        agency=agency,
        obj=case,
        action=AuditAction.CREATE,
        audit_summary="Case opened",
    )
    agency_knows_person(person=person, agency=agency, basis=PersonAgencyLink.Basis.KEY_WORKER)
    return case, True


def open_cases_held(user: User) -> str:
    """Registered with accounts.services.DEACTIVATION_CHECKS: a key worker's account cannot stop while they hold
    open cases (a case must always have an accountable key worker)."""
    held = list(Case.objects.filter(key_worker=user, status="open").select_related("person")[:20])
    if not held:
        return ""
    names = "; ".join(f"{c.person.display_name} (case {c.uuid})" for c in held)
    return f"{user.name} still holds {len(held)} open case(s): hand them over first. {names}"


def task_for_key_worker(*, case: Case, title: str, created_by: User, due_on: Any) -> Task:
    """Work handed back to the case's key worker by another app's service (a declined referral comes back as a
    task), inside the caller's transaction: the cases app owns tasks."""
    return Task.objects.create(
        case=case,
        title=title[:300],
        owner=case.key_worker,
        owner_agency=case.key_worker_agency,
        created_by=created_by,
        due_on=due_on,
    )


def case_risk_level_set(*, actor: User | None, case: Case, level: str) -> bool:
    """Keep the case's risk level, and the rank My work orders by, in step with the person's latest assessment.
    Called by the risk app's services inside their transaction, after they have checked access and recorded the
    assessment (its audit entry and the timeline's risk change are theirs): this is the one writer of both
    columns. Returns whether anything changed. `actor` is None for the system (deadline checks, imports)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_risk_level_set must run inside the caller's transaction")
    rank = risk_rank(level)
    if case.risk_level == level and case.risk_rank == rank:
        return False
    Case.objects.filter(pk=case.pk).update(risk_level=level, risk_rank=rank)
    case.risk_level, case.risk_rank = level, rank
    return True


def case_risk_levels_set(*, levels: dict[int, str]) -> int:
    """`case_risk_level_set` for many people at once (person id → level), by the system: the open case of each
    takes its person's first stored assessment after a bulk load (risk.services.risk_assess_unassessed). One
    statement per level. Returns how many cases changed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_risk_levels_set must run inside the caller's transaction")
    by_level: dict[str, list[int]] = {}
    for person_id, level in levels.items():
        by_level.setdefault(level, []).append(person_id)
    changed = 0
    for level, person_ids in by_level.items():
        changed += (
            Case.objects.filter(person_id__in=person_ids, status=CaseStatus.OPEN)
            .exclude(risk_level=level, risk_rank=risk_rank(level))
            .update(risk_level=level, risk_rank=risk_rank(level))
        )
    return changed
