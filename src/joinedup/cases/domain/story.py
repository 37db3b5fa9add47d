"""Which groups of the person's record a timeline entry's words come from (access/domain/minimum.py). Pure.

Every entry carries them, so the one door can withhold an entry's summary from a reader who may not see those
facts (they read "More detail is held by the key worker." instead). A writer that knows better — a note whose
author chose its group, a referral to a mental health service — passes its own groups.
"""

from __future__ import annotations

from joinedup.access.domain.minimum import Group

BY_KIND: dict[str, frozenset[Group]] = {
    "incident_recorded": frozenset({Group.HARM}),
    "case_opened": frozenset({Group.IDENTITY}),
    "case_reopened": frozenset({Group.IDENTITY}),
    "key_worker_assigned": frozenset({Group.IDENTITY}),
    "report_matched": frozenset({Group.IDENTITY}),
    "person_recorded": frozenset({Group.IDENTITY}),
    "handover": frozenset({Group.IDENTITY}),
    "risk_changed": frozenset({Group.RISK}),
    "consent_changed": frozenset({Group.CONTACT}),
    "contact": frozenset({Group.CONTACT}),
    "sharing_decision": frozenset({Group.SAFEGUARDING}),
    # Work on the case: its words are the practitioners' and the person's own.
    "task": frozenset({Group.ACCOUNT}),
    "escalation": frozenset({Group.ACCOUNT}),
    "case_closed": frozenset({Group.ACCOUNT}),
    "note": frozenset({Group.ACCOUNT}),
    "safety_plan": frozenset({Group.ACCOUNT}),
    # Referrals and signposting say which kind of help: the writer passes the need's groups where it knows them.
    "referral": frozenset({Group.HARM}),
    "signpost": frozenset({Group.HARM}),
    "police_report": frozenset({Group.HARM}),
}


def default_groups(kind: str) -> frozenset[Group]:
    """An unknown kind is treated as the most sensitive story text: the person's own account and what happened."""
    return BY_KIND.get(kind, frozenset({Group.ACCOUNT, Group.HARM}))
