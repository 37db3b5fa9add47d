"""The service-user model of avoidable harm (Carr, Sweeney, Coldham, Hudson 2022: "Avoidable harm in mental health
social care", NIHR SSCR; seed 004, domain.md §8), as reference data for harm reports and complaints.

The values are the API contract (docs/api.md → Complaints and avoidable harm); each has the model's own wording
(for staff and figures) and plain words for the person telling us. The impacts are the same 13 as for incidents
(incidents/domain/vocabulary.py), so one person's story uses one list. Minimisations keep the seed's numbering:
#3 is absent from the seed and is not known, so it is not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from joinedup.incidents.domain.vocabulary import IMPACTS

SOURCE = "Carr, Sweeney, Coldham and Hudson (2022), Avoidable harm in mental health social care [S53][S54]"


@dataclass(frozen=True)
class Code:
    value: str
    label: str  # the model's own words
    plain: str  # for the person, in plain words


def _codes(*rows: tuple[str, str, str]) -> tuple[Code, ...]:
    return tuple(Code(*row) for row in rows)


# The 7 sources of harm, in the model's order.
SOURCES = _codes(
    (
        "systems_and_bureaucracy",
        "Barriers or burdens caused by systems and bureaucracy",
        "Forms, rules or delays made things hard for me",
    ),
    ("stigma_and_discrimination", "Stigma and discrimination", "I was judged or treated unfairly because of who I am"),
    (
        "fragmented_services",
        "Fragmented services and lack of joined-up working",
        "Services did not work together, or I had to keep telling my story",
    ),
    (
        "lack_of_support",
        "Disruption to or lack of appropriate support",
        "My support stopped, changed or was not right for me",
    ),
    (
        "oppressive_cultures",
        "Oppressive, controlling or defensive organisational cultures and systems",
        "The service did not listen, closed ranks or would not admit mistakes",
    ),
    (
        "staff_misconduct_or_sexual_abuse",
        "Serious misconduct or sexual abuse by staff",
        "A member of staff abused me or did something seriously wrong",
    ),
    (
        "neglectful_frontline_practice",
        "Neglectful, defensive or controlling frontline practice",
        "A worker did not look after me properly, or tried to control me",
    ),
)

# What the person wants from raising it.
WANTS = _codes(
    ("apology", "An apology", "Someone to say sorry"),
    ("explanation", "An explanation", "To be told why it happened"),
    ("change", "A change so it does not happen again", "Things to change so it does not happen again"),
    ("investigation", "An investigation", "Someone to look into it properly"),
    ("other", "Something else", "Something else"),
)

# The model's harm minimisations, with the seed's own numbers.
MINIMISATIONS = _codes(
    ("1", "#1 Restorative practice", "Putting things right together"),
    ("2", "#2 Improved assessment and care planning", "Better assessments and care plans"),
    (
        "4",
        "#4 A service-user generated set of practice principles",
        "Rules for workers written by people who use services",
    ),
    ("5", "#5 Practitioner recruitment, education and training", "Better hiring and training of workers"),
    ("6A", "#6A Better monitoring and regulation", "Better checks on services"),
    ("6B", "#6B More accessible and responsive complaints processes", "Complaints that are easier and quicker"),
    (
        "7",
        "#7 Independent advocacy and user-led support",
        "Independent advocates and support led by people who use services",
    ),
    ("8", "#8 Enhanced understanding of risk", "Better understanding of risk"),
)


class ReportedBy(StrEnum):
    PERSON = "person"
    ADVOCATE = "advocate"
    PRACTITIONER = "practitioner"
    ANONYMOUS = "anonymous"


REPORTED_BY_LABELS = {
    ReportedBy.PERSON: "The person harmed",
    ReportedBy.ADVOCATE: "An advocate",
    ReportedBy.PRACTITIONER: "A practitioner",
    ReportedBy.ANONYMOUS: "Someone who did not give their name",
}

# The 13 impacts, as for incidents.
IMPACT_CODES = tuple(Code(t.value, t.label, t.plain) for t in IMPACTS)


def values(codes: tuple[Code, ...]) -> list[str]:
    return [c.value for c in codes]


def label_of(codes: tuple[Code, ...], value: str, *, plain: bool = False) -> str:
    for code in codes:
        if code.value == value:
            return code.plain if plain else code.label
    return value


def unknown(codes: tuple[Code, ...], given: tuple[str, ...] | list[str]) -> list[str]:
    known = set(values(codes))
    return [g for g in given if g not in known]
