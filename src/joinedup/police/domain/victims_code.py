"""The Victims' Code (England and Wales) tracker and the non-crime hate incident rules. Pure.

Rights and enhanced-rights bases: domain.md §6 [S33]-[S40]. Non-crime hate incident rules: domain.md §3 [S6]
(policy-versioned: they apply only to what the police retain; the care record always keeps the person's account).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

CODE_VERSION = "Victims' Code 2020, Victims and Prisoners Act 2024 duty from 29 January 2025"
NCHI_VERSION = "Non-crime hate incidents: code of practice 2023"

RIGHTS = (
    (1, "To be able to understand and to be understood"),
    (2, "To have the details of the crime recorded without unjustified delay"),
    (3, "To be provided with information when reporting the crime"),
    (4, "To be referred to services that support victims and have services and support tailored to your needs"),
    (5, "To be provided with information about compensation"),
    (6, "To be provided with information about the investigation and prosecution"),
    (7, "To make a Victim Personal Statement"),
    (8, "To be given information about the trial, trial process and your role as a witness"),
    (9, "To be given information about the outcome of the case and any appeals"),
    (10, "To be paid expenses and have property returned"),
    (11, "To be given information about the offender following a conviction"),
    (12, "To make a complaint about your rights not being met"),
)

UPDATE_CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}


@dataclass(frozen=True)
class ReportFacts:
    reported_on: date
    crime_reference: str = ""
    non_crime: bool = False
    # charged | summons | caution | community_resolution | nfa_evidential | nfa_victim_does_not_support | nfa_other
    outcome: str = ""
    communication_needs: str = ""
    opted_out_of_support: bool = False
    update_cadence: str = "fortnightly"  # weekly | fortnightly | monthly | milestones
    outcome_on: date | None = None  # when the outcome was recorded (the investigation ended)


@dataclass(frozen=True)
class Evidence:
    right: int
    on: date
    text: str


@dataclass(frozen=True)
class RightStatus:
    number: int
    title: str
    status: str  # met | due | overdue | not_yet | not_applicable
    due_on: date | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class EnhancedBasis:
    code: str
    text: str


def enhanced_bases(
    *, hate_incident: bool, incidents_last_year: int, vulnerable: bool, intimidated: bool
) -> tuple[EnhancedBasis, ...]:
    bases = []
    if hate_incident:
        bases.append(EnhancedBasis("most_serious_crime", "Victim of the most serious crime: hate crime"))
    if incidents_last_year >= 3:
        bases.append(EnhancedBasis("persistently_targeted", "Persistently targeted: 3 or more incidents in a year"))
    if vulnerable:
        bases.append(EnhancedBasis("vulnerable", "Vulnerable: mental disorder or impairment (YJCEA 1999 s16)"))
    if intimidated:
        bases.append(EnhancedBasis("intimidated", "Intimidated: fear or distress about giving evidence (YJCEA s17)"))
    return tuple(bases)


def track(report: ReportFacts, evidence: list[Evidence], *, today: date, support_due: date) -> list[RightStatus]:
    """Each right's status: met (with evidence), due or overdue (with its date), not yet, or not applicable.
    `support_due` is 2 working days after the report (the caller does working-day arithmetic)."""
    by_right: dict[int, list[Evidence]] = {}
    for item in evidence:
        by_right.setdefault(item.right, []).append(item)
    out = []
    convicted = report.outcome in {"charged", "summons"}
    for number, title in RIGHTS:
        items = by_right.get(number, [])
        texts = tuple(f"{e.text} ({e.on:%d %B %Y})" for e in sorted(items, key=lambda e: e.on))
        due: date | None = None
        status = "met" if items else "not_yet"
        if number == 1 and not items and not report.communication_needs:
            status = "not_yet"
        if number == 2:
            status = "met" if (report.crime_reference or report.non_crime) else "due"
            if report.crime_reference:
                texts = (*texts, f"Crime reference {report.crime_reference}")
        if number == 4:
            due = support_due
            if report.opted_out_of_support:
                status, texts = "not_applicable", (*texts, "They chose not to be referred")
            elif not items:
                status = "overdue" if today > support_due else "due"
        if number == 6:
            status, due = _investigation_updates(report, items, today)
        if number in {7, 8, 11} and not convicted:
            status = "not_applicable" if report.outcome else "not_yet"
        if number == 9 and report.outcome:
            status = "met" if items else "due"
        if number == 11 and convicted:
            status = "met" if items else "not_yet"
        out.append(RightStatus(number, title, status, due, texts))
    return out


def _investigation_updates(report: ReportFacts, items: list[Evidence], today: date) -> tuple[str, date | None]:
    """Right 6: updates at the cadence the person chose, while the investigation runs. An outcome ends it: the
    updates given still stand (met), an update owed before the outcome and never given stays overdue, and if the
    outcome came before any update was due there was nothing to give (right 9 then tells them the outcome)."""
    step = UPDATE_CADENCE_DAYS.get(report.update_cadence)
    last = max((e.on for e in items), default=report.reported_on)
    if report.outcome:
        if items:
            return "met", None
        ended = report.outcome_on or today
        if step and ended > report.reported_on + timedelta(days=step):
            return "overdue", report.reported_on + timedelta(days=step)
        return "not_applicable", None
    if not step:  # only when something important happens
        return ("met" if items else "not_yet"), None
    due = last + timedelta(days=step)
    return ("overdue" if today > due else ("met" if items else "due")), due


@dataclass(frozen=True)
class NchiAnswers:
    trivial: bool
    irrational: bool
    malicious: bool
    real_risk_of_significant_harm_or_offence: bool


@dataclass(frozen=True)
class NchiDecision:
    record: bool
    retain_subject_data: bool
    reasons: tuple[str, ...]
    version: str = NCHI_VERSION


def nchi_decision(answers: NchiAnswers) -> NchiDecision:
    """What the police may retain of a non-crime hate incident. The care record keeps the account regardless."""
    if answers.trivial or answers.irrational or answers.malicious:
        why = [
            w
            for w, flag in (
                ("trivial", answers.trivial),
                ("irrational", answers.irrational),
                ("malicious", answers.malicious),
            )
            if flag
        ]
        return NchiDecision(
            False,
            False,
            (
                f"Not recorded by the police as a non-crime hate incident: "
                f"{', '.join(why)}. The care record keeps the person's own account.",
            ),
        )
    if answers.real_risk_of_significant_harm_or_offence:
        return NchiDecision(
            True,
            True,
            (
                "Recorded, with the subject's personal data, because there is a real risk "
                "of significant harm or of a future criminal offence.",
            ),
        )
    return NchiDecision(
        True,
        False,
        (
            "Recorded without the subject's personal data: no real risk of significant harm or of a future offence.",
            "Non-crime hate incidents are not in the national crime return.",
        ),
    )
