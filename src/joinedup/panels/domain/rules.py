"""The multi-agency risk conference's rules (domain.md §5), pure: which referral criteria hold and why, whether a
new incident makes a repeat, how a panel referral moves, and the panel's measures.

Sources: [S24][S25] MARAC referral criteria adapted for hate crime and targeted hostility; [S26] panel practice
(actions specific, owned, dated, reviewed until done); [S28] the community MARAC; [S30] personal, situational and
incidental vulnerability; Care Act 2014 s44 (Safeguarding Adults Reviews).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import median

REPEAT_DAYS = 365  # a new incident within this long of the last panel referral is a repeat [S25]


class Criterion(StrEnum):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    POTENTIAL_ESCALATION = "potential_escalation"
    REPEAT = "repeat"


CRITERION_LABELS: dict[Criterion, str] = {
    Criterion.VISIBLE_HIGH_RISK: "Visible high risk",
    Criterion.PROFESSIONAL_JUDGEMENT: "Professional judgement",
    Criterion.POTENTIAL_ESCALATION: "Potential escalation",
    Criterion.REPEAT: "Repeat",
}

# The rule shown with each criterion that held, in plain words.
CRITERION_RULES: dict[Criterion, str] = {
    Criterion.VISIBLE_HIGH_RISK: "The structured risk identification reaches the high threshold.",
    Criterion.PROFESSIONAL_JUDGEMENT: "A practitioner judges the risk high, and gives reasons.",
    Criterion.POTENTIAL_ESCALATION: "3 or more incidents in 12 months are known to any agency.",
    Criterion.REPEAT: "A new incident within 12 months of the person's last panel referral.",
}


class Vulnerability(StrEnum):
    PERSONAL = "personal"
    SITUATIONAL = "situational"
    INCIDENTAL = "incidental"


VULNERABILITY_LABELS: dict[Vulnerability, str] = {
    Vulnerability.PERSONAL: "Personal (who they are: for example a disability or illness)",
    Vulnerability.SITUATIONAL: "Situational (where they live or who is around them)",
    Vulnerability.INCIDENTAL: "Incidental (what is happening to them now)",
}


class Status(StrEnum):
    REFERRED = "referred"
    LISTED = "listed"
    HEARD = "heard"
    CLOSED = "closed"


STATUS_LABELS: dict[Status, str] = {
    Status.REFERRED: "Referred",
    Status.LISTED: "Listed for a meeting",
    Status.HEARD: "Heard",
    Status.CLOSED: "Closed",
}

# A heard case is listed again while its actions are reviewed; closed is final.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REFERRED: frozenset({Status.LISTED, Status.CLOSED}),
    Status.LISTED: frozenset({Status.HEARD, Status.CLOSED}),
    Status.HEARD: frozenset({Status.LISTED, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


def may_move(current: str, to: str) -> bool:
    return Status(to) in TRANSITIONS[Status(current)]


# Waiting for a meeting: a second referral of the same case would be heard twice.
WAITING = frozenset({Status.REFERRED, Status.LISTED})


class CloseOutcome(StrEnum):
    RISK_REDUCED = "risk_reduced"
    LEAD_AGENCY = "lead_agency"
    MOVED_AWAY = "moved_away"
    DIED = "died"
    NOT_FOR_PANEL = "not_for_panel"


CLOSE_OUTCOME_LABELS: dict[CloseOutcome, str] = {
    CloseOutcome.RISK_REDUCED: "The risk has reduced: the panel's plan is working",
    CloseOutcome.LEAD_AGENCY: "Support carries on with a lead agency, outside the panel",
    CloseOutcome.MOVED_AWAY: "They have moved out of the panel's area",
    CloseOutcome.DIED: "They have died",
    CloseOutcome.NOT_FOR_PANEL: "The panel will not hear it",
}


@dataclass(frozen=True)
class Refusal:
    """Why an action may not go ahead: 400 (`invalid`) or 409 (`conflict`), with a plain message and fields."""

    conflict: bool
    code: str
    message: str
    fields: dict[str, list[str]]


def closing_refusal(
    *, status: str, outcome: str, reason: str, open_actions: list[str], agencies_continue: bool
) -> Refusal | None:
    """May the chair or coordinator close this panel referral now? [S26] actions are reviewed until done, so
    open actions are named plainly and closing needs a decision about them: their agencies carry on with them
    (still on their action lists and escalated when late), or the case stays with the panel."""
    if status == Status.CLOSED:
        return Refusal(True, "not_allowed", "The panel has already closed this case.", {})
    fields: dict[str, list[str]] = {}
    if outcome not in {o.value for o in CloseOutcome}:
        fields["outcome"] = ["Choose why the panel is closing the case"]
    if not reason.strip():
        fields["reason"] = ["Say why, in a sentence or two"]
    if fields:
        return Refusal(False, "invalid", "The case was not closed.", fields)
    if open_actions and not agencies_continue:
        count = len(open_actions)
        return Refusal(
            True,
            "open_actions",
            f"{count} {'action is' if count == 1 else 'actions are'} not done yet: {'; '.join(open_actions)}. "
            "Close only if the agencies carry on with them outside the panel; otherwise keep the case and review "
            "them at the next meeting.",
            {"open_actions": ["Decide what happens to the actions not done yet"]},
        )
    return None


class VoiceBy(StrEnum):
    """The person does not attend the panel: an advocate, or their key worker, brings their voice [S24]."""

    ADVOCATE = "advocate"
    KEY_WORKER = "key_worker"


VOICE_BY_LABELS: dict[VoiceBy, str] = {VoiceBy.ADVOCATE: "their advocate", VoiceBy.KEY_WORKER: "their key worker"}


def meeting_date_problem(day: date, *, today: date, taken: Iterable[date]) -> str | None:
    """A meeting is set for today or later, and once per day per panel."""
    if day < today:
        return "The meeting date must be today or later"
    if day in set(taken):
        return "The panel already meets on that date"
    return None


def criteria_for_reader(criteria: list[dict[str, str]], *, reasons_shown: bool) -> list[dict[str, str]]:
    """The criteria as a reader may see them: a practitioner's reasons for their judgement are their own words
    about the person, shown only to a reader who may see the whole record; others see the rule alone."""
    if reasons_shown:
        return criteria
    return [
        {**c, "rule": CRITERION_RULES[Criterion(c["code"])]} if c["code"] == Criterion.PROFESSIONAL_JUDGEMENT else c
        for c in criteria
    ]


@dataclass(frozen=True)
class Held:
    criterion: Criterion
    rule: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.criterion.value, "label": CRITERION_LABELS[self.criterion], "rule": self.rule}


def is_repeat(
    incidents_at: Iterable[datetime], *, last_panel_referral: datetime | None, days: int = REPEAT_DAYS
) -> bool:
    """A repeat: any incident after the person's last panel referral and within `days` of it [S25]."""
    if last_panel_referral is None:
        return False
    end = last_panel_referral + timedelta(days=days)
    return any(last_panel_referral < at <= end for at in incidents_at)


def criteria_held(
    *,
    assessed: Iterable[str],
    claimed: Iterable[str],
    judgement_reasons: str,
    repeat: bool,
    detail: Mapping[str, str] | None = None,
) -> tuple[list[Held], dict[str, list[str]]]:
    """Which of the criteria the referrer claims hold, each with its rule, and why any does not.

    The risk assessment decides visible high risk and potential escalation (`detail` adds what it found, for
    example "5 incidents in 365 days"); repeat is computed from the dates; professional judgement holds whenever
    the referrer gives reasons (it may raise a level, never lower one)."""
    assessed_set = set(assessed)
    found = detail or {}
    held: list[Held] = []
    problems: list[str] = []
    for code in dict.fromkeys(claimed):
        try:
            criterion = Criterion(code)
        except ValueError:
            problems.append(f"{code} is not a panel criterion")
            continue
        if criterion is Criterion.PROFESSIONAL_JUDGEMENT:
            if judgement_reasons.strip():
                held.append(Held(criterion, CRITERION_RULES[criterion] + f" Reasons: {judgement_reasons.strip()}"))
            else:
                problems.append("Professional judgement needs your reasons")
        elif criterion is Criterion.REPEAT:
            if repeat:
                held.append(Held(criterion, CRITERION_RULES[criterion]))
            else:
                problems.append("No new incident within 12 months of a panel referral: this is not a repeat")
        elif criterion.value in assessed_set:
            extra = found.get(criterion.value, "").strip()
            held.append(Held(criterion, CRITERION_RULES[criterion] + (f" {extra}" if extra else "")))
        else:
            problems.append(f"{CRITERION_LABELS[criterion]} does not hold on the current risk assessment")
    # A repeat is flagged automatically, whether or not the referrer named it.
    if repeat and all(h.criterion is not Criterion.REPEAT for h in held):
        held.append(Held(Criterion.REPEAT, CRITERION_RULES[Criterion.REPEAT]))
    fields = {"criteria": problems} if problems and not held else {}
    if not held and not problems:
        fields = {"criteria": ["Choose the criterion that holds: the panel hears high-risk cases only"]}
    return held, fields


# ---------------------------------------------------------------- measures


@dataclass(frozen=True)
class ActionFact:
    agency: str
    due_on: date
    done_on: date | None


@dataclass(frozen=True)
class ReferralFact:
    referred_on: date
    heard_on: date | None
    repeat: bool


@dataclass(frozen=True)
class Measures:
    cases_heard: int
    repeats: int
    actions: int
    actions_done: int
    actions_done_on_time: int
    overdue_by_agency: dict[str, int]
    median_days_to_hearing: float | None
    reviews_considered: int
    reviews_commissioned: int


def measures(
    referrals: Iterable[ReferralFact],
    actions: Iterable[ActionFact],
    *,
    today: date,
    reviews: Iterable[bool] = (),
) -> Measures:
    """The panel's figures: cases heard, repeats, actions done on time, overdue by agency, days to a hearing."""
    referral_list, action_list, review_list = list(referrals), list(actions), list(reviews)
    waits = [(r.heard_on - r.referred_on).days for r in referral_list if r.heard_on is not None]
    overdue: dict[str, int] = {}
    for a in action_list:
        if a.done_on is None and a.due_on < today:
            overdue[a.agency] = overdue.get(a.agency, 0) + 1
    return Measures(
        cases_heard=sum(1 for r in referral_list if r.heard_on is not None),
        repeats=sum(1 for r in referral_list if r.repeat),
        actions=len(action_list),
        actions_done=sum(1 for a in action_list if a.done_on is not None),
        actions_done_on_time=sum(1 for a in action_list if a.done_on is not None and a.done_on <= a.due_on),
        overdue_by_agency=dict(sorted(overdue.items())),
        median_days_to_hearing=float(median(waits)) if waits else None,
        reviews_considered=len(review_list),
        reviews_commissioned=sum(1 for r in review_list if r),
    )
