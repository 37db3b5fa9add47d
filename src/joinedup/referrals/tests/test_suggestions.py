"""Suggestion rules as a table, the source of each in its id."""

from __future__ import annotations

import pytest

from joinedup.referrals.domain.suggestions import CaseFacts, suggest


def kinds(**kw: object) -> set[str]:
    facts = CaseFacts(**{k: frozenset(v) if isinstance(v, set) else v for k, v in kw.items()})  # type: ignore[arg-type]
    found = suggest(facts)
    assert all(s.reason and s.rule and s.consent_purpose for s in found)
    return {s.kind.value for s in found}


CASES = [
    (
        "S1-S33-possible-offence-police-not-aware",
        {"possible_offences": {"public_order_s5"}},
        {"police", "victim_support"},
    ),
    ("S33-police-already-know", {"possible_offences": {"theft"}, "police_aware": True}, {"victim_support"}),
    ("S15-s42-met", {"s42": {True}}, {"adult_safeguarding", "advocacy"}),
    ("S15-s42-unclear", {"s42": {None}}, {"adult_safeguarding"}),
    ("S15-s42-not-met", {"s42": {False}}, set()),
    ("S19-wants-an-advocate", {"wanted": {"advocate"}}, {"advocacy"}),
    ("S50-not-believed-needs-an-advocate", {"dismissed_as_symptom": True}, {"advocacy"}),
    ("seed003-peer-support", {"wanted": {"peer_support"}}, {"peer_support"}),
    ("S50-suicidality", {"impacts": {"suicidality"}}, {"mental_health"}),
    ("domain5-neighbour-housing", {"relationships": {"neighbour"}}, {"housing"}),
    ("S12-cuckooing-housing-and-fire", {"kinds": {"cuckooing"}}, {"housing", "fire_safety"}),
    ("domain5-threats-at-home-fire", {"kinds": {"threats"}, "locations": {"home"}}, {"fire_safety"}),
    ("injuries-gp", {"injuries": True}, {"gp"}),
    ("S24-panel-criteria", {"panel_criteria": {"visible_high_risk"}}, {"panel"}),
    (
        "no-dead-ends-already-referred-not-suggested-again",
        {"s42": {True}, "already": {"adult_safeguarding"}},
        {"advocacy"},
    ),
]


@pytest.mark.parametrize(("facts", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_suggestions(facts: dict[str, object], expected: set[str]) -> None:
    assert kinds(**facts) == expected


def test_the_panel_needs_consent_to_discuss_and_police_needs_consent_to_report() -> None:
    found = {
        s.kind.value: s.consent_purpose
        for s in suggest(CaseFacts(possible_offences=frozenset({"theft"}), panel_criteria=frozenset({"repeat"})))
    }
    assert found["police"] == "report_to_police" and found["panel"] == "discuss_at_panel"
