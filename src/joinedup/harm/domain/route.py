"""The restorative route a harm report takes, its deadlines in working days, the serious-harm rule and the
routes onward. Pure: no Django.

Route: received → acknowledged (within 3 working days) → investigating (the person kept informed at the cadence
they chose) → responded (with the routes onward explained) → an optional restorative meeting → closed, with the
person's view in their words or why it could not be asked. Lessons are tagged with the model's minimisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from joinedup.core.domain.calendar import add_working_days
from joinedup.core.domain.partnership import AgencyKind
from joinedup.harm.domain.model import MINIMISATIONS, values
from joinedup.incidents.domain.classification import Classification, IncidentFacts, classify

# Acknowledge within 3 working days: the Local Authority Social Services and National Health Service Complaints
# (England) Regulations 2009, reg 13(1), and issue 16.
S_ACKNOWLEDGE = "LASS and NHS Complaints (England) Regulations 2009 reg 13(1)"
ACKNOWLEDGE_WORKING_DAYS = 3
# The 2009 regulations leave the response period to be agreed with the person (reg 13(7)); the partnership's
# standard is 20 working days unless a longer period is agreed and recorded.
S_RESPOND = "LASS and NHS Complaints (England) Regulations 2009 reg 13(7); the partnership's 20-working-day standard"
RESPOND_WORKING_DAYS = 20
# How often the person is told how it is going while it is looked into: their choice (issue 16).
UPDATE_CADENCES = {"weekly": 5, "fortnightly": 10, "monthly": 20}
UPDATE_CADENCE_LABELS = {"weekly": "Every week", "fortnightly": "Every 2 weeks", "monthly": "Every month"}


class Status(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    RESPONDED = "responded"
    RESTORATIVE_MEETING = "restorative_meeting"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.RECEIVED: "Received",
    Status.ACKNOWLEDGED: "Acknowledged",
    Status.INVESTIGATING: "Being looked into",
    Status.RESPONDED: "Responded",
    Status.RESTORATIVE_MEETING: "Restorative meeting",
    Status.CLOSED: "Closed",
}

# Where the report is, in the words of the person who told us (their own place, My support).
PERSON_STAGE = {
    Status.RECEIVED: "We have it. The service must say it has it.",
    Status.ACKNOWLEDGED: "The service has said it has it.",
    Status.INVESTIGATING: "The service is looking into it.",
    Status.RESPONDED: "The service has given its answer.",
    Status.RESTORATIVE_MEETING: "A meeting to put things right.",
    Status.CLOSED: "It is finished.",
}


def note_for_person(*, from_status: str, to_status: str, by_staff: bool) -> bool:
    """Whether a step's note is words meant for the person: the answer, the meeting (when and who), and each
    update they were given. Notes on acknowledging or starting to look into it are the service's own."""
    if to_status in {Status.RESPONDED, Status.RESTORATIVE_MEETING}:
        return True
    return from_status == to_status and by_staff


NEXT: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.ACKNOWLEDGED}),
    Status.ACKNOWLEDGED: frozenset({Status.INVESTIGATING}),
    Status.INVESTIGATING: frozenset({Status.RESPONDED}),
    Status.RESPONDED: frozenset({Status.RESTORATIVE_MEETING, Status.CLOSED}),
    Status.RESTORATIVE_MEETING: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
# Lessons and changes are tagged once the service has answered.
LESSON_STATUSES = frozenset({Status.RESPONDED, Status.RESTORATIVE_MEETING, Status.CLOSED})


@dataclass(frozen=True)
class Step:
    to: str
    note: str = ""
    person_view: str = ""
    not_asked_reason: str = ""
    minimisations: tuple[str, ...] = ()


def transition_problems(current: str, step: Step) -> tuple[str, dict[str, list[str]]]:
    """('conflict', ...) when the step does not follow from where the report is; ('invalid', fields) when its
    details are missing; ('', {}) when it may go ahead."""
    try:
        to = Status(step.to)
    except ValueError:
        return "invalid", {"to": [f"Choose one of: {', '.join(s.value for s in Status if s != Status.RECEIVED)}"]}
    if to not in NEXT[Status(current)]:
        return "conflict", {"to": [f"A report that is {STATUS_LABELS[Status(current)].lower()} cannot move to this"]}
    fields: dict[str, list[str]] = {}
    if to == Status.RESPONDED and not step.note.strip():
        fields["note"] = ["Write the response the person will be given"]
    if to == Status.RESTORATIVE_MEETING and not step.note.strip():
        fields["note"] = ["Say when the meeting is, who will be there and what the person asked for"]
    if to == Status.CLOSED and bool(step.person_view.strip()) == bool(step.not_asked_reason.strip()):
        fields["person_view"] = [
            "Record the person's view in their words, or why it could not be asked — one of the two"
        ]
    bad = [m for m in step.minimisations if m not in values(MINIMISATIONS)]
    if bad:
        fields["minimisations"] = [f"Unknown minimisation: {', '.join(bad)} (the model has #1, #2, #4–#8)"]
    elif step.minimisations and to not in LESSON_STATUSES:
        fields["minimisations"] = ["Lessons are tagged once the service has responded"]
    return ("invalid", fields) if fields else ("", {})


def acknowledge_by(received_on: date) -> date:
    return add_working_days(received_on, ACKNOWLEDGE_WORKING_DAYS)


def respond_by(acknowledged_on: date) -> date:
    return add_working_days(acknowledged_on, RESPOND_WORKING_DAYS)


def update_by(last_contact_on: date, cadence: str) -> date:
    return add_working_days(last_contact_on, UPDATE_CADENCES.get(cadence, UPDATE_CADENCES["fortnightly"]))


@dataclass(frozen=True)
class NextStep:
    kind: str  # acknowledge | update | respond | close | none
    text: str
    due_on: date | None


def next_step(
    *,
    status: str,
    received_on: date,
    acknowledged_on: date | None,
    last_update_on: date | None,
    cadence: str,
) -> NextStep:
    """What the responder must do next, and by when. While it is looked into the response is due by its date,
    and the person must hear how it is going at their cadence, whichever comes first."""
    s = Status(status)
    if s == Status.RECEIVED:
        return NextStep(
            "acknowledge", "Acknowledge the report and agree how it will be looked into", acknowledge_by(received_on)
        )
    if s in {Status.ACKNOWLEDGED, Status.INVESTIGATING}:
        answer = respond_by(acknowledged_on or received_on)
        update = update_by(last_update_on or acknowledged_on or received_on, cadence)
        if update < answer:
            return NextStep("update", "Tell the person how it is going", update)
        return NextStep("respond", "Give the person a full response", answer)
    if s in {Status.RESPONDED, Status.RESTORATIVE_MEETING}:
        return NextStep(
            "close", "Offer a restorative meeting if wanted; record lessons; ask the person's view and close", None
        )
    return NextStep("none", "Closed", None)


# --- Serious harm is not just a complaint -----------------------------------------------------------------------

SERIOUS_SOURCE = "staff_misconduct_or_sexual_abuse"


@dataclass(frozen=True)
class SeriousHarm:
    reason: str
    incident_kinds: tuple[str, ...]
    relationships: tuple[str, ...]
    classification: Classification

    @property
    def possible_offence(self) -> bool:
        return bool(self.classification.possible_offences)


def serious_harm(*, sources: frozenset[str], ill_treatment_in_care: bool) -> SeriousHarm | None:
    """Serious misconduct or sexual abuse by staff, or ill-treatment or neglect in care, is a safeguarding
    concern and a possible offence at once (Care Act 2014 s42; Criminal Justice and Courts Act 2015 s20–21;
    Mental Capacity Act 2005 s44). It is classified by the same rules as an incident, as harm by staff."""
    if SERIOUS_SOURCE in sources:
        reason = "Serious misconduct or sexual abuse by staff is a safeguarding concern and a possible offence."
    elif ill_treatment_in_care:
        reason = (
            "Ill-treatment or neglect by those caring for someone is a safeguarding concern and a possible offence."
        )
    else:
        return None
    kinds, relationships = ("ill_treatment_or_neglect",), ("staff",)
    facts = IncidentFacts(kinds=frozenset(kinds), relationships=frozenset(relationships))
    return SeriousHarm(reason, kinds, relationships, classify(facts))


# --- Routes onward, explained at the response -------------------------------------------------------------------


@dataclass(frozen=True)
class RouteOnward:
    name: str
    words: str


LGSCO = RouteOnward(
    "Local Government and Social Care Ombudsman",
    "If you are not happy with our answer, you can ask the Local Government and Social Care Ombudsman to look at "
    "it. It is free and independent. It looks at councils and adult social care, including care you pay for "
    "yourself.",
)
PHSO = RouteOnward(
    "Parliamentary and Health Service Ombudsman",
    "If you are not happy with our answer about an NHS service, you can ask the Parliamentary and Health Service "
    "Ombudsman to look at it. It is free and independent.",
)
CQC = RouteOnward(
    "Care Quality Commission",
    "You can also tell the Care Quality Commission, which checks health and care services. It does not answer "
    "single complaints, but it uses what you say when it checks the service.",
)
HOUSING = RouteOnward(
    "Housing Ombudsman",
    "If you are not happy with our answer about your council or housing association home, you can ask the "
    "Housing Ombudsman to look at it. It is free and independent.",
)
IOPC = RouteOnward(
    "Independent Office for Police Conduct",
    "If you are not happy with how the police dealt with your complaint, you can ask for a review. The letter "
    "will say whether the police force or the Independent Office for Police Conduct does it.",
)
PARTNERSHIP = RouteOnward(
    "The partnership's lead agency",
    "If you are not happy with the organisation's answer, you can ask the lead agency of the partnership to look "
    "at it again, and an advocate can help you.",
)

ROUTES_BY_KIND: dict[str, tuple[RouteOnward, ...]] = {
    AgencyKind.ADULT_SOCIAL_CARE: (LGSCO, CQC),
    AgencyKind.NHS_ACUTE: (PHSO, CQC),
    AgencyKind.AMBULANCE: (PHSO, CQC),
    AgencyKind.GP: (PHSO, CQC),
    AgencyKind.MENTAL_HEALTH: (PHSO, CQC),
    AgencyKind.HOUSING: (HOUSING,),
    AgencyKind.POLICE: (IOPC,),
    AgencyKind.FIRE_RESCUE: (LGSCO,),
}


def routes_onward(agency_kind: str | None) -> tuple[RouteOnward, ...]:
    """Where the person can go next if the answer does not put it right. About the pathway itself (no agency),
    both ombudsmen apply, as it joins council and NHS services; a charity's own process comes first, then the
    partnership."""
    if agency_kind is None:
        return (LGSCO, PHSO, CQC)
    return ROUTES_BY_KIND.get(agency_kind, (PARTNERSHIP, LGSCO))
