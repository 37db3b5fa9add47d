"""Pathway suggestions for a case, each with its reason and rule (domain.md §2, §4, §6). Pure.

Suggestions never act: the practitioner and the person choose. Each names the consent purpose that acting on it
needs, so the page can say whether consent or a sharing decision already covers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from joinedup.access.domain.minimum import ALL, Group, agency_name_groups

RULES_VERSION = "2026.1"


class Need(StrEnum):
    POLICE = "police"
    ADULT_SAFEGUARDING = "adult_safeguarding"
    VICTIM_SUPPORT = "victim_support"
    ADVOCACY = "advocacy"
    PEER_SUPPORT = "peer_support"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    FIRE_SAFETY = "fire_safety"
    GP = "gp"
    PANEL = "panel"


NEED_LABELS = {
    Need.POLICE: "Report to the police",
    Need.ADULT_SAFEGUARDING: "Raise an adult safeguarding concern",
    Need.VICTIM_SUPPORT: "Victim support",
    Need.ADVOCACY: "Independent advocacy",
    Need.PEER_SUPPORT: "Peer support",
    Need.MENTAL_HEALTH: "Mental health team or crisis service",
    Need.HOUSING: "Housing",
    Need.FIRE_SAFETY: "Fire and rescue home safety visit",
    Need.GP: "GP",
    Need.PANEL: "Refer to the community risk panel",
}


# Which groups of the person's record a suggestion's reason is drawn from (access/domain/minimum.py): a
# reader who may not see those facts sees the suggestion without its reason.
NEED_GROUPS: dict[Need, frozenset[Group]] = {
    Need.POLICE: frozenset({Group.HARM}),
    Need.ADULT_SAFEGUARDING: frozenset({Group.SAFEGUARDING}),
    Need.VICTIM_SUPPORT: frozenset({Group.HARM}),
    Need.ADVOCACY: frozenset({Group.SAFEGUARDING, Group.HEALTH}),
    Need.PEER_SUPPORT: frozenset({Group.HEALTH}),
    Need.MENTAL_HEALTH: frozenset({Group.HEALTH}),
    Need.HOUSING: frozenset({Group.HARM}),
    Need.FIRE_SAFETY: frozenset({Group.HARM}),
    Need.GP: frozenset({Group.HEALTH}),
    Need.PANEL: frozenset({Group.RISK}),
}


def service_groups(needs: list[str] | tuple[str, ...]) -> frozenset[Group]:
    """What a referral or signpost to a service discloses about the person: the groups of its first (primary)
    need — a referral to a crisis team tells a health fact; one to victim support tells what happened."""
    for need in needs:
        if need in Need.__members__.values():
            return NEED_GROUPS[Need(need)]
    return frozenset({Group.HARM})


def referral_groups(needs: list[str] | tuple[str, ...] | None, *, agency_kind: str) -> frozenset[Group]:
    """What a referral discloses about the person: a referral to a service, its primary need's groups; a request
    for information (no service), what the asked agency's name tells (a health or care agency: a health fact)."""
    if needs is None:
        return agency_name_groups(agency_kind)
    return service_groups(needs)


# A request for information is answered within this many working days: routine, a search of the agency's own
# records; urgent, when the answer bears on the person's safety now (docs/referrals.md).
INFORMATION_WORKING_DAYS = {"routine": 5, "urgent": 1}
# The agency's answer is its own account of the person and may touch anything: it is shown only to readers who see
# the whole record (and to the agency that wrote it).
INFORMATION_GROUPS = ALL


@dataclass(frozen=True)
class CaseFacts:
    """What the suggestion rules read about a person's open case (built from incidents, risk and consent)."""

    possible_offences: frozenset[str] = frozenset()
    hate_incident: bool = False
    s42: frozenset[bool | None] = frozenset()  # the s42 screen results across incidents
    kinds: frozenset[str] = frozenset()
    relationships: frozenset[str] = frozenset()
    locations: frozenset[str] = frozenset()
    impacts: frozenset[str] = frozenset()
    wanted: frozenset[str] = frozenset()
    injuries: bool = False
    dismissed_as_symptom: bool = False
    police_aware: bool | None = None
    police_report_sent: bool = False  # a report to the police has been sent from JoinedUp for this person
    panel_criteria: frozenset[str] = frozenset()
    already: frozenset[str] = field(default_factory=frozenset)  # needs already referred or signposted


@dataclass(frozen=True)
class Suggestion:
    kind: Need
    reason: str
    rule: str  # the rule in plain words, shown to practitioners
    consent_purpose: str
    source: str = ""  # where the rule comes from (domain.md → Sources), kept apart from what is shown


# The consent purpose acting on each need takes: the panel discusses a person (discuss_at_panel), the police receive
# a report (report_to_police), every other need is a referral.
PURPOSE_BY_NEED = {Need.POLICE: "report_to_police", Need.PANEL: "discuss_at_panel"}


def consent_purpose_for(needs: list[str] | frozenset[str]) -> str:
    """The consent purpose a referral to a service meeting these needs takes: a service that only hears panel
    cases needs consent to discuss the person at the panel; anything else is a referral."""
    return "discuss_at_panel" if set(needs) == {Need.PANEL.value} else "refer"


HOME = frozenset({"home", "near_home", "supported_housing"})
# A fire and rescue home safety visit helps when the home itself is threatened: threats of arson or damage to the
# home, damage done at home, or the home taken over. A threat to hurt the person is not a threat to the home.
HOME_THREAT_KINDS = frozenset({"threats_to_home"})
HOME_DAMAGE_KINDS = frozenset({"criminal_damage"})


def suggest(facts: CaseFacts) -> list[Suggestion]:
    out: list[Suggestion] = []

    def add(kind: Need, reason: str, rule: str, source: str) -> None:
        # One suggestion per need, and none for a need already met by a referral.
        if kind.value not in facts.already and all(s.kind != kind for s in out):
            out.append(Suggestion(kind, reason, rule, PURPOSE_BY_NEED.get(kind, "refer"), source))

    police_know = facts.police_aware is True or facts.police_report_sent
    if facts.possible_offences and not police_know:
        why = "They want to tell the police. " if "tell_police" in facts.wanted else ""
        hate = "Hate crime is recorded on perception alone. " if facts.hate_incident else ""
        add(
            Need.POLICE,
            f"{why}{hate}What happened may be an offence, and the police do not know yet. Reporting is "
            "their choice; a trusted organisation can report for them (third-party reporting).",
            "A possible offence the police do not know about",
            "[S1][S33]",
        )
    if True in facts.s42 or None in facts.s42:
        met = True in facts.s42
        add(
            Need.ADULT_SAFEGUARDING,
            "All three tests for a safeguarding enquiry are met."
            if met
            else "It is not yet clear whether a safeguarding enquiry is owed: the local authority decides.",
            "The Care Act safeguarding tests are met or unclear",
            "Care Act 2014 s42 [S15]",
        )
    if facts.possible_offences:
        add(
            Need.VICTIM_SUPPORT,
            "Victims have the right to be referred to support services, whether or not they report to the police.",
            "Victims' Code: the right to be referred to support",
            "Victims' Code right 4 [S33]",
        )
    if "advocate" in facts.wanted or True in facts.s42 or facts.dismissed_as_symptom:
        add(
            Need.ADVOCACY,
            "An advocate can help them be heard — especially where they have not been believed, or a "
            "safeguarding enquiry may follow.",
            "Advocacy helps them be heard",
            "Care Act advocacy; being heard [S19][S50]",
        )
    if facts.wanted & {"peer_support", "talk_to_someone"} or facts.impacts & {
        "loss_of_trust",
        "disengaging_from_services",
    }:
        add(
            Need.PEER_SUPPORT,
            "People who have been through it can help, particularly when trust in services is low.",
            "Peer support when trust is low or they ask for it",
            "What helps: peer support and advocacy [seed 000, 003]",
        )
    if facts.impacts & {"suicidality", "mental_health_deterioration"}:
        urgent = "suicidality" in facts.impacts
        add(
            Need.MENTAL_HEALTH,
            (
                "They have had thoughts of ending their life: contact the crisis service today. "
                if urgent
                else "Their mental health has got worse since it happened. "
            ),
            "Their mental health has been affected",
            "Impact on mental health [S50]",
        )
    housing_reasons = []
    if "neighbour" in facts.relationships:
        housing_reasons.append("the person harming them is a neighbour")
    if "cuckooing" in facts.kinds:
        housing_reasons.append("their home has been taken over (cuckooing)")
    if facts.locations & HOME and facts.relationships & {"friend", "neighbour", "family", "partner"}:
        housing_reasons.append("someone they know is harming them at home")
    if facts.wanted & {"move_home", "feel_safe_at_home"}:
        housing_reasons.append("they want help to feel safe at home or to move")
    if housing_reasons:
        add(
            Need.HOUSING,
            "Housing can act because " + "; ".join(housing_reasons) + ".",
            "A neighbour, cuckooing, or someone with access to their home",
            "domain.md §5",
        )
    home_threatened = bool(facts.kinds & HOME_THREAT_KINDS)
    home_damaged = bool(facts.kinds & HOME_DAMAGE_KINDS and facts.locations & HOME)
    if "cuckooing" in facts.kinds or home_threatened or home_damaged:
        add(
            Need.FIRE_SAFETY,
            "Threats to set fire to or damage their home, damage at home, or the home taken over: a home fire "
            "safety visit can fit alarms and letterbox protection.",
            "Threats of arson or damage to the home",
            "domain.md §5",
        )
    if facts.injuries or "physical_health_deterioration" in facts.impacts:
        add(
            Need.GP,
            "They were hurt or their physical health has got worse.",
            "Injuries or physical health affected",
            "domain.md §3",
        )
    if facts.panel_criteria:
        add(
            Need.PANEL,
            "The panel referral criteria are met: "
            + ", ".join(sorted(facts.panel_criteria)).replace("_", " ")
            + ". The community risk panel hears cases like this; ask them whether they agree to it being "
            "discussed.",
            "The community risk panel's referral criteria are met",
            "Community MARAC referral criteria [S24][S28]",
        )
    return out
