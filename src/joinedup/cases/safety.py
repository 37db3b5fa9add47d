"""The safety plan's writes and reads: versioned, audited, on the timeline, co-produced (the person changes their
own parts; practitioners who may see the case change any part, with the person)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.accounts.models import User
from joinedup.audit.models import AuditAction
from joinedup.cases.domain.safety_plan import (
    LABELS,
    PARTS,
    PERSON_LABELS,
    PRACTICAL_STEPS,
    STANDING_NUMBERS,
    Plan,
    Promise,
    changed_parts,
    person_may_change,
    plan_problems,
)
from joinedup.cases.models import Case, SafetyPlanVersion, TimelineKind
from joinedup.cases.services import case_event
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.pdf import document


def plan_from_json(data: dict[str, Any] | None) -> Plan:
    data = data or {}
    promises = []
    for item in data.get("what_services_will_do") or []:
        by = item.get("by")
        promises.append(
            Promise(
                what=str(item.get("what") or ""),
                who=str(item.get("who") or ""),
                by=date.fromisoformat(by) if isinstance(by, str) and by else by if isinstance(by, date) else None,
            )
        )
    return Plan(
        warning_signs=str(data.get("warning_signs") or ""),
        safe_places_and_people=str(data.get("safe_places_and_people") or ""),
        what_i_will_do=str(data.get("what_i_will_do") or ""),
        what_services_will_do=tuple(promises),
        numbers_to_call=str(data.get("numbers_to_call") or ""),
        practical_steps=tuple(str(s) for s in data.get("practical_steps") or ()),
    )


def plan_to_json(plan: Plan) -> dict[str, Any]:
    out = asdict(plan)
    out["what_services_will_do"] = [
        {"what": p.what, "who": p.who, "by": p.by.isoformat() if p.by else None} for p in plan.what_services_will_do
    ]
    out["practical_steps"] = list(plan.practical_steps)
    return out


def current_version(*, case: Case) -> SafetyPlanVersion | None:
    """The case's plan now (the caller read the case through the one door)."""
    return case.safety_plan_versions.select_related("by").first()


def plan_history(*, case: Case, limit: int = 20) -> list[SafetyPlanVersion]:
    return list(case.safety_plan_versions.select_related("by")[:limit])


def safety_plan_save(*, actor: User, case: Case, plan: Plan, by_person: bool = False) -> SafetyPlanVersion:
    """A new version of the plan. The person may change only their own parts; a practitioner who may see the case
    changes any. Bad input: 400 with each problem on its field, nothing stored."""
    problems = plan_problems(plan, today=timezone.localdate())
    if problems:
        raise InvalidInput("The safety plan has a problem. Nothing was saved.", fields=problems)
    if not by_person:
        require(actor, "case.view", case, purpose="Writing the safety plan")
    if case.status != "open":
        raise Conflict("The case is closed: reopen it to change the plan.", code="case_closed")
    with transaction.atomic():
        before = Case.objects.select_for_update().get(pk=case.pk).safety_plan_versions.first()
        parts = changed_parts(plan_from_json(before.content) if before else None, plan)
        if not parts:
            raise Conflict("Nothing in the plan changed.", code="no_change")
        if by_person and not person_may_change(parts):
            raise Conflict(
                "You can change your own parts of the plan. Ask your key worker about the rest.", code="not_yours"
            )
        version = SafetyPlanVersion.objects.create(
            case=case,
            number=(before.number + 1) if before else 1,
            content=plan_to_json(plan),
            changed_parts=parts,
            by=actor,
            by_person=by_person,
        )
        who = "They" if by_person else actor.name
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.SAFETY_PLAN,
            summary=f"{who} updated the safety plan (version {version.number}): "
            + ", ".join(LABELS[p].lower() for p in parts if p in PARTS),
            actor=actor,
            agency=None,
            obj=version,
            action=AuditAction.CREATE if version.number == 1 else AuditAction.UPDATE,
            audit_summary=f"Safety plan version {version.number}",
        )
    return version


def plan_pdf(*, case: Case, version: SafetyPlanVersion | None) -> bytes:
    """The plan, printable (the person may want it on paper, or may not want it on their phone)."""
    plan = plan_from_json(version.content if version else None)
    subtitle = f"Safety plan for {case.person.display_name}" + (
        f" · version {version.number}, {timezone.localtime(version.at):%d %B %Y}" if version else " · not written yet"
    )
    return document(
        title="Safety plan",
        subtitle=subtitle,
        sections=[
            ("In an emergency", list(STANDING_NUMBERS) + ([plan.numbers_to_call] if plan.numbers_to_call else [])),
            (PERSON_LABELS["warning_signs"], [plan.warning_signs] if plan.warning_signs else []),
            (
                PERSON_LABELS["safe_places_and_people"],
                [plan.safe_places_and_people] if plan.safe_places_and_people else [],
            ),
            (PERSON_LABELS["what_i_will_do"], [plan.what_i_will_do] if plan.what_i_will_do else []),
            (
                LABELS["what_services_will_do"],
                [f"{p.who}: {p.what}" + (f" — by {p.by:%d %B %Y}" if p.by else "") for p in plan.what_services_will_do],
            ),
            (LABELS["practical_steps"], [PRACTICAL_STEPS[s] for s in plan.practical_steps if s in PRACTICAL_STEPS]),
        ],
    )
