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
from joinedup.cases.models import Case, TimelineKind
from joinedup.cases.selectors import open_case, open_tasks, person_facts
from joinedup.cases.services import case_event, task_for_key_worker
from joinedup.cases.work import escalate_once, task_complete
from joinedup.consent.services import consent_cover
from joinedup.core.domain.calendar import add_working_days, working_days_between
from joinedup.core.domain.partnership import CASEWORK_ROLES, Role
from joinedup.core.errors import Conflict, InvalidInput
from joinedup.core.services import notify_staff
from joinedup.incidents.selectors import incident_rows
from joinedup.panels.domain.rules import (
    CLOSE_OUTCOME_LABELS,
    REPEAT_DAYS,
    WAITING,
    CloseOutcome,
    Criterion,
    Status,
    VoiceBy,
    Vulnerability,
    closing_refusal,
    criteria_held,
    is_repeat,
    may_move,
    meeting_date_problem,
)
from joinedup.panels.models import (
    Action,
    Meeting,
    Minutes,
    Panel,
    PanelMember,
    PanelReferral,
    PanelReferralTransition,
    PersonsVoice,
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


def _lead_partner_ids() -> frozenset[int]:
    return frozenset(Agency.objects.filter(is_lead_partner=True).values_list("pk", flat=True))


def panel_facts(panel: Panel) -> SubjectFacts:
    """A panel: its members and managers, and the lead partner whose administrators set it up."""
    return replace(_with_panel(SubjectFacts(kind="panel"), panel), agency_ids=_lead_partner_ids(), lead_partner=True)


def meeting_facts(meeting: Meeting) -> SubjectFacts:
    return _with_panel(SubjectFacts(kind="panel_meeting"), meeting.panel)


def panel_referral_facts(panel_referral: PanelReferral) -> SubjectFacts:
    """The person's facts, the panel's members and managers. Discussing the case at the panel was covered by
    consent or a sharing decision naming the member agencies, so each sees what its kind of work needs (minimum
    necessary), as a consented agency would."""
    facts = person_facts(panel_referral.case.person)
    shared = list(panel_referral.shared_with.values_list("pk", "kind"))
    return _with_panel(
        replace(
            facts,
            kind="panel_referral",
            links=facts.links | {(agency, "consent", str(kind)) for agency, kind in shared},
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
    return SubjectFacts(kind="panel", agency_ids=_lead_partner_ids(), lead_partner=True)


def _caseworker_in(user: User, agency: Agency) -> bool:
    return user.memberships.filter(agency=agency, role__in=[r.value for r in CASEWORK_ROLES]).exists()


# ---------------------------------------------------------------- panels and meetings


Members = list[tuple[Agency, User | None]]


def _panel_problems(*, name: str, area: str, chair: User, coordinator: User, members: Members) -> dict[str, list[str]]:
    """What is wrong with a panel's set-up, field by field, in plain words."""
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["Enter the panel's name"]
    if not area.strip():
        problems["area"] = ["Enter the area the panel covers"]
    agencies = {agency.pk: agency for agency, _ in members}
    if len(agencies) < 2:
        problems["member_agency_ids"] = ["A multi-agency panel needs at least two member agencies"]
    chairs_at = set(chair.memberships.filter(role=Role.PANEL_CHAIR).values_list("agency_id", flat=True))
    if not chair.is_active or not chairs_at:
        problems["chair_user_id"] = [f"{chair.name} does not hold the panel chair role"]
    elif agencies and not chairs_at & set(agencies):
        problems["chair_user_id"] = [f"{chair.name} chairs for an agency that is not a member of this panel"]
    casework = [r.value for r in CASEWORK_ROLES]
    coordinates_at = set(coordinator.memberships.filter(role__in=casework).values_list("agency_id", flat=True))
    if not coordinator.is_active:
        problems["coordinator_user_id"] = [f"{coordinator.name}'s account is not active"]
    elif agencies and not coordinates_at & set(agencies):
        # The coordinator reads the agendas: they must work with people's records in a member agency.
        problems["coordinator_user_id"] = [f"{coordinator.name} does not work with people's records in a member agency"]
    for agency, representative in members:
        if representative is not None and (not representative.is_active or not _caseworker_in(representative, agency)):
            problems.setdefault("representatives", []).append(
                f"{representative.name} does not work with people's records at {agency.name}"
            )
    return problems


def _set_members(panel: Panel, members: Members) -> dict[str, list[str]]:
    """Make the panel's membership exactly `members`; say what changed (names), for the audit trail."""
    wanted = {agency.pk: (agency, representative) for agency, representative in members}
    current = {m.agency_id: m for m in panel.members.select_related("agency", "representative")}
    changed: dict[str, list[str]] = {"joined": [], "left": [], "representative_changed": []}
    for agency_id, member in current.items():
        if agency_id not in wanted:
            changed["left"].append(member.agency.name)
            member.delete()
    for agency_id, (agency, representative) in wanted.items():
        existing = current.get(agency_id)
        if existing is None:
            PanelMember.objects.create(panel=panel, agency=agency, representative=representative)
            changed["joined"].append(agency.name)
        elif existing.representative_id != (representative.pk if representative else None):
            existing.representative = representative
            existing.save(update_fields=["representative"])
            changed["representative_changed"].append(agency.name)
    return {k: v for k, v in changed.items() if v}


def panel_create(
    *,
    actor: User,
    name: str,
    area: str,
    chair: User,
    coordinator: User,
    members: Members,
) -> Panel:
    """A lead-partner administrator sets up a panel for an area: its chair (role panel_chair), its coordinator,
    and the member agencies with their representatives."""
    require(actor, "panel.setup", lead_partner_facts(), purpose="Setting up a panel")
    problems = _panel_problems(name=name, area=area, chair=chair, coordinator=coordinator, members=members)
    if problems:
        raise InvalidInput("The panel is not valid. Nothing was saved.", fields=problems)
    with transaction.atomic():
        panel = Panel.objects.create(
            name=name.strip(), area=area.strip(), chair=chair, coordinator=coordinator, created_by=actor
        )
        changed = _set_members(panel, members)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=panel,
            summary=f"Panel set up: {panel.name}",
            details={"chair": chair.name, "coordinator": coordinator.name, **changed},
        )
    return panel


def panel_update(
    *,
    actor: User,
    panel: Panel,
    name: str,
    area: str,
    chair: User,
    coordinator: User,
    members: Members,
) -> Panel:
    """A lead-partner administrator changes the panel: its name, area, chair, coordinator, member agencies and
    their representatives. An agency that still owns unfinished actions cannot leave until they are done (or
    handed to another agency by the panel): its work would fall out of sight."""
    require(actor, "panel.setup", panel, purpose="Changing a panel's membership")
    problems = _panel_problems(name=name, area=area, chair=chair, coordinator=coordinator, members=members)
    if problems:
        raise InvalidInput("The changes are not valid. Nothing was saved.", fields=problems)
    staying = {agency.pk for agency, _ in members}
    owing = (
        Action.objects.filter(panel_referral__panel=panel, done_at__isnull=True)
        .exclude(agency_id__in=staying)
        .select_related("agency")
    )
    if owing:
        names = sorted({a.agency.name for a in owing})
        raise Conflict(
            f"{', '.join(names)} still {'owns' if len(names) == 1 else 'own'} unfinished panel actions. They stay "
            "members until those are done with evidence. Nothing was saved.",
            code="open_actions",
        )
    with transaction.atomic():
        locked = Panel.objects.select_for_update().get(pk=panel.pk)
        before = {"name": locked.name, "area": locked.area, "chair": locked.chair, "coordinator": locked.coordinator}
        locked.name, locked.area, locked.chair, locked.coordinator = name.strip(), area.strip(), chair, coordinator
        locked.save(update_fields=["name", "area", "chair", "coordinator"])
        changed = _set_members(locked, members)
        details: dict[str, object] = dict(changed)
        for key, was in before.items():
            now = getattr(locked, key)
            if was != now:
                details[key] = {"from": str(getattr(was, "name", was)), "to": str(getattr(now, "name", now))}
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=f"Panel changed: {locked.name}",
            details=details,
        )
    return locked


def meeting_schedule(*, actor: User, panel: Panel, day: date) -> Meeting:
    """The coordinator, the chair or a lead-partner administrator sets a meeting date; an urgent case can have a
    meeting between the usual ones. Each representative is told."""
    require(actor, "panel.schedule", panel, purpose="Scheduling a panel meeting")
    problem = meeting_date_problem(day, today=timezone.localdate(), taken=panel.meetings.values_list("date", flat=True))
    if problem:
        raise InvalidInput(f"{problem}. Nothing was saved.", fields={"date": [problem]})
    with transaction.atomic():
        meeting = Meeting.objects.create(panel=panel, date=day, created_by=actor)
        record(actor=actor, action=AuditAction.CREATE, obj=meeting, summary=f"Meeting on {long_date(day)}")
        told = {panel.chair, panel.coordinator} | {
            m.representative for m in panel.members.select_related("representative") if m.representative
        }
        for user in told:
            if user != actor and user.is_active:
                notify_staff(user=user, text=f"{panel.name} meets on {long_date(day)}", url=f"/meetings/{meeting.uuid}")
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
        [row[0] for row in incident_rows(person=person, fields=("created_at",))], last_panel_referral=last
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


def assessed_detail(person: Person) -> tuple[list[str], dict[str, str]]:
    """The criteria the current risk assessment meets, and what it found for each, to show with the rule: the
    count behind potential escalation, the date and rule set behind a high level."""
    current = risk_current(person=person)
    found = {r.get("code"): str(r.get("text", "")) for r in current.reasons}
    detail: dict[str, str] = {}
    if Criterion.POTENTIAL_ESCALATION.value in current.panel_criteria and found.get("potential_escalation"):
        detail[Criterion.POTENTIAL_ESCALATION.value] = f"Found: {found['potential_escalation']}"
    if Criterion.VISIBLE_HIGH_RISK.value in current.panel_criteria:
        detail[Criterion.VISIBLE_HIGH_RISK.value] = (
            f"Found: high under the rules (score {current.score}, rule set {current.rule_set_version})."
        )
    return list(current.panel_criteria), detail


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
    urgent: bool = False,
) -> PanelReferral:
    """Any member agency's practitioner refers a case when a criterion holds, with consent or a sharing decision
    covering every member agency. Urgent ones are for a meeting before the next usual one."""
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
    waiting = (
        PanelReferral.objects.filter(panel=panel, case__person=person, status__in=[s.value for s in WAITING])
        .select_related("meeting")
        .first()
    )
    if waiting is not None:
        when = f"listed for {long_date(waiting.meeting.date)}" if waiting.meeting else "waiting to be listed"
        raise Conflict(
            f"{person.display_name} is already referred to {panel.name} ({when}). Add what is new to your "
            "agency's research for that meeting, or ask the coordinator to hear it sooner.",
            code="already_referred",
        )
    repeat, _ = repeat_now(person)
    assessed, detail = assessed_detail(person)
    held, criteria_problems = criteria_held(
        assessed=assessed, claimed=criteria, judgement_reasons=judgement_reasons, repeat=repeat, detail=detail
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
            urgent=urgent,
            consent_basis="sharing_decision" if "sharing_decision" in bases else "consent",
        )
        referral.shared_with.set([m.agency for m in panel.members.select_related("agency")])
        PanelReferralTransition.objects.create(
            panel_referral=referral, actor=actor, from_status="", to_status=Status.REFERRED, note=summary.strip()
        )
        named = ", ".join(h["label"] for h in referral.criteria)
        if repeat and actor.pk == case.key_worker_id:
            # The key worker was prompted to refer back: referring is that task done.
            for task in open_tasks(case=case).filter(title=REPEAT_TASK):
                task_complete(actor=actor, task=task, note=f"Referred back to {panel.name}")
        case_event(
            person=person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"Referred to {panel.name}{' (a repeat)' if repeat else ''}{', urgently' if urgent else ''}: "
            f"{named}",
            actor=actor,
            agency=agency,
            obj=referral,
            action=AuditAction.SHARE,
            audit_summary=f"Referred to the panel {panel.name}",
            groups=PANEL_GROUPS,
            basis=referral.consent_basis,
        )
        notify_staff(
            user=panel.coordinator,
            text=f"An urgent referral to {panel.name}: hear it before the next usual meeting"
            if urgent
            else f"A new referral to {panel.name} waits to be listed",
            url=f"/panels/{panel.uuid}",
        )
    return referral


def _move(referral: PanelReferral, *, actor: User | None, to: Status, note: str = "") -> None:
    if not may_move(referral.status, to):
        raise Conflict(f"This panel referral is {referral.status}; it cannot become {to}.", code="not_allowed")
    PanelReferralTransition.objects.create(
        panel_referral=referral, actor=actor, from_status=referral.status, to_status=to, note=note
    )
    referral.status = to


def panel_referral_list(*, actor: User, meeting: Meeting, panel_referral: PanelReferral) -> PanelReferral:
    """The coordinator lists a referred (or heard, for review) case on a meeting's agenda. What the member
    agencies may see of it is settled again now, from the consent and sharing decisions in force: an agency that
    joined since, or whose cover was withdrawn, sees that a case is listed but not who it is. The key worker is
    asked to bring the person's voice."""
    require(actor, "panel.manage", meeting, purpose="Listing a case for a panel meeting")
    if panel_referral.panel_id != meeting.panel_id:
        raise InvalidInput("That case was referred to another panel.", fields={"panel_referral_id": ["Not this panel"]})
    if meeting.date < timezone.localdate():
        raise InvalidInput(
            "That meeting has already happened: list the case for a meeting today or later.",
            fields={"meeting": ["Choose a meeting today or later"]},
        )
    with transaction.atomic():
        referral = (
            PanelReferral.objects.select_for_update()
            .select_related("case__person", "case__key_worker")
            .get(pk=panel_referral.pk)
        )
        _move(referral, actor=actor, to=Status.LISTED, note=f"Listed for {long_date(meeting.date)}")
        referral.meeting = meeting
        referral.save(update_fields=["status", "meeting"])
        person = referral.case.person
        uncovered = {a.pk for a in uncovered_members(person=person, panel=meeting.panel)}
        referral.shared_with.set([m.agency_id for m in meeting.panel.members.all() if m.agency_id not in uncovered])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            person_uuid=person.uuid,
            summary=f"Listed for the meeting on {long_date(meeting.date)}",
            details={"not_shared_with": sorted(str(a) for a in uncovered)} if uncovered else None,
        )
        keeper = referral.case.key_worker
        if keeper is not None and keeper.is_active:
            notify_staff(
                user=keeper,
                text=f"{meeting.panel.name} hears {person.display_name}'s case on {long_date(meeting.date)}: record "
                "what they want and fear, in their words, before then.",
                url=f"/panel-referrals/{referral.uuid}/voice",
            )
    return referral


def open_action_words(panel_referral: PanelReferral) -> list[str]:
    return [
        f"{a.what} ({a.agency.name}, due {long_date(a.due_on)})"
        for a in panel_referral.actions.filter(done_at__isnull=True).select_related("agency")
    ]


def panel_referral_close(
    *,
    actor: User,
    panel_referral: PanelReferral,
    outcome: str,
    reason: str,
    agencies_continue: bool = False,
) -> PanelReferral:
    """The chair or coordinator closes the case at the panel, saying why (an outcome and a reason). Actions not
    done are named plainly: closing then needs the decision that their agencies carry on with them outside the
    panel (they stay on those agencies' action lists and still escalate when late, but no longer come to the
    panel's agenda). A case of someone who died prompts the chair to consider a Safeguarding Adults Review."""
    require(actor, "panel.manage", panel_referral, purpose="Closing a panel referral")
    open_actions = open_action_words(panel_referral)
    refusal = closing_refusal(
        status=panel_referral.status,
        outcome=outcome,
        reason=reason,
        open_actions=open_actions,
        agencies_continue=agencies_continue,
    )
    if refusal is not None:
        error = Conflict if refusal.conflict else InvalidInput
        raise error(refusal.message, code=refusal.code, fields=refusal.fields)
    label = CLOSE_OUTCOME_LABELS[CloseOutcome(outcome)]
    carried = f" {len(open_actions)} unfinished actions stay with their agencies." if open_actions else ""
    with transaction.atomic():
        referral = (
            PanelReferral.objects.select_for_update().select_related("case__person", "panel").get(pk=panel_referral.pk)
        )
        _move(referral, actor=actor, to=Status.CLOSED, note=f"{label}. {reason.strip()}{carried}")
        referral.outcome, referral.closed_at = outcome, timezone.now()
        referral.save(update_fields=["status", "outcome", "closed_at"])
        case_event(
            person=referral.case.person,
            case=referral.case,
            kind=TimelineKind.PANEL,
            summary=f"{referral.panel.name} closed the case: {label}. {reason.strip()}{carried}",
            actor=actor,
            agency=None,
            obj=referral,
            action=AuditAction.UPDATE,
            audit_summary="Panel referral closed",
            details={"outcome": outcome, "open_actions_carry_on": len(open_actions)},
            groups=PANEL_GROUPS,
        )
        for action in referral.actions.filter(done_at__isnull=True).select_related("owner"):
            notify_staff(
                user=action.owner,
                text=f"{referral.panel.name} closed the case, but your action is still yours until done with "
                f"evidence: {action.what}",
                url=f"/panel-actions/{action.uuid}/complete",
            )
        if outcome == CloseOutcome.DIED and referral.panel.chair_id != actor.pk:
            notify_staff(
                user=referral.panel.chair,
                text=f"{referral.panel.name} closed a case because the person died: consider a Safeguarding Adults "
                "Review (Care Act 2014 s44) and record your decision.",
                url=f"/panel-referrals/{referral.uuid}/review",
            )
    return referral


def voice_record(*, actor: User, panel_referral: PanelReferral, words: str) -> PersonsVoice:
    """The person does not attend: their advocate or their key worker records what they want and fear, in their
    words, to be read first at the meeting. Each recording is kept; the latest is read."""
    if not words.strip():
        raise InvalidInput(
            "Write what they want and fear, in their words.", fields={"words": ["Enter what they want and fear"]}
        )
    decision = require(actor, "panel.voice", panel_referral, purpose="Bringing the person's voice to the panel")
    if panel_referral.status == Status.CLOSED:
        raise Conflict("The panel has closed this case.", code="closed")
    as_role = VoiceBy.KEY_WORKER if decision.basis == "relationship:key_worker" else VoiceBy.ADVOCATE
    agency = (
        panel_referral.case.key_worker_agency
        if as_role is VoiceBy.KEY_WORKER
        else Agency.objects.filter(
            pk__in=panel_referral.panel.members.values_list("agency_id", flat=True),
            memberships__user=actor,
            memberships__role__in=[r.value for r in CASEWORK_ROLES],
            kind__in=["advocacy", "victim_support"],
        ).first()
    )
    with transaction.atomic():
        voice = PersonsVoice.objects.create(
            panel_referral=panel_referral, words=words.strip(), by=actor, by_agency=agency, as_role=as_role
        )
        case = panel_referral.case
        case_event(
            person=case.person,
            case=case,
            kind=TimelineKind.PANEL,
            summary=f"What they want and fear was recorded for {panel_referral.panel.name} by "
            f"{'their key worker' if as_role is VoiceBy.KEY_WORKER else 'their advocate'}",
            actor=actor,
            agency=agency,
            obj=voice,
            action=AuditAction.CREATE,
            audit_summary="The person's voice recorded for the panel",
            groups=PANEL_GROUPS,
        )
    return voice


def latest_voice(panel_referral: PanelReferral) -> PersonsVoice | None:
    return panel_referral.voices.select_related("by", "by_agency").order_by("-at", "-id").first()


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
    brought = latest_voice(panel_referral)
    if not persons_voice.strip() and brought is not None:
        persons_voice = brought.words  # read first, as their advocate or key worker wrote it
    if not persons_voice.strip():
        problems["persons_voice"] = [
            "Record what the person wants and fears, in their words (or ask their advocate or key worker to)"
        ]
    if not discussion.strip():
        problems["discussion"] = ["Record the discussion"]
    members = set(meeting.panel.members.values_list("agency_id", flat=True))
    if not present_agencies:
        problems["present_agency_ids"] = ["Choose the agencies present for this case"]
    elif any(a.pk not in members for a in present_agencies):
        problems["present_agency_ids"] = ["Only member agencies can be present"]
    else:
        # The minutes go to those present: only agencies the case is shared with may hear it.
        shared = set(panel_referral.shared_with.values_list("pk", flat=True))
        outside = [a.name for a in present_agencies if a.pk not in shared]
        if outside:
            problems["present_agency_ids"] = [
                f"No consent or sharing decision covers discussing this case with {', '.join(outside)}"
            ]
    if problems:
        raise InvalidInput("The minutes are not complete. Nothing was saved.", fields=problems)
    require(actor, "panel.manage", meeting, purpose="Recording panel minutes")
    if meeting.date > timezone.localdate():
        raise Conflict(f"The meeting is on {long_date(meeting.date)}: record its minutes then.", code="not_yet")
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
    if PanelReferral.objects.filter(case__person=person, status__in=[s.value for s in WAITING]).exists():
        return  # already waiting for a meeting: the new incident goes into that meeting's research
    case = open_case(person=person)
    if case is None or open_tasks(case=case).filter(title=REPEAT_TASK).exists():
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
