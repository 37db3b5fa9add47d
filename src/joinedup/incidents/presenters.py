"""What a reader is shown of an incident: the field groups the one door allowed (access/door.py), derived text
included. Each classification reason, tag and field knows the group its facts come from; a reader who may not see
that group gets neither the field nor anything worked out from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from joinedup.access.domain.minimum import GROUP_WORDS, HELD_ELSEWHERE
from joinedup.access.door import Seen
from joinedup.incidents.domain.classification import reason_groups
from joinedup.incidents.models import Incident

# Raw fields of the incident, by the group they belong to (access/domain/minimum.py).
FIELDS_BY_GROUP = {
    "account": ["description", "wishes", "wanted_actions"],
    "harm": [
        "kinds",
        "perpetrators",
        "location_kind",
        "perceived_hostility",
        "occurred_on",
        "occurred_between",
        "happened_before",
        "police_aware",
    ],
    "health": ["impacts", "injuries", "dismissed_as_symptom", "care_and_support"],
}
# Parts of the stored classification, by the group their facts come from.
CLASSIFICATION_GROUPS = {
    "hate_incident": "harm",
    "strands": "harm",
    "possible_offences": "harm",
    "care_setting_offence": "harm",
    "mate_crime": "harm",
    "safeguarding": "safeguarding",
}


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str


@dataclass(frozen=True)
class IncidentShown:
    incident: Incident
    withheld: list[str]
    withheld_words: list[str] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    classification: dict[str, Any] = field(default_factory=dict)
    shows_account: bool = False
    shows_harm: bool = False
    shows_health: bool = False
    shows_safeguarding: bool = False
    # Who did it (harm): relationships only, read once here so the template never queries.
    perpetrators: list[str] = field(default_factory=list)
    # The person who told us, when someone else did, and how to reach them (contact group): the hub and the key
    # worker can go back to a friend or a neighbour who reported for them.
    reporter: dict[str, Any] = field(default_factory=dict)


def classification_for(data: dict[str, Any], seen: Seen) -> dict[str, Any]:
    """The stored classification without the parts, and the reasons, whose facts come from a withheld group."""
    out = {k: v for k, v in data.items() if k not in CLASSIFICATION_GROUPS or seen.sees(CLASSIFICATION_GROUPS[k])}
    reasons, held = [], False
    for reason in data.get("reasons") or []:
        if seen.shows(reason_groups(reason.get("code", ""))):
            reasons.append(reason)
        else:
            held = True
    if held:
        reasons.append({"code": "held_by_key_worker", "text": HELD_ELSEWHERE, "source": ""})
    out["reasons"] = reasons
    return out


def incident_data_for(data: dict[str, Any], seen: Seen) -> dict[str, Any]:
    """An incident's API body as this reader may see it, naming what was withheld."""
    data = dict(data)
    for group, names in FIELDS_BY_GROUP.items():
        if not seen.sees(group):
            for name in names:
                data.pop(name, None)
    data["classification"] = classification_for(dict(data.get("classification") or {}), seen)
    data["withheld_groups"] = seen.withheld
    return data


def present_incident(incident: Incident, seen: Seen) -> IncidentShown:
    c = incident.classification or {}
    tags: list[Tag] = []
    if seen.sees("harm"):
        if c.get("hate_incident"):
            tags.append(Tag("Hate incident (perceived)", "govuk-tag--purple"))
        if c.get("care_setting_offence"):
            tags.append(Tag("Possible offence by carer or staff", "govuk-tag--red"))
        if c.get("mate_crime"):
            tags.append(Tag("Possible mate crime", "govuk-tag--orange"))
    if seen.sees("risk") and getattr(incident, "urgent", False):
        tags.append(Tag("Urgent", "govuk-tag--red"))
    if seen.sees("health") and incident.dismissed_as_symptom:
        tags.append(Tag("Not believed before", "govuk-tag--yellow"))
    return IncidentShown(
        incident=incident,
        withheld=seen.withheld,
        withheld_words=[GROUP_WORDS[g] for g in seen.withheld],
        tags=tags,
        classification=classification_for(c, seen),
        shows_account=seen.sees("account"),
        shows_harm=seen.sees("harm"),
        shows_health=seen.sees("health"),
        shows_safeguarding=seen.sees("safeguarding"),
        perpetrators=[p.relationship for p in incident.perpetrators.all()] if seen.sees("harm") else [],
        reporter=dict(incident.reporter or {}) if seen.sees("contact") else {},
    )
