"""What a reader is shown of the person's story: each timeline entry through the field groups the one door
allowed (access/door.py). An entry whose facts come from a withheld group keeps its date and kind but not its
words, so nobody learns what they may not know, and nobody thinks the story has a gap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from joinedup.access.domain.minimum import HELD_ELSEWHERE
from joinedup.access.door import Seen
from joinedup.cases.domain.story import default_groups
from joinedup.cases.models import TimelineEntry, TimelineKind

KIND_LABELS = dict(TimelineKind.choices)
# Timeline entries about these records carry the subject's public id for partner systems.
SUBJECT_TYPES = {
    "incidents.incident": "incident",
    "referrals.referral": "referral",
    "police.policereport": "police_report",
    "cases.case": "case",
    "cases.task": "task",
    "cases.handover": "handover",
    "cases.closure": "closure",
    "cases.casenote": "note",
    "consent.consentrecord": "consent",
    "consent.sharingdecision": "sharing_decision",
    "risk.riskassessment": "risk_assessment",
    "people.contactattempt": "contact",
    "people.person": "person",
}


@dataclass(frozen=True)
class StoryItem:
    at: datetime
    kind: str
    kind_label: str
    summary: str
    held: bool
    actor: str
    agency: str
    subject_type: str
    subject_id: str


def entry_groups(entry: TimelineEntry) -> frozenset[str]:
    return frozenset(entry.field_groups or (str(g) for g in default_groups(entry.kind)))


def story_items(entries: Iterable[TimelineEntry], seen: Seen) -> list[StoryItem]:
    items = []
    for entry in entries:
        shown = seen.shows(entry_groups(entry))
        items.append(
            StoryItem(
                at=entry.at,
                kind=entry.kind,
                kind_label=KIND_LABELS.get(entry.kind, entry.kind),
                summary=entry.summary if shown else HELD_ELSEWHERE,
                held=not shown,
                actor=entry.actor.name if entry.actor else "",
                agency=entry.agency.name if entry.agency else "",
                subject_type=SUBJECT_TYPES.get(entry.object_type, entry.object_type.split(".")[-1]),
                subject_id=entry.object_id,
            )
        )
    return items
