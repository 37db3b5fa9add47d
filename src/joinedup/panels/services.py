"""The multi-agency risk conference: every write atomic, access-checked, audited, and on the person's timeline.

A case comes to the panel only when a criterion holds (domain/rules.py) and consent or a sharing decision covers
discussing it with every member agency; it is heard with the person's voice read first; each action names what,
which agency, who and by when, and is carried to the next meeting until it is done with evidence; an overdue
action escalates with check_deadlines.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from joinedup.access.decision import require
from joinedup.access.domain.minimum import Group
from joinedup.access.domain.policy import SubjectFacts
from joinedup.accounts.models import Agency, User
from joinedup.audit.models import AuditAction
from joinedup.audit.services import record
from joinedup.cases.domain.rules import escalation_level
from joinedup.cases.models import Case, Task, TimelineKind
from joinedup.cases.selectors import person_facts
from joinedup.cases.services import case_event, task_for_key_worker
from joinedup.cases.work import escalate_once
from joinedup.consent.services import consent_cover
from joinedup.core.domain.calendar import add_working_days, working_days_between
from joinedup.core.domain.partnership import CASEWORK_ROLES, Role
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.incidents.models import Incident
from joinedup.panels.domain.rules import (
    REPEAT_DAYS,
    Status,
    Vulnerability,
    criteria_held,
    is_repeat,
    may_move,
)
from joinedup.panels.models import (
    Action,
    Meeting,
    Minutes,
    Panel,
    PanelMember,
    PanelReferral,
    PanelReferralTransition,
    Research,
    ReviewConsideration,
)
from joinedup.people.models import Person
from joinedup.risk.selectors import risk_current

# Panel records speak of the person's risk: the timeline shows them to readers who may see risk.
PANEL_GROUPS = frozenset({str(Group.RISK)})
REPEAT_TASK = "Refer back to the panel: a new incident within 12 months of the last panel referral (a repeat)"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# ---------------------------------------------------------------- facts for the one policy


def _with_panel(facts: SubjectFacts, panel: Panel) -> SubjectFacts:
    """The panel's member agencies, its chair and its coordinator, added to a record's facts."""
    return replace(
        facts,
        member_agency_ids=frozenset(panel.members.values_list("agency_id", flat=True)),
        manager_ids=frozenset({panel.chair_id, panel.coordinator_id}),
        chair_ids=frozenset({panel.chair_id}),
    )


def panel_facts(panel: Panel) -> SubjectFacts:
    return _with_panel(SubjectFacts(kind="panel"), panel)


def meeting_facts(meeting: Meeting) -> SubjectFacts:
    return _with_panel(SubjectFacts(kind="panel_meeting"), meeting.panel)


def panel_referral_facts(panel_referral: PanelReferral) -> SubjectFacts:
    """The person's facts, the panel's members and managers. Discussing the case at the panel was covered by
    consent or a sharing decision naming the member agencies, so each sees what its kind of work needs (minimum
    necessary), as a consented agency would."""
    facts = person_facts(panel_referral.case.person)
    members = list(panel_referral.panel.members.values_list("agency_id", "agency__kind"))
    return _with_panel(
        replace(
            facts,
            kind="panel_referral",
            links=facts.links | {(agency, "consent", str(kind)) for agency, kind in members},
        ),
        panel_referral.panel,
    )


def minutes_facts(minutes: Minutes) -> SubjectFacts:
    return _with_panel(
        SubjectFacts(
            kind="panel_minutes",
            recipient_agency_ids=frozenset(minutes.present_agencies.values_list("pk", flat=True)),
        ),
        minutes.meeting.panel,
    )


def action_facts(action: Action) -> SubjectFacts:
    return _with_panel(
        SubjectFacts(kind="panel_action", user_id=action.owner_id, recipient_agency_ids=frozenset({action.agency_id})),
        action.panel_referral.panel,
    )


def lead_partner_facts() -> SubjectFacts:
    return SubjectFacts(
        kind="panel",
        agency_ids=frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True)),
        lead_partner=True,
    )


def _caseworker_in(user: User, agency: Agency) -> bool:
    return user.memberships.filter(agency=agency, role__in=[r.value for r in CASEWORK_ROLES]).exists()


# ---------------------------------------------------------------- panels and meetings


def panel_create(
    *,
    actor: User,
    name: str,
    area: str,
    chair: User,
    coordinator: User,
    members: list[tuple[Agency, User | None]],
) -> Panel:
    """A lead-partner administrator sets up a panel for an area: its chair (role panel_chair), its coordinator,
    and the member agencies with their representatives."""
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["Enter the panel's name"]
    if not area.strip():
        problems["area"] = ["Enter the area the panel covers"]
    if not chair.is_active or not chair.memberships.filter(role=Role.PANEL_CHAIR).exists():
        problems["chair_user_id"] = ["The chair must hold the panel chair role"]
    if not coordinator.is_active:
        problems["coordinator_user_id"] = ["The coordinator's account is not active"]
    agencies = {agency.pk: agency for agency, _ in members}
    if len(agencies) < 2:
        problems["member_agency_ids"] = ["A multi-agency panel needs at least two member agencies"]
    for agency, representative in members:
        if representative is not None and not _caseworker_in(representative, agency):
            problems.setdefault("member_agency_ids", []).append(
                f"{representative.name} does not work with people's records at {agency.name}"
            )
    if problems:
        raise InvalidInput("The panel is not valid. Nothing was saved.", fields=problems)
    require(actor, "panel.setup", lead_partner_facts(), purpose="Setting up a panel")
    with transaction.atomic():
        panel = Panel.objects.create(
            name=name.strip(), area=area.strip(), chair=chair, coordinator=coordinator, created_by=actor
        )
        seen: set[int] = set()
        for agency, representative in members:
            if agency.pk in seen:
                continue
            seen.add(agency.pk)
            PanelMember.objects.create(panel=panel, agency=agency, representative=representative)
        record(actor=actor, action=AuditAction.CREATE, obj=panel, summary=f"Panel set up: {panel.name}")
    return panel


def meeting_schedule(*, actor: User, panel: Panel, day: date) -> Meeting:
    """The coordinator (or chair) sets a meeting date; an urgent case can have a meeting between the usual ones."""
    require(actor, "panel.manage", panel, purpose="Scheduling a panel meeting")
    with transaction.atomic():
        meeting = Meeting.objects.create(panel=panel, date=day, created_by=actor)
        record(actor=actor, action=AuditAction.CREATE, obj=meeting, summary=f"Meeting on {long_date(day)}")
    return meeting


# ---------------------------------------------------------------- referral to the panel


def repeat_now(person: Person) -> tuple[bool, datetime | None]:
    """Is the person a repeat now — a new incident within 12 months of their last panel referral?"""
    last = (
        PanelReferral.objects.filter(case__person=person)
        .order_by("-referred_at")
        .values_list("referred_at", flat=True)
        .first()
    )
    if last is None:
        return False, None
    return is_repeat(
        Incident.objects.filter(person=person).values_list("created_at", flat=True), last_panel_referral=last
    ), last


def uncovered_members(*, person: Person, panel: Panel) -> list[Agency]:
    """The member agencies no consent or sharing decision covers for discussing this person at the panel."""
    return [
        m.agency
        for m in panel.members.select_related("agency")
        if not consent_cover(person=person, purpose="discuss_at_panel", recipient=m.agency).covered
    ]


def assessed_criteria(person: Person) -> list[str]:
    return list(risk_current(person=person).panel_criteria)


def panel_refer(
    *,
    actor: User,
    agency: Agency,
    case: Case,
    panel: Panel,
    criteria: list[str],
    summary: str,
    judgement_reasons: str = "",
    vulnerability: list[str] | None = None,
) -> PanelReferral:
    problems: dict[str, list[str]] = {}
    if not summary.strip():
        problems["summary"] = ["Summarise why the panel should hear this case"]
    wrong = [v for v in vulnerability or [] if v not in {x.value for x in Vulnerability}]
    if wrong:
        problems["vulnerability"] = ["Vulnerability is personal, situational or incidental"]
    if problems:
        raise InvalidInput("The panel referral is not valid. Nothing was sent.", fields=problems)
    person = case.person
    require(
        actor,
        "panel.refer",
        _with_panel(replace(person_facts(person), kind="panel_referral"), panel),
        purpose="Referring to the panel",
    )
    if not _caseworker_in(actor, agency) or not panel.members.filter(agency=agency).exists():
        raise InvalidInput(
            "Refer for a member agency you work in.", fields={"agency": ["Not a member agency you work in"]}
        )
    repeat, _ = repeat_now(person)
    held, criteria_problems = criteria_held(
        assessed=assessed_criteria(person), claimed=criteria, judgement_reasons=judgement_reasons, repeat=repeat
    )
    if not held:
        raise InvalidInput(
            "No panel criterion holds, so the panel cannot hear this case. Nothing was sent.",
            code="no_criterion",
            fields=criteria_problems,
        )
    missing = uncovered_members(person=person, panel=panel)
    if missing:
        raise Conflict(
            "No consent or sharing decision covers discussing this person at the panel with "
            f"{', '.join(a.name for a in missing)}. Ask the person, or ask a lead to record a sharing decision.",
            code="no_consent",
        )
    bases = {
        consent_cover(person=person, purpose="discuss_at_panel", recipient=m.agency).basis
        for m in panel.members.select_related("agency")
    }
    with transaction.atomic():
        referral = PanelReferral.objects.create(
            panel=panel,
            case=case,
            referred_by=actor,
            referred_by_agency=agency,
            criteria=[h.as_dict() for h in held],
            summary=summary.strip(),
            judgement_reasons=judgement_reasons.strip(),
            vulnerability=list(dict.fromkeys(vulnerability or [])),
            repeat=repeat,
            consent_basis="sharing_decision" if "sharing_decision" in bases else "consent",
        )
        PanelReferralTransition.objects.create(
            panel_referral=referral, actor=actor, from_status="", to_status=Status.REFERRED, note=summary.strip()
        )
        named = ", ".join(h["label"] for h in referral.criteria)
        case_event(
            person=person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"Referred to {panel.name}{' (a repeat)' if repeat else ''}: {named}",
            actor=actor,
            agency=agency,
            obj=referral,
            action=AuditAction.SHARE,
            audit_summary=f"Referred to the panel {panel.name}",
            groups=PANEL_GROUPS,
            basis=referral.consent_basis,
        )
        notify_staff(user=panel.coordinator, text=f"A new referral to {panel.name} waits to be listed", url="/panels")
    return referral


def _move(referral: PanelReferral, *, actor: User | None, to: Status, note: str = "") -> None:
    if not may_move(referral.status, to):
        raise Conflict(f"This panel referral is {referral.status}; it cannot become {to}.", code="not_allowed")
    PanelReferralTransition.objects.create(
        panel_referral=referral, actor=actor, from_status=referral.status, to_status=to, note=note
    )
    referral.status = to


def panel_referral_list(*, actor: User, meeting: Meeting, panel_referral: PanelReferral) -> PanelReferral:
    """The coordinator lists a referred (or heard, for review) case on a meeting's agenda."""
    require(actor, "panel.manage", meeting, purpose="Listing a case for a panel meeting")
    if panel_referral.panel_id != meeting.panel_id:
        raise InvalidInput("That case was referred to another panel.", fields={"panel_referral_id": ["Not this panel"]})
    with transaction.atomic():
        referral = PanelReferral.objects.select_for_update().get(pk=panel_referral.pk)
        _move(referral, actor=actor, to=Status.LISTED, note=f"Listed for {long_date(meeting.date)}")
        referral.meeting = meeting
        referral.save(update_fields=["status", "meeting"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            person_uuid=referral.case.person.uuid,
            summary=f"Listed for the meeting on {long_date(meeting.date)}",
        )
    return referral


def panel_referral_close(*, actor: User, panel_referral: PanelReferral, reason: str) -> PanelReferral:
    require(actor, "panel.manage", panel_referral, purpose="Closing a panel referral")
    if not reason.strip():
        raise InvalidInput("Say why the panel is closing this case.", fields={"reason": ["Give a reason"]})
    if panel_referral.actions.filter(done_at__isnull=True).exists():
        raise Conflict("Actions are still open: the panel reviews them until they are done.", code="open_actions")
    with transaction.atomic():
        referral = (
            PanelReferral.objects.select_for_update().select_related("case__person", "panel").get(pk=panel_referral.pk)
        )
        _move(referral, actor=actor, to=Status.CLOSED, note=reason.strip())
        referral.save(update_fields=["status"])
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.PANEL,
            summary=f"{referral.panel.name} closed the case: {reason.strip()}",
            actor=actor,
            agency=None,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary="Panel referral closed",
            groups=PANEL_GROUPS,
        )
    return referral


# ---------------------------------------------------------------- research, minutes, actions


def on_agenda(meeting: Meeting, referral: PanelReferral) -> bool:
    """Listed for this meeting, or carried to it by an unfinished action agreed earlier."""
    if referral.panel_id != meeting.panel_id:
        return False
    # Read afresh: the caller's copy may predate its listing.
    listed_for, status = PanelReferral.objects.filter(pk=referral.pk).values_list("meeting_id", "status").get()
    if listed_for == meeting.pk:
        return True
    return (
        status != Status.CLOSED
        and referral.actions.filter(done_at__isnull=True, created_at__date__lt=meeting.date).exists()
    )


def research_record(
    *, actor: User, agency: Agency, meeting: Meeting, panel_referral: PanelReferral, summary: str
) -> Research:
    """A member agency's research before the meeting: what it knows, the risks, what it can offer. One per agency
    per case per meeting; recording it again replaces the agency's earlier words (audited)."""
    require(actor, "panel.research", meeting, purpose="Recording research for the panel")
    if not summary.strip():
        raise InvalidInput("Record what your agency knows.", fields={"summary": ["Enter your agency's research"]})
    if not _caseworker_in(actor, agency) or not meeting.panel.members.filter(agency=agency).exists():
        raise InvalidInput("Record research for a member agency you work in.", fields={"agency": ["Not yours"]})
    if not on_agenda(meeting, panel_referral):
        raise InvalidInput("That case is not on this meeting's agenda.", fields={"panel_referral_id": ["Not listed"]})
    with transaction.atomic():
        research, created = Research.objects.update_or_create(
            meeting=meeting,
            panel_referral=panel_referral,
            agency=agency,
            defaults={"summary": summary.strip(), "by": actor, "at": timezone.now()},
        )
        record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=research,
            person_uuid=panel_referral.case.person.uuid,
            summary=f"Panel research by {agency.name}",
        )
    return research


def minutes_record(
    *,
    actor: User,
    meeting: Meeting,
    panel_referral: PanelReferral,
    persons_voice: str,
    discussion: str,
    present_agencies: list[Agency],
) -> Minutes:
    """The case is heard: the person's voice first (they do not attend), the discussion, and who was present —
    the minutes go only to them."""
    problems: dict[str, list[str]] = {}
    if not persons_voice.strip():
        problems["persons_voice"] = ["Record what the person wants and fears, in their words"]
    if not discussion.strip():
        problems["discussion"] = ["Record the discussion"]
    members = set(meeting.panel.members.values_list("agency_id", flat=True))
    if not present_agencies:
        problems["present_agency_ids"] = ["Choose the agencies present for this case"]
    elif any(a.pk not in members for a in present_agencies):
        problems["present_agency_ids"] = ["Only member agencies can be present"]
    if problems:
        raise InvalidInput("The minutes are not complete. Nothing was saved.", fields=problems)
    require(actor, "panel.manage", meeting, purpose="Recording panel minutes")
    if not on_agenda(meeting, panel_referral):
        raise InvalidInput("That case is not on this meeting's agenda.", fields={"panel_referral_id": ["Not listed"]})
    if Minutes.objects.filter(meeting=meeting, panel_referral=panel_referral).exists():
        raise Conflict("This case already has minutes for this meeting.", code="already_heard")
    with transaction.atomic():
        referral = (
            PanelReferral.objects.select_for_update().select_related("case__person", "panel").get(pk=panel_referral.pk)
        )
        minutes = Minutes.objects.create(
            meeting=meeting,
            panel_referral=referral,
            persons_voice=persons_voice.strip(),
            discussion=discussion.strip(),
            recorded_by=actor,
        )
        minutes.present_agencies.set(present_agencies)
        if referral.status == Status.HEARD:
            # Carried to this meeting by an open action: it is reviewed again.
            _move(referral, actor=actor, to=Status.LISTED, note=f"Reviewed on {long_date(meeting.date)}")
        _move(referral, actor=actor, to=Status.HEARD, note=f"Heard on {long_date(meeting.date)}")
        referral.meeting = meeting
        referral.heard_at = referral.heard_at or timezone.make_aware(datetime.combine(meeting.date, time(12, 0)))
        referral.save(update_fields=["status", "meeting", "heard_at"])
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.PANEL,
            summary=f"Heard at {referral.panel.name} on {long_date(meeting.date)} "
            f"({len(present_agencies)} agencies present)",
            actor=actor,
            agency=None,
            obj=minutes,
            action=AuditAction.CREATE,
            audit_summary="Panel minutes recorded",
            groups=PANEL_GROUPS,
        )
    return minutes


def action_agree(
    *,
    actor: User,
    panel_referral: PanelReferral,
    what: str,
    agency: Agency,
    owner: User,
    due_on: date,
    meeting: Meeting | None = None,
) -> Action:
    """An action is specific: what, which agency, who owns it, by when [S26]."""
    problems: dict[str, list[str]] = {}
    if not what.strip():
        problems["what"] = ["Say exactly what will be done"]
    if not panel_referral.panel.members.filter(agency=agency).exists():
        problems["agency_id"] = ["Actions are owned by a member agency"]
    elif not owner.is_active or not _caseworker_in(owner, agency):
        problems["owner_user_id"] = [f"The owner must work with people's records at {agency.name}"]
    if due_on < timezone.localdate():
        problems["due_on"] = ["The due date must be today or later"]
    if problems:
        raise InvalidInput("The action is not specific enough. Nothing was saved.", fields=problems)
    require(actor, "panel.manage", panel_referral, purpose="Agreeing a panel action")
    if panel_referral.status == Status.CLOSED:
        raise Conflict("This case is closed at the panel.", code="closed")
    with transaction.atomic():
        action = Action.objects.create(
            panel_referral=panel_referral,
            meeting=meeting or panel_referral.meeting,
            what=what.strip(),
            agency=agency,
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        case = panel_referral.case
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"Panel action for {agency.name} ({owner.name}), due {long_date(due_on)}: {action.what}",
            actor=actor,
            agency=agency,
            obj=action,
            action=AuditAction.CREATE,
            audit_summary="Panel action agreed",
            groups=PANEL_GROUPS,
        )
        notify_staff(
            user=owner, text=f"A panel action for you, due {long_date(due_on)}: {action.what}", url="/panel-actions"
        )
    return action


def action_complete(*, actor: User, action: Action, evidence: str) -> Action:
    """Done only with evidence of what was done."""
    if not evidence.strip():
        raise InvalidInput("Say what was done, as evidence.", fields={"evidence": ["Enter the evidence"]})
    require(actor, "panel_action.complete", action, purpose="Completing a panel action")
    with transaction.atomic():
        action = (
            Action.objects.select_for_update()
            .select_related("panel_referral__case__person", "agency")
            .get(pk=action.pk)
        )
        if action.done_at is not None:
            raise Conflict("This action is already done.", code="already_done")
        action.done_at, action.done_by, action.evidence = timezone.now(), actor, evidence.strip()
        action.save(update_fields=["done_at", "done_by", "evidence"])
        case = action.panel_referral.case
        late = timezone.localdate() > action.due_on
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"Panel action done by {action.agency.name}{' (late)' if late else ''}: {action.what} — "
            f"{action.evidence}",
            actor=actor,
            agency=action.agency,
            obj=action,
            action=AuditAction.UPDATE,
            audit_summary="Panel action completed",
            groups=PANEL_GROUPS,
        )
    return action


def review_consider(
    *, actor: User, panel_referral: PanelReferral, commissioned: bool, reason: str
) -> ReviewConsideration:
    """Where a person at the panel died or was seriously harmed and joint working is in question, the chair records
    that a Safeguarding Adults Review (Care Act 2014 s44) was considered, the decision and why."""
    if not reason.strip():
        raise InvalidInput("Give the reason for the decision.", fields={"reason": ["Enter the reason"]})
    require(actor, "panel.review", panel_referral, purpose="Considering a Safeguarding Adults Review")
    with transaction.atomic():
        review = ReviewConsideration.objects.create(
            panel_referral=panel_referral, commissioned=commissioned, reason=reason.strip(), by=actor
        )
        case = panel_referral.case
        decision = "referred for a review" if commissioned else "not referred for a review"
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"Safeguarding Adults Review considered by the chair of {panel_referral.panel.name}: "
            f"{decision}. {review.reason}",
            actor=actor,
            agency=None,
            obj=review,
            action=AuditAction.CREATE,
            audit_summary="Safeguarding Adults Review considered",
            groups=frozenset({str(Group.RISK), str(Group.SAFEGUARDING)}),
        )
    return review


# ---------------------------------------------------------------- joined to other apps


def repeat_prompt(person: Person, actor: User | None, trigger: str) -> None:
    """Registered with incidents (JOINED_TO_STORY): a new incident within 12 months of the person's last panel
    referral is a repeat, and the key worker is asked — once while the task is open — to refer back."""
    repeat, last = repeat_now(person)
    if not repeat or last is None:
        return
    case = Case.objects.filter(person=person, status="open").select_related("key_worker").first()
    if case is None or Task.objects.filter(case=case, title=REPEAT_TASK, status="open").exists():
        return
    task_for_key_worker(
        case=case,
        title=REPEAT_TASK,
        created_by=actor or case.key_worker,
        due_on=add_working_days(timezone.localdate(), 2),
    )
    notify_staff(
        user=case.key_worker,
        text=f"{person.display_name} has a new incident within {REPEAT_DAYS} days of a panel referral: "
        "consider referring back to the panel.",
        url=f"/cases/{case.uuid}/support",
    )


def panel_actions_deadlines_check(today: date) -> dict[str, int]:
    """Overdue panel actions escalate: to the owning agency's safeguarding leads, the owner and the coordinator;
    then (three working days on) to the lead partner's leads and the chair. Once each, however often it runs."""
    counts = {"overdue_panel_actions": 0, "panel_action_escalations": 0}
    lead_partner = set(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))
    due = Action.objects.filter(done_at__isnull=True, due_on__lt=today).select_related(
        "agency",
        "owner",
        "panel_referral__case__person",
        "panel_referral__panel__chair",
        "panel_referral__panel__coordinator",
    )
    for action in due:
        counts["overdue_panel_actions"] += 1
        level = max(
            1,
            escalation_level(
                due_on=action.due_on, today=today, working_days_overdue=working_days_between(action.due_on, today)
            ),
        )
        for step in range(1, level + 1):
            counts["panel_action_escalations"] += _escalate_action(action, step, lead_partner)
    return counts


def _escalate_action(action: Action, level: int, lead_partner: set[int]) -> int:
    panel = action.panel_referral.panel
    agencies = {action.agency_id} if level == 1 else lead_partner
    leads = list(
        User.objects.filter(
            is_active=True, memberships__agency_id__in=agencies, memberships__role="safeguarding_lead"
        ).distinct()
    )
    recipients: list[User] = [*leads, action.owner, panel.coordinator] if level == 1 else [*leads, panel.chair]
    note = (
        f"Overdue panel action for {action.agency.name} ({action.owner.name}), due {long_date(action.due_on)}: "
        f"{action.what}"
    )
    return escalate_once(
        item=action,
        item_type="panel_action",
        level=level,
        case=action.panel_referral.case,
        recipients=recipients,
        note=note,
        url_for=lambda _user: "/panel-actions",
    )
