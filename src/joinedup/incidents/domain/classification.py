"""Classifying what happened — pure rules, each decision with its reasons and sources (domain.md §3–§4).

The person's own account is never changed by any of this: classification is read alongside it, and it is
recomputed, never edited by hand. Rules are versioned; each incident stores the version used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from joinedup.access.domain.minimum import Group

RULE_SET_NAME = "incident-classification"
RULE_SET_VERSION = "2026.1"

# Sources cited in reasons (domain.md → Sources).
S_CPS_HATE = "CPS and police agreed definition of hate crime [S1]"
S_S66 = "Sentencing Act 2020 s66 [S4]"
S_DISABILITY = "CPS guidance: mental ill health is a disability for hate crime [S4][S5]"
S_CARE_ACT_S42 = "Care Act 2014 s42(1) [S15]"
S_MCA_S44 = "Mental Capacity Act 2005 s44 [S21]"
S_CJCA_S20 = "Criminal Justice and Courts Act 2015 s20 [S21]"
S_CJCA_S21 = "Criminal Justice and Courts Act 2015 s21 [S21]"
S_MATE_CRIME = "Mate crime guidance (Community Care 2017; North Somerset SAB) [S9][S10]"
S_CUCKOOING = "Crime and Policing Act 2026 [S12]"
S_ABUSE_TYPES = "Care and support statutory guidance, types of abuse [S17]"
S_ROBBERY = "Theft Act 1968 s8"
S_THREAT_TO_PROPERTY = "Criminal Damage Act 1971 s2"

CARE_RELATIONSHIPS = frozenset({"carer", "paid_care_worker", "staff"})
CARE_LOCATIONS = frozenset({"care_home", "supported_housing", "inpatient_ward", "day_service"})
# Kinds of harm through which a "friend" exploits someone: mate crime (domain.md §3).
EXPLOITATION_KINDS = frozenset(
    {"financial_exploitation", "cuckooing", "theft", "sexual", "physical_assault", "threats", "harassment"}
)
# Ill-treatment by a carer, paid care worker or staff includes hitting and sexual assault: the care-setting offences
# (MCA 2005 s44, CJCA 2015 ss20-21) do not need "ill-treatment" ticked as well as the assault.
ILL_TREATMENT_KINDS = frozenset({"ill_treatment_or_neglect", "physical_assault", "sexual"})
# Robbery is stealing, using force or the threat of force at the time, in order to steal (Theft Act 1968 s8).
TAKING_KINDS = frozenset({"theft", "financial_exploitation"})
FORCE_KINDS = frozenset({"physical_assault", "threats"})
# Fraud by abuse of position needs a position in which the person trusted them (Fraud Act 2006 s4): someone they
# know, not a stranger who threatened them at a cash machine.
POSITION_RELATIONSHIPS = frozenset({"friend", "family", "partner", "carer", "paid_care_worker", "staff"})


@dataclass(frozen=True)
class IncidentFacts:
    """What classification reads. Built from an incident, a draft or API input; no Django."""

    kinds: frozenset[str] = frozenset()
    strands: frozenset[str] = frozenset()
    perceived_by: frozenset[str] = frozenset()
    relationships: frozenset[str] = frozenset()
    location_kind: str = ""
    injuries: str = ""
    happened_before: str = "unknown"  # yes | no | unknown
    has_care_needs: str = "unknown"  # yes | no | unknown
    unable_to_protect_self: str = "unknown"  # yes | no | unknown


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    source: str


@dataclass(frozen=True)
class Offence:
    code: str
    label: str
    source: str


@dataclass(frozen=True)
class Safeguarding:
    s42_criteria_met: bool | None
    care_and_support_needs: bool | None
    abuse_or_risk: bool | None
    unable_to_protect_self: bool | None
    abuse_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    hate_incident: bool
    strands: tuple[str, ...]
    possible_offences: tuple[Offence, ...]
    care_setting_offence: bool
    mate_crime: bool
    safeguarding: Safeguarding
    reasons: tuple[Reason, ...]
    rule_set: tuple[str, str] = (RULE_SET_NAME, RULE_SET_VERSION)

    def as_dict(self) -> dict[str, object]:
        return {
            "hate_incident": self.hate_incident,
            "strands": list(self.strands),
            "possible_offences": [o.__dict__ for o in self.possible_offences],
            "care_setting_offence": self.care_setting_offence,
            "mate_crime": self.mate_crime,
            "safeguarding": {
                "s42_criteria_met": self.safeguarding.s42_criteria_met,
                "criteria": {
                    "care_and_support_needs": self.safeguarding.care_and_support_needs,
                    "abuse_or_risk": self.safeguarding.abuse_or_risk,
                    "unable_to_protect_self": self.safeguarding.unable_to_protect_self,
                },
                "abuse_types": list(self.safeguarding.abuse_types),
            },
            "reasons": [r.__dict__ for r in self.reasons],
            "rule_set": {"name": self.rule_set[0], "version": self.rule_set[1]},
        }


STRAND_WORDS = {
    "disability": "disability (which includes mental ill health)",
    "race": "race",
    "religion": "religion or belief",
    "sexual_orientation": "sexual orientation",
    "transgender": "transgender identity",
    "other": "another characteristic recorded locally",
}
PERCEIVER_WORDS = {"victim": "the person", "other_person": "someone else", "practitioner": "a practitioner"}


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@dataclass
class _Builder:
    reasons: list[Reason] = field(default_factory=list)
    offences: list[Offence] = field(default_factory=list)

    def reason(self, code: str, text: str, source: str) -> None:
        self.reasons.append(Reason(code, text, source))

    def offence(self, code: str, label: str, source: str) -> None:
        if all(o.code != code for o in self.offences):
            self.offences.append(Offence(code, label, source))


def _hate(facts: IncidentFacts, b: _Builder) -> bool:
    if not facts.strands:
        b.reason(
            "no_hostility_perceived",
            "No one has said they think it happened because of who the person is. That can be added at any time.",
            S_CPS_HATE,
        )
        return False
    who = " and ".join(PERCEIVER_WORDS[p] for p in sorted(facts.perceived_by) if p in PERCEIVER_WORDS)
    strands = ", ".join(STRAND_WORDS.get(s, s) for s in sorted(facts.strands))
    b.reason(
        "perceived_hostility",
        f"Recorded as a hate incident because {who or 'someone'} perceived hostility based on {strands}. "
        "Perception is enough to record it; no evidence of hostility is needed.",
        S_CPS_HATE,
    )
    if "disability" in facts.strands:
        b.reason(
            "mental_ill_health_is_disability",
            "Hostility because of mental ill health counts as disability hostility; no diagnosis is needed.",
            S_DISABILITY,
        )
    return True


OFFENCE_RULES: tuple[tuple[str, str, str, str], ...] = (
    # (kind, offence code, label, source)
    (
        "verbal_abuse",
        "public_order_s5",
        "Causing harassment, alarm or distress (Public Order Act 1986 s5)",
        "Public Order Act 1986 s5",
    ),
    (
        "threats",
        "public_order_s4",
        "Threatening behaviour — fear or provocation of violence (Public Order Act 1986 s4)",
        "Public Order Act 1986 s4",
    ),
    (
        "physical_assault",
        "common_assault",
        "Common assault or battery (Criminal Justice Act 1988 s39)",
        "Criminal Justice Act 1988 s39",
    ),
    ("sexual", "sexual_offence", "Sexual offence (Sexual Offences Act 2003)", "Sexual Offences Act 2003"),
    (
        "financial_exploitation",
        "fraud",
        "Fraud by abuse of position or false representation (Fraud Act 2006)",
        "Fraud Act 2006 ss2-4",
    ),
    (
        "cuckooing",
        "cuckooing",
        "Cuckooing — controlling another person's home for crime (Crime and Policing Act 2026)",
        S_CUCKOOING,
    ),
    ("theft", "theft", "Theft (Theft Act 1968 s1)", "Theft Act 1968 s1"),
    (
        "threats_to_home",
        "threat_to_damage_property",
        "Threatening to destroy or damage property, such as setting fire to the home (Criminal Damage Act 1971 s2)",
        S_THREAT_TO_PROPERTY,
    ),
    (
        "criminal_damage",
        "criminal_damage",
        "Criminal damage (Criminal Damage Act 1971 s1)",
        "Criminal Damage Act 1971 s1",
    ),
    (
        "online_abuse",
        "malicious_communications",
        "Sending threatening or grossly offensive messages (Malicious Communications Act 1988 s1)",
        "Malicious Communications Act 1988 s1",
    ),
)


def _robbery(facts: IncidentFacts) -> bool:
    return bool(facts.kinds & TAKING_KINDS and facts.kinds & FORCE_KINDS)


def _offences(facts: IncidentFacts, b: _Builder, hate: bool) -> None:
    robbery = _robbery(facts)
    if robbery:
        b.offence(
            "robbery",
            "Robbery — stealing using force or the threat of force (Theft Act 1968 s8)",
            S_ROBBERY,
        )
        b.reason(
            "robbery",
            "Money or belongings were taken with force or threats at the time: that is robbery, not only theft.",
            S_ROBBERY,
        )
    for kind, code, label, source in OFFENCE_RULES:
        if kind not in facts.kinds:
            continue
        # Robbery includes the theft; fraud by abuse of position needs a position of trust the taker abused.
        if robbery and code == "theft":
            continue
        if robbery and code == "fraud" and not facts.relationships & POSITION_RELATIONSHIPS:
            continue
        b.offence(code, label, source)
    if "physical_assault" in facts.kinds and facts.injuries.strip():
        b.offence(
            "assault_abh",
            "Assault occasioning actual bodily harm (Offences against the Person Act 1861 s47)",
            "Offences against the Person Act 1861 s47",
        )
    if "harassment" in facts.kinds:
        if facts.happened_before == "yes":
            b.offence(
                "harassment",
                "Harassment — a course of conduct (Protection from Harassment Act 1997 s2)",
                "Protection from Harassment Act 1997 s2",
            )
        else:
            b.reason(
                "harassment_needs_course_of_conduct",
                "Harassment as an offence needs conduct on at least two occasions; record it if it happens again.",
                "Protection from Harassment Act 1997 s7(3)",
            )
    if hate and b.offences:
        b.offence(
            "hostility_uplift",
            "Hostility based on a protected characteristic — the court must treat it as aggravating (s66)",
            S_S66,
        )


def _care_setting(facts: IncidentFacts, b: _Builder) -> bool:
    care_perpetrators = facts.relationships & CARE_RELATIONSHIPS
    if not facts.kinds & ILL_TREATMENT_KINDS or not care_perpetrators:
        if care_perpetrators and facts.kinds:
            b.reason(
                "harm_by_carer_or_staff",
                "The person who harmed them cares for them or is staff: record any offence as an offence, "
                "not only as a care failing.",
                S_CJCA_S20,
            )
        return False
    if "carer" in care_perpetrators:
        b.offence(
            "ill_treatment_by_carer",
            "Ill-treatment or wilful neglect by a person caring for someone who lacks capacity (MCA 2005 s44)",
            S_MCA_S44,
        )
    if care_perpetrators & {"paid_care_worker", "staff"}:
        b.offence(
            "ill_treatment_by_care_worker",
            "Ill-treatment or wilful neglect by a care worker (Criminal Justice and Courts Act 2015 s20; "
            "capacity is irrelevant)",
            S_CJCA_S20,
        )
    if "staff" in care_perpetrators or facts.location_kind in CARE_LOCATIONS:
        b.offence(
            "ill_treatment_by_care_provider",
            "Care provider offence where its management allowed the ill-treatment or neglect (CJCA 2015 s21)",
            S_CJCA_S21,
        )
    b.reason(
        "care_setting_offence",
        "Ill-treatment or neglect by someone caring for the person is a possible crime, not only a care "
        "failing: it must be considered for reporting to the police.",
        f"{S_MCA_S44}; {S_CJCA_S20}-21",
    )
    return True


def _mate_crime(facts: IncidentFacts, b: _Builder) -> bool:
    if "cuckooing" in facts.kinds:
        b.reason(
            "cuckooing_is_mate_crime",
            "Someone taking over the person's home (cuckooing) is a form of mate crime and is now an offence.",
            f"{S_MATE_CRIME}; {S_CUCKOOING}",
        )
        return True
    if "friend" in facts.relationships and facts.kinds & EXPLOITATION_KINDS:
        kinds = ", ".join(sorted(facts.kinds & EXPLOITATION_KINDS)).replace("_", " ")
        b.reason(
            "befriended_then_exploited",
            f"Someone the person sees as a friend is exploiting or harming them ({kinds}): possible mate crime.",
            S_MATE_CRIME,
        )
        return True
    return False


ABUSE_TYPE_BY_KIND = {
    "physical_assault": "physical",
    "sexual": "sexual",
    "financial_exploitation": "financial_or_material",
    "theft": "financial_or_material",
    "cuckooing": "financial_or_material",
    "verbal_abuse": "psychological",
    "threats": "psychological",
    "threats_to_home": "psychological",
    "harassment": "psychological",
    "online_abuse": "psychological",
    "ill_treatment_or_neglect": "neglect_and_acts_of_omission",
    "discrimination": "discriminatory",
}


def _safeguarding(facts: IncidentFacts, b: _Builder, hate: bool, care_setting: bool) -> Safeguarding:
    needs = _tri(facts.has_care_needs)
    abuse = True if facts.kinds else None
    unable = _tri(facts.unable_to_protect_self)
    types = {ABUSE_TYPE_BY_KIND[k] for k in facts.kinds if k in ABUSE_TYPE_BY_KIND}
    if hate:
        types.add("discriminatory")
    if facts.relationships & {"partner", "family"}:
        types.add("domestic")
    if care_setting and (facts.relationships & {"staff"} or facts.location_kind in CARE_LOCATIONS):
        types.add("organisational")
    criteria = (needs, abuse, unable)
    tests = dict(
        zip(("care and support needs", "abuse or risk of it", "unable to protect themselves"), criteria, strict=True)
    )
    met: bool | None
    if all(c is True for c in criteria):
        met = True
        b.reason(
            "s42_met",
            "All three tests for a safeguarding enquiry are met: care and support needs, experiencing or at risk "
            "of abuse, and unable to protect themselves because of those needs. Raise a safeguarding concern.",
            S_CARE_ACT_S42,
        )
    elif any(c is False for c in criteria):
        met = False
        missing = [name for name, value in tests.items() if value is False]
        b.reason(
            "s42_not_met",
            f"A section 42 enquiry is not owed because this test is not met: {', '.join(missing)}. "
            "Another kind of safeguarding enquiry, or support, may still help.",
            S_CARE_ACT_S42,
        )
    else:
        met = None
        unknown = [name for name, value in tests.items() if value is None]
        b.reason(
            "s42_not_enough_information",
            f"Not enough is known to say whether a safeguarding enquiry is owed: ask about {', '.join(unknown)}.",
            S_CARE_ACT_S42,
        )
    return Safeguarding(met, needs, abuse, unable, tuple(sorted(types)))


def classify(facts: IncidentFacts) -> Classification:
    b = _Builder()
    hate = _hate(facts, b)
    care_setting = _care_setting(facts, b)
    _offences(facts, b, hate)
    mate = _mate_crime(facts, b)
    safeguarding = _safeguarding(facts, b, hate, care_setting)
    if safeguarding.abuse_types:
        b.reason(
            "abuse_types",
            "Types of abuse under the Care Act guidance: "
            + ", ".join(t.replace("_", " ") for t in safeguarding.abuse_types)
            + ".",
            S_ABUSE_TYPES,
        )
    return Classification(
        hate_incident=hate,
        strands=tuple(sorted(facts.strands)),
        possible_offences=tuple(b.offences),
        care_setting_offence=care_setting,
        mate_crime=mate,
        safeguarding=safeguarding,
        reasons=tuple(b.reasons),
    )


# Which groups of the person's record each reason's facts come from (access/domain/minimum.py): the Care Act
# screen and abuse types are safeguarding; everything else (hostility, offences, care setting, mate crime) is
# what happened — harm.
_SAFEGUARDING_REASONS = frozenset({"s42_met", "s42_not_met", "s42_not_enough_information", "abuse_types"})


def reason_groups(code: str) -> frozenset[Group]:
    if code in _SAFEGUARDING_REASONS:
        return frozenset({Group.SAFEGUARDING})
    return frozenset({Group.HARM})
