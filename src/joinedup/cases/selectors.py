"""Reading the shared story: the timeline, scoped to people the actor may see."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from joinedup.accounts.models import User
from joinedup.cases.models import Case, Handover, Task, TimelineEntry
from joinedup.people.models import Person


def timeline_for_person(*, person: Person) -> QuerySet[TimelineEntry]:
    """The person's timeline, newest first. Callers have already been allowed to see the person
    (people.selectors.person_get, audited); the query is one, whatever the page shows."""
    return TimelineEntry.objects.filter(person=person).select_related("actor", "agency").order_by("-at", "-id")


def open_case(*, person: Person) -> Case | None:
    return Case.objects.filter(person=person, status="open").select_related("key_worker", "key_worker_agency").first()


def case_get(*, actor: User, case_uuid: uuid.UUID | str, purpose: str) -> Case:
    from joinedup.access.decision import NotVisible, require
    from joinedup.audit.models import AuditAction
    from joinedup.audit.services import record

    try:
        case = Case.objects.select_related("person", "key_worker", "key_worker_agency").get(uuid=case_uuid)
    except (Case.DoesNotExist, ValueError, TypeError) as missing:
        raise NotVisible("Not found") from missing
    decision = require(actor, "case.view", case, purpose=purpose)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=case,
        person_uuid=case.person.uuid,
        purpose=purpose,
        reason=decision.reason,
        basis=decision.basis,
    )
    return case


def cases_visible(*, actor: User, status: str | None = None) -> QuerySet[Case]:
    """Cases of people the actor may see, highest risk first. Callers audit what they show."""
    from joinedup.access.decision import actor_facts
    from joinedup.accounts.domain.partnership import CASEWORK_ROLES
    from joinedup.people.models import PersonAgencyLink

    agencies = actor_facts(actor).agencies_with(CASEWORK_ROLES)
    cases = Case.objects.filter(
        Q(key_worker=actor)
        | Q(person_id__in=PersonAgencyLink.objects.filter(agency_id__in=agencies).values("person_id"))
    )
    if status:
        cases = cases.filter(status=status)
    return cases.select_related("person", "key_worker", "key_worker_agency").order_by("risk_rank", "-opened_at", "id")


def my_cases(*, user: User, risk: str | None = None) -> QuerySet[Case]:
    cases = Case.objects.filter(key_worker=user, status="open")
    if risk:
        cases = cases.filter(risk_level=risk)
    return cases.select_related("person", "key_worker_agency").order_by("risk_rank", "opened_at", "id")


def my_tasks(*, user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(owner=user, status=Task.Status.OPEN)
        .select_related("case", "case__person")
        .order_by("due_on", "id")
    )


def handovers_waiting(*, user: User) -> QuerySet[Handover]:
    return (
        Handover.objects.filter(to_user=user, status=Handover.Status.PENDING)
        .select_related("case", "case__person", "from_user")
        .order_by("requested_at")
    )


def timeline_for_case(*, case: Case, kind: str | None = None) -> QuerySet[TimelineEntry]:
    """The person's whole story (every case of theirs), newest first, optionally one kind of event."""
    entries = timeline_for_person(person=case.person)
    return entries.filter(kind=kind) if kind else entries
