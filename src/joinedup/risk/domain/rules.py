"""Risk identification that explains itself (domain.md §5): a level, the reasons for it, the panel criteria met
and whether the person may ask for an ASB case review. Pure; every threshold comes from a versioned rule set.

The same rules for every agency, applied to the person's history across all agencies — because repeat
victimisation is missed when each agency sees one incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import IntEnum

from joinedup.access.domain.minimum import Group

S_MARAC_CRITERIA = "SafeLives Marac referral criteria, adapted for community MARAC [S24][S28]"
S_MARAC_REPEAT = "SafeLives definition of a repeat at Marac [S25]"
S_VULNERABILITY = "ASB Help: personal, situational and incidental vulnerability [S30]"
S_CASE_REVIEW = "ASB case review (community trigger) [S31]"
S_ESCALATION = (
    "Escalation of hate incidents: more frequent or more serious, or a perpetrator gaining access [domain.md §5]"
)
S_MENTAL_HEALTH = "Mind and Victim Support, At risk, yet dismissed [S50]; seed 003"
S_CARE = "CPS, ill-treatment or wilful neglect offences [S21]"
S_LINKED = (
    "Repeat victimisation is missed when each agency sees one incident [domain.md §1]; linked records as "
    "docs/linkage.md defines them"
)


class Level(IntEnum):
    STANDARD = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Thresholds:
    """Local settings of a partnership, with the defaults from domain.md."""

    potential_escalation_incidents: int = 3  # incidents known to any agency…
    potential_escalation_days: int = 365  # …in this many days
    repeat_days: int = 365  # a new incident within this long of the last panel referral is a repeat
    case_review_complaints: int = 3  # ASB case review: complaints…
    case_review_days: int = 183  # …in six months
    same_incident_days: int = 2  # reports to several agencies this close together, of the same kind, count once
    medium_score: int = 4
    high_score: int = 8
    escalation_window_days: int = 90  # recent frequency is compared over two windows of this length


@dataclass(frozen=True)
class RuleSet:
    name: str = "risk-identification"
    version: str = "2026.1"
    effective_from: date = date(2026, 1, 1)
    thresholds: Thresholds = field(default_factory=Thresholds)


DEFAULT_RULE_SET = RuleSet()


@dataclass(frozen=True)
class IncidentFacts:
    at: datetime  # when it happened (or, when not known, when it was recorded)
    kinds: frozenset[str]
    severity: int
    relationships: frozenset[str] = frozenset()
    location_kind: str = ""
    impacts: frozenset[str] = frozenset()
    dismissed_as_symptom: bool = False
    care_setting_offence: bool = False
    mate_crime: bool = False
    hate_incident: bool = False
    agency_id: int | None = None
    # Accounts of one event share its key (the event's first account); None is an event of its own.
    event: int | None = None
    # Recorded under another JoinedUp record of the same person (a linked record, docs/linkage.md).
    linked: bool = False


@dataclass(frozen=True)
class LinkedFacts:
    """The person's records elsewhere, as linkage found them (confirmed by a reviewer, or at or above the auto-link
    weight): how many other JoinedUp records (whose incidents come in as `IncidentFacts(linked=True)`), how they
    were linked, and how many other agencies hold linked records — of those, only the fact that they know the
    person is known here."""

    records: int = 0
    basis: str = ""  # "confirmed", "auto" or "mixed" (linkage/domain/history.py basis_of)
    other_agencies: int = 0


@dataclass(frozen=True)
class Judgement:
    level: Level
    reasons: str
    by: str


# Which groups of the person's record each reason's facts come from (access/domain/minimum.py). Every risk
# reason is risk; some also tell a health fact, and are withheld where health is.
_HEALTH_REASONS = frozenset({"suicidality", "mental_health_deterioration", "not_believed"})
_HARM_REASONS = frozenset(
    {"violence", "escalation", "perpetrator_access_to_home", "repeat_perpetrator", "care_setting", "mate_crime"}
)


def reason_groups(code: str) -> frozenset[Group]:
    """The field groups a risk reason discloses: a reader must see all of them to read the reason."""
    if code == "linked_history":
        # Counts only (records, agencies, incidents; no agency is named): that the person is known under other
        # records is a fact about who they are, and the incidents counted are counted like any others.
        return frozenset({Group.RISK, Group.IDENTITY})
    if code in {"professional_judgement", "judgement_not_applied"}:
        # A practitioner's own words about the person may touch anything: full readers only.
        return frozenset({Group.RISK, Group.ACCOUNT, Group.HEALTH, Group.SAFEGUARDING})
    if code in _HEALTH_REASONS:
        return frozenset({Group.RISK, Group.HEALTH})
    if code in _HARM_REASONS:
        return frozenset({Group.RISK, Group.HARM})
    return frozenset({Group.RISK})


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str
    points: int = 0


@dataclass(frozen=True)
class Assessment:
    level: Level
    actuarial_level: Level
    score: int
    reasons: tuple[Reason, ...]
    panel_criteria: tuple[str, ...]
    case_review_eligible: bool
    rule_set: RuleSet

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level.label,
            "actuarial_level": self.actuarial_level.label,
            "score": self.score,
            "reasons": [{"code": r.code, "text": r.text, "source": r.source} for r in self.reasons],
            "panel_criteria": list(self.panel_criteria),
            "case_review_eligible": self.case_review_eligible,
            "rule_set": {"name": self.rule_set.name, "version": self.rule_set.version},
        }


HOME_ACCESS_RELATIONSHIPS = frozenset({"neighbour", "friend", "family", "partner", "carer", "paid_care_worker"})
HOME_LOCATIONS = frozenset({"home", "supported_housing", "care_home"})


def one_per_event(accounts: list[IncidentFacts]) -> list[IncidentFacts]:
    """One event told by many (the person, a friend, a neighbour) counts once: its accounts become one, holding
    everything any of them says (kinds, who, impacts, flags) — so joining accounts can only add to what is known,
    never hide it — dated by the earliest account."""
    events: dict[object, IncidentFacts] = {}
    for account in sorted(accounts, key=lambda a: a.at):
        key: object = account.event if account.event is not None else object()
        first = events.get(key)
        if first is None:
            events[key] = account
            continue
        events[key] = replace(
            first,
            kinds=first.kinds | account.kinds,
            severity=max(first.severity, account.severity),
            relationships=first.relationships | account.relationships,
            location_kind=first.location_kind or account.location_kind,
            impacts=first.impacts | account.impacts,
            dismissed_as_symptom=first.dismissed_as_symptom or account.dismissed_as_symptom,
            care_setting_offence=first.care_setting_offence or account.care_setting_offence,
            mate_crime=first.mate_crime or account.mate_crime,
            hate_incident=first.hate_incident or account.hate_incident,
        )
    return list(events.values())


def distinct_reports(incidents: list[IncidentFacts], same_days: int) -> list[IncidentFacts]:
    """One incident reported to several agencies counts once: reports by different agencies within `same_days`
    of each other, sharing a kind of harm, are the same incident."""
    kept: list[IncidentFacts] = []
    for incident in sorted(incidents, key=lambda i: i.at):
        duplicate = any(
            other.agency_id != incident.agency_id
            and abs((incident.at - other.at).days) <= same_days
            and other.kinds & incident.kinds
            for other in kept
        )
        if not duplicate:
            kept.append(incident)
    return kept


def _escalating(recent: list[IncidentFacts], t: Thresholds) -> tuple[bool, str]:
    """Escalation, defined so that more history can only add to it (a new incident never hides an escalation):
    a burst of incidents within one window, or a later incident more serious than an earlier one."""
    ordered = sorted(recent, key=lambda i: i.at)
    window = timedelta(days=t.escalation_window_days)
    for index, first in enumerate(ordered):
        burst = [i for i in ordered[index:] if i.at - first.at <= window]
        if len(burst) >= 3:
            return True, f"more frequent: {len(burst)} incidents within {t.escalation_window_days} days"
    for index, earlier in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.severity > earlier.severity and later.severity >= 3:
                return True, (
                    "more serious: a later incident was more serious than an earlier one "
                    "(for example verbal abuse, then threats, then violence)"
                )
    return False, ""


def assess(  # noqa: PLR0915 — the rules read best as one list, in order
    incidents: list[IncidentFacts],
    *,
    now: datetime,
    rule_set: RuleSet = DEFAULT_RULE_SET,
    last_panel_referral: datetime | None = None,
    judgement: Judgement | None = None,
    linked: LinkedFacts | None = None,
) -> Assessment:
    t = rule_set.thresholds
    reasons: list[Reason] = []
    accounts = incidents
    incidents = one_per_event(accounts)
    year = [i for i in incidents if now - i.at <= timedelta(days=t.potential_escalation_days)]
    high_factors: list[str] = []

    def add(code: str, text: str, source: str, points: int = 0, *, high: bool = False) -> None:
        reasons.append(Reason(code, text, source, points))
        if high:
            high_factors.append(code)

    # Linked history first, so the reader knows why the counts below include more than this record holds. It
    # adds no points itself: the linked incidents count in every rule below, exactly like the person's own.
    linked_text = linked_history_text(linked, [i for i in year if i.linked], t.potential_escalation_days)
    if linked_text:
        add("linked_history", linked_text, S_LINKED)

    # The level counts every report, so more history can never lower it; the panel and case-review thresholds
    # further down count one incident told to several agencies once, as their definitions ask.
    distinct_year = distinct_reports(year, t.same_incident_days)
    if len(year) >= 2:
        add(
            "repeat_victimisation",
            f"{len(year)} incidents reported in the last {t.potential_escalation_days} days, known to any agency.",
            S_MARAC_CRITERIA,
            2 if len(year) < t.potential_escalation_incidents else 3,
        )
    # Every account's agency knows about it, even when the event counts once.
    agencies = {
        a.agency_id
        for a in accounts
        if a.agency_id is not None and now - a.at <= timedelta(days=t.potential_escalation_days)
    }
    if len(agencies) >= 2:
        add(
            "known_to_several_agencies",
            f"Recent incidents were recorded by {len(agencies)} different agencies: "
            "no one agency sees the whole picture.",
            S_MARAC_CRITERIA,
            1,
        )
    violent = [i for i in year if i.kinds & {"physical_assault", "sexual"}]
    if violent:
        add(
            "violence",
            "Physical or sexual violence in the last year.",
            S_MARAC_CRITERIA,
            3,
            high=len(year) >= 2,
        )
    escalating, how = _escalating(year, t)
    if escalating:
        add(
            "escalation",
            f"Incidents are escalating — {how}.",
            S_ESCALATION,
            3,
            high=max((i.severity for i in year), default=0) >= 3,
        )
    home_access = [
        i
        for i in year
        if "cuckooing" in i.kinds or (i.location_kind in HOME_LOCATIONS and i.relationships & HOME_ACCESS_RELATIONSHIPS)
    ]
    if home_access:
        add(
            "perpetrator_access_to_home",
            "The person harming them has access to their home (someone they know at home, or their home taken over).",
            S_ESCALATION,
            3,
            high=any("cuckooing" in i.kinds for i in home_access),
        )
    known = [r for i in year for r in i.relationships if r not in {"stranger", "unknown"}]
    repeated = sorted({r for r in known if known.count(r) >= 2})
    if repeated:
        add(
            "repeat_perpetrator",
            f"The same person (a {', '.join(r.replace('_', ' ') for r in repeated)}) has harmed them more than once.",
            S_VULNERABILITY,
            2,
        )
    if any(i.care_setting_offence for i in year):
        add(
            "care_setting",
            "Ill-treatment or neglect by someone caring for them: the harm comes from the support they depend on.",
            S_CARE,
            3,
            high=True,
        )
    if any(i.mate_crime for i in year):
        add("mate_crime", "Exploited by someone they see as a friend.", S_VULNERABILITY, 2)
    if any("suicidality" in i.impacts for i in year):
        add(
            "suicidality",
            "They have had thoughts of ending their life since it happened.",
            S_MENTAL_HEALTH,
            4,
            high=True,
        )
    if any("mental_health_deterioration" in i.impacts for i in year):
        add("mental_health_deterioration", "Their mental health has got worse since it happened.", S_MENTAL_HEALTH, 2)
    if any(i.dismissed_as_symptom for i in year):
        add(
            "not_believed",
            "Someone dismissed it as a symptom of illness: people not believed stop reporting.",
            S_MENTAL_HEALTH,
            1,
        )

    score = sum(r.points for r in reasons)
    if high_factors or score >= t.high_score:
        actuarial = Level.HIGH
    elif score >= t.medium_score:
        actuarial = Level.MEDIUM
    else:
        actuarial = Level.STANDARD
    if not high_factors and actuarial is Level.HIGH:
        reasons.append(
            Reason("score_high", f"Score {score} reaches the high threshold of {t.high_score}.", S_MARAC_CRITERIA)
        )
    elif actuarial is Level.MEDIUM:
        reasons.append(
            Reason(
                "score_medium",
                f"Score {score} reaches the medium threshold of {t.medium_score} (high is {t.high_score}).",
                S_MARAC_CRITERIA,
            )
        )
    elif actuarial is Level.STANDARD:
        reasons.append(
            Reason(
                "score_standard", f"Score {score} is under the medium threshold of {t.medium_score}.", S_MARAC_CRITERIA
            )
        )

    level = actuarial
    criteria: list[str] = []
    if actuarial is Level.HIGH:
        criteria.append("visible_high_risk")
    if judgement is not None and judgement.level > actuarial:
        level = judgement.level
        reasons.append(
            Reason(
                "professional_judgement",
                f"Raised to {judgement.level.label} by professional judgement ({judgement.by}): {judgement.reasons}",
                S_MARAC_CRITERIA,
            )
        )
        if judgement.level is Level.HIGH:
            criteria.append("professional_judgement")
    elif judgement is not None and judgement.level < actuarial:
        # Never silently lowered: the rules' level stands, and the disagreement is on record.
        reasons.append(
            Reason(
                "judgement_not_applied",
                f"A judgement of {judgement.level.label} ({judgement.by}) "
                "was not applied: judgement may raise a level but not lower the rules' level.",
                S_MARAC_CRITERIA,
            )
        )
    if len(distinct_year) >= t.potential_escalation_incidents:
        criteria.append("potential_escalation")
        reasons.append(
            Reason(
                "potential_escalation",
                f"{len(distinct_year)} incidents in "
                f"{t.potential_escalation_days} days meets the panel threshold of "
                f"{t.potential_escalation_incidents}.",
                S_MARAC_CRITERIA,
            )
        )
    if last_panel_referral is not None and any(
        last_panel_referral < i.at <= last_panel_referral + timedelta(days=t.repeat_days) for i in incidents
    ):
        criteria.append("repeat")
        reasons.append(
            Reason(
                "repeat_after_panel",
                f"A new incident within {t.repeat_days} days of the last panel "
                "referral is a repeat: refer back to the panel.",
                S_MARAC_REPEAT,
            )
        )
    half_year = [i for i in incidents if now - i.at <= timedelta(days=t.case_review_days)]
    complaints = len(distinct_reports(half_year, t.same_incident_days))
    eligible = complaints >= t.case_review_complaints
    if eligible:
        reasons.append(
            Reason(
                "case_review_eligible",
                f"{complaints} reports in {t.case_review_days} days (one "
                "incident told to several agencies counts once): the person can ask for an ASB "
                "case review.",
                S_CASE_REVIEW,
            )
        )
    return Assessment(level, actuarial, score, tuple(reasons), tuple(criteria), eligible, rule_set)


_BASIS_WORDS = {
    "confirmed": "confirmed by a data protection lead",
    "auto": "matched automatically on strong evidence",
    "mixed": "confirmed by a data protection lead or matched automatically on strong evidence",
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def linked_history_text(linked: LinkedFacts | None, counted: list[IncidentFacts], days: int) -> str:
    """The reason, in plain words, that a person's history includes what is held under linked records: how many
    incidents recorded under other JoinedUp records of this person are counted, and how many other agencies know
    them — never which agencies, nor anything they hold. Empty when there is nothing to say."""
    if linked is None:
        return ""
    agencies = ""
    if linked.other_agencies:
        agencies = (
            f"Also known to {_plural(linked.other_agencies, 'other agency', 'other agencies')} under linked records"
        )
    if counted:
        how = _BASIS_WORDS.get(linked.basis, "")
        records = _plural(max(linked.records, 1), "linked JoinedUp record", "linked JoinedUp records")
        incidents = (
            f"{_plural(len(counted), 'incident', 'incidents')} in the last {days} days recorded under "
            f"{records}{f' ({how})' if how else ''} counted here"
        )
        return f"{agencies}: {incidents}." if agencies else f"{incidents[0].upper()}{incidents[1:]}."
    if not agencies:
        return ""
    ask = "ask them for information, with the person's consent"
    if linked.records:
        return f"{agencies}; no incident in the last {days} days is recorded under them in JoinedUp — {ask}."
    return f"{agencies}; what they hold is not in JoinedUp — {ask}."


def with_thresholds(rule_set: RuleSet, **changes: int) -> RuleSet:
    return replace(rule_set, thresholds=replace(rule_set.thresholds, **changes))
