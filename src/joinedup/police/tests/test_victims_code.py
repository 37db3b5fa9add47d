"""Victims' Code rights and the non-crime hate incident rules, as tables."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.police.domain.victims_code import (
    Evidence,
    NchiAnswers,
    ReportFacts,
    enhanced_bases,
    nchi_decision,
    track,
)

REPORTED = date(2026, 11, 2)
SUPPORT_DUE = date(2026, 11, 4)


def status(facts: ReportFacts, evidence: list[Evidence], today: date, right: int) -> str:
    return next(r.status for r in track(facts, evidence, today=today, support_due=SUPPORT_DUE) if r.number == right)


CASES = [
    ("S33-right-2-due-until-recorded", ReportFacts(REPORTED), [], REPORTED, 2, "due"),
    ("S33-right-2-met-with-crime-reference", ReportFacts(REPORTED, crime_reference="EM/123"), [], REPORTED, 2, "met"),
    ("S34-right-4-due-within-2-working-days", ReportFacts(REPORTED), [], date(2026, 11, 3), 4, "due"),
    ("S34-right-4-overdue-after-2-working-days", ReportFacts(REPORTED), [], date(2026, 11, 5), 4, "overdue"),
    (
        "S34-right-4-met-when-referred",
        ReportFacts(REPORTED),
        [Evidence(4, date(2026, 11, 3), "Referred")],
        date(2026, 11, 9),
        4,
        "met",
    ),
    (
        "S34-right-4-opted-out",
        ReportFacts(REPORTED, opted_out_of_support=True),
        [],
        date(2026, 11, 9),
        4,
        "not_applicable",
    ),
    (
        "S33-right-6-updates-at-their-cadence",
        ReportFacts(REPORTED, update_cadence="weekly"),
        [],
        date(2026, 11, 10),
        6,
        "overdue",
    ),
    (
        "S33-right-6-update-given",
        ReportFacts(REPORTED, update_cadence="weekly"),
        [Evidence(6, date(2026, 11, 8), "Update by phone")],
        date(2026, 11, 10),
        6,
        "met",
    ),
    (
        "S33-right-6-stays-met-after-an-outcome",
        ReportFacts(REPORTED, update_cadence="weekly", outcome="charged", outcome_on=date(2026, 11, 20)),
        [Evidence(6, date(2026, 11, 8), "Update by phone"), Evidence(6, date(2026, 11, 15), "Update by letter")],
        date(2026, 12, 20),
        6,
        "met",
    ),
    (
        "S33-right-6-outcome-before-any-update-was-due",
        ReportFacts(REPORTED, update_cadence="fortnightly", outcome="caution", outcome_on=date(2026, 11, 10)),
        [],
        date(2026, 12, 20),
        6,
        "not_applicable",
    ),
    (
        "S33-right-6-an-update-owed-before-the-outcome-stays-overdue",
        ReportFacts(REPORTED, update_cadence="weekly", outcome="nfa_evidential", outcome_on=date(2026, 11, 30)),
        [],
        date(2026, 12, 20),
        6,
        "overdue",
    ),
    (
        "S33-right-6-only-at-milestones-not-yet",
        ReportFacts(REPORTED, update_cadence="milestones"),
        [],
        date(2026, 12, 20),
        6,
        "not_yet",
    ),
    (
        "S33-right-9-explain-the-outcome",
        ReportFacts(REPORTED, outcome="nfa_victim_does_not_support"),
        [],
        date(2026, 11, 10),
        9,
        "due",
    ),
    (
        "S33-right-7-not-applicable-without-charge",
        ReportFacts(REPORTED, outcome="nfa_evidential"),
        [],
        date(2026, 11, 10),
        7,
        "not_applicable",
    ),
]


@pytest.mark.parametrize(
    ("facts", "evidence", "today", "right", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rights(facts: ReportFacts, evidence: list[Evidence], today: date, right: int, expected: str) -> None:
    assert status(facts, evidence, today, right) == expected


def test_there_are_twelve_rights() -> None:
    assert [r.number for r in track(ReportFacts(REPORTED), [], today=REPORTED, support_due=SUPPORT_DUE)] == list(
        range(1, 13)
    )


def test_S35_enhanced_rights_bases() -> None:
    codes = {
        b.code for b in enhanced_bases(hate_incident=True, incidents_last_year=4, vulnerable=True, intimidated=True)
    }
    assert codes == {"most_serious_crime", "persistently_targeted", "vulnerable", "intimidated"}
    assert enhanced_bases(hate_incident=False, incidents_last_year=1, vulnerable=False, intimidated=False) == ()


@pytest.mark.parametrize(
    ("answers", "record", "retain"),
    [
        (NchiAnswers(True, False, False, True), False, False),
        (NchiAnswers(False, False, True, False), False, False),
        (NchiAnswers(False, False, False, True), True, True),
        (NchiAnswers(False, False, False, False), True, False),
    ],
    ids=[
        "S6-trivial-not-recorded",
        "S6-malicious-not-recorded",
        "S6-risk-keeps-subject-data",
        "S6-no-risk-no-subject-data",
    ],
)
def test_S6_non_crime_hate_incidents(answers: NchiAnswers, record: bool, retain: bool) -> None:
    decision = nchi_decision(answers)
    assert (decision.record, decision.retain_subject_data) == (record, retain) and decision.reasons
