"""Minimum necessary (Caldicott principle 3): which groups of a person's record an agency sees.

Agencies that hold the person's story (recorded it, hold the case, matched the report, or were named in a
decision to share without consent) see it all. An agency that knows the person only because the person agreed to
share with it sees the groups its kind of work needs: housing sees what happened and the safety concerns relevant
to the home, not health details. Pure.
"""

from __future__ import annotations

from enum import StrEnum


class Group(StrEnum):
    IDENTITY = "identity"  # name, date of birth, postcode, pronouns
    CONTACT = "contact"  # address, phone, email, safe-contact rules, communication needs
    ACCOUNT = "account"  # the person's own words and wishes
    HARM = "harm"  # kinds of harm, where, when, who, possible offences, hate strands
    HEALTH = "health"  # impacts on health, injuries, dismissed as a symptom, care and support answers
    SAFEGUARDING = "safeguarding"  # the Care Act screen and abuse types
    RISK = "risk"  # risk level and reasons


ALL = frozenset(Group)
# What a reader is told is not shown to them, in plain words (pages say this; the API names the groups).
GROUP_WORDS = {
    "identity": "who they are",
    "contact": "how to contact them",
    "account": "their own account and wishes",
    "harm": "what happened",
    "health": "their health",
    "safeguarding": "safeguarding",
    "risk": "their risk",
}
# Said in place of a derived text (a reason, a summary, a tag) whose facts come from a withheld group, so the
# reader knows something is held without learning what.
HELD_ELSEWHERE = "More detail is held by the key worker."
FULL_BASES = frozenset({"recorded", "key_worker", "triage", "sharing_decision"})

BY_KIND: dict[str, frozenset[Group]] = {
    "housing": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT, Group.HARM, Group.RISK}),
    "fire_rescue": frozenset({Group.IDENTITY, Group.CONTACT, Group.HARM, Group.RISK}),
    "police": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT, Group.HARM, Group.RISK}),
    "victim_support": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT, Group.HARM, Group.RISK}),
    "advocacy": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT, Group.HARM, Group.RISK}),
    "peer_support": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT}),
    "voluntary": frozenset({Group.IDENTITY, Group.CONTACT, Group.ACCOUNT}),
    "other": frozenset({Group.IDENTITY, Group.CONTACT}),
}
HEALTH_AND_CARE = frozenset({"nhs_acute", "ambulance", "gp", "mental_health", "adult_social_care"})


def groups_for(
    *,
    bases_by_agency: dict[int, set[str]],
    kinds_by_agency: dict[int, str],
    actor_agencies: frozenset[int],
    is_key_worker: bool,
) -> frozenset[Group]:
    """The union of what each of the actor's agencies may see of this person."""
    if is_key_worker:
        return ALL
    seen: set[Group] = set()
    for agency in actor_agencies:
        bases = bases_by_agency.get(agency, set())
        if not bases:
            continue
        if bases & FULL_BASES or kinds_by_agency.get(agency) in HEALTH_AND_CARE:
            return ALL
        seen |= BY_KIND.get(kinds_by_agency.get(agency, "other"), BY_KIND["other"])
    return frozenset(seen)


def groups_from_links(
    *,
    links: frozenset[tuple[int, str, str]],
    actor_agencies: frozenset[int],
    is_key_worker: bool,
) -> frozenset[Group]:
    """The same answer as `groups_for`, from the (agency, basis, agency kind) links the person's facts carry."""
    bases: dict[int, set[str]] = {}
    kinds: dict[int, str] = {}
    for agency, basis, kind in links:
        bases.setdefault(agency, set()).add(basis)
        kinds[agency] = kind
    return groups_for(
        bases_by_agency=bases, kinds_by_agency=kinds, actor_agencies=actor_agencies, is_key_worker=is_key_worker
    )


def agency_name_groups(kind: str) -> frozenset[Group]:
    """What the name of an agency that knows the person discloses about them. That a person is known to a health
    or care agency (A&E, the ambulance service, a GP, mental health services, adult social care) is itself a fact
    about their health or care; that they are known to any other agency tells who they are to it, nothing more.
    Linkage's "known to other agencies" and a request for information to one of them carry these groups."""
    if kind in HEALTH_AND_CARE:
        return frozenset({Group.IDENTITY, Group.HEALTH})
    return frozenset({Group.IDENTITY})


def may_show(needs: frozenset[Group] | frozenset[str], seen: frozenset[Group] | frozenset[str]) -> bool:
    """A derived text may be shown only when every group its facts came from is seen."""
    return all(str(group) in {str(g) for g in seen} for group in needs)
