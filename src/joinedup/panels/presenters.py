"""What other apps' pages show of the panel: the case's panel referrals on its Support page (with the prompt to
refer back on a repeat), and the way in from My work. Built from records the caller read through the one door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from joinedup.access.decision import actor_facts, decide
from joinedup.accounts.models import User
from joinedup.cases.models import Case
from joinedup.core.domain.partnership import CASEWORK_ROLES, Role
from joinedup.panels import selectors, services
from joinedup.panels.domain.rules import CLOSE_OUTCOME_LABELS, STATUS_LABELS, CloseOutcome, Status


@dataclass(frozen=True)
class CaseReferralLine:
    panel: str
    status: str
    meeting_on: date | None
    listed: bool
    repeat: bool
    urgent: bool
    outcome: str
    voice_uuid: str | None  # where their advocate or key worker brings their voice, if this reader may


@dataclass(frozen=True)
class CasePanel:
    shown: bool  # panel referrals speak of risk: shown only where the risk group is seen
    referrals: list[CaseReferralLine]
    repeat_prompt: bool  # a new incident within 12 months of the last panel referral: refer back
    waiting: bool  # already waiting for a meeting: no second referral


def case_panel(*, actor: User, case: Case, groups: frozenset[str]) -> CasePanel:
    """The case's panel referrals, for its Support page (the caller read the case through the one door)."""
    if "risk" not in groups:
        return CasePanel(shown=False, referrals=[], repeat_prompt=False, waiting=False)
    found = selectors.panel_referrals_of(case=case)
    lines = [
        CaseReferralLine(
            panel=r.panel.name,
            status=STATUS_LABELS[Status(r.status)],
            meeting_on=r.meeting.date if r.meeting and r.status in {Status.LISTED, Status.HEARD} else None,
            listed=r.status == Status.LISTED,
            repeat=r.repeat,
            urgent=r.urgent,
            outcome=CLOSE_OUTCOME_LABELS[CloseOutcome(r.outcome)] if r.outcome else "",
            voice_uuid=str(r.uuid) if r.status != Status.CLOSED and decide(actor, "panel.voice", r).allowed else None,
        )
        for r in found
    ]
    waiting = any(r.status in {Status.REFERRED, Status.LISTED} for r in found)
    repeat, _ = services.repeat_now(case.person)
    return CasePanel(shown=True, referrals=lines, repeat_prompt=repeat and not waiting, waiting=waiting)


def my_work_panels(user: User) -> dict[str, object]:
    """The way into the panels from My work: for members of a panel, its chair and coordinator, and the lead
    partner's administrators; with the count of unfinished panel actions for the user or their agency."""
    agencies = actor_facts(user).agencies_with(CASEWORK_ROLES)
    member = selectors.in_a_panel(user=user, agencies=agencies)
    # Only an agency administrator can be the lead partner's (the policy still decides): no query for anyone else.
    admin = (
        not member
        and actor_facts(user).has_role(Role.AGENCY_ADMIN)
        and decide(user, "panel.setup", services.lead_partner_facts()).allowed
    )
    open_actions = selectors.open_action_count(agencies=agencies) if agencies else 0
    return {"panels_link": member or admin, "panel_actions_open": open_actions}
