"""Case rules: closure with the person's own outcome (Making Safeguarding Personal, domain.md §4) and when overdue
work escalates. Pure."""

from __future__ import annotations

from datetime import date

S_MSP = "Making Safeguarding Personal [S19]"

OUTCOMES_MET = ("fully", "partly", "not")
FEELS_SAFER = ("yes", "partly", "no", "not_asked")
# Overdue work goes to the owner's agency's safeguarding leads at once, and to the lead partner's after this many
# working days more.
SECOND_ESCALATION_WORKING_DAYS = 3


def closure_problems(
    *, outcomes_met: str, person_feels_safer: str, person_view: str, not_asked_reason: str
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if outcomes_met not in OUTCOMES_MET:
        problems["outcomes_met"] = ["Say whether the outcomes they wanted were met fully, partly or not"]
    if person_feels_safer not in FEELS_SAFER:
        problems["person_feels_safer"] = ["Say whether they feel safer: yes, partly, no, or not asked"]
    if person_feels_safer == "not_asked":
        if not not_asked_reason.strip():
            problems["not_asked_reason"] = ["Say why they could not be asked"]
    elif not person_view.strip():
        problems["person_view"] = ["Write down their view, in their own words"]
    return problems


def escalation_level(*, due_on: date, today: date, working_days_overdue: int) -> int:
    """0: not overdue; 1: overdue; 2: overdue long enough to go to the lead partner."""
    if today <= due_on:
        return 0
    return 2 if working_days_overdue >= SECOND_ESCALATION_WORKING_DAYS else 1


# My work lists a key worker's cases highest risk first (domain.md §3: high risk needs action first). The rank is
# stored beside the level so that ordering is an index range rather than an expression over every case.
RISK_RANKS = {"high": 0, "medium": 1}
LOWEST_RISK_RANK = 2


def risk_rank(level: str) -> int:
    """0 for high, 1 for medium, 2 for standard (or anything not known to be higher)."""
    return RISK_RANKS.get(level, LOWEST_RISK_RANK)
