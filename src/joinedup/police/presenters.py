"""What a reader is shown of a police report's package. The receiving force's liaison reads the package as it
was sent (the person agreed to it, or a lead decided it); anyone else who may see the person reads it through the
field groups the one door allowed them (access/door.py)."""

from __future__ import annotations

from typing import Any

from joinedup.access.door import Seen

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
