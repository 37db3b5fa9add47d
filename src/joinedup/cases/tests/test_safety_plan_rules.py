"""The safety plan's rules, table-tested (cases/domain/safety_plan.py)."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.cases.domain.safety_plan import Plan, Promise, changed_parts, person_may_change, plan_problems

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("plan", "problems"),
    [
        pytest.param(Plan(), {}, id="an-empty-plan-is-a-start"),
        pytest.param(
            Plan(what_services_will_do=(Promise("Fit a door chain", "Riverside Homes", TODAY),)),
            {},
            id="a-promise-with-who-and-when",
        ),
        pytest.param(
            Plan(what_services_will_do=(Promise("Fit a door chain", "", TODAY),)),
            {"what_services_will_do.0": ["Say who will do it"]},
            id="a-promise-needs-who",
        ),
        pytest.param(
            Plan(what_services_will_do=(Promise("Fit a door chain", "Homes", None),)),
            {"what_services_will_do.0": ["Say by when"]},
            id="a-promise-needs-when",
        ),
        pytest.param(
            Plan(what_services_will_do=(Promise("Call", "Kim", date(2026, 11, 1)),)),
            {"what_services_will_do.0": ["The date must be today or later"]},
            id="not-in-the-past",
        ),
        pytest.param(
            Plan(practical_steps=("moat",)),
            {"practical_steps": ["Choose from the practical steps listed"]},
            id="known-steps-only",
        ),
        pytest.param(
            Plan(warning_signs="x" * 4001), {"warning_signs": ["Write 4,000 characters or fewer"]}, id="bounded"
        ),
    ],
)
def test_plan_problems(plan: Plan, problems: dict[str, list[str]]) -> None:
    assert plan_problems(plan, today=TODAY) == problems


def test_who_changes_what() -> None:
    before = Plan(warning_signs="He waits at the bus stop")
    mine = Plan(warning_signs="He waits at the bus stop", what_i_will_do="Go to my sister's")
    theirs = Plan(warning_signs="He waits at the bus stop", practical_steps=("home_security",))
    assert changed_parts(before, mine) == ["what_i_will_do"] and person_may_change(changed_parts(before, mine))
    assert not person_may_change(changed_parts(before, theirs)), "the services' promises are the services' to change"
    assert changed_parts(None, mine) == ["warning_signs", "what_i_will_do"]
