"""What can be recorded about an incident (docs/api.md → Incidents; domain.md §3, §8).

Each value has a practitioner label and a plain-words label for people telling us themselves (aiming at a
reading age of about 9). The values are the API contract; the labels are what people read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Term:
    value: str
    label: str  # for practitioners
    plain: str  # for the person, in plain words ("you")
    third: str = ""  # for someone telling us about another person ("them"); empty when plain already fits

    @property
    def about_them(self) -> str:
        return self.third or self.plain


def _terms(*rows: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(Term(*row) for row in rows)


class ReportedBy(StrEnum):
    SELF = "self"
    THIRD_PARTY = "third_party"
    PRACTITIONER = "practitioner"


KINDS = _terms(
    (
        "verbal_abuse",
        "Verbal abuse",
        "Shouting, swearing or calling you names",
        "Shouting, swearing or calling them names",
    ),
    ("harassment", "Harassment", "Keeping on bothering or following you", "Keeping on bothering or following them"),
    ("threats", "Threats", "Threatening to hurt you", "Threatening to hurt them"),
    (
        "physical_assault",
        "Physical assault",
        "Hitting, pushing or hurting your body",
        "Hitting, pushing or hurting their body",
    ),
    (
        "sexual",
        "Sexual abuse or assault",
        "Touching you sexually or making you do sexual things",
        "Touching them sexually or making them do sexual things",
    ),
    (
        "financial_exploitation",
        "Financial exploitation",
        "Taking or using your money, cards or benefits",
        "Taking or using their money, cards or benefits",
    ),
    (
        "cuckooing",
        "Cuckooing (taking over the home)",
        "Taking over your home or using it without your say",
        "Taking over their home or using it without their say",
    ),
    ("theft", "Theft", "Stealing your things", "Stealing their things"),
    (
        "criminal_damage",
        "Criminal damage",
        "Breaking or damaging your things or your home",
        "Breaking or damaging their things or their home",
    ),
    (
        "threats_to_home",
        "Threats to set fire to or damage the home",
        "Threatening to set fire to or damage your home",
        "Threatening to set fire to or damage their home",
    ),
    ("online_abuse", "Online abuse", "Being nasty to you online or by text", "Being nasty to them online or by text"),
    (
        "ill_treatment_or_neglect",
        "Ill-treatment or neglect",
        "Someone who cares for you hurting or not looking after you",
        "Someone who cares for them hurting or not looking after them",
    ),
    (
        "discrimination",
        "Discrimination",
        "Treating you unfairly because of who you are",
        "Treating them unfairly because of who they are",
    ),
    ("other", "Something else", "Something else"),
)

STRANDS = _terms(
    (
        "disability",
        "Disability (including mental ill health)",
        "Your mental health or a disability",
        "Their mental health or a disability",
    ),
    ("race", "Race", "Your race, skin colour or where you are from", "Their race, skin colour or where they are from"),
    ("religion", "Religion or belief", "Your religion or beliefs", "Their religion or beliefs"),
    ("sexual_orientation", "Sexual orientation", "Who you love — being gay, lesbian or bisexual"),
    ("transgender", "Transgender identity", "Being trans"),
    ("other", "Other (recorded locally)", "Something else about you", "Something else about them"),
)

PERCEIVED_BY = _terms(
    ("victim", "The person themselves", "You", "The person"),
    ("other_person", "Someone else (a witness, friend or family member)", "Someone else"),
    ("practitioner", "A practitioner", "A worker"),
)

RELATIONSHIPS = _terms(
    ("stranger", "Stranger", "A stranger"),
    ("neighbour", "Neighbour", "A neighbour"),
    (
        "friend",
        "Someone who says they are a friend",
        "Someone who says they are your friend",
        "Someone who says they are their friend",
    ),
    ("family", "Family member", "Someone in your family", "Someone in their family"),
    ("partner", "Partner or ex-partner", "A partner or ex-partner"),
    ("carer", "Unpaid carer", "Someone who looks after you, not paid", "Someone who looks after them, not paid"),
    (
        "paid_care_worker",
        "Paid care worker or personal assistant",
        "A paid care worker or personal assistant",
    ),
    (
        "staff",
        "Staff of a service (care home, ward, day service)",
        "Staff at a place that cares for you",
        "Staff at a place that cares for them",
    ),
    ("other_resident", "Another resident or patient", "Someone else who lives or stays there"),
    ("unknown", "Not known", "I do not know who"),
)

LOCATIONS = _terms(
    ("home", "Their home", "At your home", "At their home"),
    ("near_home", "Near their home", "Near your home", "Near their home"),
    ("street", "In the street", "In the street"),
    ("public_transport", "On public transport", "On a bus, train or tram"),
    ("shop_or_public_place", "In a shop or public place", "In a shop, park or other public place"),
    ("online", "Online or by phone", "Online, by text or on the phone"),
    ("care_home", "Care home", "In a care home"),
    ("supported_housing", "Supported housing", "In supported housing"),
    ("inpatient_ward", "Inpatient ward", "On a hospital ward"),
    ("day_service", "Day service", "At a day centre or day service"),
    ("workplace", "Workplace", "At work or where you volunteer", "At work or where they volunteer"),
    ("other", "Somewhere else", "Somewhere else"),
)

# The 13 impacts of the service-user model of avoidable harm (Carr, Sweeney, Coldham, Hudson 2022; seed 004).
IMPACTS = _terms(
    ("stress", "Stress", "Feeling stressed"),
    ("fear", "Fear", "Feeling scared"),
    ("psychological_distress", "Psychological and emotional distress", "Feeling very upset"),
    (
        "mental_health_deterioration",
        "Deterioration in mental health",
        "My mental health got worse",
        "Their mental health got worse",
    ),
    (
        "physical_health_deterioration",
        "Deterioration in physical health",
        "My body or health got worse",
        "Their body or health got worse",
    ),
    ("disempowerment", "Disempowerment", "Feeling I have no say or no power", "Feeling they have no say or no power"),
    (
        "loss_of_independence",
        "Loss of independence",
        "I cannot do things for myself like before",
        "They cannot do things for themselves like before",
    ),
    (
        "reduced_quality_of_life",
        "Reduced quality of life and living circumstances",
        "My life or home is worse",
        "Their life or home is worse",
    ),
    (
        "financial_hardship",
        "Financial hardship",
        "I have less money or cannot pay for things",
        "They have less money or cannot pay for things",
    ),
    (
        "trauma",
        "Trauma",
        "I keep reliving it or cannot stop thinking about it",
        "They keep reliving it or cannot stop thinking about it",
    ),
    (
        "loss_of_trust",
        "Loss of trust",
        "I find it hard to trust people or services",
        "They find it hard to trust people or services",
    ),
    (
        "suicidality",
        "Suicidal thoughts",
        "I have thought about ending my life",
        "They have thought about ending their life",
    ),
    (
        "disengaging_from_services",
        "Disengaging from services",
        "I stopped going to services or asking for help",
        "They stopped going to services or asking for help",
    ),
)

WANTED_ACTIONS = _terms(
    ("make_it_stop", "Make it stop", "Make it stop"),
    ("feel_safe_at_home", "Help to feel safe at home", "Help to feel safe at home"),
    ("talk_to_someone", "Someone to talk to", "Someone to talk to"),
    ("tell_police", "Tell the police", "Tell the police"),
    ("advocate", "An advocate to speak up with them", "Someone to help me speak up", "Someone to help them speak up"),
    ("peer_support", "Peer support", "Talk to people who have been through it too"),
    ("move_home", "Help to move home", "Help to move home"),
    (
        "nothing_now",
        "Nothing for now — just to record it",
        "Nothing for now — I just want you to know",
        "Nothing for now — they just want you to know",
    ),
)

YES_NO_UNKNOWN = _terms(
    ("yes", "Yes", "Yes"),
    ("no", "No", "No"),
    ("unknown", "Not known", "I'm not sure"),
)

SETTINGS = _terms(
    ("acute", "Acute (A&E, ambulance, inpatient units)", "Hospital"),
    ("primary", "Primary care (GP, practice nurse, pharmacy)", "GP or pharmacy"),
    (
        "community",
        "Community (social care, housing, charities, community mental health)",
        "Community services",
    ),
    ("specialised", "Specialised (talking therapies, specialist services)", "Specialist services"),
)

NEEDS = _terms(
    ("physical", "Physical health", "Physical health"),
    ("mental", "Mental health", "Mental health"),
)

# Right now: any of these is a crisis. The next page says what to do now, and the report is marked urgent.
SAFETY_NOW = _terms(
    ("danger_now", "In danger now", "I am in danger now", "They are in danger now"),
    (
        "suicidal_thoughts",
        "Thinking about ending their life",
        "I am thinking about ending my life",
        "They have talked about ending their life",
    ),
    (
        "self_harm",
        "Has harmed or may harm themselves",
        "I have hurt myself, or I might",
        "They have hurt themselves, or might",
    ),
    (
        "cannot_keep_safe",
        "Cannot keep themselves safe",
        "I cannot keep myself safe",
        "They cannot keep themselves safe",
    ),
)

CONTACT_CHANNELS = _terms(
    ("phone", "Phone call", "Phone call"),
    ("text", "Text message", "Text message"),
    ("email", "Email", "Email"),
    ("letter", "Letter", "Letter"),
    ("visit", "Visit in person", "A visit"),
)


def values(terms: tuple[Term, ...]) -> list[str]:
    return [term.value for term in terms]


def label_of(terms: tuple[Term, ...], value: str, *, plain: bool = False) -> str:
    for term in terms:
        if term.value == value:
            return term.plain if plain else term.label
    return value


def labels_of(terms: tuple[Term, ...], chosen: list[str] | tuple[str, ...], *, empty: str = "Not recorded") -> str:
    """Practitioner labels for stored values, joined for a summary row (never the raw values)."""
    return ", ".join(label_of(terms, value) for value in chosen) or empty
