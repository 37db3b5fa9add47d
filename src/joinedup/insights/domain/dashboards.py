"""What each dashboard publishes: its tables, their groups and plain-English labels, and the reporting periods.
Pure: no Django. The measure and group codes are the API's (`docs/insights.md`); labels are what people read.

Every figure is a count of events on a day (an incident recorded, a referral sent, a case closed, a police report
made), so counts for any period are sums of daily counts and can be pre-aggregated. Measures about people
("repeat victimisation") are therefore counted per incident: an incident is a repeat when the same person had
another incident in the 12 months before it (domain.md §5, the panel's "potential escalation" window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from joinedup.police.domain.victims_code import RIGHTS

STRANDS = {
    "disability": "Disability (including mental ill health)",
    "race": "Race",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "transgender": "Transgender identity",
    "other": "Other (recorded locally)",
    "none_recorded": "No hostility recorded",
}
KINDS = {
    "verbal_abuse": "Verbal abuse",
    "harassment": "Harassment",
    "threats": "Threats",
    "physical_assault": "Physical assault",
    "sexual": "Sexual",
    "financial_exploitation": "Financial exploitation",
    "cuckooing": "Cuckooing",
    "theft": "Theft",
    "criminal_damage": "Criminal damage",
    "online_abuse": "Online abuse",
    "ill_treatment_or_neglect": "Ill-treatment or neglect",
    "discrimination": "Discrimination",
    "other": "Other",
}
SETTINGS = {
    "acute": "Acute",
    "primary": "Primary",
    "community": "Community",
    "specialised": "Specialised",
    "not_recorded": "Not recorded",
}
NEEDS = {"physical": "Physical health", "mental": "Mental health", "not_recorded": "Not recorded"}
LOCATIONS = {
    "home": "Their home",
    "near_home": "Near their home",
    "street": "Street",
    "public_transport": "Public transport",
    "shop_or_public_place": "Shop or public place",
    "online": "Online",
    "care_home": "Care home",
    "supported_housing": "Supported housing",
    "inpatient_ward": "Inpatient ward",
    "day_service": "Day service",
    "workplace": "Workplace",
    "other": "Other",
    "not_recorded": "Not recorded",
}
REPORTED_BY = {
    "self": "The person themselves",
    "third_party": "Someone else for them",
    "practitioner": "A practitioner",
}
REPEAT = {"first": "First incident in 12 months", "repeat": "Repeat: another incident in the 12 months before"}
ESCALATION = {
    "escalated": "More serious than their previous incident",
    "not_escalated": "Not more serious",
    "first": "No previous incident",
}
FIRST_CONTACT = {
    "same_day": "Same day",
    "1_2_days": "1 to 2 days",
    "3_7_days": "3 to 7 days",
    "8_28_days": "8 to 28 days",
    "over_28_days": "More than 28 days",
    "no_contact_recorded": "No contact recorded yet",
}
REFERRAL_ANSWERS = {
    "in_time": "Answered in time",
    "late": "Answered late",
    "overdue": "Not answered, overdue",
    "waiting": "Not answered, not yet due",
    "withdrawn": "Withdrawn",
}
URGENCY = {"routine": "Routine", "urgent": "Urgent"}
DECLINE_ALTERNATIVES = {
    "directory_service": "Another service from the directory",
    "other_route": "Another route, described",
}
ESCALATIONS = {
    "referral_level_1": "Referral, to the receiving agency's lead",
    "referral_level_2": "Referral, to the lead partner",
    "task_level_1": "Task, to the owner's agency lead",
    "task_level_2": "Task, to the lead partner",
}
POLICE_STATUS = {
    "sent": "Sent, no answer yet",
    "crime_recorded": "Crime recorded",
    "non_crime": "Recorded as a non-crime incident",
    "outcome": "Outcome recorded",
}
POLICE_OUTCOMES = {
    "charged": "Charged",
    "summons": "Summons",
    "caution": "Caution",
    "community_resolution": "Community resolution",
    "nfa_evidential": "No further action: evidence",
    "nfa_victim_does_not_support": "No further action: victim does not support",
    "nfa_other": "No further action: other",
    "other": "Other outcome",
}
RIGHT_STATUS = {
    "met": "Met",
    "due": "Due",
    "overdue": "Overdue",
    "not_yet": "Not yet",
    "not_applicable": "Not applicable",
}
RIGHT_LABELS = {f"right_{number}": f"{number}. {title}" for number, title in RIGHTS}
OUTCOMES_MET = {"fully": "Fully", "partly": "Partly", "not": "Not met"}
FEELS_SAFER = {"yes": "Yes", "partly": "Partly", "no": "No", "not_asked": "Could not be asked"}
AGE_BANDS = {
    "under_18": "Under 18",
    "18_24": "18 to 24",
    "25_34": "25 to 34",
    "35_44": "35 to 44",
    "45_54": "45 to 54",
    "55_64": "55 to 64",
    "65_74": "65 to 74",
    "75_plus": "75 and over",
    "not_recorded": "Not recorded",
}
# Avoidable harm sources (domain.md §8, Carr et al. 2022), the harm reports' categories in docs/api.md.
HARM_SOURCES = {
    "systems_and_bureaucracy": "Barriers or burdens caused by systems and bureaucracy",
    "stigma_and_discrimination": "Stigma and discrimination",
    "fragmented_services": "Fragmented services and lack of joined-up working",
    "lack_of_support": "Disruption to or lack of appropriate support",
    "oppressive_cultures": "Oppressive, controlling or defensive organisational cultures",
    "staff_misconduct_or_sexual_abuse": "Serious misconduct or sexual abuse by staff",
    "neglectful_frontline_practice": "Neglectful, defensive or controlling frontline practice",
}


@dataclass(frozen=True)
class Table:
    measure: str
    title: str
    groups: dict[str, str]  # code → label; empty: groups come from the data (areas, agencies)
    # One record in several groups (strands, kinds): the groups do not add up to the total.
    additive: bool = True
    total_label: str = "Total"
    # For a two-way table: the column dimension; groups are then "row:column".
    columns: dict[str, str] = field(default_factory=dict)
    chart: bool = True
    note: str = ""
    source: str = ""  # the provider that supplies it, where it is not JoinedUp's own records


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    summary: str
    tables: tuple[Table, ...]


DASHBOARDS: dict[str, Dashboard] = {
    d.slug: d
    for d in (
        Dashboard(
            "overview",
            "Incidents and the doors people came through",
            "What was recorded, against whom, where, and how quickly someone got in touch.",
            (
                Table(
                    "incidents_by_strand",
                    "Incidents by perceived hostility",
                    STRANDS,
                    additive=False,
                    note="One incident can be motivated by hostility to more than one characteristic.",
                ),
                Table(
                    "incidents_by_kind",
                    "Incidents by kind of harm",
                    KINDS,
                    additive=False,
                    note="One incident can involve more than one kind of harm.",
                ),
                Table(
                    "incidents_by_pathway_cell",
                    "Incidents by the door people came through",
                    SETTINGS,
                    columns=NEEDS,
                    chart=False,
                    note="Where in the care pathway the incident was recorded: the setting and the need it serves.",
                ),
                Table("incidents_by_location", "Incidents by place", LOCATIONS),
                Table(
                    "incidents_by_area",
                    "Incidents by area",
                    {},
                    note="The postcode district where the person lived when the incident was recorded.",
                ),
                Table("incidents_by_reporter", "Who told us", REPORTED_BY),
                Table(
                    "first_contact",
                    "Time from report to first contact",
                    FIRST_CONTACT,
                    note="From the day the incident was recorded to the first contact with the person recorded "
                    "on their timeline.",
                ),
            ),
        ),
        Dashboard(
            "repeat_victimisation",
            "Repeat victimisation and escalation",
            "How often people are targeted again, and whether it is getting worse.",
            (
                Table("incidents_repeat", "Repeat incidents", REPEAT),
                Table(
                    "incidents_escalation",
                    "Escalation",
                    ESCALATION,
                    note="Escalation compares the most serious kind of harm with the person's previous incident.",
                ),
            ),
        ),
        Dashboard(
            "referrals",
            "Referrals between agencies",
            "Whether referrals are answered in time, who declines them and what they offer instead, and what was "
            "escalated.",
            (
                Table("referrals_answered", "Referrals and whether they were answered in time", REFERRAL_ANSWERS),
                Table("referrals_by_urgency", "Referrals by urgency", URGENCY),
                Table("referral_declines_by_agency", "Declined referrals by agency", {}),
                Table(
                    "referral_declines_by_alternative",
                    "What a decline offered instead",
                    DECLINE_ALTERNATIVES,
                    note="Decline reasons are written in the practitioner's own words and are not published: "
                    "every decline must offer an alternative, and this counts which kind.",
                ),
                Table("escalations", "Escalations of overdue work", ESCALATIONS),
            ),
        ),
        Dashboard(
            "victims_code",
            "Victims' Code and police outcomes",
            "Rights under the Victims' Code for incidents reported to the police, and what the police did.",
            (
                Table(
                    "victims_code_rights",
                    "Victims' Code rights, by status",
                    RIGHT_LABELS,
                    columns=RIGHT_STATUS,
                    chart=False,
                    note="For each police report made in the period: the status of each right today.",
                ),
                Table("police_reports_by_status", "Police reports by status", POLICE_STATUS),
                Table("police_outcomes", "Police outcomes", POLICE_OUTCOMES),
            ),
        ),
        Dashboard(
            "outcomes",
            "Outcomes for people",
            "At the end of their case: were the outcomes the person wanted met, and do they feel safer?",
            (
                Table("case_outcomes_met", "Were the person's outcomes met?", OUTCOMES_MET),
                Table("case_feels_safer", "Does the person feel safer?", FEELS_SAFER),
            ),
        ),
        Dashboard(
            "equality",
            "Equality: who is harmed",
            "Age of the people harmed, where their date of birth is recorded, and the characteristics hostility "
            "was aimed at. JoinedUp does not record sex, ethnicity or other protected characteristics of the "
            "person, so they cannot be shown.",
            (
                Table("incidents_by_age_band", "Incidents by the person's age", AGE_BANDS),
                Table("incidents_by_strand", "Incidents by perceived hostility", STRANDS, additive=False),
            ),
        ),
        Dashboard(
            "harm",
            "Avoidable harm reported about services",
            "Reports of harm caused by services themselves, by source of harm (Carr and others, 2022).",
            (
                Table(
                    "harm_reports_by_source",
                    "Harm reports by source of harm",
                    HARM_SOURCES,
                    additive=False,
                    source="harm",
                ),
            ),
        ),
    )
}


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


MAX_PERIOD_DAYS = 366 * 5


def default_period(today: date) -> Period:
    """The last 12 complete months before this month."""
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    for _ in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return Period(start, end)


def financial_year(year: int) -> Period:
    """1 April `year` to 31 March the year after: the period of a strategic needs assessment."""
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "not_recorded"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    edges = ((18, "under_18"), (25, "18_24"), (35, "25_34"), (45, "35_44"), (55, "45_54"), (65, "55_64"), (75, "65_74"))
    return next((band for limit, band in edges if age < limit), "75_plus")


def first_contact_band(days: int | None) -> str:
    if days is None:
        return "no_contact_recorded"
    if days <= 0:
        return "same_day"
    if days <= 2:
        return "1_2_days"
    if days <= 7:
        return "3_7_days"
    if days <= 28:
        return "8_28_days"
    return "over_28_days"


def area_of(postcode: str) -> str:
    """The postcode district (outward code), the smallest area published: never the full postcode."""
    outward = postcode.strip().upper().split(" ")[0] if postcode else ""
    return outward[:8] or "unknown"
