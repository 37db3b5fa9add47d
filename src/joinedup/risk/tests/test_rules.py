"""Risk rules as a table (domain.md §5), plus the properties the pathway relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.access.domain.minimum import Group
from joinedup.risk.domain.rules import (
    DEFAULT_RULE_SET,
    IncidentFacts,
    Judgement,
    Level,
    LinkedFacts,
    assess,
    distinct_reports,
    reason_groups,
    with_thresholds,
)

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def inc(days_ago: float, *kinds: str, severity: int = 1, agency: int = 1, **kw: object) -> IncidentFacts:
    return IncidentFacts(
        at=NOW - timedelta(days=days_ago),
        kinds=frozenset(kinds or {"verbal_abuse"}),
        severity=severity,
        agency_id=agency,
        **kw,  # type: ignore[arg-type]
    )


def codes(incidents: list[IncidentFacts], **kw: object) -> set[str]:
    return {r.code for r in assess(incidents, now=NOW, **kw).reasons}  # type: ignore[arg-type]


LEVEL_CASES = [
    ("S24-no-history-is-standard", [], Level.STANDARD),
    ("S24-one-verbal-incident-is-standard", [inc(10)], Level.STANDARD),
    ("S24-repeat-victimisation-raises-to-medium", [inc(10), inc(40), inc(200, agency=2)], Level.MEDIUM),
    ("S24-repeat-violence-is-visible-high", [inc(5, "physical_assault", severity=4), inc(60)], Level.HIGH),
    ("S50-suicidality-is-high", [inc(3, impacts=frozenset({"suicidality"}))], Level.HIGH),
    ("S12-cuckooing-is-high", [inc(3, "cuckooing", severity=4, location_kind="home")], Level.HIGH),
    (
        "S21-care-setting-offence-is-high",
        [inc(3, "ill_treatment_or_neglect", severity=3, care_setting_offence=True)],
        Level.HIGH,
    ),
    (
        "S5-escalation-verbal-threats-assault-is-high",
        [inc(100, "verbal_abuse", severity=1), inc(50, "threats", severity=3), inc(5, "physical_assault", severity=4)],
        Level.HIGH,
    ),
    (
        "S24-old-history-outside-12-months-does-not-count",
        [inc(400, "physical_assault", severity=4), inc(500)],
        Level.STANDARD,
    ),
]


@pytest.mark.parametrize(("incidents", "level"), [c[1:] for c in LEVEL_CASES], ids=[c[0] for c in LEVEL_CASES])
def test_levels(incidents: list[IncidentFacts], level: Level) -> None:
    result = assess(incidents, now=NOW)
    assert result.level is level, [r.text for r in result.reasons]
    assert result.reasons, "every level explains itself"
    assert all(r.text and r.source for r in result.reasons)
    assert result.rule_set.version == "2026.1"


FACTOR_CASES = [
    ("domain-5-escalation-by-frequency", [inc(10), inc(20), inc(30)], "escalation"),
    (
        "domain-5-perpetrator-access-to-home",
        [inc(10, location_kind="home", relationships=frozenset({"neighbour"}))],
        "perpetrator_access_to_home",
    ),
    (
        "S30-repeat-perpetrator",
        [inc(10, relationships=frozenset({"friend"})), inc(90, relationships=frozenset({"friend"}))],
        "repeat_perpetrator",
    ),
    ("S30-mate-crime", [inc(10, "financial_exploitation", mate_crime=True)], "mate_crime"),
    (
        "S50-mental-health-deterioration",
        [inc(10, impacts=frozenset({"mental_health_deterioration"}))],
        "mental_health_deterioration",
    ),
    ("S50-not-believed", [inc(10, dismissed_as_symptom=True)], "not_believed"),
    ("S24-several-agencies", [inc(10, agency=1), inc(20, agency=2)], "known_to_several_agencies"),
]


@pytest.mark.parametrize(("incidents", "code"), [c[1:] for c in FACTOR_CASES], ids=[c[0] for c in FACTOR_CASES])
def test_each_factor_is_named(incidents: list[IncidentFacts], code: str) -> None:
    assert code in codes(incidents)


def test_S24_potential_escalation_is_three_incidents_in_twelve_months_counting_duplicates_once() -> None:
    three = [inc(10, agency=1), inc(100, agency=1), inc(300, agency=2)]
    assert "potential_escalation" in assess(three, now=NOW).panel_criteria
    # The same incident told to two agencies a day apart is one incident.
    same_twice = [inc(10, agency=1), inc(9, agency=2), inc(100, agency=1)]
    assert "potential_escalation" not in assess(same_twice, now=NOW).panel_criteria


def test_potential_escalation_threshold_is_configuration() -> None:
    rule_set = with_thresholds(DEFAULT_RULE_SET, potential_escalation_incidents=2)
    assert "potential_escalation" in assess([inc(10), inc(100)], now=NOW, rule_set=rule_set).panel_criteria


def test_S25_repeat_is_a_new_incident_within_12_months_of_the_last_panel_referral() -> None:
    referred = NOW - timedelta(days=60)
    assert "repeat" in assess([inc(10)], now=NOW, last_panel_referral=referred).panel_criteria
    assert "repeat" not in assess([inc(90)], now=NOW, last_panel_referral=referred).panel_criteria


def test_S31_case_review_is_three_complaints_in_six_months_one_incident_counting_once() -> None:
    assert assess([inc(10), inc(60), inc(150)], now=NOW).case_review_eligible
    assert not assess([inc(10), inc(60), inc(200)], now=NOW).case_review_eligible
    assert not assess([inc(10, agency=1), inc(10, agency=2), inc(60)], now=NOW).case_review_eligible


def test_S24_professional_judgement_raises_with_reasons() -> None:
    result = assess([inc(10)], now=NOW, judgement=Judgement(Level.HIGH, "He has a knife", "Eastmere MH"))
    assert result.level is Level.HIGH and result.actuarial_level is Level.STANDARD
    assert "professional_judgement" in result.panel_criteria
    assert "He has a knife" in " ".join(r.text for r in result.reasons)


def test_S24_judgement_never_lowers_an_actuarial_high() -> None:
    high = [inc(3, impacts=frozenset({"suicidality"}))]
    result = assess(high, now=NOW, judgement=Judgement(Level.STANDARD, "Seems fine", "GP"))
    assert result.level is Level.HIGH
    assert "judgement_not_applied" in {r.code for r in result.reasons}


def test_distinct_reports_needs_a_shared_kind_and_different_agencies() -> None:
    a, b = inc(10, "theft", agency=1), inc(10, "verbal_abuse", agency=2)
    assert len(distinct_reports([a, b], 2)) == 2
    assert len(distinct_reports([a, inc(9, "theft", agency=1)], 2)) == 2, "one agency's two reports are two"


KINDS = [
    "verbal_abuse",
    "harassment",
    "threats",
    "physical_assault",
    "sexual",
    "cuckooing",
    "theft",
    "ill_treatment_or_neglect",
    "financial_exploitation",
]
incident_strategy = st.builds(
    lambda days, kind, sev, agency, rel, loc, imp, dismissed, care, mate: IncidentFacts(
        at=NOW - timedelta(days=days),
        kinds=frozenset({kind}),
        severity=sev,
        agency_id=agency,
        relationships=frozenset({rel}),
        location_kind=loc,
        impacts=frozenset(imp),
        dismissed_as_symptom=dismissed,
        care_setting_offence=care,
        mate_crime=mate,
    ),
    st.floats(min_value=0, max_value=500),
    st.sampled_from(KINDS),
    st.integers(1, 5),
    st.integers(1, 4),
    st.sampled_from(["stranger", "neighbour", "friend", "carer", "unknown"]),
    st.sampled_from(["home", "street", "online", "care_home"]),
    st.lists(st.sampled_from(["fear", "suicidality", "mental_health_deterioration"]), max_size=2),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(history=st.lists(incident_strategy, max_size=12), extra=incident_strategy)
def test_property_adding_an_incident_never_lowers_the_level(history: list[IncidentFacts], extra: IncidentFacts) -> None:
    before = assess(history, now=NOW).level
    after = assess([*history, extra], now=NOW).level
    assert after >= before


@settings(max_examples=300, deadline=None)
@given(history=st.lists(incident_strategy, max_size=12), judged=st.sampled_from(list(Level)))
def test_property_judgement_never_lowers_high(history: list[IncidentFacts], judged: Level) -> None:
    rules_only = assess(history, now=NOW)
    with_judgement = assess(history, now=NOW, judgement=Judgement(judged, "reasons", "someone"))
    assert with_judgement.level >= rules_only.level
    if rules_only.level is Level.HIGH:
        assert with_judgement.level is Level.HIGH


# Linked history (docs/risk.md "Linked records"): incidents recorded under another JoinedUp record of the same
# person count like the person's own, and the reason says so in counts only.
LINKED_CASES = [
    pytest.param(
        [inc(10), inc(40, linked=True), inc(90, linked=True)],
        LinkedFacts(records=1, basis="confirmed", other_agencies=2),
        "Also known to 2 other agencies under linked records: 2 incidents in the last 365 days recorded under 1 "
        "linked JoinedUp record (confirmed by a data protection lead) counted here.",
        3,
        id="confirmed-linked-record-with-incidents-and-agencies",
    ),
    pytest.param(
        [inc(10), inc(40, linked=True)],
        LinkedFacts(records=1, basis="auto", other_agencies=0),
        "1 incident in the last 365 days recorded under 1 linked JoinedUp record (matched automatically on strong "
        "evidence) counted here.",
        2,
        id="auto-linked-record-no-other-agency",
    ),
    pytest.param(
        [inc(10)],
        LinkedFacts(records=0, basis="", other_agencies=1),
        "Also known to 1 other agency under linked records; what they hold is not in JoinedUp — ask them for "
        "information, with the person's consent.",
        1,
        id="agency-records-only-the-fact-of-being-known",
    ),
    pytest.param(
        [inc(10), inc(400, linked=True)],
        LinkedFacts(records=1, basis="mixed", other_agencies=0),
        None,
        1,
        id="linked-incidents-outside-the-year-say-nothing",
    ),
    pytest.param(
        [inc(10), inc(400, linked=True)],
        LinkedFacts(records=1, basis="auto", other_agencies=2),
        "Also known to 2 other agencies under linked records; no incident in the last 365 days is recorded under "
        "them in JoinedUp — ask them for information, with the person's consent.",
        1,
        id="linked-record-with-only-old-incidents-and-other-agencies",
    ),
    pytest.param([inc(10)], LinkedFacts(), None, 1, id="nothing-linked"),
    pytest.param([inc(10)], None, None, 1, id="linkage-never-ran"),
]


@pytest.mark.parametrize(("incidents", "linked", "text", "counted"), LINKED_CASES)
def test_linked_history_counts_and_says_so(
    incidents: list[IncidentFacts], linked: LinkedFacts | None, text: str | None, counted: int
) -> None:
    result = assess(incidents, now=NOW, linked=linked)
    found = [r for r in result.reasons if r.code == "linked_history"]
    if text is None:
        assert found == []
    else:
        assert [r.text for r in found] == [text] and found[0].points == 0
    repeat = [r for r in result.reasons if r.code == "repeat_victimisation"]
    assert (repeat[0].text.split()[0] if repeat else "1") == str(counted)


def test_linked_incidents_raise_the_level_as_the_persons_own_would() -> None:
    own = [inc(10, agency=1)]
    elsewhere = [inc(40, "physical_assault", severity=4, agency=3, linked=True)]
    assert assess(own, now=NOW).level is Level.STANDARD
    linked = assess(own + elsewhere, now=NOW, linked=LinkedFacts(records=1, basis="confirmed"))
    assert linked.level is Level.HIGH
    assert {"repeat_victimisation", "known_to_several_agencies", "violence", "linked_history"} <= {
        r.code for r in linked.reasons
    }


def test_the_linked_history_reason_names_no_agency_and_carries_identity_and_risk() -> None:
    assert reason_groups("linked_history") == frozenset({Group.RISK, Group.IDENTITY})
