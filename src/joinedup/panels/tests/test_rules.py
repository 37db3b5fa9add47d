"""The panel's rules as tables (domain.md §5; sources in the test ids)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from joinedup.panels.domain.rules import (
    ActionFact,
    Criterion,
    ReferralFact,
    Status,
    closing_refusal,
    criteria_for_reader,
    criteria_held,
    is_repeat,
    may_move,
    measures,
    meeting_date_problem,
)

REFERRED = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("incidents", "last", "expected"),
    [
        ([], REFERRED, False),
        ([REFERRED + timedelta(days=10)], None, False),
        ([REFERRED + timedelta(days=10)], REFERRED, True),
        ([REFERRED + timedelta(days=365)], REFERRED, True),
        ([REFERRED + timedelta(days=366)], REFERRED, False),
        ([REFERRED - timedelta(days=1)], REFERRED, False),
        ([REFERRED], REFERRED, False),
    ],
    ids=[
        "S25:no-incident-no-repeat",
        "S25:never-referred-no-repeat",
        "S25:incident-10-days-after-referral-is-repeat",
        "S25:day-365-is-still-within-12-months",
        "S25:day-366-is-not",
        "S25:incident-before-the-referral-is-not",
        "S25:the-referred-incident-itself-is-not",
    ],
)
def test_repeat(incidents: list[datetime], last: datetime | None, expected: bool) -> None:
    assert is_repeat(incidents, last_panel_referral=last) is expected


@pytest.mark.parametrize(
    ("assessed", "claimed", "reasons", "repeat", "held", "problem"),
    [
        (["visible_high_risk"], ["visible_high_risk"], "", False, ["visible_high_risk"], False),
        ([], ["visible_high_risk"], "", False, [], True),
        (
            [],
            ["professional_judgement"],
            "Threats have moved to his front door",
            False,
            ["professional_judgement"],
            False,
        ),
        ([], ["professional_judgement"], "  ", False, [], True),
        (["potential_escalation"], ["potential_escalation"], "", False, ["potential_escalation"], False),
        ([], ["repeat"], "", False, [], True),
        ([], [], "", True, ["repeat"], False),
        (["visible_high_risk"], ["visible_high_risk", "potential_escalation"], "", False, ["visible_high_risk"], False),
        ([], ["not_a_criterion"], "", False, [], True),
        ([], [], "", False, [], True),
    ],
    ids=[
        "S24:visible-high-risk-from-the-assessment",
        "S24:visible-high-risk-claimed-but-not-assessed",
        "S24:professional-judgement-with-reasons",
        "S24:professional-judgement-needs-reasons",
        "S24:potential-escalation-3-in-12-months",
        "S25:repeat-claimed-but-no-new-incident",
        "S25:repeat-flagged-automatically",
        "S24:one-criterion-enough-the-other-dropped",
        "unknown-criterion-refused",
        "nothing-claimed-nothing-holds",
    ],
)
def test_criteria(
    assessed: list[str], claimed: list[str], reasons: str, repeat: bool, held: list[str], problem: bool
) -> None:
    found, fields = criteria_held(assessed=assessed, claimed=claimed, judgement_reasons=reasons, repeat=repeat)
    assert [h.criterion.value for h in found] == held
    assert bool(fields) is problem
    for h in found:
        assert h.rule, "every criterion that held is shown with its rule"
    if Criterion.PROFESSIONAL_JUDGEMENT.value in held:
        assert reasons.strip() in found[0].rule


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        ("referred", "listed", True),
        ("referred", "heard", False),
        ("listed", "heard", True),
        ("heard", "listed", True),
        ("heard", "closed", True),
        ("closed", "listed", False),
    ],
    ids=[
        "S26:coordinator-lists",
        "S26:heard-only-when-listed",
        "S26:heard-at-a-meeting",
        "S26:reviewed-at-the-next-meeting",
        "S26:closed-when-done",
        "S26:closed-is-final",
    ],
)
def test_transitions(current: str, to: str, allowed: bool) -> None:
    assert may_move(current, to) is allowed
    assert Status(to)


def test_measures() -> None:
    today = date(2026, 6, 1)
    found = measures(
        [
            ReferralFact(referred_on=date(2026, 5, 1), heard_on=date(2026, 5, 8), repeat=False),
            ReferralFact(referred_on=date(2026, 5, 1), heard_on=date(2026, 5, 15), repeat=True),
            ReferralFact(referred_on=date(2026, 5, 20), heard_on=None, repeat=False),
        ],
        [
            ActionFact(agency="Housing", due_on=date(2026, 5, 20), done_on=date(2026, 5, 19)),
            ActionFact(agency="Housing", due_on=date(2026, 5, 20), done_on=date(2026, 5, 22)),
            ActionFact(agency="Police", due_on=date(2026, 5, 25), done_on=None),
            ActionFact(agency="Police", due_on=date(2026, 6, 5), done_on=None),
        ],
        today=today,
        reviews=[True, False],
    )
    assert (found.cases_heard, found.repeats, found.actions, found.actions_done) == (2, 1, 4, 2)
    assert found.actions_done_on_time == 1
    assert found.overdue_by_agency == {"Police": 1}
    assert found.median_days_to_hearing == 10.5
    assert (found.reviews_considered, found.reviews_commissioned) == (2, 1)


def test_the_rule_shown_says_what_the_assessment_found() -> None:
    found, _ = criteria_held(
        assessed=["potential_escalation"],
        claimed=["potential_escalation"],
        judgement_reasons="",
        repeat=False,
        detail={"potential_escalation": "Found: 5 incidents in 365 days meets the panel threshold of 3."},
    )
    assert found[0].rule.startswith("3 or more incidents in 12 months") and "5 incidents" in found[0].rule


@pytest.mark.parametrize(
    ("status", "outcome", "reason", "open_actions", "continue_", "expected"),
    [
        ("heard", "risk_reduced", "No incident for two months", [], False, None),
        ("heard", "risk_reduced", "No incident", ["Offer a move (Housing)"], False, ("conflict", "open_actions")),
        ("heard", "lead_agency", "Housing leads now", ["Offer a move (Housing)"], True, None),
        ("referred", "not_for_panel", "Below the threshold; signposted", [], False, None),
        ("listed", "died", "She died on 3 May", [], False, None),
        ("heard", "", "No incident", [], False, ("invalid", "invalid")),
        ("heard", "risk_reduced", "  ", [], False, ("invalid", "invalid")),
        ("heard", "made_up", "x", [], False, ("invalid", "invalid")),
        ("closed", "risk_reduced", "again", [], False, ("conflict", "not_allowed")),
    ],
    ids=[
        "S26:closed-when-the-plan-worked",
        "S26:open-actions-named-and-need-a-decision",
        "S26:open-actions-carried-on-by-their-agencies",
        "S24:a-referral-the-panel-will-not-hear",
        "s44:closed-on-a-death",
        "outcome-needed",
        "reason-needed",
        "unknown-outcome",
        "closed-is-final",
    ],
)
def test_closing(
    status: str, outcome: str, reason: str, open_actions: list[str], continue_: bool, expected: tuple[str, str] | None
) -> None:
    refusal = closing_refusal(
        status=status, outcome=outcome, reason=reason, open_actions=open_actions, agencies_continue=continue_
    )
    if expected is None:
        assert refusal is None
        return
    assert refusal is not None
    assert ("conflict" if refusal.conflict else "invalid", refusal.code) == expected
    for action in open_actions:
        assert action in refusal.message, "the actions not done are named plainly"


@pytest.mark.parametrize(
    ("day", "taken", "problem"),
    [
        (date(2026, 6, 1), [], None),
        (date(2026, 6, 10), [date(2026, 6, 3)], None),
        (date(2026, 5, 31), [], "today or later"),
        (date(2026, 6, 3), [date(2026, 6, 3)], "already meets"),
    ],
    ids=["today", "between-the-usual-meetings", "not-in-the-past", "once-a-day"],
)
def test_meeting_dates(day: date, taken: list[date], problem: str | None) -> None:
    found = meeting_date_problem(day, today=date(2026, 6, 1), taken=taken)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_a_judgements_reasons_only_for_full_readers() -> None:
    criteria = [
        {"code": "professional_judgement", "label": "Professional judgement", "rule": "x Reasons: her street"},
        {"code": "visible_high_risk", "label": "Visible high risk", "rule": "y"},
    ]
    assert criteria_for_reader(criteria, reasons_shown=True) == criteria
    shown = criteria_for_reader(criteria, reasons_shown=False)
    assert "her street" not in shown[0]["rule"] and shown[0]["rule"] and shown[1]["rule"] == "y"
