"""What an incident record must hold, and the messages when it does not. Pure (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from joinedup.core.domain import limits
from joinedup.incidents.domain import vocabulary as v
from joinedup.incidents.domain.classification import IncidentFacts
from joinedup.incidents.domain.urgency import crisis_flags

DESCRIPTION_MAX = 20_000

# How serious each kind of harm is, for escalation and risk (verbal abuse → threats → physical harm;
# domain.md §5). 1 is least serious.
SEVERITY: dict[str, int] = {
    "verbal_abuse": 1,
    "discrimination": 1,
    "online_abuse": 1,
    "other": 1,
    "harassment": 2,
    "criminal_damage": 2,
    "theft": 2,
    "threats": 3,
    "threats_to_home": 3,
    "financial_exploitation": 3,
    "ill_treatment_or_neglect": 3,
    "cuckooing": 4,
    "physical_assault": 4,
    "sexual": 5,
}


@dataclass(frozen=True)
class PerpetratorInput:
    relationship: str
    details: str = ""


@dataclass(frozen=True)
class IncidentInput:
    description: str
    reported_by: str = v.ReportedBy.PRACTITIONER
    anonymous: bool = False
    entry_setting: str = ""
    entry_need: str = ""
    occurred_on: date | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    location_kind: str = ""
    kinds: tuple[str, ...] = ()
    strands: tuple[str, ...] = ()
    perceived_by: tuple[str, ...] = ()
    strand_other_detail: str = ""
    perpetrators: tuple[PerpetratorInput, ...] = ()
    injuries: str = ""
    impacts: tuple[str, ...] = ()
    happened_before: str = "unknown"
    police_aware: bool | None = None
    dismissed_as_symptom: bool | None = None
    care_has_needs: str = "unknown"
    care_unable_to_protect_self: str = "unknown"
    wishes: str = ""
    wanted_actions: tuple[str, ...] = ()
    reporter: dict[str, object] = field(default_factory=dict)
    safety_now: tuple[str, ...] = ()  # the person's "right now" answer (vocabulary.SAFETY_NOW)

    def facts(self) -> IncidentFacts:
        return IncidentFacts(
            kinds=frozenset(self.kinds),
            strands=frozenset(self.strands),
            perceived_by=frozenset(self.perceived_by),
            relationships=frozenset(p.relationship for p in self.perpetrators),
            location_kind=self.location_kind,
            injuries=self.injuries,
            happened_before=self.happened_before,
            has_care_needs=self.care_has_needs,
            unable_to_protect_self=self.care_unable_to_protect_self,
        )

    @property
    def risk_flags(self) -> tuple[str, ...]:
        return crisis_flags(
            safety_now=self.safety_now, impacts=self.impacts, unable_to_protect_self=self.care_unable_to_protect_self
        )

    @property
    def severity(self) -> int:
        return max((SEVERITY.get(kind, 1) for kind in self.kinds), default=0)


def _check_choices(
    problems: dict[str, list[str]], name: str, chosen: tuple[str, ...], terms: tuple[v.Term, ...]
) -> None:
    allowed = set(v.values(terms))
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        problems[name] = [
            f"Unknown {name.replace('_', ' ')}: {', '.join(unknown)}. Choose from: {', '.join(sorted(allowed))}"
        ]


def incident_problems(data: IncidentInput, *, today: date) -> dict[str, list[str]]:  # noqa: PLR0915 — one check per field, in order
    """Every problem at once, keyed by field, each a message saying what to do."""
    problems: dict[str, list[str]] = {}
    if not data.description.strip():
        problems["description"] = ["Enter what happened, in the person's own words"]
    elif len(data.description) > DESCRIPTION_MAX:
        problems["description"] = [f"What happened must be {DESCRIPTION_MAX:,} characters or fewer"]
    if data.reported_by not in {r.value for r in v.ReportedBy}:
        problems["reported_by"] = ["Reported by must be self, third_party or practitioner"]
    if data.entry_setting and data.entry_setting not in v.values(v.SETTINGS):
        problems["entry_point.setting"] = ["Setting must be acute, primary, community or specialised"]
    if data.entry_need and data.entry_need not in v.values(v.NEEDS):
        problems["entry_point.need"] = ["Need must be physical or mental"]
    if data.occurred_on and (data.occurred_from or data.occurred_to):
        problems["occurred_on"] = ["Give either the date it happened or the dates it happened between, not both"]
    if data.occurred_on and "occurred_on" not in problems:
        problem = limits.past_date_problem(data.occurred_on, today=today, what="The date it happened")
        if problem:
            problems["occurred_on"] = [problem]
    if bool(data.occurred_from) != bool(data.occurred_to):
        problems["occurred_between"] = ["Give both dates it happened between"]
    elif data.occurred_from and data.occurred_to:
        if data.occurred_from > data.occurred_to:
            problems["occurred_between"] = ["The first date must be before the second"]
        elif data.occurred_to > today:
            problems["occurred_between"] = ["The dates must be today or in the past"]
        elif data.occurred_from < limits.EARLIEST_DATE:
            problems["occurred_between"] = ["The dates must be in or after 1900"]
    if data.location_kind and data.location_kind not in v.values(v.LOCATIONS):
        problems["location_kind"] = [f"Unknown place: {data.location_kind}"]
    if len(data.perpetrators) > limits.PERPETRATORS_MAX:
        problems["perpetrators"] = [f"Describe at most {limits.PERPETRATORS_MAX} people who did it"]
    for name, chosen in (
        ("kinds", data.kinds),
        ("strands", data.strands),
        ("perceived_by", data.perceived_by),
        ("impacts", data.impacts),
        ("wanted_actions", data.wanted_actions),
    ):
        if len(chosen) > limits.CHOICES_MAX:
            problems[name] = [f"Choose at most {limits.CHOICES_MAX}"]
    _check_choices(problems, "kinds", data.kinds, v.KINDS)
    _check_choices(problems, "strands", data.strands, v.STRANDS)
    _check_choices(problems, "perceived_by", data.perceived_by, v.PERCEIVED_BY)
    _check_choices(problems, "impacts", data.impacts, v.IMPACTS)
    _check_choices(problems, "wanted_actions", data.wanted_actions, v.WANTED_ACTIONS)
    _check_choices(problems, "safety_now", data.safety_now, v.SAFETY_NOW)
    _check_choices(problems, "perpetrators", tuple(p.relationship for p in data.perpetrators), v.RELATIONSHIPS)
    if data.strands and not data.perceived_by:
        problems["perceived_by"] = ["Say who thinks it happened because of who the person is"]
    if "other" in data.strands and not data.strand_other_detail.strip():
        problems["other_detail"] = ["Say what else about the person it was because of"]
    reporter_email, reporter_phone = str(data.reporter.get("email") or ""), str(data.reporter.get("phone") or "")
    if reporter_email.strip() and not limits.email_is_valid(reporter_email):
        problems["reporter.email"] = ["Enter an email address in the correct format, like name@example.com"]
    if reporter_phone.strip() and not limits.phone_is_valid(reporter_phone):
        problems["reporter.phone"] = ["Enter a phone number, like 01632 960 001 or 07700 900 982"]
    for name, value in (
        ("happened_before", data.happened_before),
        ("care_and_support.has_needs", data.care_has_needs),
        ("care_and_support.unable_to_protect_self", data.care_unable_to_protect_self),
    ):
        if value not in {"yes", "no", "unknown"}:
            problems[name] = [f"{name.split('.')[-1].replace('_', ' ').capitalize()} must be yes, no or unknown"]
    return problems
