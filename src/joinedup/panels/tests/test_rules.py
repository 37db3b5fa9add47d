"""The panel's rules as tables (domain.md §5; sources in the test ids)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from joinedup.panels.domain.rules import (
    ActionFact,
    Criterion,
    ReferralFact,
    Status,
    criteria_held,
    is_repeat,
    may_move,
    measures,
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
