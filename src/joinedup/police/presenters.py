"""What a reader is shown of a police report's package. The receiving force's liaison reads the package as it
was sent (the person agreed to it, or a lead decided it); anyone else who may see the person reads it through the
field groups the one door allowed them (access/door.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from joinedup.access.door import Seen
from joinedup.police.models import PoliceReport

INCIDENT_FIELDS_BY_GROUP = {
    "account": ["in_their_own_words"],
    "harm": ["when", "where", "kinds", "perceived_hostility", "possible_offences", "perpetrators", "happened_before"],
    "health": ["injuries", "impacts"],
}
VICTIM_FIELDS_BY_GROUP = {
    "identity": ["name", "date_of_birth", "pronouns"],
    "contact": ["communication_needs", "reasonable_adjustments", "safe_contact"],
}


def package_for(package: dict[str, Any], seen: Seen, *, as_sent: bool = False) -> dict[str, Any]:
    if as_sent:
        return package
    out = dict(package)
    incidents = []
    for incident in package.get("incidents", []):
        shown = dict(incident)
        for group, names in INCIDENT_FIELDS_BY_GROUP.items():
            if not seen.sees(group):
                for name in names:
                    shown.pop(name, None)
        incidents.append(shown)
    out["incidents"] = incidents
    victim = dict(package.get("victim") or {})
    for group, names in VICTIM_FIELDS_BY_GROUP.items():
        if not seen.sees(group):
            for name in names:
                victim.pop(name, None)
    out["victim"] = victim
    out["withheld_groups"] = seen.withheld
    return out


@dataclass(frozen=True)
class ReportShown:
    """A police report's own facts as its page shows them (the package is shaped by package_for)."""

    id: str
    status: str
    status_label: str
    created_at: datetime
    crime_reference: str
    police_name: str
    via_agency_name: str
    third_party: bool
    update_cadence: str
    outcome: str
    outcome_reason: str
    non_crime_reasons: tuple[str, ...]
    non_crime_recorded: bool
    case_id: str
    person_name: str  # for those working the case; the police see "Anonymous" where the person chose that


def report_shown(report: PoliceReport) -> ReportShown:
    non_crime = report.non_crime or {}
    return ReportShown(
        id=str(report.uuid),
        status=report.status,
        status_label=report.get_status_display(),
        created_at=report.created_at,
        crime_reference=report.crime_reference,
        police_name=report.police.name,
        via_agency_name=report.via_agency.name,
        third_party=report.third_party,
        update_cadence=report.update_cadence,
        outcome=report.outcome,
        outcome_reason=report.outcome_reason,
        non_crime_reasons=tuple(non_crime.get("reasons", ())),
        non_crime_recorded=bool(non_crime),
        case_id=str(report.case.uuid),
        person_name=report.case.person.display_name,
    )


@dataclass(frozen=True)
class InboxRow:
    id: str
    victim: str  # "Anonymous" where the person chose to stay anonymous to the police
    through: str
    status_label: str
    sent_at: datetime


def inbox_rows(reports: list[PoliceReport]) -> list[InboxRow]:
    return [
        InboxRow(
            id=str(r.uuid),
            victim="Anonymous" if r.anonymous_to_police else r.case.person.display_name,
            through=r.via_agency.name + (" (third party)" if r.third_party else ""),
            status_label=r.get_status_display(),
            sent_at=r.created_at,
        )
        for r in reports
    ]
