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
    ("domain5-threats-of-arson-fire", {"kinds": {"threats_to_home"}}, {"fire_safety"}),
    ("domain5-damage-at-home-fire", {"kinds": {"criminal_damage"}, "locations": {"home"}}, {"fire_safety"}),
    ("domain5-threatening-to-hurt-you-is-not-a-fire-risk", {"kinds": {"threats"}, "locations": {"home"}}, set()),
    ("domain5-damage-in-the-street-is-not-a-fire-risk", {"kinds": {"criminal_damage"}, "locations": {"street"}}, set()),
    (
        "S33-no-police-suggestion-once-a-report-was-sent",
        {"possible_offences": {"theft"}, "police_report_sent": True},
        {"victim_support"},
    ),
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


def test_S24_S28_the_panel_suggestion_appears_once_and_plainly() -> None:
    found = suggest(CaseFacts(panel_criteria=frozenset({"repeat", "visible_high_risk"})))
    assert [s.kind.value for s in found] == ["panel"]
    panel = found[0]
    assert panel.consent_purpose == "discuss_at_panel"
    assert "[" not in panel.rule and "[" not in panel.reason and panel.source


def test_rule_texts_shown_on_screen_carry_no_source_tags() -> None:
    everything = CaseFacts(
        possible_offences=frozenset({"theft"}),
        s42=frozenset({True}),
        kinds=frozenset({"cuckooing"}),
        relationships=frozenset({"neighbour"}),
        impacts=frozenset({"suicidality", "loss_of_trust", "physical_health_deterioration"}),
        wanted=frozenset({"advocate"}),
        panel_criteria=frozenset({"repeat"}),
    )
    found = suggest(everything)
    assert len(found) == len({s.kind for s in found}) == 10
    for s in found:
        assert "[" not in s.rule and "[" not in s.reason and "§" not in s.rule and s.source


def test_a_panel_only_service_takes_consent_to_discuss_anything_else_a_referral() -> None:
    from joinedup.referrals.domain.suggestions import consent_purpose_for

    assert consent_purpose_for(["panel"]) == "discuss_at_panel"
    assert consent_purpose_for(["adult_safeguarding", "panel"]) == "refer"
    assert consent_purpose_for(["housing"]) == "refer"
