"""Classification rules as a table: one row per rule, the source in the test id (domain.md §3–§4)."""

from __future__ import annotations

import pytest

from joinedup.incidents.domain.classification import IncidentFacts, classify


def facts(**kw: object) -> IncidentFacts:
    converted = {k: frozenset(v) if isinstance(v, set | list | tuple) else v for k, v in kw.items()}
    return IncidentFacts(**converted)  # type: ignore[arg-type]


def offence_codes(f: IncidentFacts) -> set[str]:
    return {o.code for o in classify(f).possible_offences}


HATE_CASES = [
    ("S1-perception-by-victim-is-enough", facts(strands={"disability"}, perceived_by={"victim"}), True),
    ("S1-perception-by-anyone-else-is-enough", facts(strands={"race"}, perceived_by={"other_person"}), True),
    ("S1-practitioner-perception-counts", facts(strands={"religion"}, perceived_by={"practitioner"}), True),
    ("S1-several-strands-on-one-incident", facts(strands={"race", "religion"}, perceived_by={"victim"}), True),
    ("S1-no-strand-no-hate-incident", facts(kinds={"verbal_abuse"}), False),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in HATE_CASES], ids=[c[0] for c in HATE_CASES])
def test_hate_incident_is_perception_based(f: IncidentFacts, expected: bool) -> None:
    result = classify(f)
    assert result.hate_incident is expected
    assert result.strands == tuple(sorted(f.strands))
    assert any(r.code in {"perceived_hostility", "no_hostility_perceived"} for r in result.reasons)


def test_S4_S5_mental_ill_health_counts_as_disability() -> None:
    result = classify(facts(strands={"disability"}, perceived_by={"victim"}))
    assert "mental_ill_health_is_disability" in {r.code for r in result.reasons}


OFFENCE_CASES = [
    ("POA1986-s5-verbal-abuse", facts(kinds={"verbal_abuse"}), {"public_order_s5"}),
    ("POA1986-s4-threats", facts(kinds={"threats"}), {"public_order_s4"}),
    ("CJA1988-s39-assault", facts(kinds={"physical_assault"}), {"common_assault"}),
    (
        "OAPA1861-s47-assault-with-injury",
        facts(kinds={"physical_assault"}, injuries="bruised arm"),
        {"common_assault", "assault_abh"},
    ),
    ("SOA2003-sexual", facts(kinds={"sexual"}), {"sexual_offence"}),
    ("FraudAct2006-financial-exploitation", facts(kinds={"financial_exploitation"}), {"fraud"}),
    ("S12-CPA2026-cuckooing", facts(kinds={"cuckooing"}), {"cuckooing"}),
    ("TheftAct1968-s1", facts(kinds={"theft"}), {"theft"}),
    ("CDA1971-s1-criminal-damage", facts(kinds={"criminal_damage"}), {"criminal_damage"}),
    ("MCA1988-s1-online", facts(kinds={"online_abuse"}), {"malicious_communications"}),
    (
        "PHA1997-s2-harassment-needs-course-of-conduct",
        facts(kinds={"harassment"}, happened_before="yes"),
        {"harassment"},
    ),
    ("PHA1997-s7-single-occasion-is-not-harassment", facts(kinds={"harassment"}, happened_before="no"), set()),
    (
        "S4-s66-hostility-uplift-with-an-offence",
        facts(kinds={"verbal_abuse"}, strands={"disability"}, perceived_by={"victim"}),
        {"public_order_s5", "hostility_uplift"},
    ),
    (
        "S4-s66-no-uplift-without-an-offence",
        facts(kinds={"discrimination"}, strands={"race"}, perceived_by={"victim"}),
        set(),
    ),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in OFFENCE_CASES], ids=[c[0] for c in OFFENCE_CASES])
def test_possible_offences(f: IncidentFacts, expected: set[str]) -> None:
    assert offence_codes(f) == expected
    for offence in classify(f).possible_offences:
        assert offence.label and offence.source


CARE_CASES = [
    (
        "S21-MCA2005-s44-unpaid-carer",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"carer"}),
        True,
        {"ill_treatment_by_carer"},
    ),
    (
        "S21-CJCA2015-s20-paid-care-worker",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"paid_care_worker"}),
        True,
        {"ill_treatment_by_care_worker"},
    ),
    (
        "S21-CJCA2015-s20-s21-staff",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"staff"}),
        True,
        {"ill_treatment_by_care_worker", "ill_treatment_by_care_provider"},
    ),
    (
        "S21-CJCA2015-s21-care-home-location",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"paid_care_worker"}, location_kind="care_home"),
        True,
        {"ill_treatment_by_care_worker", "ill_treatment_by_care_provider"},
    ),
    (
        "S21-neglect-by-a-stranger-is-not-a-care-setting-offence",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"stranger"}),
        False,
        set(),
    ),
    (
        "S21-CJCA2015-s20-s21-staff-assault-is-ill-treatment-without-the-box-ticked",
        facts(kinds={"physical_assault"}, relationships={"staff"}),
        True,
        {"common_assault", "ill_treatment_by_care_worker", "ill_treatment_by_care_provider"},
    ),
    (
        "S21-CJCA2015-s20-s21-healthcare-assistant-slaps-a-patient-on-a-ward",
        facts(kinds={"physical_assault"}, relationships={"staff"}, location_kind="inpatient_ward"),
        True,
        {"common_assault", "ill_treatment_by_care_worker", "ill_treatment_by_care_provider"},
    ),
    (
        "S21-CJCA2015-s20-sexual-assault-by-a-paid-care-worker",
        facts(kinds={"sexual"}, relationships={"paid_care_worker"}),
        True,
        {"sexual_offence", "ill_treatment_by_care_worker"},
    ),
    (
        "S21-MCA2005-s44-carer-hits-the-person",
        facts(kinds={"physical_assault"}, relationships={"carer"}),
        True,
        {"common_assault", "ill_treatment_by_carer"},
    ),
    (
        "S21-verbal-abuse-by-staff-is-flagged-but-not-ill-treatment",
        facts(kinds={"verbal_abuse"}, relationships={"staff"}),
        False,
        {"public_order_s5"},
    ),
]

ROBBERY_CASES = [
    (
        "TheftAct1968-s8-money-taken-at-a-cash-machine-under-threat-is-robbery-not-fraud",
        facts(kinds={"financial_exploitation", "threats"}, relationships={"stranger"}, location_kind="street"),
        {"robbery", "public_order_s4"},
    ),
    (
        "TheftAct1968-s8-phone-taken-with-a-punch-is-robbery-and-assault",
        facts(kinds={"theft", "physical_assault"}, relationships={"stranger"}),
        {"robbery", "common_assault"},
    ),
    ("TheftAct1968-s1-theft-without-force-stays-theft", facts(kinds={"theft"}), {"theft"}),
    (
        "FraudAct2006-s4-a-friend-abusing-trust-with-threats-is-robbery-and-fraud",
        facts(kinds={"financial_exploitation", "threats"}, relationships={"friend"}),
        {"robbery", "fraud", "public_order_s4"},
    ),
    (
        "CDA1971-s2-threat-to-burn-the-home",
        facts(kinds={"threats_to_home"}),
        {"threat_to_damage_property"},
    ),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in ROBBERY_CASES], ids=[c[0] for c in ROBBERY_CASES])
def test_robbery_and_threats_to_property(f: IncidentFacts, expected: set[str]) -> None:
    assert offence_codes(f) == expected
    if "robbery" in expected:
        assert "robbery" in {r.code for r in classify(f).reasons}


@pytest.mark.parametrize(("f", "expected", "offences"), [c[1:] for c in CARE_CASES], ids=[c[0] for c in CARE_CASES])
def test_care_setting_offences_are_never_only_care_failings(
    f: IncidentFacts, expected: bool, offences: set[str]
) -> None:
    result = classify(f)
    assert result.care_setting_offence is expected
    assert offences <= offence_codes(f)
    if f.relationships & {"carer", "paid_care_worker", "staff"}:
        assert {"care_setting_offence", "harm_by_carer_or_staff"} & {r.code for r in result.reasons}


MATE_CASES = [
    ("S9-S10-friend-takes-money", facts(kinds={"financial_exploitation"}, relationships={"friend"}), True),
    ("S9-S10-friend-assaults", facts(kinds={"physical_assault"}, relationships={"friend"}), True),
    ("S12-cuckooing-is-mate-crime", facts(kinds={"cuckooing"}, relationships={"unknown"}), True),
    (
        "S9-friend-verbal-abuse-alone-is-not-exploitation",
        facts(kinds={"verbal_abuse"}, relationships={"friend"}),
        False,
    ),
    ("S9-stranger-theft-is-not-mate-crime", facts(kinds={"theft"}, relationships={"stranger"}), False),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in MATE_CASES], ids=[c[0] for c in MATE_CASES])
def test_mate_crime(f: IncidentFacts, expected: bool) -> None:
    assert classify(f).mate_crime is expected


S42_CASES = [
    ("S15-s42-all-three-met", facts(kinds={"threats"}, has_care_needs="yes", unable_to_protect_self="yes"), True),
    ("S15-s42-no-care-needs", facts(kinds={"threats"}, has_care_needs="no", unable_to_protect_self="yes"), False),
    ("S15-s42-can-protect-self", facts(kinds={"threats"}, has_care_needs="yes", unable_to_protect_self="no"), False),
    (
        "S15-s42-not-enough-information",
        facts(kinds={"threats"}, has_care_needs="unknown", unable_to_protect_self="yes"),
        None,
    ),
    ("S15-s42-no-abuse-recorded-yet", facts(has_care_needs="yes", unable_to_protect_self="yes"), None),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in S42_CASES], ids=[c[0] for c in S42_CASES])
def test_care_act_s42_screen(f: IncidentFacts, expected: bool | None) -> None:
    result = classify(f)
    assert result.safeguarding.s42_criteria_met is expected
    codes = {r.code for r in result.reasons}
    assert codes & {"s42_met", "s42_not_met", "s42_not_enough_information"}


ABUSE_TYPE_CASES = [
    (
        "S17-discriminatory-with-hostility",
        facts(kinds={"verbal_abuse"}, strands={"race"}, perceived_by={"victim"}),
        {"discriminatory", "psychological"},
    ),
    ("S17-domestic-by-family", facts(kinds={"physical_assault"}, relationships={"family"}), {"physical", "domestic"}),
    (
        "S17-organisational-in-care-home",
        facts(kinds={"ill_treatment_or_neglect"}, relationships={"staff"}, location_kind="care_home"),
        {"neglect_and_acts_of_omission", "organisational"},
    ),
    ("S17-financial", facts(kinds={"financial_exploitation"}), {"financial_or_material"}),
]


@pytest.mark.parametrize(("f", "expected"), [c[1:] for c in ABUSE_TYPE_CASES], ids=[c[0] for c in ABUSE_TYPE_CASES])
def test_care_act_abuse_types(f: IncidentFacts, expected: set[str]) -> None:
    assert set(classify(f).safeguarding.abuse_types) == expected


def test_every_result_names_its_rule_set_and_explains_itself() -> None:
    result = classify(facts(kinds={"theft"})).as_dict()
    assert result["rule_set"] == {"name": "incident-classification", "version": "2026.1"}
    assert all(r["text"] and r["source"] for r in result["reasons"])  # type: ignore[index, union-attr]
