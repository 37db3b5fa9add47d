"""Case work: handover, tasks, closure and deadlines. Atomic, audited, on the timeline; the people affected are
told in the app (and by e-mail after commit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, Membership, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.deadlines import EXTRA_CHECKS
from joinedup.cases.domain.rules import closure_problems, escalation_level
from joinedup.cases.models import (
    Case,
    CaseStatus,
    CaseTransition,
    Closure,
    Escalation,
    Handover,
    KeyWorkerAssignment,
    Task,
    TimelineKind,
)
from joinedup.cases.selectors import person_facts
from joinedup.cases.services import agency_knows_person, case_event, timeline_add
from joinedup.core.domain import limits
from joinedup.core.domain.calendar import working_days_between
from joinedup.core.domain.partnership import CASEWORK_ROLES
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.people.models import Person, PersonAgencyLink
from joinedup.people.selectors import agency_knows

# Other apps add their own "still open" checks for closure (referrals register one).
OPEN_ITEM_CHECKS: list[Callable[[Case], list[str]]] = []
# Whether the person agreed (or a lead decided) to share with an agency: the consent app, which sits above cases,
# registers its answer here. With nothing registered nothing is covered, so a handover never leaks the person.
SHARING_COVER: list[Callable[[Person, Agency], bool]] = []


def case_facts(case: Case) -> SubjectFacts:
    return replace(person_facts(case.person), kind="case")


def _caseworker_agency(user: User) -> Agency | None:
    membership = (
        Membership.objects.filter(user=user, role__in=[r.value for r in CASEWORK_ROLES])
        .select_related("agency")
        .order_by("granted_at", "id")
        .first()
    )
    return membership.agency if membership else None


def handover_request(*, actor: User, case: Case, to_user: User, reason: str) -> Handover:
    if not reason.strip():
        raise InvalidInput("Say why you are handing over.", fields={"reason": ["Enter the reason for the handover"]})
    require(actor, "case.manage", case, purpose="Handing over a case")
    if case.status != CaseStatus.OPEN:
        raise Conflict("Only an open case can be handed over.", code="case_closed")
    if to_user.pk == case.key_worker_id:
        raise InvalidInput("They already hold this case.", fields={"to_user_id": ["Choose someone else"]})
    to_agency = _caseworker_agency(to_user) if to_user.is_active else None
    if to_agency is None:
        raise InvalidInput("They cannot hold cases.", fields={"to_user_id": ["Choose an active caseworker"]})
    knows = agency_knows(person=case.person, agency=to_agency)
    if not knows and not any(covers(case.person, to_agency) for covers in SHARING_COVER):
        raise Conflict(
            f"{to_agency.name} does not know this person yet. Ask the person whether they agree to share with "
            "them, or record a decision to share, before handing over.",
            code="no_consent",
        )
    with transaction.atomic():
        try:
            handover = Handover.objects.create(
                case=case, from_user=actor, to_user=to_user, to_agency=to_agency, reason=reason.strip()
            )
        except IntegrityError as clash:
            raise Conflict(
                "A handover for this case is already waiting for an answer.", code="handover_pending"
            ) from clash
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.HANDOVER,
            summary=f"Handover to {to_user.name} ({to_agency.name}) requested: {reason.strip()}",
            actor=actor,
            agency=_caseworker_agency(actor),
            obj=handover,
            action=AuditAction.CREATE,
            audit_summary="Handover requested",
        )
        notify_staff(
            user=to_user,
            text=f"{actor.name} asks you to become key worker for {case.person.display_name}.",
            url=f"/cases/{case.uuid}",
        )
    return handover


def _respond(actor: User, handover: Handover) -> Handover:
    require(
        actor,
        "handover.respond",
        SubjectFacts(kind="handover", user_id=handover.to_user_id),
        purpose="Answering a handover",
    )
    handover = Handover.objects.select_for_update().select_related("case", "case__person").get(pk=handover.pk)
    if handover.status != Handover.Status.PENDING:
        raise Conflict("This handover has already been answered.", code="handover_answered")
    return handover


def handover_accept(*, actor: User, handover: Handover) -> Case:
    with transaction.atomic():
        handover = _respond(actor, handover)
        case = Case.objects.select_for_update().get(pk=handover.case_id)
        previous = case.key_worker
        case.key_worker, case.key_worker_agency, case.key_worker_provisional = actor, handover.to_agency, False
        case.save(update_fields=["key_worker", "key_worker_agency", "key_worker_provisional"])
        handover.status, handover.answered_at = Handover.Status.ACCEPTED, timezone.now()
        handover.save(update_fields=["status", "answered_at"])
        KeyWorkerAssignment.objects.create(
            case=case,
            user=actor,
            agency=handover.to_agency,
            reason=f"Accepted handover from {previous.name}: {handover.reason}",
        )
        agency_knows_person(person=case.person, agency=handover.to_agency, basis=PersonAgencyLink.Basis.KEY_WORKER)
        timeline_add(
            person=case.person,
            case=case,
            kind=TimelineKind.KEY_WORKER_ASSIGNED,
            summary=f"{actor.name} ({handover.to_agency.name}) is now the key worker",
            actor=actor,
            agency=handover.to_agency,
            obj=handover,
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            person_uuid=case.person.uuid,
            summary="Handover accepted: new key worker",
        )
        notify_staff(
            user=previous,
            text=f"{actor.name} accepted the handover of {case.person.display_name}.",
            url=f"/cases/{case.uuid}",
        )
    return case


def handover_decline(*, actor: User, handover: Handover, reason: str) -> Handover:
    if not reason.strip():
        raise InvalidInput("Say why you are declining.", fields={"reason": ["Enter the reason you are declining"]})
    with transaction.atomic():
        handover = _respond(actor, handover)
        handover.status, handover.answered_at = Handover.Status.DECLINED, timezone.now()
        handover.decline_reason = reason.strip()
        handover.save(update_fields=["status", "answered_at", "decline_reason"])
        case = handover.case
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.HANDOVER,
            summary=f"Handover declined by {actor.name}: {reason.strip()}. {case.key_worker.name} remains key worker.",
            actor=actor,
            agency=handover.to_agency,
            obj=handover,
            action=AuditAction.UPDATE,
            audit_summary="Handover declined",
        )
        notify_staff(
            user=handover.from_user,
            text=f"{actor.name} declined the handover of {case.person.display_name}: {reason.strip()}",
            url=f"/cases/{case.uuid}",
        )
    return handover


def task_create(*, actor: User, case: Case, title: str, owner: User, due_on: date | None) -> Task:
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = ["Say what needs doing"]
    if due_on is None:
        problems["due_on"] = ["Enter the date it is due"]
    elif problem := limits.future_date_problem(due_on, today=timezone.localdate(), what="The due date"):
        problems["due_on"] = [problem]
    owner_agency = _caseworker_agency(owner) if owner.is_active else None
    if owner_agency is None:
        problems["owner_user_id"] = ["Choose an active caseworker to own it"]
    elif not agency_knows(person=case.person, agency=owner_agency):
        problems["owner_user_id"] = [f"{owner_agency.name} does not know this person"]
    if problems:
        raise InvalidInput("The task is not valid. Nothing was saved.", fields=problems)
    require(actor, "case.view", case, purpose="Adding a task")
    if owner_agency is None or due_on is None:  # already reported as problems above
        raise InvalidInput("The task is not valid. Nothing was saved.")
    with transaction.atomic():
        task = Task.objects.create(
            case=case, title=title.strip(), owner=owner, owner_agency=owner_agency, due_on=due_on, created_by=actor
        )
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.TASK,
            summary=f"Task for {owner.name}, due {due_on:%d %B %Y}: {task.title}",
            actor=actor,
            agency=_caseworker_agency(actor),
            obj=task,
            action=AuditAction.CREATE,
            audit_summary="Task added",
        )
        if owner.pk != actor.pk:
            notify_staff(
                user=owner, text=f"New task for {case.person.display_name}: {task.title}", url=f"/cases/{case.uuid}"
            )
    return task


def task_complete(*, actor: User, task: Task, note: str = "") -> Task:
    facts = case_facts(task.case)
    require(
        actor,
        "task.complete",
        SubjectFacts(
            kind="task", user_id=task.owner_id, agency_ids=facts.agency_ids, key_worker_ids=facts.key_worker_ids
        ),
        purpose="Completing a task",
    )
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("case", "case__person").get(pk=task.pk)
        if task.status == Task.Status.DONE:
            raise Conflict("This task is already done.", code="task_done")
        task.status, task.completed_at, task.completed_by = Task.Status.DONE, timezone.now(), actor
        task.completion_note = note.strip()
        task.save(update_fields=["status", "completed_at", "completed_by", "completion_note"])
        case_event(
            person=task.case.person,
            case=task.case,
            kind=TimelineKind.TASK,
            summary=f"Task done: {task.title}" + (f" — {task.completion_note}" if task.completion_note else ""),
            actor=actor,
            agency=_caseworker_agency(actor),
            obj=task,
            action=AuditAction.UPDATE,
            audit_summary="Task completed",
        )
    return task


def case_open_items(case: Case) -> list[str]:
    items = [f"Task: {t.title} (due {t.due_on:%d %B %Y})" for t in case.tasks.filter(status=Task.Status.OPEN)]
    for check in OPEN_ITEM_CHECKS:
        items.extend(check(case))
    return items


def case_close(
    *,
    actor: User,
    case: Case,
    outcomes_met: str,
    person_feels_safer: str,
    person_view: str = "",
    not_asked_reason: str = "",
) -> Closure:
    problems = closure_problems(
        outcomes_met=outcomes_met,
        person_feels_safer=person_feels_safer,
        person_view=person_view,
        not_asked_reason=not_asked_reason,
    )
    if problems:
        raise InvalidInput("The closure needs the person's outcome. Nothing was saved.", fields=problems)
    require(actor, "case.manage", case, purpose="Closing a case")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise Conflict("This case is already closed.", code="case_closed")
        open_items = case_open_items(case)
        if open_items:
            raise Conflict(
                "The case has open work: finish or hand it on first.",
                code="open_items",
                fields={"open_items": open_items},
            )
        closure = Closure.objects.create(
            case=case,
            outcomes_met=outcomes_met,
            person_feels_safer=person_feels_safer,
            person_view=person_view.strip(),
            not_asked_reason=not_asked_reason.strip(),
            closed_by=actor,
        )
        case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
        case.save(update_fields=["status", "closed_at"])
        CaseTransition.objects.create(
            case=case,
            actor=actor,
            from_status=CaseStatus.OPEN,
            to_status=CaseStatus.CLOSED,
            reason=f"Outcomes met {outcomes_met}; feels safer: {person_feels_safer}",
        )
        said = person_view.strip() or f"not asked: {not_asked_reason.strip()}"
        timeline_add(
            person=case.person,
            case=case,
            kind=TimelineKind.CASE_CLOSED,
            summary=f"Case closed. Outcomes met: {outcomes_met}. In their words: {said}",
            actor=actor,
            agency=_caseworker_agency(actor),
            obj=closure,
        )
        record(actor=actor, action=AuditAction.UPDATE, obj=case, person_uuid=case.person.uuid, summary="Case closed")
    return closure


def case_desired_outcomes_set(*, actor: User, case: Case, outcomes: str) -> Case:
    if not outcomes.strip():
        raise InvalidInput("Write down what they want.", fields={"desired_outcomes": ["Enter what they want"]})
    require(actor, "case.view", case, purpose="Recording what the person wants")
    with transaction.atomic():
        case.desired_outcomes = outcomes.strip()
        case.save(update_fields=["desired_outcomes"])
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.NOTE,
            summary=f"What they want, in their words: {case.desired_outcomes}",
            actor=actor,
            agency=_caseworker_agency(actor),
            obj=case,
            action=AuditAction.UPDATE,
            audit_summary="Desired outcomes recorded",
        )
    return case


def _leads(agency_ids: set[int], role: str = "safeguarding_lead") -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__agency_id__in=agency_ids, memberships__role=role).distinct()
    )


def deadlines_check(*, as_of: date | None = None) -> dict[str, int]:
    """Overdue tasks escalate: to the owner and their agency's safeguarding leads, then after three more working
    days to the lead partner's. Once per level, whoever runs it and however often (a unique row per level)."""
    today = as_of or timezone.localdate()
    lead_partner = set(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    counts = {"overdue_tasks": 0, "escalations": 0}
    overdue = Task.objects.filter(status=Task.Status.OPEN, due_on__lt=today).select_related(
        "case", "case__person", "owner", "owner_agency"
    )
    for task in overdue.iterator(chunk_size=500):
        counts["overdue_tasks"] += 1
        level = escalation_level(
            due_on=task.due_on, today=today, working_days_overdue=working_days_between(task.due_on, today)
        )
        for step in range(1, level + 1):
            counts["escalations"] += _escalate(task, step, lead_partner)

    for check in EXTRA_CHECKS:
        for key, value in check(today).items():
            counts[key] = counts.get(key, 0) + value
    return counts


def escalate_once(
    *,
    item: Any,
    item_type: str,
    level: int,
    case: Case,
    recipients: list[User],
    note: str,
    url_for: Callable[[User], str],
) -> int:
    """Escalate an overdue item at one level, exactly once, whoever runs the check and however often: the
    Escalation row is unique per item and level, and everything else happens in the same transaction."""
    prefix = "Escalated to the lead partner: " if level == 2 else ""
    try:
        with transaction.atomic():
            Escalation.objects.create(
                item_type=item_type, item_id=item.pk, level=level, to_users=[u.pk for u in recipients], note=note[:500]
            )
            for user in {u.pk: u for u in recipients}.values():
                notify_staff(user=user, text=prefix + note, url=url_for(user))
            case_event(
                person=case.person,
                case=case,
                kind=TimelineKind.ESCALATION,
                summary=(prefix or "Escalated: ") + note,
                actor=None,
                agency=None,
                obj=item,
                action=AuditAction.UPDATE,
                audit_summary=f"Overdue {item_type} escalated (level {level})",
            )
    except IntegrityError:
        return 0  # already escalated at this level
    return 1


def _escalate(task: Task, level: int, lead_partner: set[int]) -> int:
    recipients = [task.owner, *_leads({task.owner_agency_id})] if level == 1 else _leads(lead_partner)
    note = (
        f"Overdue task for {task.case.person.display_name}: {task.title} (due {task.due_on:%d %B %Y}, "
        f"owner {task.owner.name})"
    )
    return escalate_once(
        item=task,
        item_type="task",
        level=level,
        case=task.case,
        recipients=recipients,
        note=note,
        url_for=lambda _user: f"/cases/{task.case.uuid}",
    )
