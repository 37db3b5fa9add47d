"""What a harm report says, and every problem with it at once (pure; the API and the pages share it)."""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.harm.domain.model import IMPACT_CODES, SOURCES, WANTS, ReportedBy, unknown
from joinedup.harm.domain.route import UPDATE_CADENCES

DESCRIPTION_MAX = 20_000


@dataclass(frozen=True)
class ReportInput:
    reported_by: str
    description: str
    sources: tuple[str, ...] = ()
    impacts: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    wants_other: str = ""
    ill_treatment_in_care: bool = False
    contact_name: str = ""
    contact_detail: str = ""
    update_cadence: str = "fortnightly"
    advocacy_wanted: bool | None = None
    speaking_up: bool = False


def report_problems(data: ReportInput) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if data.reported_by not in {r.value for r in ReportedBy}:
        problems["reported_by"] = ["Reported by must be person, advocate, practitioner or anonymous"]
    if not data.description.strip():
        problems["description"] = ["Tell us what happened, in your own words"]
    elif len(data.description) > DESCRIPTION_MAX:
        problems["description"] = [f"What happened must be {DESCRIPTION_MAX:,} characters or fewer"]
    for name, codes, given in (
        ("sources", SOURCES, data.sources),
        ("impacts", IMPACT_CODES, data.impacts),
        ("wants", WANTS, data.wants),
    ):
        bad = unknown(codes, given)
        if bad:
            problems[name] = [f"Unknown {name}: {', '.join(bad)}"]
    if "other" in data.wants and not data.wants_other.strip():
        problems["wants_other"] = ["Say what else you want to happen"]
    if data.update_cadence not in UPDATE_CADENCES:
        problems["update_cadence"] = ["Choose weekly, fortnightly or monthly"]
    if data.reported_by == ReportedBy.ANONYMOUS and (data.contact_name.strip() or data.contact_detail.strip()):
        problems["contact_name"] = ["An anonymous report has no name or contact details: leave them empty"]
    return problems
